//! `#[wire]`: one annotation that makes a struct or enum a wire type.
//!
//! It derives `Serialize`, `Deserialize`, `JsonSchema` and `TS` with the same
//! settings, so renames and tags are written once, as `#[serde(...)]`, and
//! schemars and ts-rs read them from there. Fields and variants are camelCase
//! unless the container says `#[serde(rename_all = "...")]` itself, and so
//! are the fields of an enum's struct variants unless it says
//! `#[serde(rename_all_fields = "...")]`. Field
//! marks it reads: `#[experimental]` and `#[since]` (`stability.rs`),
//! `#[optional]` (`optional.rs`).

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::punctuated::Punctuated;
use syn::{Attribute, Item, Meta, Token};

use crate::ctxt::Ctxt;
use crate::private;
use crate::symbol::{Symbol, RENAME_ALL, RENAME_ALL_FIELDS, SERDE, TAG, TRANSPARENT, UNTAGGED};

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
    let mut item = match syn::parse2::<Item>(input.clone()) {
        Ok(item) => item,
        Err(err) => {
            cx.syn_error(err);
            return fallback(cx, input);
        }
    };
    let has_named_fields = match &item {
        Item::Struct(s) => matches!(s.fields, syn::Fields::Named(_)),
        Item::Enum(_) => true,
        other => {
            cx.error_spanned_by(
                item_keyword(other),
                "`#[wire]` applies to a struct or an enum",
            );
            return fallback(cx, input);
        }
    };
    mark_deprecated(&mut item);
    crate::stability::mark_stability(&cx, &mut item);
    let private = private();
    crate::optional::mark_optional(&cx, &mut item, &path_string(&private));
    let attrs = match &item {
        Item::Struct(s) => &s.attrs,
        Item::Enum(e) => &e.attrs,
        _ => unreachable!("checked above"),
    };
    let manual = manual_derives(&cx, attrs);
    let serde_keys = serde_container_keys(&cx, attrs);
    let default_rename = (has_named_fields
        && !serde_keys
            .iter()
            .any(|k| k == RENAME_ALL || k == TRANSPARENT))
    .then(|| quote!(#[serde(rename_all = "camelCase")]));
    // The fields of an enum's struct variants are camelCase too, unless the
    // enum says otherwise (serde, schemars and ts-rs all read
    // `rename_all_fields`; ts-rs refuses it beside its own `type` or `as`).
    let default_rename_fields = (matches!(item, Item::Enum(_))
        && !serde_keys.iter().any(|k| k == RENAME_ALL_FIELDS)
        && !has_ts_type_or_as(attrs))
    .then(|| quote!(#[serde(rename_all_fields = "camelCase")]));

    let transparent_ts = transparent_ts_as(&item, &serde_keys);
    let wire_impls = wire_impls(&item, &serde_keys);
    let member_impls = crate::members::member_impls(&item, &serde_keys);

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
        #default_rename_fields
        #transparent_ts
        #item
        #wire_impls
        #member_impls
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

/// Whether the container has `#[ts(type = "…")]` or `#[ts(as = …)]`.
fn has_ts_type_or_as(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("ts"))
        .any(|attr| {
            let mut found = false;
            let _ = attr.parse_nested_meta(|meta| {
                found |= meta.path.is_ident("type") || meta.path.is_ident("as");
                if meta.input.peek(Token![=]) {
                    let _ = meta.value()?.parse::<syn::Expr>()?;
                }
                Ok(())
            });
            found
        })
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

/// schemars writes `"deprecated": true` for `#[deprecated]` but drops its
/// note; a `@deprecated <note>` line at the end of the doc comment keeps the
/// note in the description, from which the protocol model (and so the JSON
/// Schema and the generated TypeScript's JSDoc) takes it.
fn mark_deprecated(item: &mut Item) {
    fn fields(fields: &mut syn::Fields) {
        for field in fields.iter_mut() {
            add_deprecated_doc(&mut field.attrs);
        }
    }
    match item {
        Item::Struct(s) => {
            add_deprecated_doc(&mut s.attrs);
            fields(&mut s.fields);
        }
        Item::Enum(e) => {
            add_deprecated_doc(&mut e.attrs);
            for variant in &mut e.variants {
                add_deprecated_doc(&mut variant.attrs);
                fields(&mut variant.fields);
            }
        }
        _ => {}
    }
}

fn add_deprecated_doc(attrs: &mut Vec<Attribute>) {
    let Some(deprecated) = attrs.iter().find(|a| a.path().is_ident("deprecated")) else {
        return;
    };
    let note = match &deprecated.meta {
        Meta::NameValue(nv) => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        Meta::List(_) => {
            let mut note = None;
            let _ = deprecated.parse_nested_meta(|meta| {
                if meta.path.is_ident("note") {
                    note = Some(meta.value()?.parse::<syn::LitStr>()?.value());
                } else {
                    let _ = meta.value()?.parse::<syn::Expr>()?;
                }
                Ok(())
            });
            note
        }
        Meta::Path(_) => None,
    };
    let line = match note {
        Some(note) => format!(" @deprecated {note}"),
        None => " @deprecated".to_owned(),
    };
    let has_docs = attrs.iter().any(|a| a.path().is_ident("doc"));
    if has_docs {
        attrs.push(syn::parse_quote!(#[doc = ""]));
    }
    attrs.push(syn::parse_quote!(#[doc = #line]));
}

/// `WireType`, and `WireParams` when every value of the type is a JSON
/// object: a struct with named fields, or an enum whose every variant is
/// written as one. An untagged newtype variant is an object when its type
/// is; the bound says so with a `for<'a>` that keeps it a bound rustc checks
/// where the impl is used (a bound naming no parameter of the impl would
/// be checked, and refused, here).
fn wire_impls(item: &Item, serde_keys: &[syn::Path]) -> TokenStream {
    let private = private();
    let (ident, generics) = match item {
        Item::Struct(s) => (&s.ident, &s.generics),
        Item::Enum(e) => (&e.ident, &e.generics),
        _ => return TokenStream::new(),
    };
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let has = |key: Symbol| serde_keys.iter().any(|k| k == key);
    let object_bounds: Option<Vec<&syn::Type>> = match item {
        Item::Struct(s) => {
            (matches!(s.fields, syn::Fields::Named(_)) && !has(TRANSPARENT)).then(Vec::new)
        }
        Item::Enum(_) if has(TAG) => Some(Vec::new()),
        Item::Enum(e) if has(UNTAGGED) => e
            .variants
            .iter()
            .map(|variant| match &variant.fields {
                syn::Fields::Named(_) => Some(None),
                syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    Some(Some(&fields.unnamed[0].ty))
                }
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(|types| types.into_iter().flatten().collect()),
        Item::Enum(e) => e
            .variants
            .iter()
            .all(|variant| !matches!(variant.fields, syn::Fields::Unit))
            .then(Vec::new),
        _ => None,
    };
    let bounded = |bounds: Vec<TokenStream>| -> TokenStream {
        let existing = where_clause.map(|w| {
            let predicates = w.predicates.iter();
            quote!(#(#predicates,)*)
        });
        if existing.is_none() && bounds.is_empty() {
            TokenStream::new()
        } else {
            quote!(where #existing #(#bounds,)*)
        }
    };
    // A generic type is a wire type for the arguments its derives accept.
    let self_bound = (!generics.params.is_empty()).then(|| {
        quote!(Self: #private::serde::Serialize
            + #private::serde::de::DeserializeOwned
            + #private::schemars::JsonSchema
            + #private::ts_rs::TS
            + 'static)
    });
    let wire_where = bounded(self_bound.into_iter().collect());
    let params = object_bounds.map(|types| {
        let bounds = types
            .into_iter()
            .map(|ty| quote!(for<'__a> #ty: #private::WireParams))
            .collect();
        let where_clause = bounded(bounds);
        quote! {
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl #impl_generics #private::WireParams for #ident #ty_generics #where_clause {}
        }
    });
    quote! {
        #[automatically_derived]
        #[diagnostic::do_not_recommend]
        impl #impl_generics #private::WireType for #ident #ty_generics #wire_where {}
        #params
    }
}

/// ts-rs reads `#[serde(transparent)]` on tuple structs only; for a braced
/// struct with one field, say in ts-rs's terms that it is that field's type.
fn transparent_ts_as(item: &Item, serde_keys: &[syn::Path]) -> Option<TokenStream> {
    let Item::Struct(s) = item else { return None };
    if !serde_keys.iter().any(|k| k == TRANSPARENT) {
        return None;
    }
    let syn::Fields::Named(fields) = &s.fields else {
        return None;
    };
    let [field] = fields.named.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let ty = field.ty.to_token_stream().to_string();
    Some(quote!(#[ts(as = #ty)]))
}
