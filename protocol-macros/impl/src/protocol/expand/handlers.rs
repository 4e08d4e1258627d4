//! The handler traits: `ServerHandler` (what the server does with each
//! request and notification the client sends) and `ClientHandler` (the
//! other way), one method per method the side receives and no default
//! bodies, so a method the protocol adds is a compile error in every
//! implementation until it is handled. And each side's `Dispatch`: the
//! decoded message to its method, the answer into the response enum.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

use super::super::attr::SetKind;
use super::super::valid::{Method, Protocol, ProtocolItem, Set};

/// The handler trait that handles the methods of a set of this kind: the
/// receiving side's.
pub fn trait_of(kind: SetKind) -> &'static str {
    match kind {
        SetKind::ClientRequests | SetKind::ClientNotifications => "ServerHandler",
        SetKind::ServerRequests | SetKind::ServerNotifications => "ClientHandler",
    }
}

pub fn expand(protocol: &Protocol) -> TokenStream {
    let set = |kind: SetKind| protocol.sets().find(|set| set.kind == kind);
    // A trait whose name an item of the module takes is not made: the
    // checks said so, once.
    let taken = |name: &str| {
        protocol.items.iter().any(|item| match item {
            ProtocolItem::Other(item) => item_ident(item).is_some_and(|ident| ident == name),
            ProtocolItem::Set(_) => false,
        })
    };
    let server = (!taken("ServerHandler")).then(|| {
        side(
            format_ident!("ServerHandler"),
            format_ident!("ServerSide"),
            "client",
            set(SetKind::ClientRequests),
            set(SetKind::ClientNotifications),
        )
    });
    let client = (!taken("ClientHandler")).then(|| {
        side(
            format_ident!("ClientHandler"),
            format_ident!("ClientSide"),
            "server",
            set(SetKind::ServerRequests),
            set(SetKind::ServerNotifications),
        )
    });
    quote!(#server #client)
}

/// The name an item declares in the module's type namespace, if any.
pub fn item_ident(item: &syn::Item) -> Option<&Ident> {
    match item {
        syn::Item::Struct(item) => Some(&item.ident),
        syn::Item::Enum(item) => Some(&item.ident),
        syn::Item::Union(item) => Some(&item.ident),
        syn::Item::Trait(item) => Some(&item.ident),
        syn::Item::TraitAlias(item) => Some(&item.ident),
        syn::Item::Type(item) => Some(&item.ident),
        syn::Item::Mod(item) => Some(&item.ident),
        _ => None,
    }
}

fn side(
    handler: Ident,
    side: Ident,
    sender: &str,
    requests: Option<&Set>,
    notifications: Option<&Set>,
) -> TokenStream {
    let pm = quote!(::protocol_macros);
    let doc = format!(
        "What `{side}` does with each request and notification the {sender} sends: one \
         method per method, none with a default body, so a method the protocol adds is \
         a compile error until it is handled. A method this side does not offer answers \
         with `cx.method_not_found()`. `protocol_macros::runtime::Runtime::<{side}>::new(handler)` \
         serves it (feature `runtime`)."
    );
    // Two variants of one name in snake case are an error the checks
    // report; the trait declares the first, and the dispatch never reaches
    // the others.
    let mut names = std::collections::BTreeSet::new();
    let repeated: Vec<&syn::Ident> = requests
        .into_iter()
        .chain(notifications)
        .flat_map(|set| &set.methods)
        .filter(|m| !names.insert(method_name(m).to_string()))
        .map(|m| m.variant)
        .collect();
    let first = |m: &&Method| !repeated.contains(&m.variant);
    let request_methods = requests.into_iter().flat_map(|set| {
        let responses = set.responses.as_ref().expect("a request set has responses");
        set.methods
            .iter()
            .zip(&responses.types)
            .filter(|(m, _)| first(m))
            .map(|(m, response)| {
                let params = m.params.map(|ty| quote!(params: #ty,));
                let name = method_name(m);
                let docs = docs(m);
                // Spanned at the variant: a missing method names it there.
                quote_spanned! {m.variant.span()=>
                    #docs
                    fn #name(
                        &self,
                        cx: #pm::RequestContext<#side>,
                        #params
                    ) -> impl ::core::future::Future<
                        Output = ::core::result::Result<#response, #pm::JSONRPCErrorError>,
                    > + ::core::marker::Send;
                }
            })
            .collect::<Vec<_>>()
    });
    let notification_methods = notifications.into_iter().flat_map(|set| {
        set.methods
            .iter()
            .filter(first)
            .map(|m| {
                let params = m.params.map(|ty| quote!(params: #ty,));
                let name = method_name(m);
                let docs = docs(m);
                quote_spanned! {m.variant.span()=>
                    #docs
                    fn #name(
                        &self,
                        cx: #pm::NotificationContext<#side>,
                        #params
                    ) -> impl ::core::future::Future<Output = ()> + ::core::marker::Send;
                }
            })
            .collect::<Vec<_>>()
    });
    let request_arms = requests.map(|set| {
        let ident = set.ident;
        let responses = &set
            .responses
            .as_ref()
            .expect("a request set has responses")
            .ident;
        set.methods
            .iter()
            .map(|m| {
                let variant = m.variant;
                let name = method_name(m);
                let (pattern, args) = match m.params {
                    Some(_) => (quote!(#ident::#variant { params, .. }), quote!(cx, params)),
                    None => (quote!(#ident::#variant { .. }), quote!(cx)),
                };
                if !first(&m) {
                    return quote!(#pattern => ::core::unreachable!());
                }
                quote! {
                    #pattern => ::std::boxed::Box::pin(async move {
                        ::core::result::Result::map(
                            handler.#name(#args).await,
                            #responses::#variant,
                        )
                    })
                }
            })
            .collect::<Vec<_>>()
    });
    let notification_arms = notifications.map(|set| {
        let ident = set.ident;
        set.methods
            .iter()
            .map(|m| {
                let variant = m.variant;
                let name = method_name(m);
                let (pattern, args) = match (m.params, m.is_gated()) {
                    (Some(_), _) => (quote!(#ident::#variant(params, ..)), quote!(cx, params)),
                    (None, true) => (quote!(#ident::#variant(..)), quote!(cx)),
                    (None, false) => (quote!(#ident::#variant), quote!(cx)),
                };
                if !first(&m) {
                    return quote!(#pattern => ::core::unreachable!());
                }
                quote! {
                    #pattern => ::std::boxed::Box::pin(async move {
                        handler.#name(#args).await
                    })
                }
            })
            .collect::<Vec<_>>()
    });
    let request_match = dispatch_match(quote!(request), request_arms);
    let notification_match = dispatch_match(quote!(notification), notification_arms);
    quote! {
        #[doc = #doc]
        pub trait #handler: ::core::marker::Send + ::core::marker::Sync + 'static {
            #(#request_methods)*
            #(#notification_methods)*
        }

        const _: () = {
            #[automatically_derived]
            #[allow(deprecated, unused_variables)]
            impl<H: #handler> #pm::Dispatch<H> for #side {
                fn request(
                    handler: &::std::sync::Arc<H>,
                    cx: #pm::RequestContext<Self>,
                    request: <Self as #pm::Peer>::PeerRequests,
                ) -> #pm::Answer<Self> {
                    let handler = ::std::sync::Arc::clone(handler);
                    #request_match
                }

                fn notification(
                    handler: &::std::sync::Arc<H>,
                    cx: #pm::NotificationContext<Self>,
                    notification: <Self as #pm::Peer>::PeerNotifications,
                ) -> #pm::BoxFuture<()> {
                    let handler = ::std::sync::Arc::clone(handler);
                    #notification_match
                }
            }
        };
    }
}

/// `match message { arms }`, or `match message {}` for a set the protocol
/// does not declare (its placeholder enum has no variants).
fn dispatch_match(message: TokenStream, arms: Option<Vec<TokenStream>>) -> TokenStream {
    match arms {
        Some(arms) if !arms.is_empty() => quote!(match #message { #(#arms,)* }),
        _ => quote!(match #message {}),
    }
}

/// The method's doc comment, after a line naming its wire method.
fn docs(m: &Method) -> TokenStream {
    let summary = format!("Handles `{}`.", m.name.value());
    let docs = m.attrs.iter().filter(|a| a.path().is_ident("doc"));
    if m.docs.is_empty() {
        quote!(#[doc = #summary])
    } else {
        quote!(#[doc = #summary] #[doc = ""] #(#docs)*)
    }
}

/// The handler method of a variant: its name in snake case (`GetAuthStatus`
/// → `get_auth_status`), a raw identifier when that is a keyword.
pub fn method_name(m: &Method) -> Ident {
    let snake = snake_case(m.variant);
    let mut ident = match syn::parse_str::<Ident>(&snake) {
        Ok(ident) => ident,
        Err(_) => match snake.as_str() {
            // Keywords that cannot be raw identifiers.
            "self" | "super" | "crate" => format_ident!("{snake}_"),
            _ => Ident::new_raw(&snake, m.variant.span()),
        },
    };
    ident.set_span(m.variant.span());
    ident
}

/// `GetAuthStatus` → `get_auth_status`, `HTTPRequest` → `http_request`.
pub fn snake_case(name: &Ident) -> String {
    snake_case_of(&name.to_string())
}

fn snake_case_of(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let after_lower = i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_numeric());
            let acronym_end = i > 0
                && chars[i - 1].is_uppercase()
                && chars.get(i + 1).is_some_and(|next| next.is_lowercase());
            if (after_lower || acronym_end) && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::snake_case_of as snake_case;

    #[test]
    fn variants_become_snake_case() {
        assert_eq!(snake_case("GetAuthStatus"), "get_auth_status");
        assert_eq!(snake_case("Open"), "open");
        assert_eq!(snake_case("HTTPRequest"), "http_request");
        assert_eq!(snake_case("ServerPing"), "server_ping");
        assert_eq!(snake_case("ExecV2Command"), "exec_v2_command");
        assert_eq!(snake_case("Echo_Raw"), "echo_raw");
    }
}
