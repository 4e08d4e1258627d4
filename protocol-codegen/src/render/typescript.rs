//! TypeScript from the model: one file per named type, a method map per
//! message union, and `index.ts` exporting them all.
//!
//! One format everywhere: two-space indentation, one member a line, a JSDoc
//! block above every documented type, field and union member, and imports
//! computed from the model's references (`./X.js`, which both
//! `moduleResolution: bundler` and `module: nodenext` resolve).
//!
//! Optional (`?:`) follows the model's `optional`, `| null` its `nullable`:
//! the same facts the schema's `required` and `null` come from.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::*;
use crate::output::header::Mark;
use crate::render::ts_syntax::{header_of, jsdoc, string_literal, FOLDER, INDEX_FILE, MARK};
use crate::render::{Context, Earlier, IndexEntry, Output, Rendered};
use crate::RenderError;

/// The TypeScript types output: a file per type and method map in
/// `typescript/`, and `typescript/index.ts`, rendered from the entries of
/// every TypeScript output.
#[derive(Debug, Clone, Copy)]
pub struct TypeScriptOutput;

impl Output for TypeScriptOutput {
    fn name(&self) -> &'static str {
        "TypeScript"
    }

    fn folders(&self) -> &'static [&'static str] {
        &[FOLDER]
    }

    fn marks(&self) -> &'static [Mark] {
        &[MARK]
    }

    fn render(&self, model: &Model, cx: &Context<'_>) -> Result<Rendered, RenderError> {
        let (files, exports) = render_typescript(model, &header_of(cx.notice), cx.earlier)?;
        Ok(Rendered {
            files,
            index_entries: exports
                .into_iter()
                .map(|name| IndexEntry {
                    index: INDEX_FILE,
                    module: name.clone(),
                    names: vec![name],
                    type_only: true,
                })
                .collect(),
            kept: BTreeMap::new(),
        })
    }

    /// `index.ts`: every entry for it, in the order the outputs gave them.
    fn index(&self, entries: &[IndexEntry], cx: &Context<'_>) -> Option<(String, String)> {
        let mut index = format!("{}\n\n", header_of(cx.notice));
        for entry in entries.iter().filter(|entry| entry.index == INDEX_FILE) {
            index.push_str(&format!(
                "export {}{{ {} }} from \"./{}.js\";\n",
                if entry.type_only { "type " } else { "" },
                entry.names.join(", "),
                entry.module
            ));
        }
        Some((INDEX_FILE.to_owned(), index))
    }
}

/// Renders every type file and method map of `typescript/`, by path
/// relative to the output directory, and the names they export, sorted.
/// `header` is each file's first line. A type `earlier` has unchanged keeps
/// its file from there (a message union's members are documented by their
/// methods, so a union is always rendered).
fn render_typescript(
    model: &Model,
    header: &str,
    earlier: Option<Earlier<'_>>,
) -> Result<(BTreeMap<String, String>, Vec<String>), RenderError> {
    let mut files = BTreeMap::new();
    let mut exports: BTreeSet<&str> = BTreeSet::new();
    let methods = Methods::of(model);
    for ty in &model.types {
        check_identifier(&ty.name, &format!("type {}", ty.name))?;
        let set = model.message_sets.iter().find(|set| set.name == ty.name);
        let kept = earlier
            .filter(|earlier| set.is_none() && earlier.has(ty))
            .and_then(|earlier| earlier.files.get(&format!("typescript/{}.ts", ty.name)));
        let contents = match (kept, set) {
            (Some(contents), _) => contents.clone(),
            (None, Some(set)) => file(header, &ty.name, &message_union(&methods, set, ty)),
            (None, None) => file(header, &ty.name, &declaration(ty)),
        };
        add(&mut files, &mut exports, &ty.name, contents)?;
    }
    for set in &model.message_sets {
        check_identifier(&set.map_name, &format!("message union {}", set.name))?;
        let body = method_map(&methods, set);
        add(
            &mut files,
            &mut exports,
            &set.map_name,
            file(header, &set.map_name, &body),
        )?;
    }
    let exports = exports.into_iter().map(str::to_owned).collect();
    Ok((files, exports))
}

/// Adds the file that declares and exports `name`; a second one is a
/// conflict.
fn add<'m>(
    files: &mut BTreeMap<String, String>,
    exports: &mut BTreeSet<&'m str>,
    name: &'m str,
    contents: String,
) -> Result<(), RenderError> {
    if !exports.insert(name) {
        return Err(RenderError::NameConflict {
            name: format!("typescript/{name}.ts"),
            first: name.to_owned(),
            second: name.to_owned(),
        });
    }
    files.insert(format!("typescript/{name}.ts"), contents);
    Ok(())
}

/// Header, one `import type` per referenced type, then the declaration.
fn file(header: &str, own_name: &str, body: &Declaration) -> String {
    let mut out = format!("{header}\n");
    for name in body.references.iter().filter(|n| *n != own_name) {
        out.push_str(&format!("import type {{ {name} }} from \"./{name}.js\";\n"));
    }
    out.push('\n');
    out.push_str(&body.text);
    out
}

/// A rendered declaration and the named types it mentions.
struct Declaration {
    text: String,
    references: BTreeSet<String>,
}

#[derive(Default)]
struct Writer {
    references: BTreeSet<String>,
}

fn declaration(ty: &TypeDefinition) -> Declaration {
    let mut writer = Writer::default();
    let mut text = jsdoc(&doc_lines(&ty.marks), "");
    text.push_str(&format!("export type {} =", ty.name));
    text.push_str(&writer.top_level(&ty.definition, &|_| Vec::new()));
    text.push_str(";\n");
    Declaration {
        text,
        references: writer.references,
    }
}

/// The model's methods by wire name and direction (a method both peers
/// send has an entry, and a map entry, for each).
struct Methods<'m>(HashMap<(&'m str, Direction), &'m Method>);

impl<'m> Methods<'m> {
    fn of(model: &'m Model) -> Self {
        let mut methods = HashMap::with_capacity(model.methods.len());
        for method in &model.methods {
            let key = (method.method.as_str(), method.message_direction);
            methods.entry(key).or_insert(method);
        }
        Methods(methods)
    }

    /// The method `name` of `set`'s direction.
    fn get(&self, set: &MessageSet, name: &str) -> Option<&'m Method> {
        self.0.get(&(name, set.message_direction)).copied()
    }
}

/// A message union: each member documented by its method, with the
/// capability it needs.
fn message_union(methods: &Methods<'_>, set: &MessageSet, ty: &TypeDefinition) -> Declaration {
    let mut writer = Writer::default();
    let mut text = jsdoc(&doc_lines(&ty.marks), "");
    text.push_str(&format!("export type {} =", ty.name));
    let member_docs = |index: usize| -> Vec<String> {
        let method = set
            .methods
            .get(index)
            .and_then(|name| methods.get(set, name));
        method.map(method_doc_lines).unwrap_or_default()
    };
    text.push_str(&writer.top_level(&ty.definition, &member_docs));
    text.push_str(";\n");
    Declaration {
        text,
        references: writer.references,
    }
}

/// `{ "method": { params: P; response: R }, … }` for one message union.
fn method_map(methods: &Methods<'_>, set: &MessageSet) -> Declaration {
    let mut writer = Writer::default();
    let what = match set.kind {
        MethodKind::Request => "params and response types",
        MethodKind::Notification => "params type",
    };
    let mut text = jsdoc(
        &[format!(
            "The {what} of each `{}` method, by method name.",
            set.name
        )],
        "",
    );
    text.push_str(&format!("export type {} = {{\n", set.map_name));
    for method in set.methods.iter().filter_map(|name| methods.get(set, name)) {
        text.push_str(&jsdoc(&method_doc_lines(method), "  "));
        text.push_str(&format!("  {}: {{\n", string_literal(&method.method)));
        match &method.params {
            Some(params) => text.push_str(&format!("    params: {};\n", writer.inline(params, 4))),
            None => text.push_str("    params?: null;\n"),
        }
        if set.kind == MethodKind::Request {
            let response = method
                .result
                .as_ref()
                .map_or_else(|| "null".to_owned(), |result| writer.inline(result, 4));
            text.push_str(&format!("    response: {response};\n"));
        }
        text.push_str("  };\n");
    }
    text.push_str("};\n");
    Declaration {
        text,
        references: writer.references,
    }
}

/// The method's documentation, the capability it needs, its deprecation
/// and its stability.
fn method_doc_lines(method: &Method) -> Vec<String> {
    let marks = &method.marks;
    let mut lines = lines_of(marks.documentation.as_deref());
    if let Some(capability) = &method.required_capability {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!(
            "Requires the {} capability `{}`.",
            capability.side.as_str(),
            capability.path.join(".")
        ));
    }
    if let Some(deprecation) = &marks.deprecated {
        lines.extend(deprecated_tag(deprecation));
    }
    lines.extend(stability_lines(marks));
    lines
}

/// The JSDoc of a type, field, enumeration value or union variant: its
/// documentation, then its deprecation after a blank line, then its
/// stability.
fn doc_lines(marks: &Marks) -> Vec<String> {
    let mut lines = lines_of(marks.documentation.as_deref());
    match &marks.deprecated {
        Some(deprecation) if deprecation.message.is_some() => {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(deprecated_tag(deprecation));
        }
        // Said already, where the documentation has the tag itself.
        Some(deprecation)
            if !lines
                .iter()
                .any(|line| line.trim_start().starts_with("@deprecated")) =>
        {
            lines.extend(deprecated_tag(deprecation));
        }
        _ => {}
    }
    lines.extend(stability_lines(marks));
    lines
}

fn lines_of(text: Option<&str>) -> Vec<String> {
    text.map(|text| text.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// `@deprecated <message>`.
fn deprecated_tag(deprecation: &Deprecation) -> Vec<String> {
    match deprecation.message.as_deref() {
        Some(message) if !message.trim().is_empty() => format!("@deprecated {message}")
            .lines()
            .map(str::to_owned)
            .collect(),
        _ => vec!["@deprecated".to_owned()],
    }
}

/// `@experimental <reason>` and `@since <version>`, for what has them.
fn stability_lines(marks: &Marks) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(reason) = &marks.experimental {
        lines.push(format!("@experimental {reason}"));
    }
    if let Some(version) = &marks.since {
        lines.push(format!("@since {version}"));
    }
    lines
}

impl Writer {
    /// The right-hand side of a named type, after `=`: unions and
    /// enumerations one member a line, each with its JSDoc (an enumeration
    /// nested in a union is spread into it); anything else inline.
    fn top_level(&mut self, ty: &TypeRef, member_docs: &dyn Fn(usize) -> Vec<String>) -> String {
        let mut members: Vec<(Vec<String>, String)> = match ty {
            TypeRef::Enumeration(enumeration) => enumeration
                .values
                .iter()
                .map(|value| (doc_lines(&value.marks), string_literal(&value.value)))
                .collect(),
            TypeRef::Union(union) => {
                let mut members = Vec::new();
                for (index, variant) in union.variants.iter().enumerate() {
                    let mut docs = member_docs(index);
                    if docs.is_empty() {
                        docs = doc_lines(&variant.marks);
                    }
                    match &variant.ty {
                        TypeRef::Enumeration(enumeration) => {
                            for value in &enumeration.values {
                                let mut value_docs = std::mem::take(&mut docs);
                                value_docs.extend(doc_lines(&value.marks));
                                members.push((value_docs, string_literal(&value.value)));
                            }
                        }
                        other => members.push((docs, self.inline(other, 4))),
                    }
                }
                members
            }
            _ => return format!(" {}", self.inline(ty, 0)),
        };
        if members.is_empty() {
            members.push((Vec::new(), "never".to_owned()));
        }
        let mut out = String::new();
        for (docs, member) in members {
            out.push('\n');
            out.push_str(&jsdoc(&docs, "  "));
            out.push_str("  | ");
            out.push_str(&member);
        }
        out
    }

    /// A type expression; multi-line objects are indented as if their
    /// opening line started at `indent` spaces.
    fn inline(&mut self, ty: &TypeRef, indent: usize) -> String {
        match ty {
            TypeRef::Reference { name } => {
                self.references.insert(name.clone());
                name.clone()
            }
            TypeRef::Base { name, .. } => match name {
                BaseType::String => "string",
                BaseType::Boolean => "boolean",
                BaseType::Integer | BaseType::Number => "number",
            }
            .to_owned(),
            TypeRef::StringLiteral { value } => string_literal(value),
            TypeRef::Null => "null".to_owned(),
            TypeRef::Any => "unknown".to_owned(),
            TypeRef::Array { element } => format!("Array<{}>", self.inline(element, indent)),
            TypeRef::Tuple { items } => {
                let items: Vec<String> = items.iter().map(|i| self.inline(i, indent)).collect();
                format!("[{}]", items.join(", "))
            }
            TypeRef::Map { value } => {
                format!("{{ [key: string]: {} }}", self.inline(value, indent))
            }
            TypeRef::Nullable { inner } => format!("{} | null", self.inline(inner, indent)),
            TypeRef::Enumeration(enumeration) => {
                let values: Vec<String> = enumeration
                    .values
                    .iter()
                    .map(|v| string_literal(&v.value))
                    .collect();
                values.join(" | ")
            }
            TypeRef::Union(union) => {
                let members: Vec<String> = union
                    .variants
                    .iter()
                    .map(|variant| self.inline(&variant.ty, indent))
                    .collect();
                if members.is_empty() {
                    "never".to_owned()
                } else {
                    members.join(" | ")
                }
            }
            TypeRef::Structure(structure) => self.structure(structure, indent),
        }
    }

    fn structure(&mut self, structure: &Structure, indent: usize) -> String {
        let extra = match &structure.additional_properties {
            AdditionalProperties::Typed { value } => Some(value.as_ref()),
            _ => None,
        };
        if structure.fields.is_empty() {
            return match extra {
                Some(value) => format!("{{ [key: string]: {} }}", self.inline(value, indent)),
                None => "Record<string, never>".to_owned(),
            };
        }
        let inner = " ".repeat(indent + 2);
        let mut out = String::from("{\n");
        for field in &structure.fields {
            out.push_str(&jsdoc(&doc_lines(&field.marks), &inner));
            let mut ty = self.inline(&field.ty, indent + 2);
            if field.nullable {
                ty.push_str(" | null");
            }
            let optional = if field.optional { "?" } else { "" };
            out.push_str(&format!(
                "{inner}{}{optional}: {ty};\n",
                property_name(&field.name)
            ));
        }
        if let Some(value) = extra {
            let own = self.inline(value, indent + 2);
            let widened = self.fields_outside(structure, value, indent + 2);
            if !widened.is_empty() {
                out.push_str(&jsdoc(
                    &[format!(
                        "Any other member is `{own}`; the fields' own types are listed \
                         too because TypeScript requires every field to fit the index \
                         signature."
                    )],
                    &inner,
                ));
            }
            let members: Vec<String> = std::iter::once(own).chain(widened).collect();
            out.push_str(&format!("{inner}[key: string]: {};\n", members.join(" | ")));
        }
        out.push_str(&" ".repeat(indent));
        out.push('}');
        out
    }

    /// What the index signature of an open object must admit besides its
    /// `value` type: each field's type that `value` does not already admit
    /// (with `null` for a nullable field, and `undefined` for an optional
    /// one, which `strict` without `exactOptionalPropertyTypes` requires).
    /// Widening, rather than intersecting `{ fields } & { [key]: value }`,
    /// keeps the type constructible: no object literal is assignable to
    /// such an intersection when a field's type is not `value`.
    fn fields_outside(
        &mut self,
        structure: &Structure,
        value: &TypeRef,
        indent: usize,
    ) -> Vec<String> {
        let mut members: Vec<String> = Vec::new();
        let mut add = |member: String| {
            if !members.contains(&member) {
                members.push(member);
            }
        };
        for field in &structure.fields {
            if !admits(value, &field.ty) {
                add(self.inline(&field.ty, indent));
            }
            if field.nullable && !admits(value, &TypeRef::Null) {
                add("null".to_owned());
            }
            if field.optional && !matches!(value, TypeRef::Any) {
                add("undefined".to_owned());
            }
        }
        members
    }
}

/// Whether every value of `ty` is a value of `index` in TypeScript (where
/// every integer and number is `number`). Conservative: `false` widens an
/// index signature more than needed, never less.
fn admits(index: &TypeRef, ty: &TypeRef) -> bool {
    use TypeRef::*;
    match (index, ty) {
        (Any, _) => true,
        (Nullable { .. }, Null) => true,
        (Nullable { inner }, ty) => admits(inner, ty),
        (Union(union), ty) => union.variants.iter().any(|v| admits(&v.ty, ty)),
        (_, Nullable { inner }) => admits(index, &Null) && admits(index, inner),
        (
            Base {
                name: BaseType::String,
                ..
            },
            StringLiteral { .. } | Enumeration(_),
        ) => true,
        (Base { name: a, .. }, Base { name: b, .. }) => {
            let number = |name: &BaseType| matches!(name, BaseType::Integer | BaseType::Number);
            a == b || (number(a) && number(b))
        }
        (index, ty) => index == ty,
    }
}

/// A property name, quoted unless it is an identifier.
fn property_name(name: &str) -> String {
    if is_identifier(name) {
        name.to_owned()
    } else {
        string_literal(name)
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// A type name must be a TypeScript identifier, and so a safe file name.
fn check_identifier(name: &str, owner: &str) -> Result<(), RenderError> {
    if is_identifier(name) {
        Ok(())
    } else {
        Err(RenderError::UnsafeName {
            name: name.to_owned(),
            owner: owner.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn property_names_are_quoted_only_when_needed() {
        assert_eq!(property_name("type"), "type");
        assert_eq!(property_name("$x_1"), "$x_1");
        assert_eq!(
            property_name("resources/subscribe"),
            "\"resources/subscribe\""
        );
        assert_eq!(property_name("1a"), "\"1a\"");
    }

    #[test]
    fn deprecation_is_added_once() {
        let marks = |documentation: Option<&str>, message: Option<&str>| Marks {
            documentation: documentation.map(str::to_owned),
            deprecated: Some(Deprecation {
                message: message.map(str::to_owned),
            }),
            ..Marks::default()
        };
        assert_eq!(doc_lines(&marks(Some("a"), None)), ["a", "@deprecated"]);
        assert_eq!(
            doc_lines(&marks(Some("a\n@deprecated b"), None)),
            ["a", "@deprecated b"]
        );
        assert_eq!(
            doc_lines(&marks(Some("a"), Some("use c"))),
            ["a", "", "@deprecated use c"]
        );
        assert_eq!(
            doc_lines(&marks(None, Some("use c"))),
            ["@deprecated use c"]
        );
        assert!(doc_lines(&Marks::default()).is_empty());
    }
}
