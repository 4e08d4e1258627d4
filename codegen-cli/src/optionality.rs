//! Aligns the optional markers (`?:`) of ts-rs's object types with the
//! `required` lists of the type's schema in its view (see `direction`).
//!
//! ts-rs decides optionality per field from attributes alone: an `Option`
//! is `T | null` and required, whatever the direction. The schema knows
//! better, so each object literal of a declaration is matched with the
//! schema object that has the same property names, and each key gets a `?`
//! exactly when the schema does not require it. Types are left as ts-rs
//! wrote them; only `?` markers are added or removed.

use serde_json::{Map, Value};

/// `contents` (one ts-rs file) with its `?` markers aligned to `schema`;
/// `definitions` resolves `$ref`s by name.
pub fn align_optional_fields(
    contents: &str,
    schema: &Value,
    definitions: &Map<String, Value>,
) -> String {
    let Some((tokens, eq)) = declaration_tokens(contents) else {
        return contents.to_owned();
    };
    let mut aligner = Aligner {
        source: contents,
        tokens: &tokens,
        definitions,
        edits: Vec::new(),
    };
    aligner.parse_type(eq + 1, Some(schema));
    let mut out = contents.to_owned();
    let mut edits = aligner.edits;
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.at()));
    for edit in edits {
        match edit {
            Edit::Insert(at) => out.insert(at, '?'),
            Edit::Remove(at) => {
                out.remove(at);
            }
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Punct(u8),
    Str,
    Word,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Tokens of `source` from `from` on, without whitespace and comments.
/// The tokens of the file's `export type Name = …;` declaration, and the
/// index of its `=`.
pub(crate) fn declaration_tokens(contents: &str) -> Option<(Vec<Token>, usize)> {
    let start = contents.find("export type ")?;
    let tokens = tokenize(contents, start);
    let eq = tokens
        .iter()
        .position(|t| t.kind == TokenKind::Punct(b'='))?;
    Some((tokens, eq))
}

fn tokenize(source: &str, from: usize) -> Vec<Token> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
        } else if bytes[i..].starts_with(b"/*") {
            i = source[i + 2..]
                .find("*/")
                .map_or(bytes.len(), |end| i + 2 + end + 2);
        } else if bytes[i..].starts_with(b"//") {
            i = source[i..]
                .find('\n')
                .map_or(bytes.len(), |end| i + end + 1);
        } else if b == b'"' || b == b'\'' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(bytes.len());
            tokens.push(Token {
                kind: TokenKind::Str,
                start: i,
                end,
            });
            i = end;
        } else if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'-' || b == b'.' {
            let mut j = i + 1;
            while j < bytes.len()
                && (bytes[j].is_ascii_alphanumeric() || matches!(bytes[j], b'_' | b'$' | b'.'))
            {
                j += 1;
            }
            tokens.push(Token {
                kind: TokenKind::Word,
                start: i,
                end: j,
            });
            i = j;
        } else {
            tokens.push(Token {
                kind: TokenKind::Punct(b),
                start: i,
                end: i + 1,
            });
            i += 1;
        }
    }
    tokens
}

#[derive(Debug, Clone, Copy)]
enum Edit {
    Insert(usize),
    Remove(usize),
}

impl Edit {
    fn at(self) -> usize {
        match self {
            Edit::Insert(at) | Edit::Remove(at) => at,
        }
    }
}

/// One `key?: value` of an object literal.
struct Member {
    key: String,
    key_end: usize,
    question: Option<usize>,
    value: usize,
}

struct Aligner<'a> {
    source: &'a str,
    tokens: &'a [Token],
    definitions: &'a Map<String, Value>,
    edits: Vec<Edit>,
}

impl Aligner<'_> {
    fn punct(&self, i: usize) -> Option<u8> {
        match self.tokens.get(i)?.kind {
            TokenKind::Punct(p) => Some(p),
            _ => None,
        }
    }

    /// A union or intersection of members; returns the index after it.
    fn parse_type(&mut self, mut i: usize, schema: Option<&Value>) -> usize {
        loop {
            // A leading `|` is allowed.
            if matches!(self.punct(i), Some(b'|' | b'&')) {
                i += 1;
            }
            i = self.parse_primary(i, schema);
            match self.punct(i) {
                Some(b'|' | b'&') => i += 1,
                _ => return i,
            }
        }
    }

    fn parse_primary(&mut self, i: usize, schema: Option<&Value>) -> usize {
        match self.punct(i) {
            Some(b'{') => self.parse_object(i, schema),
            Some(b'(' | b'[') => self.parse_suffixes(self.skip_balanced(i)),
            Some(_) => i + 1,
            None => {
                if i >= self.tokens.len() {
                    return i;
                }
                // A name or literal, maybe with generic arguments.
                let mut j = i + 1;
                if self.punct(j) == Some(b'<') {
                    j = self.skip_balanced(j);
                }
                self.parse_suffixes(j)
            }
        }
    }

    /// `[]` suffixes of an array type.
    fn parse_suffixes(&self, mut i: usize) -> usize {
        while self.punct(i) == Some(b'[') && self.punct(i + 1) == Some(b']') {
            i += 2;
        }
        i
    }

    /// The index after the bracket group that opens at `i`.
    fn skip_balanced(&self, i: usize) -> usize {
        let mut depth = 0usize;
        let mut j = i;
        while j < self.tokens.len() {
            match self.punct(j) {
                Some(b'{' | b'[' | b'(' | b'<') => depth += 1,
                Some(b'}' | b']' | b')' | b'>') => {
                    depth -= 1;
                    if depth == 0 {
                        return j + 1;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        j
    }

    fn parse_object(&mut self, open: usize, schema: Option<&Value>) -> usize {
        let mut members = Vec::new();
        let mut i = open + 1;
        loop {
            match self.punct(i) {
                Some(b'}') => {
                    i += 1;
                    break;
                }
                Some(b',' | b';') => {
                    i += 1;
                    continue;
                }
                Some(b'[') => {
                    // An index signature: `[key in K]?: V`.
                    i = self.skip_balanced(i);
                    if self.punct(i) == Some(b'?') {
                        i += 1;
                    }
                    if self.punct(i) == Some(b':') {
                        i = self.parse_type(i + 1, None);
                    }
                    continue;
                }
                None if i < self.tokens.len() => {}
                _ => return i.max(open + 1),
            }
            let key_token = self.tokens[i];
            let raw = &self.source[key_token.start..key_token.end];
            let key = match key_token.kind {
                TokenKind::Str => {
                    serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_owned())
                }
                _ => raw.to_owned(),
            };
            i += 1;
            let question = (self.punct(i) == Some(b'?')).then(|| {
                i += 1;
                self.tokens[i - 1].start
            });
            if self.punct(i) != Some(b':') {
                return i;
            }
            let value = i + 1;
            i = self.parse_type(value, None);
            members.push(Member {
                key,
                key_end: key_token.end,
                question,
                value,
            });
        }
        if let Some(object) = schema.and_then(|s| self.matching_object(s, &members)) {
            let required: Vec<&str> = object
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let properties = object.get("properties").and_then(Value::as_object);
            for member in &members {
                let optional = !required.contains(&member.key.as_str());
                match (optional, member.question) {
                    (true, None) => self.edits.push(Edit::Insert(member.key_end)),
                    (false, Some(at)) => self.edits.push(Edit::Remove(at)),
                    _ => {}
                }
                if let Some(property) = properties.and_then(|p| p.get(&member.key)) {
                    self.parse_type(member.value, Some(property));
                }
            }
        }
        i
    }

    /// The schema object among `schema`'s alternatives whose properties are
    /// exactly the literal's keys.
    fn matching_object(&self, schema: &Value, members: &[Member]) -> Option<Map<String, Value>> {
        let mut keys: Vec<&str> = members.iter().map(|m| m.key.as_str()).collect();
        keys.sort_unstable();
        let mut found = None;
        for object in self.objects(schema, 0) {
            let Some(properties) = object.get("properties").and_then(Value::as_object) else {
                continue;
            };
            let mut names: Vec<&str> = properties.keys().map(String::as_str).collect();
            names.sort_unstable();
            if names == keys {
                if found.is_some() {
                    return None;
                }
                found = Some(object);
            }
        }
        found.cloned()
    }

    /// The object schemas `schema` may be: itself, or its alternatives,
    /// through `$ref`s.
    fn objects<'s>(&'s self, schema: &'s Value, depth: usize) -> Vec<&'s Map<String, Value>> {
        let Some(object) = schema.as_object() else {
            return Vec::new();
        };
        if depth > 8 {
            return Vec::new();
        }
        if let Some(target) = object
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.rsplit('/').next())
            .and_then(|name| self.definitions.get(name))
        {
            return self.objects(target, depth + 1);
        }
        let mut out = Vec::new();
        if object.contains_key("properties") {
            out.push(object);
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for alternative in object
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.extend(self.objects(alternative, depth + 1));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn align(ts: &str, schema: Value) -> String {
        align_optional_fields(ts, &schema, &Map::new())
    }

    #[test]
    fn keys_follow_required() {
        let schema = json!({
            "type": "object",
            "properties": {"a": {}, "b": {}, "c": {}},
            "required": ["a", "c"]
        });
        assert_eq!(
            align(
                "export type S = { a?: number | null, b: string | null, \"c\": boolean, };",
                schema
            ),
            "export type S = { a: number | null, b?: string | null, \"c\": boolean, };"
        );
    }

    #[test]
    fn union_members_match_by_property_names() {
        let schema = json!({"oneOf": [
            {"properties": {"type": {}, "path": {}}, "required": ["type"]},
            {"properties": {"type": {}, "cmd": {}}, "required": ["type", "cmd"]}
        ]});
        assert_eq!(
            align(
                "/** doc: { x: 1 } */\nexport type P = { \"type\": \"a\", path: string | null } | { \"type\": \"b\", cmd?: string };",
                schema
            ),
            "/** doc: { x: 1 } */\nexport type P = { \"type\": \"a\", path?: string | null } | { \"type\": \"b\", cmd: string };"
        );
    }

    #[test]
    fn nested_literals_and_refs_are_followed() {
        let definitions = json!({"Inner": {"properties": {"x": {}}, "required": []}});
        let schema =
            json!({"oneOf": [{"properties": {"v": {"$ref": "#/$defs/Inner"}}, "required": ["v"]}]});
        let out = align_optional_fields(
            "export type T = { \"v\": { x: Array<{ y: number }> } } | \"unit\";",
            &schema,
            definitions.as_object().unwrap(),
        );
        assert_eq!(
            out,
            "export type T = { \"v\": { x?: Array<{ y: number }> } } | \"unit\";"
        );
    }

    #[test]
    fn unmatched_literals_are_left_alone() {
        let schema = json!({"properties": {"a": {}}, "required": []});
        let ts = "export type S = { a: number, extra: string, };";
        assert_eq!(align(ts, schema), ts);
        let ts = "export type M = { [key in string]?: number };";
        assert_eq!(align(ts, json!({"type": "object"})), ts);
    }
}
