//! What a `#[protocol]` module expands to when it has errors: the errors,
//! and everything the module would define, with the same names, shapes and
//! trait impls but bodies that are never run (the crate does not compile).
//! Code elsewhere that uses the message enums, the markers, the response
//! enums, the traits, `REGISTRY` or the `ClientSide` / `ServerSide` peers
//! then still type-checks, so the user sees
//! the mistake rather than a cascade of follow-on errors (as thiserror's
//! `fallback.rs` does for its derive).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Fields, Item};

use super::ast::{Method, Protocol, ProtocolItem, Set};
use super::attr::SetKind;
use crate::private;
use crate::symbol::METHOD;

pub fn expand(protocol: &Protocol, errors: syn::Error) -> TokenStream {
    let module = &protocol.module;
    let attrs = &module.attrs;
    let vis = &module.vis;
    let ident = &module.ident;
    let unsafety = &module.unsafety;
    let errors = errors.to_compile_error();
    let markers = Markers::new(protocol);
    let items = protocol.items.iter().map(|item| match item {
        ProtocolItem::Other(item) => quote!(#item),
        ProtocolItem::Set(set) if !set.item.generics.params.is_empty() => {
            // A generic set is itself the error; impls would only add more.
            let item = plain_enum(set);
            quote!(#item)
        }
        ProtocolItem::Set(set) => expand_set(set, &markers),
    });
    let pm = quote!(::protocol_macros);
    let sets = protocol
        .sets()
        .filter(|set| set.item.generics.params.is_empty())
        .map(|set| {
            let ident = &set.ident;
            quote!(<#ident as #pm::MethodSet>::SET)
        });
    let declared: Vec<(SetKind, syn::Ident)> = protocol
        .sets()
        .filter(|set| set.item.generics.params.is_empty())
        .map(|set| (set.kind(), set.ident.clone()))
        .collect();
    let peers = super::expand::expand_peers(&protocol.settings, &declared);
    quote! {
        #errors
        #(#attrs)*
        #vis #unsafety mod #ident {
            #(#items)*
            #peers

            /// Every method set of this protocol, in declaration order.
            pub static REGISTRY: #pm::Registry = #pm::Registry {
                sets: &[#(#sets),*],
                settings: &#pm::ProtocolSettings::DEFAULT,
            };
        }
    }
}

/// The enum as written, without the protocol's attributes or discriminants.
fn plain_enum(set: &Set) -> syn::ItemEnum {
    let mut item = set.item.clone();
    item.attrs.retain(|a| SetKind::from_attr(a).is_none());
    for variant in &mut item.variants {
        variant.attrs.retain(|a| a.path() != METHOD);
        variant.discriminant = None;
    }
    item
}

/// Which methods get a marker type: the first method of each variant name,
/// unless the name is already taken in the module (an item, a set, a
/// response enum, a type a variant or a response names). A second set's
/// variant of the same name, or a name taken otherwise, is the error the
/// user is shown; a marker there would only add a "defined multiple times"
/// error or shadow the type the user meant.
struct Markers {
    /// `(set, variant)` of the methods that get one.
    owners: BTreeSet<(String, String)>,
}

impl Markers {
    fn new(protocol: &Protocol) -> Self {
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
        Markers { owners }
    }

    fn has_marker(&self, set: &Set, method: &Method) -> bool {
        self.owners
            .contains(&(set.ident.to_string(), method.variant.to_string()))
    }
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

/// A variant with the shape the real expansion gives it: requests
/// `{ id, params?, granted? }`, notifications `(params?, granted?)`.
fn variant_decl(is_request: bool, method: &Method) -> TokenStream {
    let pm = quote!(::protocol_macros);
    let attrs = &method.attrs;
    let variant = &method.variant;
    let granted = method
        .method_attr
        .capability
        .is_some()
        .then(|| quote!(#pm::Granted<#variant>));
    if is_request {
        let params = method.params.as_ref().map(|ty| quote!(params: #ty,));
        let granted = granted.map(|ty| quote!(granted: #ty,));
        quote!(#(#attrs)* #variant { id: #pm::RequestId, #params #granted })
    } else {
        let fields: Vec<TokenStream> = method
            .params
            .as_ref()
            .map(|ty| quote!(#ty))
            .into_iter()
            .chain(granted)
            .collect();
        if fields.is_empty() {
            quote!(#(#attrs)* #variant)
        } else {
            quote!(#(#attrs)* #variant(#(#fields),*))
        }
    }
}

fn expand_set(set: &Set, markers: &Markers) -> TokenStream {
    let private = private();
    let pm = quote!(::protocol_macros);
    let ident = &set.ident;
    let vis = &set.vis;
    let is_request = set.kind().is_request();

    // Every variant as written, those with a `#[method]` and a params field
    // of the right form in their real shape.
    let plain = plain_enum(set);
    let variants = plain.variants.iter().map(|variant| {
        let params_fit = match &variant.fields {
            Fields::Unit => true,
            Fields::Unnamed(fields) => fields.unnamed.len() == 1,
            Fields::Named(_) => false,
        };
        match set.methods.iter().find(|m| m.variant == variant.ident) {
            Some(method) if params_fit => variant_decl(is_request, method),
            _ => quote!(#variant),
        }
    });
    let enum_attrs = &plain.attrs;

    let name = ident.to_string();
    let direction = direction(set.kind());
    let kind = kind(set.kind());
    let (set_trait, response_name) = if is_request {
        let response = set.response_ident().to_string();
        (
            quote!(#pm::RequestSet),
            quote!(::core::option::Option::Some(#response)),
        )
    } else {
        (
            quote!(#pm::NotificationSet),
            quote!(::core::option::Option::None),
        )
    };
    let set_impls = if is_request {
        let response = set.response_ident();
        quote! {
            #[automatically_derived]
            impl #pm::RequestSet for #ident {
                type Response = #response;

                fn id(&self) -> &#pm::RequestId {
                    ::core::unreachable!()
                }

                fn decode_response_for(
                    _: &str,
                    _: #private::serde_json::Value,
                ) -> ::core::result::Result<#response, #pm::ResponseError> {
                    ::core::unreachable!()
                }
            }
        }
    } else {
        quote! {
            #[automatically_derived]
            impl #pm::NotificationSet for #ident {}
        }
    };
    let response_enum = is_request.then(|| expand_response_enum(set));
    let id_fn = is_request.then(|| {
        quote! {
            /// The id of this request.
            pub fn id(&self) -> &#pm::RequestId {
                <Self as #pm::RequestSet>::id(self)
            }
        }
    });
    let markers = set
        .methods
        .iter()
        .filter(|m| markers.has_marker(set, m))
        .map(|m| expand_marker(set, m));

    quote! {
        #(#enum_attrs)*
        #vis enum #ident {
            #(#variants,)*
        }

        #[automatically_derived]
        impl #ident {
            /// The wire method name of this message.
            pub fn method(&self) -> &'static str {
                <Self as #pm::MethodSet>::method(self)
            }

            /// Decodes one message from JSON text.
            pub fn decode(json: &[u8]) -> ::core::result::Result<Self, #pm::DecodeError> {
                <Self as #set_trait>::decode(json)
            }

            #id_fn
        }

        #response_enum

        const _: () = {
            #[automatically_derived]
            impl #pm::MethodSet for #ident {
                const SET: &'static #pm::MethodSetInfo = &#pm::MethodSetInfo {
                    name: #name,
                    response_name: #response_name,
                    direction: #direction,
                    kind: #kind,
                    docs: "",
                    methods: &[],
                    protocol: &#pm::ProtocolSettings::DEFAULT,
                    schema: <#ident as #private::schemars::JsonSchema>::json_schema,
                };

                fn info(&self) -> &'static #pm::MethodInfo {
                    ::core::unreachable!()
                }
            }

            #[automatically_derived]
            impl #private::DecodeSet for #ident {
                fn method_index(_: &str) -> ::core::option::Option<usize> {
                    ::core::unreachable!()
                }

                fn decode_params<'de, __D: #private::serde::Deserializer<'de>>(
                    _: usize,
                    _: #pm::RequestId,
                    _: __D,
                    _: &mut ::core::option::Option<Self>,
                ) -> ::core::result::Result<(), __D::Error> {
                    ::core::unreachable!()
                }

                fn id_mut(&mut self) -> ::core::option::Option<&mut #pm::RequestId> {
                    ::core::unreachable!()
                }

                fn without_params(
                    _: usize,
                    _: #pm::RequestId,
                    _: &mut ::core::option::Option<Self>,
                ) -> ::core::result::Result<(), #pm::RequestId> {
                    ::core::unreachable!()
                }
            }

            #[automatically_derived]
            impl #private::serde::Serialize for #ident {
                fn serialize<__S>(&self, _: __S) -> ::core::result::Result<__S::Ok, __S::Error>
                where
                    __S: #private::serde::Serializer,
                {
                    ::core::unreachable!()
                }
            }

            #[automatically_derived]
            impl<'de> #private::serde::Deserialize<'de> for #ident {
                fn deserialize<__D>(_: __D) -> ::core::result::Result<Self, __D::Error>
                where
                    __D: #private::serde::Deserializer<'de>,
                {
                    ::core::unreachable!()
                }
            }

            #[automatically_derived]
            impl #private::schemars::JsonSchema for #ident {
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    ::std::borrow::Cow::Borrowed(#name)
                }

                fn json_schema(_: &mut #private::schemars::SchemaGenerator) -> #private::schemars::Schema {
                    ::core::unreachable!()
                }
            }

            #set_impls
        };

        #(#markers)*
    }
}

/// The typed response enum: one variant per method that names its response.
fn expand_response_enum(set: &Set) -> TokenStream {
    let private = private();
    let pm = quote!(::protocol_macros);
    let ident = &set.ident;
    let vis = &set.vis;
    let response = set.response_ident();
    let derives = set.attrs.iter().filter(|a| a.path().is_ident("derive"));
    let doc = format!("The typed responses to [`{ident}`], one variant per method.");
    let mut seen = BTreeSet::new();
    let variants = set
        .methods
        .iter()
        .filter(|m| seen.insert(m.variant.to_string()))
        .filter_map(|m| {
            let variant = &m.variant;
            let ty = m.response()?;
            Some(quote!(#variant(#ty)))
        });
    quote! {
        #[doc = #doc]
        #(#derives)*
        #vis enum #response {
            #(#variants,)*
        }

        #[automatically_derived]
        impl #response {
            /// The wire method name of the request this response answers.
            pub fn method(&self) -> &'static str {
                <Self as #pm::ResponseSet>::method(self)
            }
        }

        const _: () = {
            #[automatically_derived]
            impl #pm::ResponseSet for #response {
                fn method(&self) -> &'static str {
                    ::core::unreachable!()
                }
            }

            #[automatically_derived]
            impl #private::serde::Serialize for #response {
                fn serialize<__S>(&self, _: __S) -> ::core::result::Result<__S::Ok, __S::Error>
                where
                    __S: #private::serde::Serializer,
                {
                    ::core::unreachable!()
                }
            }
        };
    }
}

/// The marker type of one method, implementing `Request` or `Notification`
/// with the declared params and response types (`()` where they are missing).
fn expand_marker(set: &Set, method: &Method) -> TokenStream {
    let pm = quote!(::protocol_macros);
    let ident = &set.ident;
    let vis = &set.vis;
    let marker = &method.variant;
    let name = method.name().map(|lit| lit.value()).unwrap_or_default();
    let docs = method.attrs.iter().filter(|a| a.path().is_ident("doc"));
    let summary = format!("The `{name}` method, as a type.");
    let params = match &method.params {
        Some(ty) => quote!(#ty),
        None => quote!(()),
    };
    let capability = match &method.method_attr.capability {
        Some(capability) => {
            let path = capability.tokens();
            quote!(::core::option::Option::Some(#path))
        }
        None => quote!(::core::option::Option::None),
    };
    let info = {
        let variant = marker.to_string();
        let direction = direction(set.kind());
        let kind = kind(set.kind());
        quote! {
            &#pm::MethodInfo {
                name: #name,
                direction: #direction,
                kind: #kind,
                variant: #variant,
                params: ::core::option::Option::None,
                params_optional: false,
                response: ::core::option::Option::None,
                docs: "",
                capability: #capability,
                stability: #pm::Stability::STABLE,
            }
        }
    };
    let body = if set.kind().is_request() {
        let response = match method.response() {
            Some(ty) => quote!(#ty),
            None => quote!(()),
        };
        let response_enum = set.response_ident();
        quote! {
            impl #pm::Request for #marker {
                const METHOD: &'static str = #name;
                const INFO: &'static #pm::MethodInfo = #info;
                type Params = #params;
                type Response = #response;
                type Set = #ident;

                fn message(_: #pm::RequestId, _: Self::Params, _: #pm::Granted<Self>) -> #ident {
                    ::core::unreachable!()
                }

                fn wrap_response(_: Self::Response) -> #response_enum {
                    ::core::unreachable!()
                }

                fn unwrap_response(_: #response_enum) -> ::core::option::Option<Self::Response> {
                    ::core::unreachable!()
                }
            }
        }
    } else {
        quote! {
            impl #pm::Notification for #marker {
                const METHOD: &'static str = #name;
                const INFO: &'static #pm::MethodInfo = #info;
                type Params = #params;
                type Set = #ident;

                fn message(_: Self::Params, _: #pm::Granted<Self>) -> #ident {
                    ::core::unreachable!()
                }
            }
        }
    };
    quote! {
        #[doc = #summary]
        #[doc = ""]
        #(#docs)*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #vis struct #marker;

        #[automatically_derived]
        #body
    }
}
