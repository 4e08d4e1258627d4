//! The members of a `#[wire]` struct by wire name, for the capability paths
//! `#[protocol]` checks at compile time: `WireMembers` (the names),
//! `WireMember<H>` per member (its type, `H` being the hash of its wire
//! name) and `CapabilityObject`. Wire names are serde's: `rename`, else the
//! container's `rename_all` (camelCase when it has none, as `#[wire]` adds),
//! skipped members left out; a struct with a flattened member takes any
//! name.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, Item, LitStr, Meta, Token};

use crate::private;
use crate::symbol::{RENAME_ALL, SERDE, TRANSPARENT};

/// FNV-1a of a wire name: the const parameter of `WireMember` that names it.
pub fn member_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub fn member_impls(item: &Item, serde_keys: &[syn::Path]) -> TokenStream {
    let Item::Struct(item) = item else {
        return TokenStream::new();
    };
    let syn::Fields::Named(fields) = &item.fields else {
        return TokenStream::new();
    };
    if serde_keys.iter().any(|k| k == TRANSPARENT) {
        return TokenStream::new();
    }
    let private = private();
    let ident = &item.ident;
    let name = ident.to_string();
    let (impl_generics, ty_generics, where_clause) = item.generics.split_for_impl();
    let rule = serde_value(&item.attrs, RENAME_ALL.as_str()).unwrap_or_else(|| "camelCase".into());
    let mut open = false;
    let mut members: Vec<(String, &syn::Type)> = Vec::new();
    for field in &fields.named {
        let flags = serde_flags(&field.attrs);
        if flags.iter().any(|f| f == "flatten") {
            open = true;
            continue;
        }
        if flags
            .iter()
            .any(|f| f == "skip" || f == "skip_deserializing")
        {
            continue;
        }
        let Some(field_ident) = &field.ident else {
            continue;
        };
        let wire = serde_value(&field.attrs, "rename")
            .unwrap_or_else(|| rename(&rule, field_ident.to_string().trim_start_matches("r#")));
        if !members.iter().any(|(m, _)| *m == wire) {
            members.push((wire, &field.ty));
        }
    }
    let names = members.iter().map(|(name, _)| name);
    let member_types = if open {
        let mut generics = item.generics.clone();
        generics.params.push(syn::parse_quote!(const __H: u64));
        let (impl_generics, _, _) = generics.split_for_impl();
        quote! {
            #[automatically_derived]
            impl #impl_generics #private::WireMember<__H> for #ident #ty_generics #where_clause {
                type Type = #private::Open;
            }
        }
    } else {
        let impls = members.iter().map(|(name, ty)| {
            let hash = member_hash(name);
            quote! {
                #[automatically_derived]
                impl #impl_generics #private::WireMember<#hash> for #ident #ty_generics #where_clause {
                    type Type = #ty;
                }
            }
        });
        quote!(#(#impls)*)
    };
    quote! {
        #[automatically_derived]
        #[diagnostic::do_not_recommend]
        impl #impl_generics #private::WireMembers for #ident #ty_generics #where_clause {
            const NAME: &'static str = #name;
            const MEMBERS: &'static [&'static str] = &[#(#names),*];
            const OPEN: bool = #open;
        }
        #member_types
        #[automatically_derived]
        #[diagnostic::do_not_recommend]
        impl #impl_generics #private::CapabilityObject for #ident #ty_generics #where_clause {
            type Object = Self;
        }
    }
}

/// `key = "value"` in the `#[serde(...)]` attributes, or its `deserialize`
/// value when written `key(serialize = "…", deserialize = "…")`.
fn serde_value(attrs: &[Attribute], key: &str) -> Option<String> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path() == SERDE) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                if meta.input.peek(Token![=]) {
                    found = Some(meta.value()?.parse::<LitStr>()?.value());
                } else {
                    meta.parse_nested_meta(|inner| {
                        let value = inner.value()?.parse::<LitStr>()?.value();
                        if inner.path.is_ident("deserialize") || found.is_none() {
                            found = Some(value);
                        }
                        Ok(())
                    })?;
                }
            } else if meta.input.peek(Token![=]) {
                let _ = meta.value()?.parse::<syn::Expr>()?;
            } else if meta.input.peek(syn::token::Paren) {
                let _ = meta.input.parse::<proc_macro2::Group>()?;
            }
            Ok(())
        });
    }
    found
}

/// The words of the field's `#[serde(...)]` (`flatten`, `skip`, …).
fn serde_flags(attrs: &[Attribute]) -> Vec<String> {
    let mut flags = Vec::new();
    for attr in attrs.iter().filter(|a| a.path() == SERDE) {
        if let Ok(metas) =
            attr.parse_args_with(syn::punctuated::Punctuated::<Meta, Token![,]>::parse_terminated)
        {
            for meta in metas {
                if let Meta::Path(path) = meta {
                    if let Some(ident) = path.get_ident() {
                        flags.push(ident.to_string());
                    }
                }
            }
        }
    }
    flags
}

/// A snake_case field name under serde's `rename_all` rule.
fn rename(rule: &str, field: &str) -> String {
    let pascal = || {
        let mut out = String::new();
        let mut capitalize = true;
        for c in field.chars() {
            if c == '_' {
                capitalize = true;
            } else if capitalize {
                out.extend(c.to_uppercase());
                capitalize = false;
            } else {
                out.push(c);
            }
        }
        out
    };
    match rule {
        "UPPERCASE" | "SCREAMING_SNAKE_CASE" => field.to_ascii_uppercase(),
        "PascalCase" => pascal(),
        "camelCase" => {
            let pascal = pascal();
            let mut chars = pascal.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => pascal,
            }
        }
        "kebab-case" => field.replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => field.to_ascii_uppercase().replace('_', "-"),
        _ => field.to_owned(),
    }
}
