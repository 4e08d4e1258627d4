//! Expansion of a checked `#[protocol]` module.

use proc_macro2::TokenStream;
use quote::quote;

use super::ast::{type_name, Method, Protocol, ProtocolItem, Set};
use super::attr::SetKind;
use crate::private;

pub fn expand(protocol: &Protocol) -> TokenStream {
    let module = &protocol.module;
    let attrs = &module.attrs;
    let vis = &module.vis;
    let ident = &module.ident;
    let unsafety = &module.unsafety;
    let items = protocol.items.iter().map(|item| match item {
        ProtocolItem::Set(set) => expand_set(set),
        ProtocolItem::Other(item) => quote!(#item),
    });
    let pm = quote!(::protocol_macros);
    let sets = protocol.sets().map(|set| {
        let ident = &set.ident;
        quote!(<#ident as #pm::MethodSet>::SET)
    });
    quote! {
        #(#attrs)*
        #vis #unsafety mod #ident {
            #(#items)*

            /// Every method set of this protocol, in declaration order.
            pub static REGISTRY: #pm::Registry = #pm::Registry {
                sets: &[#(#sets),*],
            };
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

fn method_info(set: &Set, method: &Method) -> TokenStream {
    let name = method.name().expect("checked");
    let variant = method.variant.to_string();
    let params = match &method.params {
        Some(ty) => {
            let info = type_info(ty);
            quote!(::core::option::Option::Some(#info))
        }
        None => quote!(::core::option::Option::None),
    };
    let response = match method.response() {
        Some(ty) => {
            let info = type_info(ty);
            quote!(::core::option::Option::Some(#info))
        }
        None => quote!(::core::option::Option::None),
    };
    let docs = &method.docs;
    let capability = match &method.method_attr.capability {
        Some(lit) => quote!(::core::option::Option::Some(#lit)),
        None => quote!(::core::option::Option::None),
    };
    let direction = direction(set.kind());
    let kind = kind(set.kind());
    quote! {
        ::protocol_macros::MethodInfo {
            name: #name,
            direction: #direction,
            kind: #kind,
            variant: #variant,
            params: #params,
            response: #response,
            docs: #docs,
            capability: #capability,
        }
    }
}

fn expand_set(set: &Set) -> TokenStream {
    let private = private();
    let pm = quote!(::protocol_macros);
    let ident = &set.ident;
    let vis = &set.vis;
    let attrs = &set.attrs;
    let is_request = set.kind().is_request();
    let name = ident.to_string();
    let docs = &set.docs;

    let variants = set.methods.iter().map(|m| {
        let variant = &m.variant;
        let attrs = &m.attrs;
        match (is_request, &m.params) {
            (true, Some(ty)) => quote!(#(#attrs)* #variant { id: #pm::RequestId, params: #ty }),
            (true, None) => quote!(#(#attrs)* #variant { id: #pm::RequestId }),
            (false, Some(ty)) => quote!(#(#attrs)* #variant(#ty)),
            (false, None) => quote!(#(#attrs)* #variant),
        }
    });

    let infos = set.methods.iter().map(|m| method_info(set, m));
    let response_name = if is_request {
        let response = set.response_ident().to_string();
        quote!(::core::option::Option::Some(#response))
    } else {
        quote!(::core::option::Option::None)
    };
    let direction = direction(set.kind());
    let kind = kind(set.kind());

    let pattern = |m: &Method| {
        let variant = &m.variant;
        match (is_request, &m.params) {
            (true, _) => quote!(Self::#variant { .. }),
            (false, Some(_)) => quote!(Self::#variant(..)),
            (false, None) => quote!(Self::#variant),
        }
    };
    let info_arms = set.methods.iter().enumerate().map(|(i, m)| {
        let pattern = pattern(m);
        quote!(#pattern => &Self::SET.methods[#i])
    });

    let serialize_arms = set.methods.iter().map(|m| {
        let variant = &m.variant;
        let name = m.name().expect("checked");
        match (is_request, &m.params) {
            (true, Some(_)) => quote!(Self::#variant { id, params } =>
                #private::serialize_message(serializer, #name, ::core::option::Option::Some(id), ::core::option::Option::Some(params))),
            (true, None) => quote!(Self::#variant { id } =>
                #private::serialize_message::<_, ()>(serializer, #name, ::core::option::Option::Some(id), ::core::option::Option::None)),
            (false, Some(_)) => quote!(Self::#variant(params) =>
                #private::serialize_message(serializer, #name, ::core::option::Option::None, ::core::option::Option::Some(params))),
            (false, None) => quote!(Self::#variant =>
                #private::serialize_message::<_, ()>(serializer, #name, ::core::option::Option::None, ::core::option::Option::None)),
        }
    });

    let decode_arms = set.methods.iter().map(|m| {
        let variant = &m.variant;
        let name = m.name().expect("checked");
        let id_ref = if is_request {
            quote!(::core::option::Option::Some(&id))
        } else {
            quote!(::core::option::Option::None)
        };
        match (is_request, &m.params) {
            (true, Some(ty)) => quote!(#name => ::core::result::Result::Ok(Self::#variant {
                params: #private::params::<#ty, __P>(params, #id_ref, method)?,
                id,
            })),
            (true, None) => quote!(#name => {
                #private::no_params(params, #id_ref, method)?;
                ::core::result::Result::Ok(Self::#variant { id })
            }),
            (false, Some(ty)) => quote!(#name => ::core::result::Result::Ok(Self::#variant(
                #private::params::<#ty, __P>(params, #id_ref, method)?,
            ))),
            (false, None) => quote!(#name => {
                #private::no_params(params, #id_ref, method)?;
                ::core::result::Result::Ok(Self::#variant)
            }),
        }
    });

    let serialize_impl = serialize_impl(ident, serialize_arms.collect());
    let common = quote! {
        #[automatically_derived]
        impl #pm::MethodSet for #ident {
            const SET: &'static #pm::MethodSetInfo = &#pm::MethodSetInfo {
                name: #name,
                response_name: #response_name,
                direction: #direction,
                kind: #kind,
                docs: #docs,
                methods: &[#(#infos),*],
                schema: <#ident as #private::schemars::JsonSchema>::json_schema,
            };

            fn info(&self) -> &'static #pm::MethodInfo {
                match self {
                    #(#info_arms,)*
                }
            }
        }

        #serialize_impl

        #[automatically_derived]
        impl #private::schemars::JsonSchema for #ident {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#name)
            }

            fn json_schema(generator: &mut #private::schemars::SchemaGenerator) -> #private::schemars::Schema {
                #private::message_union_schema(<Self as #pm::MethodSet>::SET, generator)
            }
        }
    };

    let (set_impls, response_enum) = if is_request {
        expand_request_set(set, decode_arms.collect())
    } else {
        expand_notification_set(set, decode_arms.collect())
    };
    let markers = expand_markers(set);

    quote! {
        #(#attrs)*
        #vis enum #ident {
            #(#variants,)*
        }

        #[automatically_derived]
        impl #ident {
            /// The wire method name of this message.
            pub fn method(&self) -> &'static str {
                <Self as #pm::MethodSet>::method(self)
            }
        }

        #response_enum

        const _: () = {
            #common
            #set_impls
        };

        #markers
    }
}

fn expand_request_set(set: &Set, decode_arms: Vec<TokenStream>) -> (TokenStream, TokenStream) {
    let private = private();
    let pm = quote!(::protocol_macros);
    let ident = &set.ident;
    let vis = &set.vis;
    let response = set.response_ident();
    let derives = set.attrs.iter().filter(|a| a.path().is_ident("derive"));
    let response_doc = format!("The typed responses to [`{ident}`], one variant per method.");

    let id_arms = set.methods.iter().map(|m| {
        let variant = &m.variant;
        quote!(Self::#variant { id, .. } => id)
    });
    let response_variants = set.methods.iter().map(|m| {
        let variant = &m.variant;
        let ty = m.response().expect("checked");
        let doc = format!("The response to `{}`.", m.name().expect("checked").value());
        quote!(#[doc = #doc] #variant(#ty))
    });
    let response_method_arms = set.methods.iter().map(|m| {
        let variant = &m.variant;
        let name = m.name().expect("checked");
        quote!(Self::#variant(_) => #name)
    });
    let response_serialize_arms = set.methods.iter().map(|m| {
        let variant = &m.variant;
        quote!(Self::#variant(response) => #private::serde::Serialize::serialize(response, serializer))
    });
    let decode_response_arms = set.methods.iter().map(|m| {
        let variant = &m.variant;
        let name = m.name().expect("checked");
        quote!(#name => #private::serde_json::from_value(result).map(#response::#variant))
    });

    let response_serialize_impl = serialize_impl(&response, response_serialize_arms.collect());
    let impls = quote! {
        #[automatically_derived]
        impl #pm::RequestSet for #ident {
            type Response = #response;

            fn id(&self) -> &#pm::RequestId {
                match self {
                    #(#id_arms,)*
                }
            }

            fn from_parts<__P: #pm::ParamsSource>(
                id: #pm::RequestId,
                method: &str,
                params: __P,
            ) -> ::core::result::Result<Self, #pm::DecodeError> {
                match method {
                    #(#decode_arms,)*
                    _ => ::core::result::Result::Err(#pm::DecodeError::method_not_found(
                        ::core::option::Option::Some(id),
                        method,
                    )),
                }
            }

            fn decode_response_for(
                method: &str,
                result: #private::serde_json::Value,
            ) -> ::core::result::Result<#response, #private::serde_json::Error> {
                match method {
                    #(#decode_response_arms,)*
                    _ => ::core::result::Result::Err(<#private::serde_json::Error as #private::serde::de::Error>::custom(
                        ::std::format!("`{method}` is not a method of {}", #ident::SET_NAME),
                    )),
                }
            }
        }

        #[automatically_derived]
        impl<'de> #private::serde::Deserialize<'de> for #ident {
            fn deserialize<__D>(deserializer: __D) -> ::core::result::Result<Self, __D::Error>
            where
                __D: #private::serde::Deserializer<'de>,
            {
                #private::deserialize_request::<__D, Self>(deserializer)
            }
        }

        #[automatically_derived]
        impl #pm::ResponseSet for #response {
            fn method(&self) -> &'static str {
                match self {
                    #(#response_method_arms,)*
                }
            }
        }

        #response_serialize_impl
    };
    let name = ident.to_string();
    let response_enum = quote! {
        #[doc = #response_doc]
        #(#derives)*
        #vis enum #response {
            #(#response_variants,)*
        }

        #[automatically_derived]
        impl #ident {
            const SET_NAME: &'static str = #name;

            /// The id of this request.
            pub fn id(&self) -> &#pm::RequestId {
                <Self as #pm::RequestSet>::id(self)
            }
        }

        #[automatically_derived]
        impl #response {
            /// The wire method name of the request this response answers.
            pub fn method(&self) -> &'static str {
                <Self as #pm::ResponseSet>::method(self)
            }
        }
    };
    (impls, response_enum)
}

fn expand_notification_set(set: &Set, decode_arms: Vec<TokenStream>) -> (TokenStream, TokenStream) {
    let private = private();
    let pm = quote!(::protocol_macros);
    let ident = &set.ident;
    let impls = quote! {
        #[automatically_derived]
        impl #pm::NotificationSet for #ident {
            fn from_parts<__P: #pm::ParamsSource>(
                method: &str,
                params: __P,
            ) -> ::core::result::Result<Self, #pm::DecodeError> {
                match method {
                    #(#decode_arms,)*
                    _ => ::core::result::Result::Err(#pm::DecodeError::method_not_found(
                        ::core::option::Option::None,
                        method,
                    )),
                }
            }
        }

        #[automatically_derived]
        impl<'de> #private::serde::Deserialize<'de> for #ident {
            fn deserialize<__D>(deserializer: __D) -> ::core::result::Result<Self, __D::Error>
            where
                __D: #private::serde::Deserializer<'de>,
            {
                #private::deserialize_notification::<__D, Self>(deserializer)
            }
        }
    };
    (impls, TokenStream::new())
}

fn expand_markers(set: &Set) -> TokenStream {
    let pm = quote!(::protocol_macros);
    let ident = &set.ident;
    let vis = &set.vis;
    let is_request = set.kind().is_request();
    let response_enum = set.response_ident();
    let markers = set.methods.iter().enumerate().map(|(i, m)| {
        let marker = &m.variant;
        let variant = &m.variant;
        let name = m.name().expect("checked");
        let docs = m.attrs.iter().filter(|a| a.path().is_ident("doc"));
        let deprecated = m.attrs.iter().filter(|a| a.path().is_ident("deprecated"));
        let summary = format!("The `{}` method, as a type.", name.value());
        let (params_ty, build) = match (&m.params, is_request) {
            (Some(ty), true) => (quote!(#ty), quote!(#ident::#variant { id, params })),
            (None, true) => (quote!(()), quote!({ let () = params; #ident::#variant { id } })),
            (Some(ty), false) => (quote!(#ty), quote!(#ident::#variant(params))),
            (None, false) => (quote!(()), quote!({ let () = params; #ident::#variant })),
        };
        let body = if is_request {
            let response = m.response().expect("checked");
            quote! {
                impl #pm::Request for #marker {
                    const METHOD: &'static str = #name;
                    const INFO: &'static #pm::MethodInfo = &<#ident as #pm::MethodSet>::SET.methods[#i];
                    type Params = #params_ty;
                    type Response = #response;
                    type Set = #ident;

                    fn message(id: #pm::RequestId, params: Self::Params) -> #ident {
                        #build
                    }

                    fn wrap_response(response: #response) -> #response_enum {
                        #response_enum::#variant(response)
                    }

                    #[allow(unreachable_patterns)]
                    fn unwrap_response(response: #response_enum) -> ::core::option::Option<#response> {
                        match response {
                            #response_enum::#variant(response) => ::core::option::Option::Some(response),
                            _ => ::core::option::Option::None,
                        }
                    }
                }
            }
        } else {
            quote! {
                impl #pm::Notification for #marker {
                    const METHOD: &'static str = #name;
                    const INFO: &'static #pm::MethodInfo = &<#ident as #pm::MethodSet>::SET.methods[#i];
                    type Params = #params_ty;
                    type Set = #ident;

                    fn message(params: Self::Params) -> #ident {
                        #build
                    }
                }
            }
        };
        quote! {
            #[doc = #summary]
            #[doc = ""]
            #(#docs)*
            #(#deprecated)*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            #vis struct #marker;

            #[automatically_derived]
            #body
        }
    });
    quote!(#(#markers)*)
}

/// `impl Serialize for #ident` by a `match self` over `arms`.
fn serialize_impl(ident: &syn::Ident, arms: Vec<TokenStream>) -> TokenStream {
    let private = private();
    quote! {
        #[automatically_derived]
        impl #private::serde::Serialize for #ident {
            fn serialize<__S>(&self, serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                match self {
                    #(#arms,)*
                }
            }
        }
    }
}
