//! Encoding: `Serialize` for the message enum (`{"method","id","params"}`,
//! written in one pass; a gated message only with a checked proof) and for
//! the response enum (the bare response).

use proc_macro2::TokenStream;
use quote::quote;

use super::super::valid::{Responses, Set};
use super::messages::Shape;
use super::types::{Params, Response};
use crate::private;

pub fn expand(set: &Set) -> TokenStream {
    let private = private();
    let arms = set.methods.iter().map(|m| {
        let shape = Shape::of(set, m);
        let pattern = shape.pattern_all();
        let name = m.name;
        // A gated message is written only with a proof from the capability
        // check, not with the one a decoded message holds.
        let check = shape.is_gated().then(|| {
            let kind = if set.is_request() {
                quote!(::protocol_macros::Kind::Request)
            } else {
                quote!(::protocol_macros::Kind::Notification)
            };
            quote!(#private::sendable::<__S::Error, _>(granted, #name, #kind)?;)
        });
        let id = if set.is_request() {
            quote!(::core::option::Option::Some(id))
        } else {
            quote!(::core::option::Option::None)
        };
        let (write, params) = match Params::of(m) {
            // `Option<T>` params: `None` is sent without `params`.
            Some(params) if params.optional => (
                params.serialize_message(),
                quote!(::core::option::Option::as_ref(params)),
            ),
            Some(params) => (
                params.serialize_message(),
                quote!(::core::option::Option::Some(params)),
            ),
            None => (
                quote!(#private::serialize_message),
                quote!(::core::option::Option::None::<&()>),
            ),
        };
        quote!(#pattern => {
            #check
            #write(
                serializer,
                <Self as ::protocol_macros::MethodSet>::SET.protocol.jsonrpc,
                #name,
                #id,
                #params,
            )
        })
    });
    let messages = serialize_impl(set.ident, arms.collect());
    let responses = set
        .responses
        .as_ref()
        .map(|responses| expand_responses(set, responses));
    quote! {
        #messages
        #responses
    }
}

fn expand_responses(set: &Set, responses: &Responses) -> TokenStream {
    let arms = set.methods.iter().zip(&responses.types).map(|(m, ty)| {
        let variant = m.variant;
        let write = Response::of(m, ty).serialize();
        quote!(Self::#variant(response) => #write)
    });
    serialize_impl(&responses.ident, arms.collect())
}

/// `impl Serialize for #ident` by a `match self` over `arms`.
fn serialize_impl(ident: &syn::Ident, arms: Vec<TokenStream>) -> TokenStream {
    let private = private();
    let arms = super::match_self(arms);
    quote! {
        #[automatically_derived]
        impl #private::serde::Serialize for #ident {
            fn serialize<__S>(&self, serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                #arms
            }
        }
    }
}
