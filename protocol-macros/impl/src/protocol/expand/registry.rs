//! The registry: each set's `MethodSet` impl (its `MethodSetInfo` and one
//! `MethodInfo` per method), its JSON Schema, and the module's `REGISTRY`.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::ast::{optional_params, type_name};
use super::super::attr::SetKind;
use super::super::settings::Settings;
use super::super::valid::{Method, Protocol, Set};
use super::messages::Shape;
use crate::private;

/// `REGISTRY`: every method set of the module, in declaration order.
pub fn expand_registry(protocol: &Protocol) -> TokenStream {
    let pm = quote!(::protocol_macros);
    let sets = protocol.sets().map(|set| {
        let ident = set.ident;
        quote!(<#ident as #pm::MethodSet>::SET)
    });
    let settings = protocol.settings.tokens();
    quote! {
        /// Every method set of this protocol, in declaration order, what
        /// the protocol declares once, and the package it is defined in.
        pub static REGISTRY: #pm::Registry = #pm::Registry {
            sets: &[#(#sets),*],
            settings: &#settings,
            // Expanded in the protocol's crate: its own package.
            package: #pm::Package {
                name: ::core::env!("CARGO_PKG_NAME"),
                version: ::core::env!("CARGO_PKG_VERSION"),
            },
        };
    }
}

pub fn expand(set: &Set, settings: &Settings) -> TokenStream {
    let private = private();
    let pm = quote!(::protocol_macros);
    let ident = set.ident;
    let name = ident.to_string();
    let docs = set.docs;
    let infos = set.methods.iter().enumerate().map(|(i, m)| {
        let response = set.responses.as_ref().map(|r| r.types[i]);
        method_info(set, m, response)
    });
    let response_name = match &set.responses {
        Some(responses) => {
            let response = responses.ident.to_string();
            quote!(::core::option::Option::Some(#response))
        }
        None => quote!(::core::option::Option::None),
    };
    let direction = direction(set.kind);
    let kind = kind(set.kind);
    let settings = settings.tokens();
    let info_arms = super::match_self(set.methods.iter().enumerate().map(|(i, m)| {
        let pattern = Shape::of(set, m).pattern(false, false);
        quote!(#pattern => &Self::SET.methods[#i])
    }));
    quote! {
        #[automatically_derived]
        impl #pm::MethodSet for #ident {
            const SET: &'static #pm::MethodSetInfo = &#pm::MethodSetInfo {
                name: #name,
                response_name: #response_name,
                direction: #direction,
                kind: #kind,
                docs: #docs,
                methods: &[#(#infos),*],
                protocol: &#settings,
                schema: <#ident as #private::schemars::JsonSchema>::json_schema,
            };

            fn info(&self) -> &'static #pm::MethodInfo {
                #info_arms
            }
        }

        #[automatically_derived]
        impl #private::schemars::JsonSchema for #ident {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#name)
            }

            fn json_schema(generator: &mut #private::schemars::SchemaGenerator) -> #private::schemars::Schema {
                #private::message_union_schema(<Self as #pm::MethodSet>::SET, generator)
            }
        }
    }
}

fn direction(kind: SetKind) -> TokenStream {
    match kind {
        SetKind::ClientRequests | SetKind::ClientNotifications => {
            quote!(::protocol_macros::Direction::ClientToServer)
        }
        SetKind::ServerRequests | SetKind::ServerNotifications => {
            quote!(::protocol_macros::Direction::ServerToClient)
        }
    }
}

fn kind(kind: SetKind) -> TokenStream {
    if kind.is_request() {
        quote!(::protocol_macros::Kind::Request)
    } else {
        quote!(::protocol_macros::Kind::Notification)
    }
}

fn type_info(ty: &syn::Type) -> TokenStream {
    let name = type_name(ty);
    quote!(::protocol_macros::TypeInfo::of::<#ty>(#name))
}

fn optional_type_info(ty: Option<&syn::Type>) -> TokenStream {
    match ty {
        Some(ty) => {
            let info = type_info(ty);
            quote!(::core::option::Option::Some(#info))
        }
        None => quote!(::core::option::Option::None),
    }
}

fn method_info(set: &Set, method: &Method, response: Option<&syn::Type>) -> TokenStream {
    let name = method.name;
    let variant = method.variant.to_string();
    // `Option<T>` params: the registry names `T`, and says it may be absent.
    let optional = method.params.and_then(optional_params);
    let params = optional_type_info(optional.or(method.params));
    let params_optional = optional.is_some();
    let response = optional_type_info(response);
    let docs = method.docs;
    let capability = match method.capability {
        Some(capability) => {
            let path = capability.tokens();
            quote!(::core::option::Option::Some(#path))
        }
        None => quote!(::core::option::Option::None),
    };
    let experimental = optional_str(method.experimental);
    let deprecated = optional_str(method.deprecated);
    let since = optional_str(method.since);
    let direction = direction(set.kind);
    let kind = kind(set.kind);
    quote! {
        ::protocol_macros::MethodInfo {
            name: #name,
            direction: #direction,
            kind: #kind,
            variant: #variant,
            params: #params,
            params_optional: #params_optional,
            response: #response,
            docs: #docs,
            capability: #capability,
            stability: ::protocol_macros::Stability {
                experimental: #experimental,
                deprecated: #deprecated,
                since: #since,
            },
        }
    }
}

fn optional_str(lit: Option<&syn::LitStr>) -> TokenStream {
    match lit {
        Some(lit) => quote!(::core::option::Option::Some(#lit)),
        None => quote!(::core::option::Option::None),
    }
}
