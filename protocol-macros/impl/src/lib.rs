//! Procedural macros behind `protocol-macros`. Use them through that crate:
//! its runtime types are what the expansions refer to.

mod ctxt;
mod symbol;
mod wire;

use proc_macro::TokenStream;

/// Makes a struct or an enum a wire type: `Serialize`, `Deserialize`,
/// `JsonSchema` and `TS` derived with one set of `#[serde(...)]` settings,
/// camelCase unless the container has its own `rename_all`.
#[proc_macro_attribute]
pub fn wire(args: TokenStream, input: TokenStream) -> TokenStream {
    wire::expand(args.into(), input.into()).into()
}

/// The one path through which expansions reach the runtime crate.
fn private() -> proc_macro2::TokenStream {
    quote::quote!(::protocol_macros::__private)
}
