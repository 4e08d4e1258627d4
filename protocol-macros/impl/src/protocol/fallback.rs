//! What a `#[protocol]` module expands to when it has errors: the errors,
//! and the module with its enums as plain enums, so names still resolve and
//! the user sees the mistake rather than a cascade of follow-on errors.

use proc_macro2::TokenStream;
use quote::quote;

use super::ast::{Protocol, ProtocolItem};
use super::attr::SetKind;
use crate::symbol::METHOD;

pub fn expand(protocol: &Protocol, errors: syn::Error) -> TokenStream {
    let module = &protocol.module;
    let attrs = &module.attrs;
    let vis = &module.vis;
    let ident = &module.ident;
    let errors = errors.to_compile_error();
    let items = protocol.items.iter().map(|item| match item {
        ProtocolItem::Other(item) => quote!(#item),
        ProtocolItem::Set(set) => {
            let mut item = set.item.clone();
            item.attrs.retain(|a| SetKind::from_attr(a).is_none());
            for variant in &mut item.variants {
                variant.attrs.retain(|a| a.path() != METHOD);
            }
            quote!(#item)
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
