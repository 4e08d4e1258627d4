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
        let attrs = &m.attrs;
        let decl = Shape::of(is_request, m).decl();
        quote!(#(#attrs)* #decl)
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

    let info_arms = set.methods.iter().enumerate().map(|(i, m)| {
        let pattern = Shape::of(is_request, m).pattern(false, false);
        quote!(#pattern => &Self::SET.methods[#i])
    });

    let serialize_arms = set.methods.iter().map(|m| {
        let shape = Shape::of(is_request, m);
        let pattern = shape.pattern(true, true);
        let name = m.name().expect("checked");
        let id = if is_request {
            quote!(::core::option::Option::Some(id))
        } else {
            quote!(::core::option::Option::None)
        };
        let params = if m.params.is_some() {
            quote!(::core::option::Option::Some(params))
        } else {
            quote!(::core::option::Option::None::<&()>)
        };
        quote!(#pattern => #private::serialize_message(serializer, #name, #id, #params))
    });

    let decode_arms = set.methods.iter().map(|m| {
        let name = m.name().expect("checked");
        let id_ref = if is_request {
            quote!(::core::option::Option::Some(&id))
        } else {
            quote!(::core::option::Option::None)
        };
        let (check, params) = match &m.params {
            Some(ty) => (
                quote!(let params = #private::params::<#ty, __P>(params, #id_ref, method)?;),
                quote!(params),
            ),
            None => (
                quote!(#private::no_params(params, #id_ref, method)?;),
                TokenStream::new(),
            ),
        };
        // A message received was not sent by us: no gate to pass.
        let build =
            Shape::of(is_request, m).build(quote!(id), params, quote!(#private::received()));
        quote!(#name => {
            #check
            ::core::result::Result::Ok(Self::#build)
        })
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

    let set_trait = if is_request {
        quote!(#pm::RequestSet)
    } else {
        quote!(#pm::NotificationSet)
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

            /// Decodes one message from JSON text; failures carry their
            /// JSON-RPC error code and, when readable, the request id.
            pub fn decode(json: &[u8]) -> ::core::result::Result<Self, #pm::DecodeError> {
                <Self as #set_trait>::decode(json)
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
    let deserialize_request_impl = deserialize_impl(ident, quote!(deserialize_request));
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
                        ::std::format!(
                            "`{method}` is not a method of {}",
                            <#ident as #pm::MethodSet>::SET.name,
                        ),
                    )),
                }
            }
        }

        #deserialize_request_impl

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
    let response_enum = quote! {
        #[doc = #response_doc]
        #(#derives)*
        #vis enum #response {
            #(#response_variants,)*
        }

        #[automatically_derived]
        impl #ident {
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
    let pm = quote!(::protocol_macros);
    let ident = &set.ident;
    let deserialize_notification_impl = deserialize_impl(ident, quote!(deserialize_notification));
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

        #deserialize_notification_impl
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
        let params_ty = match &m.params {
            Some(ty) => quote!(#ty),
            None => quote!(()),
        };
        let unit = m.params.is_none().then(|| quote!(let () = params;));
        let params_value = m.params.as_ref().map(|_| quote!(params)).unwrap_or_default();
        let build = Shape::of(is_request, m).build(quote!(id), params_value, quote!(granted));
        let build = quote!({ #unit #ident::#build });
        let _ = variant;
        let body = if is_request {
            let response = m.response().expect("checked");
            quote! {
                impl #pm::Request for #marker {
                    const METHOD: &'static str = #name;
                    const INFO: &'static #pm::MethodInfo = &<#ident as #pm::MethodSet>::SET.methods[#i];
                    type Params = #params_ty;
                    type Response = #response;
                    type Set = #ident;

                    fn message(
                        id: #pm::RequestId,
                        params: Self::Params,
                        granted: #pm::Granted<Self>,
                    ) -> #ident {
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

                    fn message(params: Self::Params, granted: #pm::Granted<Self>) -> #ident {
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

/// The shape of one method's variant: requests are struct variants
/// `{ id, params?, granted? }`, notifications tuple variants `(params?, granted?)`.
/// `granted` is there for methods behind a capability: a proof, which only
/// the capability check (or decoding a received message) hands out, so a
/// gated message cannot be built without passing the gate.
struct Shape<'a> {
    variant: &'a syn::Ident,
    is_request: bool,
    params: Option<&'a syn::Type>,
    gated: bool,
}

impl<'a> Shape<'a> {
    fn of(is_request: bool, method: &'a Method) -> Self {
        Shape {
            variant: &method.variant,
            is_request,
            params: method.params.as_ref(),
            gated: method.method_attr.capability.is_some(),
        }
    }

    fn decl(&self) -> TokenStream {
        let pm = quote!(::protocol_macros);
        let variant = self.variant;
        let params = self.params;
        let granted_doc =
            "Proof that the capability gate was passed; see `protocol_macros::Granted`.";
        if self.is_request {
            let params = params.map(|ty| quote!(params: #ty,));
            let granted = self
                .gated
                .then(|| quote!(#[doc = #granted_doc] granted: #pm::Granted<#variant>,));
            quote!(#variant { id: #pm::RequestId, #params #granted })
        } else {
            let fields: Vec<TokenStream> = params
                .map(|ty| quote!(#ty))
                .into_iter()
                .chain(self.gated.then(|| quote!(#pm::Granted<#variant>)))
                .collect();
            if fields.is_empty() {
                quote!(#variant)
            } else {
                quote!(#variant(#(#fields),*))
            }
        }
    }

    /// A pattern binding `id` and `params` as asked (when the shape has them).
    fn pattern(&self, bind_id: bool, bind_params: bool) -> TokenStream {
        let variant = self.variant;
        if self.is_request {
            let id = bind_id.then(|| quote!(id,));
            let params = (bind_params && self.params.is_some()).then(|| quote!(params,));
            quote!(Self::#variant { #id #params .. })
        } else if self.params.is_none() && !self.gated {
            quote!(Self::#variant)
        } else if bind_params && self.params.is_some() {
            quote!(Self::#variant(params, ..))
        } else {
            quote!(Self::#variant(..))
        }
    }

    /// The variant built from `id`, `params` (empty for no params) and `granted`.
    fn build(&self, id: TokenStream, params: TokenStream, granted: TokenStream) -> TokenStream {
        let variant = self.variant;
        let granted = self.gated.then_some(granted);
        if self.is_request {
            let params = self.params.map(|_| quote!(params: #params,));
            let granted = granted.map(|g| quote!(granted: #g,));
            quote!(#variant { id: #id, #params #granted })
        } else {
            let fields: Vec<TokenStream> = self
                .params
                .map(|_| params)
                .into_iter()
                .chain(granted)
                .collect();
            if fields.is_empty() {
                quote!(#variant)
            } else {
                quote!(#variant(#(#fields),*))
            }
        }
    }
}

/// `impl Deserialize for #ident` through the runtime's `helper`, which reads
/// the envelope and hands the params to the set's `from_parts`.
fn deserialize_impl(ident: &syn::Ident, helper: TokenStream) -> TokenStream {
    let private = private();
    quote! {
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
