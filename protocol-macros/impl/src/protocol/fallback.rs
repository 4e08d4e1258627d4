//! What a `#[protocol]` module expands to when it has errors: the errors,
//! and the module with its enums and one marker per method as plain items,
//! so the rest of the crate still resolves their names and the user sees
//! the mistake, not a cascade of unresolved names.

use proc_macro2::TokenStream;
use quote::quote;

use super::ast::{Protocol, ProtocolItem};

pub fn expand(protocol: &Protocol, errors: syn::Error) -> TokenStream {
    let module = &protocol.module;
    let attrs = &module.attrs;
    let vis = &module.vis;
    let ident = &module.ident;
    let errors = errors.to_compile_error();
    let items = protocol.items.iter().map(|item| match item {
        ProtocolItem::Other(item) => quote!(#item),
        ProtocolItem::Set(set) => {
            let attrs = &set.attrs;
            let vis = &set.vis;
            let ident = &set.ident;
            let variants = set.methods.iter().map(|m| {
                let variant = &m.variant;
                let attrs = &m.attrs;
                quote!(#(#attrs)* #variant)
            });
            let markers = set.methods.iter().map(|m| {
                let marker = &m.variant;
                quote!(#vis struct #marker;)
            });
            quote! {
                #(#attrs)*
                #vis enum #ident { #(#variants,)* }
                #(#markers)*
            }
        }
    });
    quote! {
        #errors
        #(#attrs)*
        #vis mod #ident {
            #(#items)*
        }
    }
}
