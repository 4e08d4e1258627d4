//! One marker type per method (`Initialize: Request<Params = …>`), which
//! ties the method's name, registry entry, params and response together.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::valid::{Method, Set};
use super::messages::Shape;

pub fn expand(set: &Set) -> TokenStream {
    let markers = set
        .methods
        .iter()
        .enumerate()
        .filter(|(_, m)| m.marker)
        .map(|(i, m)| expand_marker(set, i, m));
    quote!(#(#markers)*)
}

fn expand_marker(set: &Set, index: usize, m: &Method) -> TokenStream {
    let pm = quote!(::protocol_macros);
    let ident = set.ident;
    let vis = set.vis;
    let variant = m.variant;
    let name = m.name;
    let docs = m.attrs.iter().filter(|a| a.path().is_ident("doc"));
    let deprecated = m.attrs.iter().filter(|a| a.path().is_ident("deprecated"));
    let summary = format!("The `{}` method, as a type.", name.value());
    let params_ty = match m.params {
        Some(ty) => quote!(#ty),
        None => quote!(()),
    };
    let unit = m.params.is_none().then(|| quote!(let () = params;));
    let params_value = m.params.map(|_| quote!(params)).unwrap_or_default();
    let build = Shape::of(set, m).build(quote!(id), params_value, quote!(granted));
    let build = quote!({ #unit #ident::#build });
    let info = quote!(&<#ident as #pm::MethodSet>::SET.methods[#index]);
    let body = match &set.responses {
        Some(responses) => {
            let response = responses.types[index];
            let response_enum = &responses.ident;
            quote! {
                impl #pm::Request for #variant {
                    const METHOD: &'static str = #name;
                    const INFO: &'static #pm::MethodInfo = #info;
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
        }
        None => quote! {
            impl #pm::Notification for #variant {
                const METHOD: &'static str = #name;
                const INFO: &'static #pm::MethodInfo = #info;
                type Params = #params_ty;
                type Set = #ident;

                fn message(params: Self::Params, granted: #pm::Granted<Self>) -> #ident {
                    #build
                }
            }
        },
    };
    quote! {
        #[doc = #summary]
        #[doc = ""]
        #(#docs)*
        #(#deprecated)*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #vis struct #variant;

        #[automatically_derived]
        #body
    }
}
