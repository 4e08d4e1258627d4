//! `reference.md`: the protocol's reference page in GitHub Markdown, from
//! the model and the conformance examples.
//!
//! One page per surface: a title and the wire's settings in words, a table
//! of contents, the methods grouped by who sends them and how (client
//! requests, server requests, client notifications, server notifications),
//! each with its documentation, the capability it needs, its marks, its
//! params and result as field tables and an example; then every type the
//! methods reach, by name: structures as field tables, enumerations as
//! value lists, unions as their variants, anything else as the type it is.
//!
//! Every method and type has an explicit anchor (`<a id="type-addparams">`,
//! unique on the page); the sections are linked by their headings' GitHub
//! slugs. Text from the protocol is written so that it cannot break the
//! page: `|` escaped and line breaks written `<br>` in table cells, `<`
//! outside code spans and autolinks written as `&lt;`, a line that would
//! open a heading escaped. The only HTML is the anchors, `<br>` in cells
//! and the two-line comment that carries the generated notice.
//!
//! An example is shown on a page only where it fits that page's types: the
//! stable page leaves out one that uses an experimental field or value.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::model::*;
use crate::output::header::Mark;
use crate::render::{Context, Output, Rendered};
use crate::{Example, RenderError};

/// The page's path, relative to a surface's root.
pub const REFERENCE_FILE: &str = "reference.md";

/// How the page carries the notice: an HTML comment, which GitHub does not
/// show, opened on the first line and closed on the second.
pub const MARK: Mark = Mark::first_line(".md", "<!-- ");

/// The Markdown reference output: `reference.md` at the root of each
/// surface.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOutput;

impl Output for MarkdownOutput {
    fn name(&self) -> &'static str {
        "Markdown reference"
    }

    fn folders(&self) -> &'static [&'static str] {
        &[]
    }

    fn marks(&self) -> &'static [Mark] {
        &[MARK]
    }

    fn render(&self, model: &Model, cx: &Context<'_>) -> Result<Rendered, RenderError> {
        Ok(Rendered {
            files: BTreeMap::from([(REFERENCE_FILE.to_owned(), reference(model, cx))]),
            ..Rendered::default()
        })
    }
}

/// The four groups of methods, in the order the page lists them: who sends
/// them, what they are, the section's title and the prefix of their
/// anchors.
const GROUPS: [(Direction, MethodKind, &str, &str); 4] = [
    (
        Direction::ClientToServer,
        MethodKind::Request,
        "Client requests",
        "client-request",
    ),
    (
        Direction::ServerToClient,
        MethodKind::Request,
        "Server requests",
        "server-request",
    ),
    (
        Direction::ClientToServer,
        MethodKind::Notification,
        "Client notifications",
        "client-notification",
    ),
    (
        Direction::ServerToClient,
        MethodKind::Notification,
        "Server notifications",
        "server-notification",
    ),
];

const TYPES_TITLE: &str = "Types";

/// The text of `reference.md` for one surface.
fn reference(model: &Model, cx: &Context<'_>) -> String {
    let page = Page::new(model);
    let mut out = format!("<!-- {}\n-->\n\n", cx.notice);
    out.push_str(&format!(
        "# {}\n\n",
        escape_text(&format!("{} {}", cx.info.title, cx.info.version))
    ));
    out.push_str(&page.intro(cx));
    out.push_str(&page.contents());
    for (direction, kind, title, _) in GROUPS {
        let methods = page.group(direction, kind);
        if methods.is_empty() {
            continue;
        }
        out.push_str(&format!("## {title}\n\n"));
        for method in methods {
            out.push_str(&page.method(method, cx.examples.of(&method.method)));
        }
    }
    if !page.types.is_empty() {
        out.push_str(&format!("## {TYPES_TITLE}\n\n"));
        for ty in &page.types {
            out.push_str(&page.type_definition(ty));
        }
    }
    // One newline at the end.
    let end = out.trim_end().len();
    out.truncate(end);
    out.push('\n');
    out
}

/// One surface's page: the model, the types its methods reach and every
/// anchor.
struct Page<'m> {
    model: &'m Model,
    /// The types the methods reach, by name.
    types: Vec<&'m TypeDefinition>,
    type_anchors: BTreeMap<&'m str, String>,
    method_anchors: BTreeMap<(&'m str, Direction), String>,
}

impl<'m> Page<'m> {
    fn new(model: &'m Model) -> Self {
        let reached = reached_types(model);
        let types: Vec<&TypeDefinition> = model
            .types
            .iter()
            .filter(|ty| reached.contains(ty.name.as_str()))
            .collect();
        // Given in page order, so the first of two that would share an id
        // keeps it.
        let mut taken = BTreeSet::new();
        let mut method_anchors = BTreeMap::new();
        for (direction, kind, _, prefix) in GROUPS {
            for method in model
                .methods
                .iter()
                .filter(|m| m.message_direction == direction && m.kind == kind)
            {
                let id = unique_id(&mut taken, &format!("{prefix}-{}", slug(&method.method)));
                method_anchors.insert((method.method.as_str(), direction), id);
            }
        }
        let mut type_anchors = BTreeMap::new();
        for ty in &types {
            let id = unique_id(&mut taken, &format!("type-{}", slug(&ty.name)));
            type_anchors.insert(ty.name.as_str(), id);
        }
        Page {
            model,
            types,
            type_anchors,
            method_anchors,
        }
    }

    fn group(&self, direction: Direction, kind: MethodKind) -> Vec<&'m Method> {
        self.model
            .methods
            .iter()
            .filter(|m| m.message_direction == direction && m.kind == kind)
            .collect()
    }

    /// What the page is, and the wire's settings in words.
    fn intro(&self, cx: &Context<'_>) -> String {
        let mut out = format!(
            "The methods and types of {} {}, from its definition.",
            escape_text(cx.info.title),
            escape_text(cx.info.version)
        );
        if crate::model::surface::has_experimental(self.model) {
            out.push_str(
                " This page is the whole protocol, experimental methods, fields and \
                 values included (each marked **Experimental**); `../reference.md` is \
                 its stable surface.",
            );
        } else {
            out.push_str(
                " Nothing on this page is experimental: what is, if anything, is on \
                 the experimental reference, `experimental/reference.md`.",
            );
        }
        out.push_str("\n\n");
        let settings = &self.model.protocol;
        out.push_str(match settings.jsonrpc {
            JsonRpcDialect::V2 => "Messages are JSON-RPC 2.0 objects with `\"jsonrpc\": \"2.0\"`.",
            JsonRpcDialect::Omitted => {
                "Messages are JSON-RPC 2.0 objects without the `jsonrpc` member."
            }
        });
        if let Some(negotiation) = &settings.negotiation {
            out.push_str(&format!(
                " Capabilities are negotiated by the client request {}",
                self.method_link(&negotiation.method, Direction::ClientToServer)
            ));
            let sides: Vec<String> = [
                ("client", &negotiation.client),
                ("server", &negotiation.server),
            ]
            .into_iter()
            .filter_map(|(side, at)| {
                Some(format!(
                    "the {side} declares its own in {}",
                    code(&at.as_ref()?.to_string())
                ))
            })
            .collect();
            if !sides.is_empty() {
                out.push_str(&format!(": {}", sides.join(", ")));
            }
            out.push('.');
        }
        if let Some(capability) = &settings.experimental {
            if crate::model::surface::has_experimental(self.model) {
                out.push_str(&format!(
                    " What is experimental needs the {} capability {}.",
                    capability.side.as_str(),
                    code(&capability.path.join("."))
                ));
            }
        }
        if let Some(capability) = &settings.opt_out {
            out.push_str(&format!(
                " A {} lists the notification methods it does not want to receive in its \
                 capability {}.",
                capability.side.as_str(),
                code(&capability.path.join("."))
            ));
        }
        out.push_str("\n\n");
        out
    }

    fn contents(&self) -> String {
        let mut out = String::from("## Contents\n\n");
        for (direction, kind, title, _) in GROUPS {
            let methods = self.group(direction, kind);
            if methods.is_empty() {
                continue;
            }
            out.push_str(&format!("- [{title}](#{})\n", heading_slug(title)));
            for method in methods {
                out.push_str(&format!(
                    "  - {}\n",
                    self.method_link(&method.method, direction)
                ));
            }
        }
        if !self.types.is_empty() {
            out.push_str(&format!(
                "- [{TYPES_TITLE}](#{})\n",
                heading_slug(TYPES_TITLE)
            ));
            for ty in &self.types {
                out.push_str(&format!("  - {}\n", self.type_link(&ty.name)));
            }
        }
        out.push('\n');
        out
    }

    /// `[`math/add`](#client-request-math-add)`, or the name alone when the
    /// page has no such method.
    fn method_link(&self, name: &str, direction: Direction) -> String {
        match self.method_anchors.get(&(name, direction)) {
            Some(id) => format!("[{}](#{id})", code(name)),
            None => code(name),
        }
    }

    fn type_link(&self, name: &str) -> String {
        match self.type_anchors.get(name) {
            Some(id) => format!("[{}](#{id})", code(name)),
            None => code(name),
        }
    }

    fn method(&self, method: &Method, example: Option<&Example>) -> String {
        let id = &self.method_anchors[&(method.method.as_str(), method.message_direction)];
        let mut out = format!("<a id=\"{id}\"></a>\n\n### {}\n\n", code(&method.method));
        if let Some(documentation) = &method.marks.documentation {
            out.push_str(&format!("{}\n\n", doc_text(documentation)));
        }
        let mut facts = Vec::new();
        if let Some(capability) = &method.required_capability {
            facts.push(self.capability(capability));
        }
        facts.extend(marks_facts(&method.marks));
        out.push_str(&list(&facts));
        out.push_str(&self.payload("Params", method.params.as_ref()));
        if method.kind == MethodKind::Request {
            out.push_str(&self.payload("Result", method.result.as_ref()));
        }
        if let Some(example) = example {
            out.push_str(&self.example(method, example));
        }
        out
    }

    /// `**Requires** the server capability `math.pow` (…)`.
    fn capability(&self, capability: &Capability) -> String {
        let mut text = format!(
            "**Requires** the {} capability {}",
            capability.side.as_str(),
            code(&capability.path.join("."))
        );
        let negotiation = self.model.protocol.negotiation.as_ref();
        let location = negotiation.and_then(|negotiation| {
            let at = match capability.side {
                Side::Client => negotiation.client.as_ref(),
                Side::Server => negotiation.server.as_ref(),
            }?;
            Some((negotiation, at))
        });
        if let Some((negotiation, at)) = location {
            let mut path = at.to_string();
            for member in &capability.path {
                path.push('.');
                path.push_str(member);
            }
            text.push_str(&format!(
                ", declared at {} of {}",
                code(&path),
                self.method_link(&negotiation.method, Direction::ClientToServer)
            ));
        }
        text.push('.');
        text
    }

    /// A method's params or result: its type, and its fields when it is a
    /// structure.
    fn payload(&self, what: &str, ty: Option<&TypeRef>) -> String {
        let Some(ty) = ty else {
            return format!("**{what}**: none.\n\n");
        };
        let mut out = format!("**{what}**: {}\n\n", self.type_text(ty));
        if let Some(structure) = self.structure_of(ty) {
            out.push_str(&self.structure(structure));
        }
        out
    }

    /// The structure `ty` is, directly or by name.
    fn structure_of<'a>(&'a self, ty: &'a TypeRef) -> Option<&'a Structure> {
        match ty {
            TypeRef::Structure(structure) => Some(structure),
            TypeRef::Reference { name } => match &self.model.type_named(name)?.definition {
                TypeRef::Structure(structure) => Some(structure),
                _ => None,
            },
            _ => None,
        }
    }

    /// The example's params and result, where each fits the method's types
    /// on this page.
    fn example(&self, method: &Method, example: &Example) -> String {
        let parts = [
            ("Params", method.params.as_ref(), example.params.as_ref()),
            ("Result", method.result.as_ref(), example.result.as_ref()),
        ];
        let mut out = String::new();
        for (what, ty, value) in parts {
            let (Some(ty), Some(value)) = (ty, value) else {
                continue;
            };
            if !self.fits(value, ty, 0) {
                continue;
            }
            let json = serde_json::to_string_pretty(value).expect("a JSON value prints");
            out.push_str(&format!("{what}:\n\n{}\n\n", fenced("json", &json)));
        }
        if out.is_empty() {
            return out;
        }
        format!("**Example**\n\n{out}")
    }

    fn type_definition(&self, ty: &TypeDefinition) -> String {
        let id = &self.type_anchors[ty.name.as_str()];
        let mut out = format!("<a id=\"{id}\"></a>\n\n### {}\n\n", code(&ty.name));
        if let Some(documentation) = &ty.marks.documentation {
            out.push_str(&format!("{}\n\n", doc_text(documentation)));
        }
        let mut facts = marks_facts(&ty.marks);
        if !ty.sent_by.is_empty() {
            let sides: Vec<&str> = ty.sent_by.iter().map(|side| side.as_str()).collect();
            facts.push(format!("**Sent by** the {}.", sides.join(" and the ")));
        }
        out.push_str(&list(&facts));
        match &ty.definition {
            TypeRef::Structure(structure) => out.push_str(&self.structure(structure)),
            TypeRef::Enumeration(enumeration) => {
                out.push_str("One of these strings:\n\n");
                let items: Vec<String> = enumeration
                    .values
                    .iter()
                    .map(|value| described(&code(&json_string(&value.value)), &value.marks))
                    .collect();
                out.push_str(&list(&items));
            }
            TypeRef::Union(union) => out.push_str(&self.union(union)),
            other => out.push_str(&format!("**Type**: {}\n\n", self.type_text(other))),
        }
        out
    }

    fn union(&self, union: &Union) -> String {
        let mut out = String::from(if union.exclusive {
            "Exactly one of these"
        } else {
            "The first of these that matches"
        });
        if let Some(discriminator) = &union.discriminator {
            out.push_str(&format!(", told apart by {}", code(discriminator)));
        }
        out.push_str(":\n\n");
        if union.variants.is_empty() {
            out.push_str("- nothing: no value is valid.\n\n");
            return out;
        }
        for variant in &union.variants {
            let mut head = match &variant.title {
                Some(title) => format!("{}: ", code(title)),
                None => String::new(),
            };
            match &variant.ty {
                TypeRef::Structure(structure) if !structure.fields.is_empty() => {
                    head.push_str(&tagged_object(structure, union.discriminator.as_deref()));
                    out.push_str(&indent_item(&described(&head, &variant.marks)));
                    out.push('\n');
                    out.push_str(&indent_block(&self.structure(structure)));
                }
                ty => {
                    head.push_str(&self.type_text(ty));
                    out.push_str(&indent_item(&described(&head, &variant.marks)));
                }
            }
        }
        end_block(&mut out);
        out
    }

    /// A field table, then what the object holds besides its fields.
    fn structure(&self, structure: &Structure) -> String {
        let mut out = String::new();
        if structure.fields.is_empty() {
            out.push_str("An object with no fields.\n\n");
        } else {
            out.push_str(
                "| Name | Type | Optional | Nullable | Documentation | Marks |\n\
                 | --- | --- | --- | --- | --- | --- |\n",
            );
            for field in &structure.fields {
                let mut documentation = field
                    .marks
                    .documentation
                    .as_deref()
                    .map(doc_text)
                    .unwrap_or_default();
                if let Some(default) = &field.default {
                    if !documentation.is_empty() {
                        documentation.push('\n');
                    }
                    documentation.push_str(&format!("**Default**: {}", code(&default.to_string())));
                }
                let cells = [
                    code(&field.name),
                    self.type_text(&field.ty),
                    yes_no(field.optional).to_owned(),
                    yes_no(field.nullable).to_owned(),
                    documentation,
                    marks_facts(&field.marks).join("\n"),
                ];
                let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
            }
            out.push('\n');
        }
        match &structure.additional_properties {
            AdditionalProperties::Ignored => {}
            AdditionalProperties::Forbidden => {
                out.push_str("No other member is allowed.\n\n");
            }
            AdditionalProperties::Typed { value } => {
                out.push_str(&format!("Any other member: {}.\n\n", self.type_text(value)));
            }
        }
        out
    }

    /// A type as Markdown text: `string[]`, `Record<string, T>`, `A | null`,
    /// named types linked to their section.
    fn type_text(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Reference { name } => self.type_link(name),
            TypeRef::Base { name, format, .. } => match (name, format) {
                (BaseType::Integer | BaseType::Number, Some(format)) => escape_text(format),
                (name, Some(format)) => format!("{} ({})", name.as_str(), escape_text(format)),
                (name, None) => name.as_str().to_owned(),
            },
            TypeRef::StringLiteral { value } => code(&json_string(value)),
            TypeRef::Null => "null".to_owned(),
            TypeRef::Any => "any".to_owned(),
            TypeRef::Array { element } => {
                let inner = self.type_text(element);
                if compound(element) {
                    format!("({inner})[]")
                } else {
                    format!("{inner}[]")
                }
            }
            TypeRef::Tuple { items } => {
                let items: Vec<String> = items.iter().map(|item| self.type_text(item)).collect();
                format!("[{}]", items.join(", "))
            }
            TypeRef::Map { value } => format!("Record<string, {}>", self.type_text(value)),
            TypeRef::Nullable { inner } => format!("{} | null", self.type_text(inner)),
            TypeRef::Enumeration(enumeration) => {
                let values: Vec<String> = enumeration
                    .values
                    .iter()
                    .map(|value| code(&json_string(&value.value)))
                    .collect();
                if values.is_empty() {
                    "never".to_owned()
                } else {
                    values.join(" | ")
                }
            }
            TypeRef::Union(union) => {
                let variants: Vec<String> = union
                    .variants
                    .iter()
                    .map(|variant| self.type_text(&variant.ty))
                    .collect();
                if variants.is_empty() {
                    "never".to_owned()
                } else {
                    variants.join(" | ")
                }
            }
            TypeRef::Structure(structure) => {
                let mut members: Vec<String> = structure
                    .fields
                    .iter()
                    .map(|field| {
                        let mut ty = self.type_text(&field.ty);
                        if field.nullable {
                            ty.push_str(" | null");
                        }
                        let optional = if field.optional { "?" } else { "" };
                        format!("{}{optional}: {ty}", escape_text(&field.name))
                    })
                    .collect();
                if let AdditionalProperties::Typed { value } = &structure.additional_properties {
                    members.push(format!("[key: string]: {}", self.type_text(value)));
                }
                if members.is_empty() {
                    "{}".to_owned()
                } else {
                    format!("{{ {} }}", members.join("; "))
                }
            }
        }
    }

    /// Whether `value` is a value of `ty` on this page: every member of an
    /// object is one of its fields or allowed besides them, every string
    /// of an enumeration one of its values. Loose where the page shows no
    /// difference (a missing field is not checked).
    fn fits(&self, value: &Value, ty: &TypeRef, depth: usize) -> bool {
        // A chain of names that never reaches a value.
        if depth > 256 {
            return false;
        }
        let depth = depth + 1;
        match ty {
            TypeRef::Reference { name } => self
                .model
                .type_named(name)
                .is_some_and(|definition| self.fits(value, &definition.definition, depth)),
            TypeRef::Base { name, .. } => match name {
                BaseType::String => value.is_string(),
                BaseType::Boolean => value.is_boolean(),
                BaseType::Integer => {
                    value.is_i64()
                        || value.is_u64()
                        || value.as_f64().is_some_and(|number| number.fract() == 0.0)
                }
                BaseType::Number => value.is_number(),
            },
            TypeRef::StringLiteral { value: literal } => value.as_str() == Some(literal),
            TypeRef::Null => value.is_null(),
            TypeRef::Any => true,
            TypeRef::Array { element } => value
                .as_array()
                .is_some_and(|items| items.iter().all(|item| self.fits(item, element, depth))),
            TypeRef::Tuple { items } => value.as_array().is_some_and(|values| {
                values.len() == items.len()
                    && values
                        .iter()
                        .zip(items)
                        .all(|(value, item)| self.fits(value, item, depth))
            }),
            TypeRef::Map { value: member } => value
                .as_object()
                .is_some_and(|object| object.values().all(|v| self.fits(v, member, depth))),
            TypeRef::Nullable { inner } => value.is_null() || self.fits(value, inner, depth),
            TypeRef::Enumeration(enumeration) => value
                .as_str()
                .is_some_and(|s| enumeration.values.iter().any(|v| v.value == s)),
            TypeRef::Union(union) => union
                .variants
                .iter()
                .any(|variant| self.fits(value, &variant.ty, depth)),
            TypeRef::Structure(structure) => value.as_object().is_some_and(|object| {
                object.iter().all(|(name, member)| {
                    match structure.fields.iter().find(|field| field.name == *name) {
                        Some(field) => {
                            (field.nullable && member.is_null())
                                || self.fits(member, &field.ty, depth)
                        }
                        None => match &structure.additional_properties {
                            AdditionalProperties::Typed { value } => {
                                self.fits(member, value, depth)
                            }
                            AdditionalProperties::Ignored | AdditionalProperties::Forbidden => {
                                false
                            }
                        },
                    }
                })
            }),
        }
    }
}

/// The names of the types the methods reach, through other types.
fn reached_types(model: &Model) -> BTreeSet<&str> {
    let mut reached: BTreeSet<&str> = BTreeSet::new();
    let mut pending: Vec<&str> = Vec::new();
    for method in &model.methods {
        for ty in [&method.params, &method.result].into_iter().flatten() {
            ty.for_each_reference(&mut |name| pending.push(name));
        }
    }
    while let Some(name) = pending.pop() {
        if !reached.insert(name) {
            continue;
        }
        if let Some(ty) = model.type_named(name) {
            ty.definition
                .for_each_reference(&mut |name| pending.push(name));
        }
    }
    reached
}

/// `an object with `type` `"add"``: an object variant, by the value of
/// its discriminator when it has one.
fn tagged_object(structure: &Structure, discriminator: Option<&str>) -> String {
    let tag = discriminator.and_then(|discriminator| {
        let field = structure.fields.iter().find(|f| f.name == discriminator)?;
        match &field.ty {
            TypeRef::StringLiteral { value } => Some(format!(
                "an object with {} {}",
                code(discriminator),
                code(&json_string(value))
            )),
            _ => None,
        }
    });
    tag.unwrap_or_else(|| "an object".to_owned())
}

/// Ends `out` with exactly one blank line.
fn end_block(out: &mut String) {
    let end = out.trim_end_matches('\n').len();
    out.truncate(end);
    out.push_str("\n\n");
}

/// Whether `ty`'s text needs parentheses before `[]`.
fn compound(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Nullable { .. } => true,
        TypeRef::Union(union) => union.variants.len() > 1,
        TypeRef::Enumeration(enumeration) => enumeration.values.len() > 1,
        TypeRef::Base {
            name: BaseType::String | BaseType::Boolean,
            format: Some(_),
            ..
        } => true,
        _ => false,
    }
}

/// The marks said as sentences: deprecation, experimental, version.
fn marks_facts(marks: &Marks) -> Vec<String> {
    let mut facts = Vec::new();
    if let Some(deprecation) = &marks.deprecated {
        facts.push(match deprecation.message.as_deref() {
            Some(message) if !message.trim().is_empty() => {
                format!("**Deprecated**: {}", doc_text(message))
            }
            _ => "**Deprecated**.".to_owned(),
        });
    }
    if let Some(reason) = &marks.experimental {
        facts.push(format!("**Experimental**: {}", doc_text(reason)));
    }
    if let Some(version) = &marks.since {
        facts.push(format!("**Since**: {}", escape_text(version)));
    }
    facts
}

/// `head`, then the documentation and marks, for a list item.
fn described(head: &str, marks: &Marks) -> String {
    let mut text = head.to_owned();
    let mut said: Vec<String> = marks
        .documentation
        .as_deref()
        .map(doc_text)
        .into_iter()
        .collect();
    said.extend(marks_facts(marks));
    if !said.is_empty() {
        text.push_str(" — ");
        text.push_str(&said.join("\n"));
    }
    text
}

/// A bullet list, one item per entry (continuation lines indented).
fn list(items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut out: String = items.iter().map(|item| indent_item(item)).collect();
    out.push('\n');
    out
}

/// `- item`, its other lines indented under it.
fn indent_item(item: &str) -> String {
    let mut out = String::from("- ");
    out.push_str(indent_block(item).trim_start());
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Every non-empty line indented by two spaces, to continue a list item.
fn indent_block(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if !line.is_empty() {
            out.push_str("  ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

fn yes_no(flag: bool) -> &'static str {
    if flag {
        "yes"
    } else {
        "no"
    }
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

/// A table cell: `|` escaped, line breaks written `<br>`.
fn cell(text: &str) -> String {
    let lines: Vec<&str> = text.trim().lines().map(str::trim_end).collect();
    lines.join("<br>").replace('|', "\\|")
}

/// A code span holding `text` as it is.
fn code(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A fenced code block of `text`, fenced longer than any backtick run in
/// it.
fn fenced(info: &str, text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}{info}\n{text}\n{fence}")
}

/// Plain text with Markdown's punctuation escaped.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Documentation, which is Markdown already, made safe to embed: `<`
/// outside code spans and autolinks written `&lt;` (no HTML from the
/// protocol reaches the page), and a line that would open a heading
/// escaped (the page's own headings give its structure).
fn doc_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.lines().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if trimmed.starts_with('#') && indent.len() < 4 {
            out.push_str(indent);
            out.push('\\');
            out.push_str(trimmed);
        } else {
            out.push_str(line);
        }
    }
    escape_html_outside_code(&out)
}

/// `<` written `&lt;` except in code spans and autolinks (`<https://…>`).
fn escape_html_outside_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let run = rest.len() - rest.trim_start_matches('`').len();
            let fence = &rest[..run];
            // A code span runs to the next run of exactly as many backticks.
            let after = &rest[run..];
            let close = closing_run(after, run);
            match close {
                Some(end) => {
                    out.push_str(&rest[..run + end]);
                    rest = &rest[run + end..];
                }
                None => {
                    out.push_str(fence);
                    rest = after;
                }
            }
        } else if c == '<' {
            match autolink_len(rest) {
                Some(len) => {
                    out.push_str(&rest[..len]);
                    rest = &rest[len..];
                }
                None => {
                    out.push_str("&lt;");
                    rest = &rest[1..];
                }
            }
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Where the first run of exactly `run` backticks in `text` ends.
fn closing_run(text: &str, run: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let start = i;
            while i < bytes.len() && bytes[i] == b'`' {
                i += 1;
            }
            if i - start == run {
                return Some(i);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// The length of the autolink `<scheme:…>` at the start of `text`, if one is.
fn autolink_len(text: &str) -> Option<usize> {
    let end = text.find('>')?;
    let inside = &text[1..end];
    let (scheme, rest) = inside.split_once(':')?;
    let scheme_ok = (2..=32).contains(&scheme.len())
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'));
    let rest_ok = !rest.is_empty()
        && !rest
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<');
    (scheme_ok && rest_ok).then_some(end + 1)
}

/// An anchor id from a name: lowercase ASCII letters and digits, runs of
/// anything else one `-`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// `id`, or `id-2`, `id-3`, … when taken.
fn unique_id(taken: &mut BTreeSet<String>, id: &str) -> String {
    let id = id.trim_end_matches('-');
    let mut candidate = id.to_owned();
    let mut n = 1;
    while !taken.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{id}-{n}");
    }
    candidate
}

/// The id GitHub gives a heading of plain words: lowercase, spaces `-`,
/// punctuation other than `-` and `_` dropped.
fn heading_slug(title: &str) -> String {
    title
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_one_row() {
        assert_eq!(cell("a | b\nc\n\nd "), "a \\| b<br>c<br><br>d");
        assert_eq!(cell(&code("a|b")), "`a\\|b`");
    }

    #[test]
    fn code_spans_hold_backticks() {
        assert_eq!(code("math/add"), "`math/add`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(fenced("json", "{}"), "```json\n{}\n```");
        assert_eq!(fenced("json", "\"````\""), "`````json\n\"````\"\n`````");
    }

    #[test]
    fn documentation_brings_no_html_and_no_heading() {
        assert_eq!(
            doc_text("a <b> `<c>` <https://x.org/a?b#c> <not a link>"),
            "a &lt;b> `<c>` <https://x.org/a?b#c> &lt;not a link>"
        );
        assert_eq!(
            doc_text("# Title\n  ## Sub\n    # code"),
            "\\# Title\n  \\## Sub\n    # code"
        );
        assert_eq!(doc_text("``a ` <b>`` <c"), "``a ` <b>`` &lt;c");
        assert_eq!(doc_text("unclosed ` <b>"), "unclosed ` &lt;b>");
    }

    #[test]
    fn anchors_are_unique_slugs() {
        assert_eq!(
            slug("notifications/tasks/status"),
            "notifications-tasks-status"
        );
        assert_eq!(slug("$/ping"), "ping");
        let mut taken = BTreeSet::new();
        assert_eq!(unique_id(&mut taken, "type-a"), "type-a");
        assert_eq!(unique_id(&mut taken, "type-a"), "type-a-2");
        assert_eq!(unique_id(&mut taken, "type-a"), "type-a-3");
        assert_eq!(unique_id(&mut taken, "type-"), "type");
        assert_eq!(heading_slug("Client requests"), "client-requests");
    }

    #[test]
    fn plain_text_is_escaped() {
        assert_eq!(escape_text("a_b *c* [d]"), "a\\_b \\*c\\* \\[d\\]");
    }

    #[test]
    fn list_items_continue_on_indented_lines() {
        assert_eq!(
            list(&["a\nb\n\nc".to_owned(), "d".to_owned()]),
            "- a\n  b\n\n  c\n- d\n\n"
        );
    }
}
