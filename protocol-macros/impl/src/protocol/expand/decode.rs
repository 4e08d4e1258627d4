//! Decoding: the set's `DecodeSet` impl (method name to index, params into
//! the method's type), its `RequestSet` or `NotificationSet` impl and its
//! `Deserialize` impl. The envelope itself is read by the runtime, once,
//! for every set (`protocol_macros::decode`).

use proc_macro2::TokenStream;
use quote::quote;

use super::super::valid::{Responses, Set};
use super::messages::Shape;
use super::types::{Params, Response};
use crate::private;

pub fn expand(set: &Set) -> TokenStream {
    let decode_set = expand_decode_set(set);
    let set_impl = match &set.responses {
        Some(responses) => expand_request_set(set, responses),
        None => expand_notification_set(set),
    };
    let helper = if set.is_request() {
        quote!(deserialize_request)
    } else {
        quote!(deserialize_notification)
    };
    let private = private();
    let ident = set.ident;
    quote! {
        #decode_set
        #set_impl

        #[automatically_derived]
        impl<'de> #private::serde::Deserialize<'de> for #ident {
            fn deserialize<__D>(deserializer: __D) -> ::core::result::Result<Self, __D::Error>
            where
                __D: #private::serde::Deserializer<'de>,
            {
                #private::#helper::<__D, Self>(deserializer)
            }
        }
    }
}

fn expand_decode_set(set: &Set) -> TokenStream {
    let private = private();
    let serde = quote!(#private::serde);
    let pm = quote!(::protocol_macros);
    let ident = set.ident;
    let index_arms = set.methods.iter().enumerate().map(|(i, m)| {
        let name = m.name;
        quote!(#name => ::core::option::Option::Some(#i))
    });
    // A message received was not sent by us: no gate to pass.
    let granted = quote!(#private::received());
    let params_arms = set.methods.iter().enumerate().map(|(i, m)| {
        let (read, params) = match Params::of(m) {
            Some(params) => {
                let read = params.deserialize();
                (quote!(let params = #read?;), quote!(params))
            }
            None => (
                quote!(<#private::NoParams as #serde::Deserialize>::deserialize(params)?;),
                TokenStream::new(),
            ),
        };
        let build = Shape::of(set, m).build(quote!(id), params, granted.clone());
        quote!(#i => {
            #read
            *slot = ::core::option::Option::Some(Self::#build);
            ::core::result::Result::Ok(())
        })
    });
    let unit_arms = set
        .methods
        .iter()
        .enumerate()
        .filter(|(_, m)| m.params.is_none())
        .map(|(i, m)| {
            let build = Shape::of(set, m).build(quote!(id), TokenStream::new(), granted.clone());
            quote!(#i => {
                *slot = ::core::option::Option::Some(Self::#build);
                ::core::result::Result::Ok(())
            })
        });
    let (id_param, id_mut) = if set.is_request() {
        let arms = set.methods.iter().map(|m| {
            let variant = m.variant;
            quote!(Self::#variant { id, .. } => ::core::option::Option::Some(id))
        });
        (quote!(id), super::match_self(arms))
    } else {
        (quote!(_id), quote!(::core::option::Option::None))
    };
    let decode_str = if set.is_request() {
        quote!(decode_request_str)
    } else {
        quote!(decode_notification_str)
    };
    quote! {
        #[automatically_derived]
        impl #ident {
            /// Decodes one message from JSON text held as a `str` (no UTF-8
            /// check); failures as [`Self::decode`].
            #[inline]
            pub fn decode_str(json: &str) -> ::core::result::Result<Self, #pm::DecodeError> {
                #private::#decode_str::<Self>(json)
            }
        }

        #[automatically_derived]
        impl #private::DecodeSet for #ident {
            fn method_index(method: &str) -> ::core::option::Option<usize> {
                match method {
                    #(#index_arms,)*
                    _ => ::core::option::Option::None,
                }
            }

            fn decode_params<'de, __D: #serde::Deserializer<'de>>(
                index: usize,
                #id_param: #pm::RequestId,
                params: __D,
                slot: &mut ::core::option::Option<Self>,
            ) -> ::core::result::Result<(), __D::Error> {
                match index {
                    #(#params_arms)*
                    _ => ::core::result::Result::Err(<__D::Error as #serde::de::Error>::custom(
                        "no method has this index",
                    )),
                }
            }

            fn id_mut(&mut self) -> ::core::option::Option<&mut #pm::RequestId> {
                #id_mut
            }

            fn without_params(
                index: usize,
                id: #pm::RequestId,
                slot: &mut ::core::option::Option<Self>,
            ) -> ::core::result::Result<(), #pm::RequestId> {
                match index {
                    #(#unit_arms)*
                    _ => ::core::result::Result::Err(id),
                }
            }
        }
    }
}

fn expand_request_set(set: &Set, responses: &Responses) -> TokenStream {
    let private = private();
    let pm = quote!(::protocol_macros);
    let ident = set.ident;
    let response = &responses.ident;
    let id_arms = super::match_self(set.methods.iter().map(|m| {
        let variant = m.variant;
        quote!(Self::#variant { id, .. } => id)
    }));
    let decode_arms = |text: bool| {
        set.methods
            .iter()
            .zip(&responses.types)
            .map(move |(m, ty)| {
                let variant = m.variant;
                let name = m.name;
                let read = Response::of(m, ty).decode(name, text);
                quote!(#name => #read.map(#response::#variant))
            })
    };
    let decode_response_arms = decode_arms(false);
    let decode_text_arms = decode_arms(true);
    quote! {
        #[automatically_derived]
        impl #pm::RequestSet for #ident {
            type Response = #response;

            fn id(&self) -> &#pm::RequestId {
                #id_arms
            }

            // Inline: compiled in the crates that read responses, not in
            // every protocol crate (it decodes every response type).
            #[inline]
            fn decode_response_for(
                method: &str,
                result: #private::serde_json::Value,
            ) -> ::core::result::Result<#response, #pm::ResponseError> {
                match method {
                    #(#decode_response_arms,)*
                    _ => ::core::result::Result::Err(#private::not_a_method(
                        <#ident as #pm::MethodSet>::SET,
                        method,
                    )),
                }
            }

            // Inline, as above: compiled only where text responses are read.
            #[inline]
            fn decode_response_text(
                method: &str,
                result: &str,
            ) -> ::core::result::Result<#response, #pm::ResponseError> {
                match method {
                    #(#decode_text_arms,)*
                    _ => ::core::result::Result::Err(#private::not_a_method(
                        <#ident as #pm::MethodSet>::SET,
                        method,
                    )),
                }
            }
        }
    }
}

fn expand_notification_set(set: &Set) -> TokenStream {
    let pm = quote!(::protocol_macros);
    let ident = set.ident;
    quote! {
        #[automatically_derived]
        impl #pm::NotificationSet for #ident {}
    }
}
