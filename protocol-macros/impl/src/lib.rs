//! Procedural macros behind `protocol-macros`. Use them through that crate:
//! its runtime types are what the expansions refer to.

mod ctxt;
mod members;
mod optional;
mod protocol;
mod stability;
mod symbol;
mod wire;

use proc_macro::TokenStream;

/// Makes a struct or an enum a wire type: `Serialize`, `Deserialize`,
/// `JsonSchema` and `TS` derived with one set of `#[serde(...)]` settings,
/// camelCase (a struct's fields and variants, and the fields of an enum's
/// struct variants) unless the container has its own `rename_all` or
/// `rename_all_fields`.
#[proc_macro_attribute]
pub fn wire(args: TokenStream, input: TokenStream) -> TokenStream {
    wire::expand(args.into(), input.into()).into()
}

/// Declares the methods of a protocol. On an inline module whose enums are
/// marked `#[client_requests]`, `#[server_requests]`,
/// `#[client_notifications]` or `#[server_notifications]`, each variant
/// annotated `#[method("wire/name", response = Type, capability = "name")]`
/// and carrying its params type as one unnamed field (or none), it generates
/// the wire message enums, a marker type per method, the typed response
/// enums and a `REGISTRY` of every method.
#[proc_macro_attribute]
pub fn protocol(args: TokenStream, input: TokenStream) -> TokenStream {
    protocol::expand(args.into(), input.into()).into()
}

/// The one path through which expansions reach the runtime crate.
fn private() -> proc_macro2::TokenStream {
    quote::quote!(::protocol_macros::__private)
}
