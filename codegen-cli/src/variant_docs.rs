//! Puts the doc comment of each enum variant on its member of the
//! TypeScript union, as JSDoc. ts-rs drops variant docs; the schema keeps
//! them as the `description` (and `deprecated`) of each alternative, so the
//! members are matched with the schema's alternatives: a string literal by
//! its value, an object by its property names.

use serde_json::{Map, Value};

use crate::optionality::{declaration_tokens, Token, TokenKind};

/// `contents` (one ts-rs file) with a JSDoc block before each union member
/// whose schema alternative has a description; unchanged when none has.
pub fn document_variants(
    contents: &str,
    schema: &Value,
    definitions: &Map<String, Value>,
) -> String {
    let Some((tokens, eq)) = declaration_tokens(contents) else {
        return contents.to_owned();
    };
    let Some((members, end)) = top_level_members(&tokens, eq + 1) else {
        return contents.to_owned();
    };
    if members.len() < 2 {
        return contents.to_owned();
    }
    let alternatives = alternatives(schema, definitions);
    let docs: Vec<Option<String>> = members
        .iter()
        .map(|member| member_doc(contents, member, &alternatives))
        .collect();
    if docs.iter().all(Option::is_none) {
        return contents.to_owned();
    }
    let mut out = contents[..tokens[eq].end].to_owned();
    out.push('\n');
    for (member, doc) in members.iter().zip(&docs) {
        if let Some(doc) = doc {
            out.push_str(&jsdoc(doc));
        }
        let text = &contents[member.first().unwrap().start..member.last().unwrap().end];
        out.push_str("  | ");
        out.push_str(text);
        out.push('\n');
    }
    out.pop();
    out.push_str(&contents[end..]);
    out
}

/// The members of the union that starts at token `from`, and the byte
/// offset where the union ends (its `;`).
fn top_level_members(tokens: &[Token], from: usize) -> Option<(Vec<&[Token]>, usize)> {
    let mut members = Vec::new();
    let mut depth = 0usize;
    let mut member_start = from;
    for (i, token) in tokens.iter().enumerate().skip(from) {
        match token.kind {
            TokenKind::Punct(b'{' | b'[' | b'(' | b'<') => depth += 1,
            TokenKind::Punct(b'}' | b']' | b')' | b'>') => depth = depth.checked_sub(1)?,
            TokenKind::Punct(b'|') if depth == 0 => {
                if i > member_start {
                    members.push(&tokens[member_start..i]);
                }
                member_start = i + 1;
            }
            TokenKind::Punct(b';') if depth == 0 => {
                if i > member_start {
                    members.push(&tokens[member_start..i]);
                }
                return Some((members, token.start));
            }
            _ => {}
        }
    }
    None
}

/// The schema's alternatives, through `$ref`s.
fn alternatives<'a>(
    schema: &'a Value,
    definitions: &'a Map<String, Value>,
) -> Vec<&'a Map<String, Value>> {
    let mut schema = schema;
    for _ in 0..8 {
        match schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.rsplit('/').next())
            .and_then(|name| definitions.get(name))
        {
            Some(target) => schema = target,
            None => break,
        }
    }
    ["oneOf", "anyOf"]
        .iter()
        .filter_map(|key| schema.get(*key).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_object)
        .collect()
}

fn member_doc(
    source: &str,
    member: &[Token],
    alternatives: &[&Map<String, Value>],
) -> Option<String> {
    let alternative = if let [token] = member {
        if token.kind != TokenKind::Str {
            return None;
        }
        let literal: String = serde_json::from_str(&source[token.start..token.end]).ok()?;
        alternatives
            .iter()
            .find(|alt| allows_literal(&Value::Object((**alt).clone()), &literal))?
    } else if member.first()?.kind == TokenKind::Punct(b'{') {
        let members = object_keys(source, member);
        let mut keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        let mut matching = alternatives.iter().filter(|alt| {
            let properties = alt.get("properties").and_then(Value::as_object);
            let mut names: Vec<&str> = properties
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            names.sort_unstable();
            // Members with the same keys differ by their literal tags.
            let tags_agree = members.iter().all(|(key, literal)| {
                let Some(literal) = literal else { return true };
                let property = properties.and_then(|p| p.get(key));
                property.is_none_or(|p| allows_literal(p, literal))
            });
            names == keys && tags_agree
        });
        let first = matching.next()?;
        if matching.next().is_some() {
            return None;
        }
        first
    } else {
        return None;
    };
    let description = alternative.get("description").and_then(Value::as_str)?;
    Some(description.to_owned())
}

/// Whether `schema` is a `const` or `enum` that allows the string `literal`.
fn allows_literal(schema: &Value, literal: &str) -> bool {
    schema.get("const").and_then(Value::as_str) == Some(literal)
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().any(|v| v.as_str() == Some(literal)))
}

/// The keys of the object literal `member` (depth 1 only), each with its
/// value when that is a single string literal (a tag).
fn object_keys(source: &str, member: &[Token]) -> Vec<(String, Option<String>)> {
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut expect_key = false;
    for (i, token) in member.iter().enumerate() {
        match token.kind {
            TokenKind::Punct(b'{' | b'[' | b'(' | b'<') => {
                depth += 1;
                expect_key = depth == 1;
            }
            TokenKind::Punct(b'}' | b']' | b')' | b'>') => depth = depth.saturating_sub(1),
            TokenKind::Punct(b',' | b';') if depth == 1 => expect_key = true,
            TokenKind::Word | TokenKind::Str if depth == 1 && expect_key => {
                let followed_by_colon = matches!(
                    member.get(i + 1).map(|t| t.kind),
                    Some(TokenKind::Punct(b':' | b'?'))
                );
                if followed_by_colon {
                    let raw = &source[token.start..token.end];
                    let key = match token.kind {
                        TokenKind::Str => {
                            serde_json::from_str(raw).unwrap_or_else(|_| raw.to_owned())
                        }
                        _ => raw.to_owned(),
                    };
                    // `key: "literal"` followed by `,` or `}`.
                    let literal = match (member.get(i + 1), member.get(i + 2), member.get(i + 3)) {
                        (Some(colon), Some(value), Some(after))
                            if colon.kind == TokenKind::Punct(b':')
                                && value.kind == TokenKind::Str
                                && matches!(after.kind, TokenKind::Punct(b',' | b'}' | b';')) =>
                        {
                            serde_json::from_str(&source[value.start..value.end]).ok()
                        }
                        _ => None,
                    };
                    keys.push((key, literal));
                }
                expect_key = false;
            }
            _ => expect_key = false,
        }
    }
    keys
}

fn jsdoc(text: &str) -> String {
    let mut out = String::from("  /**\n");
    for line in text.lines() {
        let line = line.trim_end().replace("*/", "*\\/");
        if line.is_empty() {
            out.push_str("   *\n");
        } else {
            out.push_str(&format!("   * {line}\n"));
        }
    }
    out.push_str("   */\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn literals_and_objects_get_their_variant_docs() {
        let schema = json!({"oneOf": [
            {"enum": ["a", "b"]},
            {"const": "c", "description": "The C.\n\n@deprecated use a"},
            {"properties": {"d": {}}, "description": "Carries a */ d."}
        ]});
        let ts = "/** T */\nexport type T = \"a\" | \"b\" | \"c\" | { \"d\": { x: number, } };\n";
        assert_eq!(
            document_variants(ts, &schema, &Map::new()),
            "/** T */\nexport type T =\n  | \"a\"\n  | \"b\"\n  /**\n   * The C.\n   *\n   * @deprecated use a\n   */\n  | \"c\"\n  /**\n   * Carries a *\\/ d.\n   */\n  | { \"d\": { x: number, } };\n"
        );
    }

    #[test]
    fn undocumented_unions_are_left_alone() {
        let ts = "export type T = \"a\" | \"b\";\n";
        assert_eq!(
            document_variants(ts, &json!({"enum": ["a", "b"]}), &Map::new()),
            ts
        );
        let ts = "export type S = { a: number, };\n";
        assert_eq!(
            document_variants(ts, &json!({"description": "x"}), &Map::new()),
            ts
        );
    }
}
