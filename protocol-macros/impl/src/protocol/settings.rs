//! The protocol's settings, written once on the module:
//!
//! ```ignore
//! #[protocol(
//!     jsonrpc = "2.0",                            // or "omit": no `jsonrpc` member
//!     negotiation = "initialize",                 // the client request that negotiates
//!     client_capabilities = "params.capabilities",
//!     server_capabilities = "result.capabilities",
//!     experimental = "client.experimentalApi",    // the experimental opt-in
//!     opt_out = "client.optOutNotificationMethods",
//! )]
//! ```
//!
//! and the capability paths (`client.sampling`, `server.resources.subscribe`)
//! that settings and methods name.

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;

use crate::ctxt::Ctxt;
use crate::symbol::*;

/// A side of the protocol, as a capability path names it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }

    fn tokens(self) -> TokenStream {
        match self {
            Side::Client => quote!(::protocol_macros::Side::Client),
            Side::Server => quote!(::protocol_macros::Side::Server),
        }
    }
}

/// `"server.resources.subscribe"`, parsed.
pub struct Capability {
    pub lit: LitStr,
    pub side: Side,
    pub path: Vec<String>,
}

impl Capability {
    /// Parses a capability path; reports a malformed one and returns `None`.
    pub fn parse(cx: &Ctxt, lit: &LitStr, what: &str) -> Option<Capability> {
        let value = lit.value();
        let Some((side, rest)) = value.split_once('.') else {
            cx.error_spanned_by(
                lit,
                format!(
                    "{what} `{}` names no side; write `client.{}` or `server.{}`, for the side whose capabilities declare it",
                    value.escape_debug(),
                    value.escape_debug(),
                    value.escape_debug()
                ),
            );
            return None;
        };
        let side = match side {
            "client" => Side::Client,
            "server" => Side::Server,
            other => {
                cx.error_spanned_by(
                    lit,
                    format!(
                        "unknown side `{}` in {what} `{}`; a capability path starts with `client.` or `server.`",
                        other.escape_debug(),
                        value.escape_debug()
                    ),
                );
                return None;
            }
        };
        let path = segments(cx, lit, rest, what)?;
        if path.is_empty() {
            cx.error_spanned_by(
                lit,
                format!(
                    "malformed {what} `{}`: name a member after `{}.`",
                    value.escape_debug(),
                    side.name()
                ),
            );
            return None;
        }
        Some(Capability {
            lit: lit.clone(),
            side,
            path,
        })
    }

    pub fn tokens(&self) -> TokenStream {
        let side = self.side.tokens();
        let path = &self.path;
        quote!(::protocol_macros::CapabilityPath { side: #side, path: &[#(#path),*] })
    }
}

/// The member names of a dotted path, each non-empty and without
/// whitespace or control characters.
fn segments(cx: &Ctxt, lit: &LitStr, path: &str, what: &str) -> Option<Vec<String>> {
    if path.is_empty() {
        return Some(Vec::new());
    }
    let segments: Vec<String> = path.split('.').map(str::to_owned).collect();
    let bad = segments
        .iter()
        .any(|s| s.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()));
    if bad {
        cx.error_spanned_by(
            lit,
            format!(
                "malformed {what} `{}`: member names separated by single dots, none empty, without whitespace",
                lit.value().escape_debug()
            ),
        );
        return None;
    }
    Some(segments)
}

/// `"params.capabilities"`: where one side's capabilities object is.
pub struct Location {
    pub lit: LitStr,
    pub result: bool,
    pub path: Vec<String>,
}

impl Location {
    fn parse(cx: &Ctxt, lit: &LitStr) -> Option<Location> {
        let value = lit.value();
        let (member, rest) = value.split_once('.').unwrap_or((&value, ""));
        let result = match member {
            "params" => false,
            "result" => true,
            other => {
                cx.error_spanned_by(
                    lit,
                    format!(
                        "`{}` is not in the negotiation exchange; a location starts with `params` (the request's) or `result` (the response's), as in \"params.capabilities\"",
                        other.escape_debug()
                    ),
                );
                return None;
            }
        };
        if value.ends_with('.') {
            cx.error_spanned_by(lit, "malformed location: it ends with a dot");
            return None;
        }
        let path = segments(cx, lit, rest, "location")?;
        Some(Location {
            lit: lit.clone(),
            result,
            path,
        })
    }

    fn tokens(&self) -> TokenStream {
        let member = if self.result {
            quote!(::protocol_macros::Carrier::Result)
        } else {
            quote!(::protocol_macros::Carrier::Params)
        };
        let path = &self.path;
        quote!(::protocol_macros::CapabilityLocation { member: #member, path: &[#(#path),*] })
    }
}

/// The settings of a `#[protocol(...)]` module.
#[derive(Default)]
pub struct Settings {
    /// `jsonrpc = "omit"`: messages without the `jsonrpc` member.
    pub omit_jsonrpc: bool,
    pub negotiation: Option<LitStr>,
    pub client: Option<Location>,
    pub server: Option<Location>,
    pub experimental: Option<Capability>,
    pub opt_out: Option<Capability>,
    /// Which sides' locations were written, well-formed or not (a malformed
    /// one is reported once, not again by every capability of its side).
    written: (bool, bool),
}

impl Settings {
    pub fn parse(cx: &Ctxt, args: TokenStream) -> Settings {
        let mut settings = Settings::default();
        if args.is_empty() {
            return settings;
        }
        let mut seen: Vec<String> = Vec::new();
        let parser = syn::meta::parser(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let known = [
                JSONRPC,
                NEGOTIATION,
                CLIENT_CAPABILITIES,
                SERVER_CAPABILITIES,
                EXPERIMENTAL,
                OPT_OUT,
            ];
            if !known.iter().any(|k| meta.path == *k) {
                return Err(meta.error(
                    "unknown key in `#[protocol]`; expected `jsonrpc`, `negotiation`, \
                     `client_capabilities`, `server_capabilities`, `experimental` or `opt_out`",
                ));
            }
            let lit: LitStr = meta.value()?.parse()?;
            if seen.contains(&key) {
                cx.error_spanned_by(&meta.path, format!("duplicate `{key}` in `#[protocol]`"));
                return Ok(());
            }
            seen.push(key);
            if meta.path == JSONRPC {
                match lit.value().as_str() {
                    "2.0" => settings.omit_jsonrpc = false,
                    "omit" => settings.omit_jsonrpc = true,
                    _ => cx.error_spanned_by(
                        &lit,
                        "`jsonrpc` is \"2.0\" (standard: every message carries `\"jsonrpc\": \"2.0\"`) \
                         or \"omit\" (messages without the member)",
                    ),
                }
            } else if meta.path == NEGOTIATION {
                crate::protocol::attr::check_word(cx, &lit, "negotiation method name");
                settings.negotiation = Some(lit);
            } else if meta.path == CLIENT_CAPABILITIES {
                settings.written.0 = true;
                settings.client = Location::parse(cx, &lit);
            } else if meta.path == SERVER_CAPABILITIES {
                settings.written.1 = true;
                settings.server = Location::parse(cx, &lit);
            } else if meta.path == EXPERIMENTAL {
                settings.experimental = Capability::parse(cx, &lit, "experimental opt-in");
            } else {
                settings.opt_out = Capability::parse(cx, &lit, "opt-out list");
            }
            Ok(())
        });
        if let Err(err) = syn::parse::Parser::parse2(parser, args) {
            cx.syn_error(err);
        }
        settings.check(cx);
        settings
    }

    /// Settings that only make sense together.
    fn check(&self, cx: &Ctxt) {
        match &self.negotiation {
            None => {
                for location in self.client.iter().chain(&self.server) {
                    cx.error_spanned_by(
                        &location.lit,
                        "capabilities are carried by the negotiation request: name it with `negotiation = \"method\"`",
                    );
                }
            }
            Some(negotiation) if !self.written.0 && !self.written.1 => cx.error_spanned_by(
                negotiation,
                "the negotiation carries no capabilities: say where they are, e.g. \
                 `client_capabilities = \"params.capabilities\"`",
            ),
            Some(_) => {}
        }
        for capability in self.experimental.iter().chain(&self.opt_out) {
            self.check_declared(cx, capability);
        }
    }

    /// Reports a capability whose side declares no capabilities.
    pub fn check_declared(&self, cx: &Ctxt, capability: &Capability) {
        let located = match capability.side {
            Side::Client => self.written.0,
            Side::Server => self.written.1,
        };
        if located {
            return;
        }
        let message = if self.negotiation.is_none() {
            format!(
                "capability `{}` needs the protocol to declare its negotiation: \
                 `#[protocol(negotiation = \"method\", {}_capabilities = \"params.capabilities\")]`",
                capability.lit.value(),
                capability.side.name()
            )
        } else {
            format!(
                "capability `{}` is the {side}'s, and the protocol does not say where the {side}'s capabilities are: \
                 add `{side}_capabilities = \"...\"` to `#[protocol]`",
                capability.lit.value(),
                side = capability.side.name()
            )
        };
        cx.error_spanned_by(&capability.lit, message);
    }

    /// The `ProtocolSettings` value.
    pub fn tokens(&self) -> TokenStream {
        let pm = quote!(::protocol_macros);
        let jsonrpc = if self.omit_jsonrpc {
            quote!(#pm::Dialect::Omitted)
        } else {
            quote!(#pm::Dialect::V2)
        };
        let negotiation = match &self.negotiation {
            Some(method) => {
                let client = optional(self.client.as_ref().map(Location::tokens));
                let server = optional(self.server.as_ref().map(Location::tokens));
                quote!(::core::option::Option::Some(#pm::Negotiation {
                    method: #method,
                    client: #client,
                    server: #server,
                }))
            }
            None => quote!(::core::option::Option::None),
        };
        let experimental = optional(self.experimental.as_ref().map(Capability::tokens));
        let opt_out = optional(self.opt_out.as_ref().map(Capability::tokens));
        quote!(#pm::ProtocolSettings {
            jsonrpc: #jsonrpc,
            negotiation: #negotiation,
            experimental: #experimental,
            opt_out: #opt_out,
        })
    }
}

fn optional(tokens: Option<TokenStream>) -> TokenStream {
    match tokens {
        Some(tokens) => quote!(::core::option::Option::Some(#tokens)),
        None => quote!(::core::option::Option::None),
    }
}
