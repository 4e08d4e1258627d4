//! The message enums as the user declared them, plus the response enum of a
//! request set, and the shape every other expansion builds and matches.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::valid::{Method, Responses, Set};

pub fn expand(set: &Set) -> TokenStream {
    let pm = quote!(::protocol_macros);
    let ident = set.ident;
    let vis = set.vis;
    let attrs = set.attrs;
    let set_trait = if set.is_request() {
        quote!(#pm::RequestSet)
    } else {
        quote!(#pm::NotificationSet)
    };
    let variants = set.methods.iter().map(|m| {
        let attrs = m.attrs;
        let decl = Shape::of(set, m).decl();
        quote!(#(#attrs)* #decl)
    });
    let responses = set
        .responses
        .as_ref()
        .map(|responses| expand_responses(set, responses));
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
            // Inline: the decoder is compiled where it is used, not in every
            // crate that defines a protocol.
            #[inline]
            pub fn decode(json: &[u8]) -> ::core::result::Result<Self, #pm::DecodeError> {
                <Self as #set_trait>::decode(json)
            }

            /// Encodes this message as JSON text, in one pass.
            #[inline]
            pub fn encode(&self) -> ::core::result::Result<::std::vec::Vec<u8>, ::protocol_macros::__private::serde_json::Error> {
                ::protocol_macros::__private::encode_message(self)
            }
        }

        #responses
    }
}

/// The response enum, one variant per method, and the request's `id()`.
fn expand_responses(set: &Set, responses: &Responses) -> TokenStream {
    let pm = quote!(::protocol_macros);
    let ident = set.ident;
    let vis = set.vis;
    let response = &responses.ident;
    let derives = set.attrs.iter().filter(|a| a.path().is_ident("derive"));
    let doc = format!("The typed responses to [`{ident}`], one variant per method.");
    let variants = set.methods.iter().zip(&responses.types).map(|(m, ty)| {
        let variant = m.variant;
        let doc = format!("The response to `{}`.", m.name.value());
        quote!(#[doc = #doc] #variant(#ty))
    });
    let method_arms = super::match_self(set.methods.iter().map(|m| {
        let variant = m.variant;
        let name = m.name;
        quote!(Self::#variant(_) => #name)
    }));
    quote! {
        #[doc = #doc]
        #(#derives)*
        #vis enum #response {
            #(#variants,)*
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

        const _: () = {
            #[automatically_derived]
            impl #pm::ResponseSet for #response {
                fn method(&self) -> &'static str {
                    #method_arms
                }
            }
        };
    }
}

/// The shape of one method's variant: requests are struct variants
/// `{ id, params?, granted? }`, notifications tuple variants `(params?, granted?)`.
/// `granted` is there for methods behind a capability: a proof, which only
/// the capability check hands out as one that can be sent (decoding a
/// received message makes one that cannot), so a gated message cannot be
/// sent without passing the gate.
pub struct Shape<'a> {
    variant: &'a syn::Ident,
    is_request: bool,
    params: Option<&'a syn::Type>,
    gated: bool,
}

impl<'a> Shape<'a> {
    pub fn of(set: &Set, method: &Method<'a>) -> Self {
        Shape {
            variant: method.variant,
            is_request: set.is_request(),
            params: method.params,
            gated: method.is_gated(),
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
    pub fn pattern(&self, bind_id: bool, bind_params: bool) -> TokenStream {
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

    /// Whether the variant carries a `granted` proof.
    pub fn is_gated(&self) -> bool {
        self.gated
    }

    /// A pattern binding `id` (requests), `params` (when the method has
    /// them) and `granted` (when gated).
    pub fn pattern_all(&self) -> TokenStream {
        if !self.gated {
            return self.pattern(true, true);
        }
        let variant = self.variant;
        let params = self.params.map(|_| quote!(params,));
        if self.is_request {
            quote!(Self::#variant { id, #params granted })
        } else {
            quote!(Self::#variant(#params granted))
        }
    }

    /// The variant built from `id`, `params` (empty for no params) and `granted`.
    pub fn build(&self, id: TokenStream, params: TokenStream, granted: TokenStream) -> TokenStream {
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
