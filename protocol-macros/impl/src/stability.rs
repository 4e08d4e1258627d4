//! Stability marks on the fields and variants of a wire type:
//! `#[experimental("reason")]` and `#[since("1.4")]` (Rust's own
//! `#[deprecated]` marks deprecation).
//!
//! `#[wire]` turns each into a schema keyword on that field or variant
//! (`x-experimental`, `x-since`), which is where the protocol model reads
//! it: the mark travels with the type wherever it is used, and nothing has
//! to be propagated by hand.

use quote::ToTokens;
use syn::{Attribute, Item};

use crate::ctxt::Ctxt;

const EXPERIMENTAL: &str = "experimental";
const SINCE: &str = "since";

/// Replaces the marks on every field and variant of `item` by the schema
/// keywords they stand for; reports misplaced and malformed marks.
pub fn mark_stability(cx: &Ctxt, item: &mut Item) {
    match item {
        Item::Struct(s) => {
            refuse_on_container(cx, &mut s.attrs);
            for field in s.fields.iter_mut() {
                mark(cx, &mut field.attrs);
            }
        }
        Item::Enum(e) => {
            refuse_on_container(cx, &mut e.attrs);
            for variant in &mut e.variants {
                mark(cx, &mut variant.attrs);
                for field in variant.fields.iter_mut() {
                    mark(cx, &mut field.attrs);
                }
            }
        }
        _ => {}
    }
}

fn is_mark(attr: &Attribute) -> bool {
    attr.path().is_ident(EXPERIMENTAL) || attr.path().is_ident(SINCE)
}

fn refuse_on_container(cx: &Ctxt, attrs: &mut Vec<Attribute>) {
    for attr in attrs.iter().filter(|a| is_mark(a)) {
        cx.error_spanned_by(
            attr,
            "stability marks go on fields and variants, not on a whole type: \
             mark the fields and variants, or the methods, that are experimental",
        );
    }
    attrs.retain(|a| !is_mark(a));
}

fn mark(cx: &Ctxt, attrs: &mut Vec<Attribute>) {
    let mut experimental: Option<String> = None;
    let mut since: Option<String> = None;
    for attr in attrs.iter().filter(|a| is_mark(a)) {
        let name = if attr.path().is_ident(EXPERIMENTAL) {
            EXPERIMENTAL
        } else {
            SINCE
        };
        let Some(value) = string_argument(cx, attr, name) else {
            continue;
        };
        let slot = if name == EXPERIMENTAL {
            &mut experimental
        } else {
            &mut since
        };
        if slot.is_some() {
            cx.error_spanned_by(attr, format!("duplicate `#[{name}]`"));
            continue;
        }
        if name == SINCE && !is_version(&value) {
            cx.error_spanned_by(
                attr,
                format!("`#[since]` takes a version such as \"1.4\" or \"1.4.2\", not \"{value}\""),
            );
            continue;
        }
        *slot = Some(value);
    }
    attrs.retain(|a| !is_mark(a));
    if let Some(reason) = experimental {
        attrs.push(syn::parse_quote!(#[schemars(extend("x-experimental" = #reason))]));
    }
    if let Some(version) = since {
        attrs.push(syn::parse_quote!(#[schemars(extend("x-since" = #version))]));
    }
}

/// The one non-empty string literal of `#[name("…")]`.
fn string_argument(cx: &Ctxt, attr: &Attribute, name: &str) -> Option<String> {
    let what = if name == EXPERIMENTAL {
        "a reason: `#[experimental(\"why it may still change\")]`"
    } else {
        "a version: `#[since(\"1.4\")]`"
    };
    let list = match &attr.meta {
        syn::Meta::List(list) => list,
        _ => {
            cx.error_spanned_by(attr, format!("`#[{name}]` needs {what}"));
            return None;
        }
    };
    match syn::parse2::<syn::LitStr>(list.tokens.clone()) {
        Ok(lit) if lit.value().trim().is_empty() => {
            cx.error_spanned_by(
                &lit,
                format!("`#[{name}]` needs {what}, not an empty string"),
            );
            None
        }
        Ok(lit) => Some(lit.value()),
        Err(_) => {
            cx.error_spanned_by(
                list.tokens.to_token_stream(),
                format!("`#[{name}]` takes one string literal: {what}"),
            );
            None
        }
    }
}

/// `1.4` or `1.4.2`: numbers separated by dots, two or three of them.
pub fn is_version(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}
