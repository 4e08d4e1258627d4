//! Expansion of a checked `#[protocol]` module, one file per concern:
//! `messages` (the enums and their shapes), `registry` (the `MethodSet`
//! impl and the JSON Schema), `decode`, `encode`, `markers`.

mod decode;
mod encode;
mod markers;
mod messages;
mod registry;

use proc_macro2::TokenStream;
use quote::quote;

use super::valid::{Protocol, ProtocolItem, Set};

pub fn expand(protocol: &Protocol) -> TokenStream {
    let module = protocol.module;
    let attrs = &module.attrs;
    let vis = &module.vis;
    let ident = &module.ident;
    let unsafety = &module.unsafety;
    let items = protocol.items.iter().map(|item| match item {
        ProtocolItem::Set(set) => expand_set(set),
        ProtocolItem::Other(item) => quote!(#item),
    });
    let registry = registry::expand_registry(protocol);
    quote! {
        #(#attrs)*
        #vis #unsafety mod #ident {
            #(#items)*
            #registry
        }
    }
}

fn expand_set(set: &Set) -> TokenStream {
    let messages = messages::expand(set);
    let registry = registry::expand(set);
    let decode = decode::expand(set);
    let encode = encode::expand(set);
    let markers = markers::expand(set);
    quote! {
        #messages

        const _: () = {
            #registry
            #decode
            #encode
        };

        #markers
    }
}
