//! `#[wire]`: one annotation that makes a struct or enum a wire type.
//!
//! It derives `Serialize`, `Deserialize`, `JsonSchema` and `TS` with the same
//! settings, so renames and tags are written once, as `#[serde(...)]`, and
//! schemars and ts-rs read them from there. Fields and variants are camelCase
//! unless the container says `#[serde(rename_all = "...")]` itself.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::punctuated::Punctuated;
use syn::{Attribute, Item, Meta, Token};

use crate::ctxt::Ctxt;
use crate::private;
use crate::symbol::{RENAME_ALL, SERDE, TRANSPARENT};

/// Traits `#[wire]` derives; deriving one of them by hand as well is an error.
const DERIVED: &[&str] = &["Serialize", "Deserialize", "JsonSchema", "TS"];

pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    if !args.is_empty() {
        cx.error_spanned_by(
            &args,
            "unknown argument: `#[wire]` takes no arguments; write renames and tags as `#[serde(...)]`",
        );
    }
    let item = match syn::parse2::<Item>(input.clone()) {
        Ok(item) => item,
        Err(err) => {
            cx.syn_error(err);
            return fallback(cx, input);
        }
    };
    let (attrs, has_named_fields) = match &item {
        Item::Struct(s) => (&s.attrs, matches!(s.fields, syn::Fields::Named(_))),
        Item::Enum(e) => (&e.attrs, true),
        other => {
            cx.error_spanned_by(
                item_keyword(other),
                "`#[wire]` applies to a struct or an enum",
            );
            return fallback(cx, input);
        }
    };
    let manual = manual_derives(&cx, attrs);
    let serde_keys = serde_container_keys(&cx, attrs);
    let default_rename = (has_named_fields
        && !serde_keys
            .iter()
            .any(|k| k == RENAME_ALL || k == TRANSPARENT))
    .then(|| quote!(#[serde(rename_all = "camelCase")]));

    let private = private();
    let serde_crate = format!("{}::serde", path_string(&private));
    let schemars_crate = format!("{}::schemars", path_string(&private));
    let ts_crate = format!("{}::ts_rs", path_string(&private));
    // A trait also derived by hand is reported above and not derived again,
    // so the user sees one error rather than conflicting impls.
    let derives = [
        ("Serialize", quote!(#private::serde::Serialize)),
        ("Deserialize", quote!(#private::serde::Deserialize)),
        ("JsonSchema", quote!(#private::schemars::JsonSchema)),
        ("TS", quote!(#private::ts_rs::TS)),
    ]
    .into_iter()
    .filter(|(name, _)| !manual.iter().any(|m| m == name))
    .map(|(_, path)| path);
    let expanded = quote! {
        #[derive(#(#derives),*)]
        #[serde(crate = #serde_crate)]
        #[schemars(crate = #schemars_crate)]
        #[ts(crate = #ts_crate)]
        #default_rename
        #item
    };
    match cx.check() {
        Ok(()) => expanded,
        Err(err) => {
            let err = err.to_compile_error();
            quote!(#expanded #err)
        }
    }
}

/// On an input we cannot expand, keep the item as written so the one error
/// shown is ours and not a cascade of "trait not implemented".
fn fallback(cx: Ctxt, input: TokenStream) -> TokenStream {
    let err = cx
        .check()
        .expect_err("fallback without error")
        .to_compile_error();
    quote!(#input #err)
}

/// Reports, and returns, the traits `#[wire]` derives that the user derives too.
fn manual_derives(cx: &Ctxt, attrs: &[Attribute]) -> Vec<String> {
    let mut manual = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) = attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        else {
            continue;
        };
        for path in paths {
            let Some(last) = path.segments.last() else {
                continue;
            };
            let name = last.ident.to_string();
            if DERIVED.contains(&name.as_str()) {
                cx.error_spanned_by(
                    &path,
                    format!("`#[wire]` already derives `{name}`; remove it from this derive"),
                );
                manual.push(name);
            }
        }
    }
    manual
}

/// The keys of the container's `#[serde(...)]` attributes, e.g. `rename_all`.
fn serde_container_keys(cx: &Ctxt, attrs: &[Attribute]) -> Vec<syn::Path> {
    let mut keys = Vec::new();
    for attr in attrs.iter().filter(|a| a.path() == SERDE) {
        match attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) {
            Ok(metas) => keys.extend(metas.into_iter().map(|m| m.path().clone())),
            Err(err) => cx.syn_error(err),
        }
    }
    keys
}

fn item_keyword(item: &Item) -> TokenStream {
    match item {
        Item::Union(u) => u.union_token.to_token_stream(),
        Item::Fn(f) => f.sig.fn_token.to_token_stream(),
        Item::Type(t) => t.type_token.to_token_stream(),
        Item::Mod(m) => m.mod_token.to_token_stream(),
        Item::Trait(t) => t.trait_token.to_token_stream(),
        Item::Impl(i) => i.impl_token.to_token_stream(),
        other => other.to_token_stream(),
    }
}

fn path_string(path: &TokenStream) -> String {
    path.to_string().replace(' ', "")
}
