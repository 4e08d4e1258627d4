//! Registry + per-view schemas → [`Model`].
//!
//! Each schema is read keyword by keyword: a keyword is consumed by the rule
//! that understands it, and one left over is an [`RenderError::Unrepresentable`]
//! naming the type, the place and the keyword. Nothing a schema says is lost.

use protocol_macros::{CapabilityPath, Kind, Registry};
use serde_json::{Map, Value};

use super::*;
use crate::input::direction::Views;
use crate::RenderError;

/// The model of `registry`, whose named types are `definitions` (every type
/// by its schema name, each in its direction's view, `$ref`s as `#/$defs/…`).
pub fn build(
    registry: &Registry,
    definitions: Map<String, Value>,
    views: &Views,
) -> Result<Model, RenderError> {
    // Each type is read on its own: half of them on a second thread. Of
    // two errors the one of the type that comes first is reported, as it
    // would be reading them in order.
    let mut first: Vec<(String, Value)> = definitions.into_iter().collect();
    let second = first.split_off(first.len() / 2);
    let read = |definitions: Vec<(String, Value)>| -> Result<Vec<TypeDefinition>, RenderError> {
        definitions
            .into_iter()
            .map(|(name, schema)| {
                Reader::new(&name).definition(&name, schema, views.sent_by(&name))
            })
            .collect()
    };
    let (first, second) = crate::on_two_threads(|| read(first), || read(second));
    let mut types = first?;
    types.extend(second?);
    types.sort_by(|a, b| a.name.cmp(&b.name));

    let methods = registry
        .methods()
        .map(|method| Method {
            method: method.name.to_owned(),
            kind: kind(method.kind),
            message_direction: method.direction,
            params: method.params.map(|ty| TypeRef::Reference {
                name: (ty.schema_name)().into_owned(),
            }),
            result: method.response.map(|ty| TypeRef::Reference {
                name: (ty.schema_name)().into_owned(),
            }),
            required_capability: method.capability.map(capability),
            marks: Marks {
                documentation: documentation(method.docs),
                deprecated: method.stability.deprecated.map(|message| Deprecation {
                    message: (!message.trim().is_empty()).then(|| message.to_owned()),
                }),
                experimental: method.stability.experimental.map(str::to_owned),
                since: method.stability.since.map(str::to_owned),
            },
        })
        .collect();
    let message_sets = registry
        .sets
        .iter()
        .map(|set| MessageSet {
            name: set.name.to_owned(),
            map_name: format!("{}Map", set.name),
            kind: kind(set.kind),
            message_direction: set.direction,
            documentation: documentation(set.docs),
            methods: set.methods.iter().map(|m| m.name.to_owned()).collect(),
        })
        .collect();
    let model = Model {
        protocol: settings(registry.settings),
        methods,
        message_sets,
        types,
    };
    check_references(&model)?;
    check_capabilities(&model)?;
    Ok(model)
}

/// Every capability the protocol names (a method's, the experimental
/// opt-in, the opt-out list) is a member its side's capabilities object
/// has, found by wire name from the negotiation's params or result: a
/// misspelled one (`confirm_deletes` for `confirmDeletes`) would otherwise
/// gate its method off for every peer. An open object (a map, or a
/// structure that keeps unknown members) holds any name.
fn check_capabilities(model: &Model) -> Result<(), RenderError> {
    let Some(negotiation) = &model.protocol.negotiation else {
        return Ok(());
    };
    let Some(method) = model.methods.iter().find(|m| {
        m.method == negotiation.method
            && m.message_direction == protocol_macros::Direction::ClientToServer
    }) else {
        return Ok(());
    };
    let named = model
        .methods
        .iter()
        .filter_map(|m| m.required_capability.as_ref())
        .chain(&model.protocol.experimental)
        .chain(&model.protocol.opt_out);
    for capability in named {
        let location = match capability.side {
            Side::Client => &negotiation.client,
            Side::Server => &negotiation.server,
        };
        // The macro refuses a capability of a side the negotiation does
        // not locate.
        let Some(location) = location else { continue };
        let start = match location.member {
            Carrier::Params => &method.params,
            Carrier::Result => &method.result,
        };
        let Some(start) = start else { continue };
        let path: Vec<&str> = location
            .path
            .iter()
            .chain(&capability.path)
            .map(String::as_str)
            .collect();
        if let Err((ty, member, members)) = walk_members(model, start, "", &path) {
            return Err(RenderError::UnknownCapability {
                capability: capability.to_string(),
                location: format!("{location} of `{}`", negotiation.method),
                ty,
                member: member.to_owned(),
                members,
            });
        }
    }
    Ok(())
}

/// Follows `path` member by member from `ty`; the type that lacks a member
/// (by name, or as `what` for an anonymous one), the member, and the
/// members it has.
fn walk_members<'p>(
    model: &Model,
    ty: &TypeRef,
    what: &str,
    path: &[&'p str],
) -> Result<(), (String, &'p str, Vec<String>)> {
    let Some((&member, rest)) = path.split_first() else {
        return Ok(());
    };
    let shown = |what: &str| {
        if what.is_empty() {
            "the object".to_owned()
        } else {
            what.to_owned()
        }
    };
    match ty {
        TypeRef::Reference { name } => match model.type_named(name) {
            Some(definition) => walk_members(model, &definition.definition, name, path),
            None => Ok(()),
        },
        TypeRef::Nullable { inner } => walk_members(model, inner, what, path),
        TypeRef::Structure(structure) => {
            match structure.fields.iter().find(|field| field.name == member) {
                Some(field) => walk_members(model, &field.ty, "", rest),
                None => match &structure.additional_properties {
                    AdditionalProperties::Typed { value } => walk_members(model, value, "", rest),
                    AdditionalProperties::Ignored | AdditionalProperties::Forbidden => Err((
                        shown(what),
                        member,
                        structure.fields.iter().map(|f| f.name.clone()).collect(),
                    )),
                },
            }
        }
        TypeRef::Map { value } => walk_members(model, value, "", rest),
        TypeRef::Any => Ok(()),
        TypeRef::Union(union) => {
            let mut first = None;
            for variant in &union.variants {
                match walk_members(model, &variant.ty, what, path) {
                    Ok(()) => return Ok(()),
                    Err(err) => {
                        first.get_or_insert(err);
                    }
                }
            }
            first.map_or(Ok(()), Err)
        }
        _ => Err((
            format!("{} (not an object)", shown(what)),
            member,
            Vec::new(),
        )),
    }
}

fn settings(settings: &protocol_macros::ProtocolSettings) -> ProtocolSettings {
    let location = |location: protocol_macros::CapabilityLocation| CapabilityLocation {
        member: match location.member {
            protocol_macros::Carrier::Params => Carrier::Params,
            protocol_macros::Carrier::Result => Carrier::Result,
        },
        path: location
            .path
            .iter()
            .map(|&member| member.to_owned())
            .collect(),
    };
    ProtocolSettings {
        jsonrpc: match settings.jsonrpc {
            protocol_macros::Dialect::V2 => JsonRpcDialect::V2,
            protocol_macros::Dialect::Omitted => JsonRpcDialect::Omitted,
        },
        negotiation: settings.negotiation.map(|negotiation| Negotiation {
            method: negotiation.method.to_owned(),
            client: negotiation.client.map(location),
            server: negotiation.server.map(location),
        }),
        experimental: settings.experimental.map(capability),
        opt_out: settings.opt_out.map(capability),
    }
}

fn capability(capability: CapabilityPath) -> Capability {
    Capability {
        side: capability.side,
        path: capability
            .path
            .iter()
            .map(|&member| member.to_owned())
            .collect(),
    }
}

fn kind(kind: Kind) -> MethodKind {
    match kind {
        Kind::Request => MethodKind::Request,
        Kind::Notification => MethodKind::Notification,
    }
}

fn documentation(docs: &str) -> Option<String> {
    let docs = docs.trim();
    (!docs.is_empty()).then(|| docs.to_owned())
}

/// How the note of a deprecated item reaches its schema's description: the
/// `#[wire]` macro ends the doc comment with it (schemars keeps the
/// `#[deprecated]` attribute only as `"deprecated": true`).
const DEPRECATED_TAG: &str = "@deprecated ";

/// The documentation and deprecation of an item whose schema has
/// `description` and `deprecated`: the note the description ends with
/// (`…\n\n@deprecated <note>`, or only `@deprecated <note>`) becomes the
/// deprecation's message, and the description without it the
/// documentation. Nothing is lost: the description is the documentation,
/// a blank line and the tagged note again ([`crate::render::schema`]
/// writes it so). A description that does not end so is left as it is.
pub(crate) fn split_deprecation(
    description: Option<String>,
    deprecated: bool,
) -> (Option<String>, Option<Deprecation>) {
    if !deprecated {
        return (description, None);
    }
    let without_note = Some(Deprecation::default());
    let Some(text) = description else {
        return (None, without_note);
    };
    let separated = format!("\n\n{DEPRECATED_TAG}");
    let split = match text.strip_prefix(DEPRECATED_TAG) {
        Some(note) => Some((None, note)),
        None => text
            .rfind(&separated)
            .filter(|at| *at > 0)
            .map(|at| (Some(&text[..at]), &text[at + separated.len()..])),
    };
    match split {
        Some((documentation, note)) if !note.is_empty() => (
            documentation.map(str::to_owned),
            Some(Deprecation {
                message: Some(note.to_owned()),
            }),
        ),
        _ => (Some(text), without_note),
    }
}

/// Every reference, from a type or a method, names a type of the model.
fn check_references(model: &Model) -> Result<(), RenderError> {
    let mut missing = None;
    let mut check = |owner: &str, ty: &TypeRef| {
        ty.for_each_reference(&mut |name| {
            if missing.is_none() && model.type_named(name).is_none() {
                missing = Some((owner.to_owned(), name.to_owned()));
            }
        });
    };
    for ty in &model.types {
        check(&format!("type {}", ty.name), &ty.definition);
    }
    for method in &model.methods {
        for ty in method.params.iter().chain(&method.result) {
            check(&format!("method {}", method.method), ty);
        }
    }
    match missing {
        None => Ok(()),
        Some((owner, name)) => Err(RenderError::DanglingRef {
            file: owner,
            reference: name,
        }),
    }
}

/// Reads the schemas of one named type.
struct Reader<'a> {
    type_name: &'a str,
}

/// A schema object being read: its keywords are taken out one by one, and
/// [`Reader::finish`] refuses what is left.
type Keywords = Map<String, Value>;

impl<'a> Reader<'a> {
    fn new(type_name: &'a str) -> Self {
        Reader { type_name }
    }

    fn unrepresentable(&self, pointer: &str, keyword: &str, why: &str) -> RenderError {
        RenderError::Unrepresentable {
            type_name: self.type_name.to_owned(),
            pointer: pointer.to_owned(),
            keyword: keyword.to_owned(),
            why: why.to_owned(),
        }
    }

    /// The keywords of `schema`, taken apart (nothing is copied).
    fn object(&self, schema: Value, pointer: &str) -> Result<Keywords, RenderError> {
        match schema {
            Value::Object(object) => Ok(object),
            Value::Bool(true) => Ok(Map::new()),
            other => Err(self.unrepresentable(
                pointer,
                "",
                &format!("a schema must be an object or `true`, not `{other}`"),
            )),
        }
    }

    fn finish(&self, keywords: Keywords, pointer: &str) -> Result<(), RenderError> {
        match keywords.keys().next() {
            None => Ok(()),
            Some(keyword) => Err(self.unrepresentable(
                pointer,
                keyword,
                "the model has no place for this keyword here",
            )),
        }
    }

    fn take_string(
        &self,
        keywords: &mut Keywords,
        key: &str,
        pointer: &str,
    ) -> Result<Option<String>, RenderError> {
        match keywords.remove(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(self.unrepresentable(pointer, key, "expected a string")),
        }
    }

    fn take_bool(
        &self,
        keywords: &mut Keywords,
        key: &str,
        pointer: &str,
    ) -> Result<bool, RenderError> {
        match keywords.remove(key) {
            None => Ok(false),
            Some(Value::Bool(flag)) => Ok(flag),
            Some(_) => Err(self.unrepresentable(pointer, key, "expected a boolean")),
        }
    }

    fn definition(
        &mut self,
        name: &str,
        schema: Value,
        sent_by: Vec<Side>,
    ) -> Result<TypeDefinition, RenderError> {
        let pointer = "";
        let mut keywords = self.object(schema, pointer)?;
        let description = self.take_string(&mut keywords, "description", pointer)?;
        let deprecated = self.take_bool(&mut keywords, "deprecated", pointer)?;
        let (documentation, deprecated) = split_deprecation(description, deprecated);
        let definition = self.ty(keywords, pointer)?;
        Ok(TypeDefinition {
            name: name.to_owned(),
            marks: Marks {
                documentation,
                deprecated,
                ..Marks::default()
            },
            sent_by,
            definition,
        })
    }

    /// A schema without metadata (description, default, …): a type.
    fn ty(&self, mut keywords: Keywords, pointer: &str) -> Result<TypeRef, RenderError> {
        if keywords.is_empty() {
            return Ok(TypeRef::Any);
        }
        if let Some(reference) = keywords.remove("$ref") {
            let name = match &reference {
                Value::String(r) => r.strip_prefix("#/$defs/").map(str::to_owned),
                _ => None,
            };
            let Some(name) = name else {
                return Err(self.unrepresentable(
                    pointer,
                    "$ref",
                    &format!("`{reference}` is not a reference to a named type"),
                ));
            };
            self.finish(keywords, pointer)?;
            return Ok(TypeRef::Reference { name });
        }
        for (keyword, exclusive) in [("oneOf", true), ("anyOf", false)] {
            if let Some(items) = keywords.remove(keyword) {
                self.finish(keywords, pointer)?;
                return self.union(items, exclusive, &format!("{pointer}/{keyword}"));
            }
        }
        match keywords.remove("type") {
            Some(Value::String(ty)) => self.typed(&ty, keywords, pointer),
            Some(Value::Array(types)) => {
                let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                match names.as_slice() {
                    [ty, "null"] if types.len() == 2 => {
                        let inner = self.typed(ty, keywords, pointer)?;
                        Ok(TypeRef::Nullable {
                            inner: Box::new(inner),
                        })
                    }
                    _ => Err(self.unrepresentable(
                        pointer,
                        "type",
                        "only `[T, \"null\"]` is supported as a list of types",
                    )),
                }
            }
            Some(_) => Err(self.unrepresentable(pointer, "type", "expected a string")),
            None => Err(self.unrepresentable(
                pointer,
                keywords.keys().next().map_or("", String::as_str),
                "a schema without `type`, `$ref`, `oneOf` or `anyOf`",
            )),
        }
    }

    fn typed(
        &self,
        ty: &str,
        mut keywords: Keywords,
        pointer: &str,
    ) -> Result<TypeRef, RenderError> {
        let result = match ty {
            "null" => TypeRef::Null,
            "string" if keywords.contains_key("const") => match keywords.remove("const") {
                Some(Value::String(value)) => TypeRef::StringLiteral { value },
                _ => {
                    return Err(self.unrepresentable(
                        pointer,
                        "const",
                        "only string constants are supported",
                    ))
                }
            },
            "string" if keywords.contains_key("enum") => {
                let Some(Value::Array(values)) = keywords.remove("enum") else {
                    return Err(self.unrepresentable(pointer, "enum", "expected an array"));
                };
                let values = values
                    .into_iter()
                    .map(|value| match value {
                        Value::String(value) => Ok(EnumerationValue {
                            value,
                            marks: Marks::default(),
                        }),
                        _ => {
                            Err(self.unrepresentable(pointer, "enum", "only strings are supported"))
                        }
                    })
                    .collect::<Result<_, _>>()?;
                TypeRef::Enumeration(Enumeration { values })
            }
            "string" | "boolean" | "integer" | "number" => {
                let format = self.take_string(&mut keywords, "format", pointer)?;
                let mut bound = |keyword: &str| match keywords.remove(keyword) {
                    None => Ok(None),
                    Some(Value::Number(n)) => Ok(Some(n)),
                    Some(_) => Err(self.unrepresentable(pointer, keyword, "expected a number")),
                };
                let minimum = bound("minimum")?;
                let maximum = bound("maximum")?;
                let name = match ty {
                    "string" => BaseType::String,
                    "boolean" => BaseType::Boolean,
                    "integer" => BaseType::Integer,
                    _ => BaseType::Number,
                };
                TypeRef::Base {
                    name,
                    format,
                    minimum,
                    maximum,
                }
            }
            "array" => self.array(&mut keywords, pointer)?,
            "object" => self.object_type(&mut keywords, pointer)?,
            other => {
                return Err(self.unrepresentable(
                    pointer,
                    "type",
                    &format!("unknown type `{other}`"),
                ))
            }
        };
        self.finish(keywords, pointer)?;
        Ok(result)
    }

    fn array(&self, keywords: &mut Keywords, pointer: &str) -> Result<TypeRef, RenderError> {
        if let Some(prefix) = keywords.remove("prefixItems") {
            let Value::Array(items) = prefix else {
                return Err(self.unrepresentable(pointer, "prefixItems", "expected an array"));
            };
            let len = items.len() as u64;
            for bound in ["minItems", "maxItems"] {
                if keywords.remove(bound).and_then(|v| v.as_u64()) != Some(len) {
                    return Err(self.unrepresentable(
                        pointer,
                        bound,
                        "a tuple must have `minItems` and `maxItems` equal to its length",
                    ));
                }
            }
            if let Some(rest) = keywords.remove("items") {
                if rest != Value::Bool(false) {
                    return Err(self.unrepresentable(
                        pointer,
                        "items",
                        "a tuple's `items` must be `false`",
                    ));
                }
            }
            let items = items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    let item_pointer = format!("{pointer}/prefixItems/{i}");
                    self.ty(self.object(item, &item_pointer)?, &item_pointer)
                })
                .collect::<Result<_, _>>()?;
            return Ok(TypeRef::Tuple { items });
        }
        let Some(items) = keywords.remove("items") else {
            return Err(self.unrepresentable(pointer, "type", "an array without `items`"));
        };
        let item_pointer = format!("{pointer}/items");
        let element = self.ty(self.object(items, &item_pointer)?, &item_pointer)?;
        Ok(TypeRef::Array {
            element: Box::new(element),
        })
    }

    fn object_type(&self, keywords: &mut Keywords, pointer: &str) -> Result<TypeRef, RenderError> {
        let properties = match keywords.remove("properties") {
            None => None,
            Some(Value::Object(properties)) => Some(properties),
            Some(_) => {
                return Err(self.unrepresentable(pointer, "properties", "expected an object"))
            }
        };
        let required: Vec<String> = match keywords.remove("required") {
            None => Vec::new(),
            Some(Value::Array(names)) => names
                .into_iter()
                .map(|name| match name {
                    Value::String(name) => Ok(name),
                    _ => Err(self.unrepresentable(pointer, "required", "expected strings")),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(self.unrepresentable(pointer, "required", "expected an array")),
        };
        let additional_properties = match keywords.remove("additionalProperties") {
            None => AdditionalProperties::Ignored,
            Some(Value::Bool(false)) => AdditionalProperties::Forbidden,
            Some(schema) => {
                let value_pointer = format!("{pointer}/additionalProperties");
                let value = self.ty(self.object(schema, &value_pointer)?, &value_pointer)?;
                AdditionalProperties::Typed {
                    value: Box::new(value),
                }
            }
        };
        if properties.is_none() && required.is_empty() {
            if let AdditionalProperties::Typed { value } = additional_properties {
                return Ok(TypeRef::Map { value });
            }
        }
        let mut fields = Vec::new();
        for (name, schema) in properties.into_iter().flatten() {
            let field_pointer = format!("{pointer}/properties/{}", escape_pointer(&name));
            let optional = !required.contains(&name);
            fields.push(self.field(name, schema, optional, &field_pointer)?);
        }
        if let Some(unknown) = required
            .iter()
            .find(|r| !fields.iter().any(|f| &f.name == *r))
        {
            return Err(self.unrepresentable(
                pointer,
                "required",
                &format!("`{unknown}` is required but not a property"),
            ));
        }
        Ok(TypeRef::Structure(Structure {
            fields,
            additional_properties,
        }))
    }

    fn field(
        &self,
        name: String,
        schema: Value,
        optional: bool,
        pointer: &str,
    ) -> Result<Field, RenderError> {
        let mut keywords = self.object(schema, pointer)?;
        let marks = self.marks(&mut keywords, pointer)?;
        let default = keywords.remove("default");
        let (ty, nullable) = match self.ty(keywords, pointer)? {
            TypeRef::Nullable { inner } => (*inner, true),
            ty => (ty, false),
        };
        Ok(Field {
            name,
            ty,
            optional,
            nullable,
            default,
            marks,
        })
    }

    /// The description, deprecation and stability marks of a field, union
    /// variant or enumeration value.
    fn marks(&self, keywords: &mut Keywords, pointer: &str) -> Result<Marks, RenderError> {
        let description = self.take_string(keywords, "description", pointer)?;
        let deprecated = self.take_bool(keywords, "deprecated", pointer)?;
        let (documentation, deprecated) = split_deprecation(description, deprecated);
        Ok(Marks {
            documentation,
            deprecated,
            experimental: self.take_string(keywords, "x-experimental", pointer)?,
            since: self.take_string(keywords, "x-since", pointer)?,
        })
    }

    fn union(&self, items: Value, exclusive: bool, pointer: &str) -> Result<TypeRef, RenderError> {
        let Value::Array(items) = items else {
            return Err(self.unrepresentable(pointer, "", "expected an array of schemas"));
        };
        // `anyOf: [T, {"type": "null"}]` is how schemars writes `Option<T>`.
        if !exclusive && items.len() == 2 && items[1] == serde_json::json!({"type": "null"}) {
            let inner_pointer = format!("{pointer}/0");
            let first = items.into_iter().next().expect("two items");
            let inner = self.ty(self.object(first, &inner_pointer)?, &inner_pointer)?;
            return Ok(TypeRef::Nullable {
                inner: Box::new(inner),
            });
        }
        let mut variants = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let item_pointer = format!("{pointer}/{i}");
            let mut keywords = self.object(item, &item_pointer)?;
            let title = self.take_string(&mut keywords, "title", &item_pointer)?;
            let marks = self.marks(&mut keywords, &item_pointer)?;
            let ty = self.ty(keywords, &item_pointer)?;
            variants.push(Variant { title, marks, ty });
        }
        // A `oneOf` of string constants is an enumeration whose values carry docs.
        let all_literals = exclusive
            && !variants.is_empty()
            && variants
                .iter()
                .all(|v| v.title.is_none() && matches!(v.ty, TypeRef::StringLiteral { .. }));
        if all_literals {
            let values = variants
                .into_iter()
                .map(|variant| match variant.ty {
                    TypeRef::StringLiteral { value } => EnumerationValue {
                        value,
                        marks: variant.marks,
                    },
                    _ => unreachable!("all variants are string literals"),
                })
                .collect();
            return Ok(TypeRef::Enumeration(Enumeration { values }));
        }
        let discriminator = discriminator(&variants);
        Ok(TypeRef::Union(Union {
            exclusive,
            discriminator,
            variants,
        }))
    }
}

/// The first field of the first variant that every variant has, required,
/// as a string literal of its own.
fn discriminator(variants: &[Variant]) -> Option<String> {
    let literal = |variant: &Variant, name: &str| match &variant.ty {
        TypeRef::Structure(structure) => structure
            .fields
            .iter()
            .find(|f| f.name == name && !f.optional && !f.nullable)
            .and_then(|f| match &f.ty {
                TypeRef::StringLiteral { value } => Some(value.clone()),
                _ => None,
            }),
        _ => None,
    };
    let TypeRef::Structure(first) = &variants.first()?.ty else {
        return None;
    };
    first
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .find(|name| {
            let mut seen = std::collections::BTreeSet::new();
            variants
                .iter()
                .all(|v| literal(v, name).is_some_and(|value| seen.insert(value)))
        })
        .map(str::to_owned)
}

fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The note a description ends with becomes the message, and the
    /// description written back from the marks is the one read, whatever
    /// it was.
    #[test]
    fn a_deprecation_note_is_taken_from_the_description_without_loss() {
        // The description read, deprecated, the documentation and message.
        type Case<'a> = (Option<&'a str>, bool, Option<&'a str>, Option<&'a str>);
        let cases: [Case<'_>; 8] = [
            (
                Some("Docs.\n\n@deprecated use b"),
                true,
                Some("Docs."),
                Some("use b"),
            ),
            (Some("@deprecated use b"), true, None, Some("use b")),
            (
                Some("A\n\nB\n\n@deprecated use\nb"),
                true,
                Some("A\n\nB"),
                Some("use\nb"),
            ),
            // Deprecated without a note: nothing to take.
            (Some("Docs."), true, Some("Docs."), None),
            (
                Some("Docs.\n\n@deprecated"),
                true,
                Some("Docs.\n\n@deprecated"),
                None,
            ),
            (None, true, None, None),
            // Not deprecated: the text is documentation, whatever it says.
            (
                Some("Docs.\n\n@deprecated use b"),
                false,
                Some("Docs.\n\n@deprecated use b"),
                None,
            ),
            (None, false, None, None),
        ];
        for (description, deprecated, documentation, message) in cases {
            let (got_documentation, deprecation) =
                split_deprecation(description.map(str::to_owned), deprecated);
            assert_eq!(
                got_documentation.as_deref(),
                documentation,
                "{description:?}"
            );
            assert_eq!(deprecation.is_some(), deprecated, "{description:?}");
            let got_message = deprecation.as_ref().and_then(|d| d.message.as_deref());
            assert_eq!(got_message, message, "{description:?}");
            let marks = Marks {
                documentation: got_documentation,
                deprecated: deprecation,
                ..Marks::default()
            };
            let written = crate::render::schema::description(&marks);
            assert_eq!(written.as_deref(), description, "written back");
        }
    }
}
