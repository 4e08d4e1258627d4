//! Checks across methods and sets, after each attribute parsed on its own.

use std::collections::HashMap;

use super::ast::Protocol;
use crate::ctxt::Ctxt;

pub fn check(cx: &Ctxt, protocol: &Protocol) {
    check_kinds(cx, protocol);
    check_responses(cx, protocol);
    check_unique_names(cx, protocol);
    check_unique_variants(cx, protocol);
    check_marker_shadowing(cx, protocol);
}

/// A marker type named like a params or response type would shadow it in
/// the module, and the method would silently refer to the marker.
fn check_marker_shadowing(cx: &Ctxt, protocol: &Protocol) {
    let markers: Vec<String> = protocol
        .sets()
        .flat_map(|set| set.methods.iter().map(|m| m.variant.to_string()))
        .collect();
    for set in protocol.sets() {
        for method in &set.methods {
            for ty in method.params.iter().chain(method.response()) {
                let syn::Type::Path(path) = ty else { continue };
                let Some(ident) = path.path.get_ident() else {
                    continue;
                };
                if path.qself.is_none() && markers.iter().any(|m| ident == m) {
                    cx.error_spanned_by(
                        ty,
                        format!(
                            "`{ident}` is also the name of a method variant, whose marker type would shadow this type; rename the variant or refer to the type by a longer path"
                        ),
                    );
                }
            }
        }
    }
}

/// Each direction and kind is declared by at most one enum.
fn check_kinds(cx: &Ctxt, protocol: &Protocol) {
    let mut seen = HashMap::new();
    for set in protocol.sets() {
        if let Some(first) = seen.insert(set.kind().symbol().as_str(), &set.ident) {
            cx.error_spanned_by(
                &set.attr.attr,
                format!(
                    "`#[{}]` is already declared by `{first}`; a protocol has one enum per direction and kind",
                    set.kind().symbol()
                ),
            );
        }
    }
}

/// Requests name their response type; notifications have none.
fn check_responses(cx: &Ctxt, protocol: &Protocol) {
    for set in protocol.sets() {
        for method in &set.methods {
            let Some(name) = method.name() else { continue };
            match (&method.method_attr.response, set.kind().is_request()) {
                (None, true) => cx.error_spanned_by(
                    &method.method_attr.attr,
                    format!(
                        "request `{}` needs a response type: `#[method(\"{}\", response = Type)]`",
                        name.value(),
                        name.value()
                    ),
                ),
                (Some((key, _)), false) => cx.error_spanned_by(
                    key,
                    format!(
                        "notification `{}` cannot have a response; remove `response = ...`",
                        name.value()
                    ),
                ),
                _ => {}
            }
        }
    }
}

/// A method name means one method in the whole protocol.
fn check_unique_names(cx: &Ctxt, protocol: &Protocol) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for set in protocol.sets() {
        for method in &set.methods {
            let Some(name) = method.name() else { continue };
            let here = format!("{}::{}", set.ident, method.variant);
            if let Some(first) = seen.get(&name.value()) {
                cx.error_spanned_by(
                    name,
                    format!(
                        "duplicate method name `{}`: already declared by `{first}`",
                        name.value()
                    ),
                );
            } else {
                seen.insert(name.value(), here);
            }
        }
    }
}

/// Marker types are named after variants and share the module.
fn check_unique_variants(cx: &Ctxt, protocol: &Protocol) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for set in protocol.sets() {
        for method in &set.methods {
            let variant = method.variant.to_string();
            if let Some(first) = seen.get(&variant) {
                cx.error_spanned_by(
                    &method.variant,
                    format!(
                        "`{variant}` is already a method of `{first}`; each variant names a marker type in this module, so names must differ across sets"
                    ),
                );
            } else {
                seen.insert(variant, set.ident.to_string());
            }
        }
    }
}
