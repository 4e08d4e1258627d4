//! Checks across methods and sets, after each attribute parsed on its own.

use std::collections::HashMap;

use super::ast::{self, Protocol};
use super::attr::SetKind;
use super::expand;
use super::valid;
use crate::ctxt::Ctxt;

pub fn check(cx: &Ctxt, protocol: &Protocol) {
    check_kinds(cx, protocol);
    check_responses(cx, protocol);
    check_unique_names(cx, protocol);
    check_capabilities(cx, protocol);
    check_negotiation(cx, protocol);
    check_unique_variants(cx, protocol);
    check_marker_shadowing(cx, protocol);
    check_params_are_objects(cx, protocol);
    check_handler_names(cx, protocol);
}

/// JSON-RPC params are "a Structured value" (an object or an array), and
/// on this wire an object of named members: params typed as a string, a
/// number or a sequence would be written where the standard allows none.
fn check_params_are_objects(cx: &Ctxt, protocol: &Protocol) {
    for method in protocol.sets().flat_map(|set| &set.methods) {
        let Some(written) = &method.params else {
            continue;
        };
        let ty = ast::optional_params(written).unwrap_or(written);
        if !ast::not_an_object(ty) {
            continue;
        }
        let fix = if matches!(ty, syn::Type::Tuple(tuple) if tuple.elems.is_empty()) {
            format!(
                "a method without params is a variant without a field: `{}`",
                method.variant
            )
        } else {
            "define a `#[wire]` struct with the params as its fields".to_owned()
        };
        cx.error_spanned_by(
            ty,
            format!(
                "JSON-RPC params are an object of named members: `{}` is not one; {fix}",
                ast::type_name(ty)
            ),
        );
    }
}

/// The handler traits are named `ServerHandler` and `ClientHandler` in
/// the module, and their methods after the variants in snake case: none
/// may be taken twice.
fn check_handler_names(cx: &Ctxt, protocol: &Protocol) {
    for item in &protocol.items {
        let ast::ProtocolItem::Other(item) = item else {
            continue;
        };
        let Some(ident) = expand::item_ident(item) else {
            continue;
        };
        if ident == "ServerHandler" || ident == "ClientHandler" {
            cx.error_spanned_by(
                ident,
                format!(
                    "`{ident}` is the name of the handler trait #[protocol] generates in this module; rename this item"
                ),
            );
        }
    }
    let mut seen: HashMap<(&str, String), String> = HashMap::new();
    for set in protocol.sets() {
        let handler = expand::trait_of(set.kind());
        for method in &set.methods {
            let name = expand::snake_case(&method.variant);
            let variant = method.variant.to_string();
            if let Some(first) = seen.get(&(handler, name.clone())) {
                cx.error_spanned_by(
                    &method.variant,
                    format!(
                        "`{variant}` and `{first}` both become the method `{name}` of `{handler}`; rename one of them"
                    ),
                );
            } else {
                seen.insert((handler, name), variant);
            }
        }
    }
}

/// The model expansion reads, once the checks passed. `None` when a method
/// lacks a name or a request lacks its response type, each of which
/// parsing or a check above has already reported.
pub fn valid(protocol: &Protocol) -> Option<valid::Protocol<'_>> {
    let items = protocol
        .items
        .iter()
        .map(|item| match item {
            ast::ProtocolItem::Set(set) => valid_set(set).map(valid::ProtocolItem::Set),
            ast::ProtocolItem::Other(item) => Some(valid::ProtocolItem::Other(item)),
        })
        .collect::<Option<_>>()?;
    Some(valid::Protocol {
        module: &protocol.module,
        settings: &protocol.settings,
        items,
        check_capabilities: true,
    })
}

fn valid_set(set: &ast::Set) -> Option<valid::Set<'_>> {
    let methods = set
        .methods
        .iter()
        .map(|method| {
            Some(valid::Method {
                variant: &method.variant,
                attrs: &method.attrs,
                docs: &method.docs,
                name: method.name()?,
                params: method.params.as_ref(),
                capability: method.method_attr.capability.as_ref(),
                experimental: method.method_attr.experimental.as_ref(),
                deprecated: method.method_attr.deprecated.as_ref(),
                since: method.method_attr.since.as_ref(),
                marker: true,
                params_checked: true,
            })
        })
        .collect::<Option<_>>()?;
    let responses = if set.kind().is_request() {
        let types = set
            .methods
            .iter()
            .map(ast::Method::response)
            .collect::<Option<_>>()?;
        Some(valid::Responses {
            ident: set.response_ident(),
            types,
        })
    } else {
        None
    };
    Some(valid::Set {
        kind: set.kind(),
        ident: &set.ident,
        vis: &set.vis,
        attrs: &set.attrs,
        docs: &set.docs,
        methods,
        responses,
    })
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
                (None, true) if method.method_attr.unreadable => {}
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

/// A method name means one method in each direction: the same name in a
/// client set and a server set of the same kind is one method both peers
/// send, with the same types on each side.
fn check_unique_names(cx: &Ctxt, protocol: &Protocol) {
    struct First<'a> {
        set: &'a ast::Set,
        method: &'a ast::Method,
    }
    let mut seen: HashMap<(String, bool), First> = HashMap::new();
    for set in protocol.sets() {
        let client = matches!(
            set.kind(),
            SetKind::ClientRequests | SetKind::ClientNotifications
        );
        for method in &set.methods {
            let Some(name) = method.name() else { continue };
            let here = format!("{}::{}", set.ident, method.variant);
            if let Some(first) = seen.get(&(name.value(), client)) {
                cx.error_spanned_by(
                    name,
                    format!(
                        "duplicate method name `{}`: already declared by `{}::{}`",
                        name.value(),
                        first.set.ident,
                        first.method.variant
                    ),
                );
                continue;
            }
            if let Some(other) = seen.get(&(name.value(), !client)) {
                let there = format!("{}::{}", other.set.ident, other.method.variant);
                if other.set.kind().is_request() != set.kind().is_request() {
                    let what = |request: bool| if request { "request" } else { "notification" };
                    cx.error_spanned_by(
                        name,
                        format!(
                            "`{}` is a {} in `{there}` and a {} here; a method both peers send is of one kind",
                            name.value(),
                            what(other.set.kind().is_request()),
                            what(set.kind().is_request()),
                        ),
                    );
                } else {
                    check_same_types(cx, name, (other.method, &there), (method, &here));
                }
            }
            seen.insert((name.value(), client), First { set, method });
        }
    }
}

/// A method both peers send has one params type and one response type.
fn check_same_types(
    cx: &Ctxt,
    name: &syn::LitStr,
    (first, there): (&ast::Method, &str),
    (method, here): (&ast::Method, &str),
) {
    let written =
        |ty: Option<&syn::Type>| ty.map(ast::type_name).unwrap_or_else(|| "no params".into());
    let pairs = [
        ("params", first.params.as_ref(), method.params.as_ref()),
        ("response", first.response(), method.response()),
    ];
    for (what, a, b) in pairs {
        // A response missing from a `#[method]` that did not parse may be
        // the one written there.
        let unreadable = first.method_attr.unreadable || method.method_attr.unreadable;
        if what == "response" && unreadable {
            continue;
        }
        let (a, b) = (written(a), written(b));
        if a != b {
            let span: &dyn quote::ToTokens = match what {
                "params" => match &method.params {
                    Some(ty) => ty,
                    None => &method.variant,
                },
                _ => match method.response() {
                    Some(ty) => ty,
                    None => name,
                },
            };
            cx.error_spanned_by(
                span,
                format!(
                    "`{}` is sent by both peers, with the same {what} type on each side: `{a}` in `{there}`, `{b}` in `{here}`",
                    name.value()
                ),
            );
        }
    }
}

/// A capability names a side whose capabilities the protocol locates.
fn check_capabilities(cx: &Ctxt, protocol: &Protocol) {
    for set in protocol.sets() {
        for method in &set.methods {
            if let Some(capability) = &method.method_attr.capability {
                protocol.settings.check_declared(cx, capability);
            }
        }
    }
}

/// The negotiation method is a request the client sends, in this module.
fn check_negotiation(cx: &Ctxt, protocol: &Protocol) {
    let Some(negotiation) = &protocol.settings.negotiation else {
        return;
    };
    let declared = protocol
        .sets()
        .filter(|set| set.kind() == SetKind::ClientRequests)
        .flat_map(|set| &set.methods)
        .any(|m| {
            m.name()
                .is_some_and(|name| name.value() == negotiation.value())
        });
    if !declared {
        cx.error_spanned_by(
            negotiation,
            format!(
                "the negotiation `{}` is not a method of this module's `#[client_requests]`",
                negotiation.value()
            ),
        );
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
