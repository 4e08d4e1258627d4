//! What a `#[protocol]` module expands to when it has errors: the errors,
//! then the real expansion (`expand`) of the module as far as it was read.
//! The broken parts are mended first: a variant whose `#[method]` is
//! missing or did not parse is still a method, under a placeholder name;
//! fields not of a method's form are its params all the same; a request
//! without a response type answers `()`; a generic set is left a plain
//! enum; a marker whose name is taken in the module is not made.
//! Code elsewhere that uses the message enums, their methods, the markers,
//! the response enums, the traits, `REGISTRY` or the peers then type-checks
//! against the surface a correct module has, so one mistake is one error
//! (as thiserror's `fallback.rs` does for its derive).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{parse_quote, Item, LitStr, Type, Variant};

use super::ast::{self, Method, Protocol, ProtocolItem, Set};
use super::attr::{MethodAttr, SetKind};
use super::{check, valid};
use crate::symbol::METHOD;

pub fn expand(protocol: Protocol, errors: syn::Error) -> TokenStream {
    let protocol = mend(protocol);
    let mut model = check::valid(&protocol).expect("a mended protocol has every name and response");
    let markers = markers(&protocol);
    model.check_capabilities = false;
    for item in &mut model.items {
        if let valid::ProtocolItem::Set(set) = item {
            for method in &mut set.methods {
                method.marker =
                    markers.contains(&(set.ident.to_string(), method.variant.to_string()));
                // Params refused as not an object are read with plain serde,
                // so that the refusal is their one error.
                method.params_checked = !method
                    .params
                    .is_some_and(|ty| ast::not_an_object(ast::optional_params(ty).unwrap_or(ty)));
            }
        }
    }
    let errors = errors.to_compile_error();
    let expansion = super::expand::expand(&model);
    quote!(#errors #expansion)
}

/// The protocol with every set readable: a method per variant, each named
/// once in its set, each request with a response type.
fn mend(mut protocol: Protocol) -> Protocol {
    for item in &mut protocol.items {
        let ProtocolItem::Set(set) = item else {
            continue;
        };
        if set.item.generics.params.is_empty() {
            mend_set(set);
        } else {
            // A generic set is itself the error; impls would only add more.
            *item = ProtocolItem::Other(Box::new(Item::Enum(plain_enum(set))));
        }
    }
    protocol
}

fn mend_set(set: &mut Set) {
    let is_request = set.kind().is_request();
    let mut read = std::mem::take(&mut set.methods).into_iter().peekable();
    let mut names = BTreeSet::new();
    for variant in &set.item.variants {
        let mut method = read
            .next_if(|m| m.variant == variant.ident)
            .unwrap_or_else(|| {
                let attrs: Vec<_> = variant
                    .attrs
                    .iter()
                    .filter(|a| a.path() != METHOD)
                    .cloned()
                    .collect();
                Method {
                    variant: variant.ident.clone(),
                    docs: ast::docs(&attrs),
                    attrs,
                    method_attr: MethodAttr::new(parse_quote!(#[method])),
                    params: None,
                }
            });
        method.params = params(variant);
        // A name twice in a set would be a match arm twice.
        if !method.name().is_some_and(|name| names.insert(name.value())) {
            let placeholder = format!("<{}>", variant.ident);
            names.insert(placeholder.clone());
            method.method_attr.name = Some(LitStr::new(&placeholder, variant.ident.span()));
        }
        if is_request && method.response().is_none() {
            method.method_attr.response = Some((format_ident!("response"), parse_quote!(())));
        }
        set.methods.push(method);
    }
}

/// The params of a variant: its one unnamed field; fields of another form
/// (the error) as one type or a tuple of their types, so the types the user
/// wrote are still used.
fn params(variant: &Variant) -> Option<Type> {
    ast::params(variant).unwrap_or_else(|fields| {
        let types: Vec<&Type> = fields.iter().map(|field| &field.ty).collect();
        match types.as_slice() {
            [] => None,
            [ty] => Some((*ty).clone()),
            types => Some(parse_quote!((#(#types),*))),
        }
    })
}

/// The enum as written, without the protocol's attributes or discriminants.
fn plain_enum(set: &Set) -> syn::ItemEnum {
    let mut item = set.item.clone();
    item.attrs.retain(|a| SetKind::of_attr(a).is_none());
    for variant in &mut item.variants {
        variant.attrs.retain(|a| a.path() != METHOD);
        variant.discriminant = None;
    }
    item
}

/// `(set, variant)` of the methods that get a marker type: the first
/// method of each variant name, unless the name is already taken in the
/// module (an item, a set, a response enum, a type a variant or a response
/// names). A second set's variant of the same name, or a name taken
/// otherwise, is the error the user is shown; a marker there would only add
/// a "defined multiple times" error or shadow the type the user meant.
fn markers(protocol: &Protocol) -> BTreeSet<(String, String)> {
    let mut taken = BTreeSet::new();
    for item in &protocol.items {
        match item {
            ProtocolItem::Other(item) => {
                if let Some(ident) = item_ident(item) {
                    taken.insert(ident.to_string());
                }
            }
            ProtocolItem::Set(set) => {
                taken.insert(set.ident.to_string());
                if set.kind().is_request() {
                    taken.insert(set.response_ident().to_string());
                }
                let fields = set.item.variants.iter().flat_map(|v| v.fields.iter());
                let responses = set.methods.iter().filter_map(Method::response);
                for ty in fields.map(|field| &field.ty).chain(responses) {
                    if let syn::Type::Path(path) = ty {
                        if let Some(ident) = path.path.get_ident() {
                            taken.insert(ident.to_string());
                        }
                    }
                }
            }
        }
    }
    let mut owners = BTreeSet::new();
    for set in protocol.sets() {
        for method in &set.methods {
            // `insert` is false for the second method of a name.
            if taken.insert(method.variant.to_string()) {
                owners.insert((set.ident.to_string(), method.variant.to_string()));
            }
        }
    }
    owners
}

fn item_ident(item: &Item) -> Option<&syn::Ident> {
    match item {
        Item::Struct(item) => Some(&item.ident),
        Item::Enum(item) => Some(&item.ident),
        Item::Union(item) => Some(&item.ident),
        Item::Type(item) => Some(&item.ident),
        Item::Trait(item) => Some(&item.ident),
        Item::Mod(item) => Some(&item.ident),
        _ => None,
    }
}
