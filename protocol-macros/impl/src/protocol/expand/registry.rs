//! The registry: each set's `MethodSet` impl (its `MethodSetInfo` and one
//! `MethodInfo` per method), its JSON Schema, and the module's `REGISTRY`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

use super::super::ast::{optional_params, type_name};
use super::super::attr::SetKind;
use super::super::settings::{Capability, Location, Settings, Side};
use super::super::valid::{Method, Protocol, Set};
use super::messages::Shape;
use super::types::{Params, Response};
use crate::private;

/// `REGISTRY`: every method set of the module, in declaration order.
pub fn expand_registry(protocol: &Protocol) -> TokenStream {
    let pm = quote!(::protocol_macros);
    let sets = protocol.sets().map(|set| {
        let ident = set.ident;
        quote!(<#ident as #pm::MethodSet>::SET)
    });
    let settings = protocol.settings.tokens();
    let capabilities = capability_checks(protocol);
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

        #capabilities
    }
}

/// For each capability the protocol names, a walk at compile time from
/// the negotiation's params or result type along the side's location and
/// the capability's path, member by wire name (`Option<T>` stepping into
/// `T`, a map or any JSON value taking any name): a member that is not
/// there is an error at the capability, naming the members there are.
fn capability_checks(protocol: &Protocol) -> TokenStream {
    let settings = protocol.settings;
    let Some(negotiation) = &settings.negotiation else {
        return TokenStream::new();
    };
    if !protocol.check_capabilities {
        return TokenStream::new();
    }
    let Some((set, index)) = protocol
        .sets()
        .filter(|set| set.kind == SetKind::ClientRequests)
        .find_map(|set| {
            let index = set
                .methods
                .iter()
                .position(|m| m.name.value() == negotiation.value())?;
            Some((set, index))
        })
    else {
        return TokenStream::new();
    };
    let method = &set.methods[index];
    let params = method.params.map(|ty| optional_params(ty).unwrap_or(ty));
    let result = set.responses.as_ref().map(|r| r.types[index]);
    let named = protocol
        .sets()
        .flat_map(|set| &set.methods)
        .filter_map(|m| m.capability)
        .chain(&settings.experimental)
        .chain(&settings.opt_out);
    let checks = named.filter_map(|capability| {
        let location = match capability.side {
            Side::Client => settings.client.as_ref(),
            Side::Server => settings.server.as_ref(),
        }?;
        let root = if location.result { result } else { params }?;
        let carrier = if location.result { "result" } else { "params" };
        Some(capability_check(
            capability,
            root,
            location,
            carrier,
            &negotiation.value(),
        ))
    });
    quote!(#(#checks)*)
}

fn capability_check(
    capability: &Capability,
    root: &syn::Type,
    location: &Location,
    carrier: &str,
    negotiation: &str,
) -> TokenStream {
    let span = capability.lit.span();
    let side = capability.side.name();
    let segments: Vec<&String> = location.path.iter().chain(&capability.path).collect();
    let mut steps = Vec::new();
    // Every step spelled at the capability, where its errors point.
    let mut ty =
        quote_spanned!(span=> <#root as ::protocol_macros::__private::CapabilityObject>::Object);
    for (i, segment) in segments.iter().enumerate() {
        let place = if i < location.path.len() {
            let mut at = vec![carrier];
            at.extend(location.path[..i].iter().map(String::as_str));
            format!("`{}` of `{negotiation}`", at.join("."))
        } else if i == location.path.len() {
            format!("the {side}'s capabilities")
        } else {
            let reached = &capability.path[..i - location.path.len()];
            format!("`{side}.{}`", reached.join("."))
        };
        let alias = format_ident!("__Step{i}", span = span);
        let segment = syn::LitStr::new(segment, span);
        let place = syn::LitStr::new(&place, span);
        steps.push(quote_spanned! {span=>
            type #alias = #ty;
            const _: () = ::protocol_macros::__private::check_member::<#alias>(#segment, #place);
        });
        let mut hash =
            proc_macro2::Literal::u64_suffixed(crate::members::member_hash(&segment.value()));
        hash.set_span(span);
        ty = quote_spanned! {span=>
            <<#alias as ::protocol_macros::__private::Walk<
                #hash,
                { ::protocol_macros::__private::has_member::<#alias>(#segment) },
            >>::Next as ::protocol_macros::__private::CapabilityObject>::Object
        };
    }
    quote! {
        const _: () = {
            #(#steps)*
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

fn method_info(set: &Set, method: &Method, response: Option<&syn::Type>) -> TokenStream {
    let name = method.name;
    let variant = method.variant.to_string();
    // `Option<T>` params: the registry names `T`, and says it may be absent.
    let params = Params::of(method);
    let params_optional = params.as_ref().is_some_and(|params| params.optional);
    let params = optional(params.map(|params| params.type_info(&type_name(params.object))));
    let response = optional(response.map(|ty| Response::of(method, ty).type_info(&type_name(ty))));
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

fn optional(tokens: Option<TokenStream>) -> TokenStream {
    match tokens {
        Some(tokens) => quote!(::core::option::Option::Some(#tokens)),
        None => quote!(::core::option::Option::None),
    }
}

fn optional_str(lit: Option<&syn::LitStr>) -> TokenStream {
    match lit {
        Some(lit) => quote!(::core::option::Option::Some(#lit)),
        None => quote!(::core::option::Option::None),
    }
}
