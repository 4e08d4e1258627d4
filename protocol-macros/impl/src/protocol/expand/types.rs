//! How the expansion reaches a method's params and response types: a
//! params type only through `WireParams`'s items, a response type only
//! through the method's `Request` impl. A type that is not a `#[wire]`
//! type then fails one obligation, spanned at the type as written, the
//! same at every use, and rustc reports it once (where the marker says
//! `type Response = …`, for a response).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::Type;

use super::super::ast::optional_params;
use super::super::valid::Method;
use crate::private;

/// The params type as the expansion reads it: the type the variant holds,
/// or `T` of params written `Option<T>`.
pub struct Params<'a> {
    /// The variant's type, `Option<T>` included.
    pub written: &'a Type,
    /// The type whose values are the params: `T` of `Option<T>`.
    pub object: &'a Type,
    pub optional: bool,
    /// Checked as `WireParams`; `false` only when the module's checks
    /// refused the type as not an object, which the expansion after the
    /// errors then reads with plain serde.
    pub checked: bool,
}

impl<'a> Params<'a> {
    pub fn of(method: &Method<'a>) -> Option<Params<'a>> {
        let written = method.params?;
        let inner = optional_params(written);
        Some(Params {
            written,
            object: inner.unwrap_or(written),
            optional: inner.is_some(),
            checked: method.params_checked,
        })
    }

    /// `<T as WireParams>::item`, spanned at `T`.
    fn item(&self, item: &str) -> TokenStream {
        let private = private();
        let ty = self.object;
        let item = syn::Ident::new(item, ty.span());
        quote_spanned!(ty.span()=> <#ty as #private::WireParams>::#item)
    }

    /// An expression of the params' type read from deserializer `params`.
    pub fn deserialize(&self) -> TokenStream {
        let private = private();
        if !self.checked {
            let ty = self.written;
            return quote!(<#ty as #private::serde::Deserialize>::deserialize(params));
        }
        let read = if self.optional {
            self.item("__deserialize_optional")
        } else {
            self.item("__deserialize")
        };
        quote!(#read(params))
    }

    /// The path of a function writing a message with `Option<&T>` params.
    pub fn serialize_message(&self) -> TokenStream {
        if self.checked {
            self.item("__serialize_message")
        } else {
            let private = private();
            quote!(#private::serialize_message)
        }
    }

    /// The registry's `TypeInfo` of `T`, named `name`.
    pub fn type_info(&self, name: &str) -> TokenStream {
        if self.checked {
            let info = self.item("__PARAMS_INFO");
            quote!(#info.named(#name))
        } else {
            let ty = self.object;
            quote!(::protocol_macros::TypeInfo::of::<#ty>(#name))
        }
    }
}

/// A method's response type, reached through its marker's `Request` impl,
/// or, where the marker is not made (the module has errors and its name is
/// taken), through `WireType`.
pub struct Response<'a> {
    pub ty: &'a Type,
    /// The marker type, when it is made.
    pub marker: Option<&'a syn::Ident>,
}

impl<'a> Response<'a> {
    pub fn of(method: &Method<'a>, ty: &'a Type) -> Response<'a> {
        Response {
            ty,
            marker: method.marker.then_some(method.variant),
        }
    }

    fn item(&self, request_item: &str, wire_item: &str) -> TokenStream {
        let pm = quote!(::protocol_macros);
        let ty = self.ty;
        match self.marker {
            Some(marker) => {
                let item = syn::Ident::new(request_item, marker.span());
                quote!(<#marker as #pm::Request>::#item)
            }
            None => {
                let item = syn::Ident::new(wire_item, ty.span());
                quote_spanned!(ty.span()=> <#ty as #pm::WireType>::#item)
            }
        }
    }

    /// `response` (a reference) written to `serializer`.
    pub fn serialize(&self) -> TokenStream {
        let write = self.item("__serialize_response", "__serialize");
        quote!(#write(response, serializer))
    }

    /// The response of method `name` read from `result`, a `Value`
    /// (`text`: a `&str` of JSON).
    pub fn decode(&self, name: &syn::LitStr, text: bool) -> TokenStream {
        let (request_item, wire_item) = if text {
            ("__decode_result_text", "__decode_result_text")
        } else {
            ("__decode_result", "__decode_result")
        };
        let read = self.item(request_item, wire_item);
        match self.marker {
            Some(_) => quote!(#read(result)),
            None => quote!(#read(#name, result)),
        }
    }

    /// The registry's `TypeInfo` of the response type, named `name`.
    pub fn type_info(&self, name: &str) -> TokenStream {
        let info = self.item("__RESPONSE_INFO", "__TYPE_INFO");
        quote!(#info.named(#name))
    }
}
