//! `#[optional]` on an `Option<T>` field of a wire type: a member its
//! sender may leave out, and never writes as `null` (TypeScript's
//! `field?: T`, JSON Schema's non-required `T`).
//!
//! A plain `Option<T>` field is nullable: serde reads `null` as `None`, and
//! the schema and TypeScript say `T | null`. Protocols whose optional
//! members are not nullable (MCP's `reason?: string`) mark them so that
//! the decoder refuses `null` as the schema does. `#[wire]` replaces the
//! mark by the attributes that say it to each derive:
//!
//! - serde: `default` (absent is `None`), `skip_serializing_if =
//!   "Option::is_none"` (`None` is left out) and a `deserialize_with` that
//!   reads a present member as `T`, so `null` is refused unless `T` itself
//!   takes it;
//! - schemars: `with = "T"` (the member's schema is `T`'s, not nullable);
//! - ts-rs: `optional`.
//!
//! `#[required]` on an `Option<T>` field is the other half: a member that
//! must be present and may be `null` (`field: T | null`, required in the
//! schema), where serde alone would read an absent member as `None`.

use quote::ToTokens;
use syn::{Attribute, Field, GenericArgument, Item, Meta, PathArguments, Token, Type};

use crate::ctxt::Ctxt;
use crate::symbol::SERDE;

const OPTIONAL: &str = "optional";
const REQUIRED: &str = "required";

/// The serde keys `#[optional]` writes itself; writing one of them as well
/// is an error.
const IMPLIED: &[&str] = &[
    "default",
    "skip_serializing_if",
    "deserialize_with",
    "with",
    "skip",
    "skip_deserializing",
];

/// Replaces `#[optional]` on every field of `item` by the attributes it
/// stands for; reports one on a field that is not an `Option<T>`, on a
/// whole type or a variant, or with serde keys that contradict it.
pub fn mark_optional(cx: &Ctxt, item: &mut Item, private: &str) {
    match item {
        Item::Struct(s) => {
            refuse(cx, &mut s.attrs, "a whole type");
            for field in s.fields.iter_mut() {
                mark(cx, field, private);
            }
        }
        Item::Enum(e) => {
            refuse(cx, &mut e.attrs, "a whole type");
            for variant in &mut e.variants {
                refuse(cx, &mut variant.attrs, "a variant");
                for field in variant.fields.iter_mut() {
                    mark(cx, field, private);
                }
            }
        }
        _ => {}
    }
}

fn is_mark(attr: &Attribute) -> bool {
    attr.path().is_ident(OPTIONAL) || attr.path().is_ident(REQUIRED)
}

fn name_of(attr: &Attribute) -> &'static str {
    if attr.path().is_ident(OPTIONAL) {
        OPTIONAL
    } else {
        REQUIRED
    }
}

fn refuse(cx: &Ctxt, attrs: &mut Vec<Attribute>, what: &str) {
    for attr in attrs.iter().filter(|a| is_mark(a)) {
        let name = name_of(attr);
        cx.error_spanned_by(
            attr,
            format!("`#[{name}]` goes on an `Option<T>` field, not on {what}"),
        );
    }
    attrs.retain(|a| !is_mark(a));
}

fn mark(cx: &Ctxt, field: &mut Field, private: &str) {
    let marks: Vec<Attribute> = field.attrs.iter().filter(|a| is_mark(a)).cloned().collect();
    let Some(first) = marks.first() else {
        return;
    };
    field.attrs.retain(|a| !is_mark(a));
    let name = name_of(first);
    for extra in &marks[1..] {
        if name_of(extra) == name {
            cx.error_spanned_by(extra, format!("duplicate `#[{name}]`"));
        } else {
            cx.error_spanned_by(
                extra,
                "a field is `#[optional]` (may be left out, never null) or `#[required]` \
                 (always present, may be null), not both",
            );
        }
    }
    if !matches!(first.meta, Meta::Path(_)) {
        cx.error_spanned_by(first, format!("`#[{name}]` takes no arguments"));
        return;
    }
    let Some(inner) = option_inner(&field.ty) else {
        let what = if name == OPTIONAL {
            "a member that may be left out"
        } else {
            "a member that is always present and may be null"
        };
        cx.error_spanned_by(
            &field.ty,
            format!("`#[{name}]` goes on an `Option<T>` field: {what}"),
        );
        return;
    };
    // A contradicting key is reported, and the field left as written: the
    // mark's own attributes would only add serde's "duplicate" to it.
    let mut contradicted = false;
    for attr in field.attrs.iter().filter(|a| a.path() == SERDE) {
        let Ok(metas) =
            attr.parse_args_with(syn::punctuated::Punctuated::<Meta, Token![,]>::parse_terminated)
        else {
            continue;
        };
        for meta in metas {
            if let Some(key) = IMPLIED.iter().find(|key| meta.path().is_ident(key)) {
                cx.error_spanned_by(
                    meta.path(),
                    format!(
                        "`#[{name}]` already sets how this field is read and written; \
                         remove `{key}`"
                    ),
                );
                contradicted = true;
            }
        }
    }
    if contradicted {
        return;
    }
    let inner = inner.to_token_stream().to_string();
    if name == OPTIONAL {
        let read = format!("{private}::optional::deserialize");
        field.attrs.push(syn::parse_quote!(#[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = #read
        )]));
        field
            .attrs
            .push(syn::parse_quote!(#[schemars(with = #inner)]));
        field.attrs.push(syn::parse_quote!(#[ts(optional)]));
    } else {
        // Without `default`, a field read through `deserialize_with` must be
        // present; the schema is `T | null`, required in both directions.
        let read = format!("{private}::optional::required");
        let schema = format!("{private}::optional::Nullable<{inner}>");
        field
            .attrs
            .push(syn::parse_quote!(#[serde(deserialize_with = #read)]));
        field
            .attrs
            .push(syn::parse_quote!(#[schemars(with = #schema)]));
    }
}

/// `T` of a field written `Option<T>` (or `std::option::Option<T>`).
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>()[..] {
        [GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}
