//! `#[protocol]`: a module whose enums declare the methods of a protocol.
//!
//! parse (`attr`, `ast`) → validate (`check`, which hands `expand` the
//! `valid` model) → expand (`expand`); when there are errors, `fallback`
//! mends the model and expands it all the same, after the errors.

mod ast;
mod attr;
mod check;
mod expand;
mod fallback;
mod settings;
mod valid;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ctxt::Ctxt;

pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let module = match syn::parse2::<syn::ItemMod>(input) {
        Ok(module) => module,
        Err(err) => {
            let err = syn::Error::new(
                err.span(),
                "`#[protocol]` applies to an inline module: `mod name { ... }`",
            );
            return err.to_compile_error();
        }
    };
    let cx = Ctxt::new();
    let settings = settings::Settings::parse(&cx, args);
    let Some(protocol) = ast::Protocol::from_ast(&cx, module.clone(), settings) else {
        let err = cx.check().expect_err("from_ast reported why it failed");
        let err = err.to_compile_error();
        return quote!(#err #module);
    };
    check::check(&cx, &protocol);
    let errors = match cx.check() {
        Ok(()) => match check::valid(&protocol) {
            Some(valid) => return expand::expand(&valid),
            None => syn::Error::new_spanned(
                &protocol.module.ident,
                "`#[protocol]` could not read a method of this module, and reported no reason; please report this",
            ),
        },
        Err(errors) => errors,
    };
    fallback::expand(protocol, errors)
}
