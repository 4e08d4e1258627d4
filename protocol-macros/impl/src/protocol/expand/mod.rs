//! Expansion of a checked `#[protocol]` module, one file per concern:
//! `messages` (the enums and their shapes), `registry` (the `MethodSet`
//! impl and the JSON Schema), `decode`, `encode`, `markers`, and
//! `handlers` (each side's handler trait and dispatch).

mod decode;
mod encode;
mod handlers;
mod markers;
mod messages;
mod registry;
mod types;

pub(super) use handlers::{item_ident, snake_case, trait_of};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{parse_quote, Attribute, Ident, Visibility};

use super::attr::SetKind;
use super::valid::Responses;

use super::settings::Settings;
use super::valid::{Protocol, ProtocolItem, Set};

pub fn expand(protocol: &Protocol) -> TokenStream {
    let module = protocol.module;
    let attrs = &module.attrs;
    let vis = &module.vis;
    let ident = &module.ident;
    let unsafety = &module.unsafety;
    let items = protocol.items.iter().map(|item| match item {
        ProtocolItem::Set(set) => expand_set(set, protocol.settings),
        ProtocolItem::Other(item) => quote!(#item),
    });
    let registry = registry::expand_registry(protocol);
    let declared: Vec<(SetKind, Ident)> = protocol
        .sets()
        .map(|set| (set.kind, set.ident.clone()))
        .collect();
    let peers = expand_peers(protocol.settings, &declared);
    let handlers = handlers::expand(protocol);
    quote! {
        #(#attrs)*
        #vis #unsafety mod #ident {
            #(#items)*
            #registry
            #peers
            #handlers
        }
    }
}

/// `match self { arms }`, or `match *self {}` for an enum without variants
/// (a reference to an empty enum is not known to be empty).
fn match_self(arms: impl IntoIterator<Item = TokenStream>) -> TokenStream {
    let arms: Vec<TokenStream> = arms.into_iter().collect();
    if arms.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #(#arms,)* })
    }
}

/// `ClientSide` and `ServerSide`, the two [`Peer`]s of the protocol, and an
/// empty message enum for each direction and kind the protocol does not
/// declare (so both sides always have four).
/// `declared` are the sets the module declares, by kind.
fn expand_peers(settings: &Settings, declared: &[(SetKind, Ident)]) -> TokenStream {
    let missing: Vec<(SetKind, Ident)> = SetKind::ALL
        .into_iter()
        .filter(|kind| !declared.iter().any(|(k, _)| k == kind))
        .map(|kind| (kind, format_ident!("__No_{}", kind.symbol().as_str())))
        .collect();
    let vis: Visibility = parse_quote!(pub);
    let attrs: Vec<Attribute> = vec![
        parse_quote!(#[doc(hidden)]),
        parse_quote!(#[allow(non_camel_case_types)]),
        parse_quote!(#[derive(Debug, Clone, PartialEq)]),
    ];
    let placeholders = missing.iter().map(|(kind, ident)| {
        expand_set(
            &Set {
                kind: *kind,
                ident,
                vis: &vis,
                attrs: &attrs,
                docs: "",
                methods: Vec::new(),
                responses: kind.is_request().then(|| Responses {
                    ident: format_ident!("{ident}Response"),
                    types: Vec::new(),
                }),
            },
            settings,
        )
    });
    let set_of = |kind: SetKind| -> Ident {
        declared
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, ident)| ident.clone())
            .or_else(|| {
                missing
                    .iter()
                    .find(|(k, _)| *k == kind)
                    .map(|(_, ident)| ident.clone())
            })
            .expect("every kind is declared or made")
    };
    let client_requests = set_of(SetKind::ClientRequests);
    let client_notifications = set_of(SetKind::ClientNotifications);
    let server_requests = set_of(SetKind::ServerRequests);
    let server_notifications = set_of(SetKind::ServerNotifications);
    let pm = quote!(::protocol_macros);
    let peer = |side: TokenStream,
                ident: Ident,
                other: Ident,
                sends: (&Ident, &Ident),
                receives: (&Ident, &Ident),
                doc: &str| {
        let (requests, notifications) = sends;
        let (peer_requests, peer_notifications) = receives;
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct #ident;

            #[automatically_derived]
            impl #pm::Peer for #ident {
                const SIDE: #pm::Side = #side;
                type Requests = #requests;
                type Notifications = #notifications;
                type PeerRequests = #peer_requests;
                type PeerNotifications = #peer_notifications;
                type Other = #other;

                fn registry() -> &'static #pm::Registry {
                    &REGISTRY
                }
            }
        }
    };
    let client = peer(
        quote!(#pm::Side::Client),
        format_ident!("ClientSide"),
        format_ident!("ServerSide"),
        (&client_requests, &client_notifications),
        (&server_requests, &server_notifications),
        "The client side of this protocol: `Connection<ClientSide>` sends its requests and notifications and receives the server's.",
    );
    let server = peer(
        quote!(#pm::Side::Server),
        format_ident!("ServerSide"),
        format_ident!("ClientSide"),
        (&server_requests, &server_notifications),
        (&client_requests, &client_notifications),
        "The server side of this protocol: `Connection<ServerSide>` sends its requests and notifications and receives the client's.",
    );
    quote! {
        #(#placeholders)*
        #client
        #server
    }
}

fn expand_set(set: &Set, settings: &Settings) -> TokenStream {
    let messages = messages::expand(set);
    let registry = registry::expand(set, settings);
    let decode = decode::expand(set);
    let encode = encode::expand(set);
    let markers = markers::expand(set);
    quote! {
        #messages

        const _: () = {
            #registry
            #decode
            #encode
        };

        #markers
    }
}
