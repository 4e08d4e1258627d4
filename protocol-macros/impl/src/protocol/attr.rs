//! Parsing the attributes of a `#[protocol]` module: the set attribute on an
//! enum (`#[client_requests]`, …) and `#[method(...)]` on its variants.

use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, LitStr, Token, Type};

use super::settings::Capability;
use crate::ctxt::Ctxt;
use crate::symbol::*;

/// Which message enum an enum is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SetKind {
    ClientRequests,
    ServerRequests,
    ClientNotifications,
    ServerNotifications,
}

impl SetKind {
    pub const ALL: [SetKind; 4] = [
        SetKind::ClientRequests,
        SetKind::ServerRequests,
        SetKind::ClientNotifications,
        SetKind::ServerNotifications,
    ];

    pub fn symbol(self) -> Symbol {
        match self {
            SetKind::ClientRequests => CLIENT_REQUESTS,
            SetKind::ServerRequests => SERVER_REQUESTS,
            SetKind::ClientNotifications => CLIENT_NOTIFICATIONS,
            SetKind::ServerNotifications => SERVER_NOTIFICATIONS,
        }
    }

    pub fn is_request(self) -> bool {
        matches!(self, SetKind::ClientRequests | SetKind::ServerRequests)
    }

    pub fn from_attr(attr: &Attribute) -> Option<SetKind> {
        SetKind::ALL.into_iter().find(|k| attr.path() == k.symbol())
    }

    /// The set an attribute that is none of the four was meant to be: one
    /// a few edits from a set's name (`client_request`,
    /// `server_notifcations`), or naming requests or notifications
    /// (`requests`, `ClientNotifications`). Other attributes of an enum
    /// (`derive`, `serde`, `repr`, …) are neither, and are left alone.
    pub fn misspelled(attr: &Attribute) -> Option<SetKind> {
        if SetKind::from_attr(attr).is_some() {
            return None;
        }
        let written = attr.path().get_ident()?.to_string().to_lowercase();
        let (distance, nearest) = SetKind::ALL
            .into_iter()
            .map(|kind| (edit_distance(&written, kind.symbol().as_str()), kind))
            .min_by_key(|(distance, _)| *distance)?;
        let shaped = written.contains("request") || written.contains("notification");
        (distance <= 3 || shaped).then_some(nearest)
    }

    /// Either: the set attribute, written right or misspelled.
    pub fn of_attr(attr: &Attribute) -> Option<SetKind> {
        SetKind::from_attr(attr).or_else(|| SetKind::misspelled(attr))
    }
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// `#[client_requests(responses = ClientResponse)]`.
pub struct SetAttr {
    pub kind: SetKind,
    pub attr: Attribute,
    pub responses: Option<Ident>,
}

impl SetAttr {
    pub fn parse(cx: &Ctxt, kind: SetKind, attr: &Attribute) -> SetAttr {
        let mut responses = None;
        if !matches!(attr.meta, syn::Meta::Path(_)) {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path == RESPONSES {
                    if !kind.is_request() {
                        return Err(meta.error(format!(
                            "`responses` names the response enum of a request set; `#[{}]` has no responses",
                            kind.symbol()
                        )));
                    }
                    if responses.is_some() {
                        return Err(meta.error("duplicate `responses`"));
                    }
                    responses = Some(meta.value()?.parse::<Ident>()?);
                    Ok(())
                } else {
                    Err(meta.error(format!(
                        "unknown key in `#[{}]`; expected `responses = Name`",
                        kind.symbol()
                    )))
                }
            });
            if let Err(err) = result {
                cx.syn_error(err);
            }
        }
        SetAttr {
            kind,
            attr: attr.clone(),
            responses,
        }
    }
}

/// `#[method("name", response = Type, capability = "client.name",
/// experimental = "reason", deprecated = "message", since = "1.4")]`.
pub struct MethodAttr {
    pub attr: Attribute,
    pub name: Option<LitStr>,
    /// The `response` key and its type.
    pub response: Option<(Ident, Type)>,
    pub capability: Option<Capability>,
    pub experimental: Option<LitStr>,
    pub deprecated: Option<LitStr>,
    pub since: Option<LitStr>,
    /// An argument did not parse (and was reported): a key missing here
    /// may be the one written there.
    pub unreadable: bool,
}

enum MethodArg {
    Name(LitStr),
    Keyed(Ident, KeyedValue),
}

enum KeyedValue {
    Name(LitStr),
    Response(Box<Type>),
    Capability(LitStr),
    /// `experimental`, `deprecated` or `since`: a string.
    Mark(LitStr),
}

impl Parse for MethodArg {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return Ok(MethodArg::Name(input.parse()?));
        }
        let key: Ident = input.parse()?;
        let value = if key == NAME {
            input.parse::<Token![=]>()?;
            KeyedValue::Name(input.parse()?)
        } else if key == RESPONSE {
            input.parse::<Token![=]>()?;
            KeyedValue::Response(Box::new(input.parse()?))
        } else if key == CAPABILITY {
            input.parse::<Token![=]>()?;
            KeyedValue::Capability(input.parse()?)
        } else if key == EXPERIMENTAL || key == DEPRECATED || key == SINCE {
            input.parse::<Token![=]>()?;
            KeyedValue::Mark(input.parse()?)
        } else {
            return Err(syn::Error::new(
                key.span(),
                format!(
                    "unknown key `{key}` in `#[method]`; expected a method name, `response = Type`, \
                     `capability = \"client.name\"`, `experimental = \"reason\"`, \
                     `deprecated = \"message\"` or `since = \"1.4\"`"
                ),
            ));
        };
        Ok(MethodArg::Keyed(key, value))
    }
}

impl MethodAttr {
    /// `attr` with nothing read from it yet.
    pub fn new(attr: Attribute) -> MethodAttr {
        MethodAttr {
            attr,
            name: None,
            response: None,
            capability: None,
            experimental: None,
            deprecated: None,
            since: None,
            unreadable: false,
        }
    }

    pub fn parse(cx: &Ctxt, attr: &Attribute) -> MethodAttr {
        let mut out = MethodAttr::new(attr.clone());
        let args = match &attr.meta {
            syn::Meta::List(_) => match attr.parse_args_with(parse_args) {
                Ok((args, error)) => {
                    if let Some(err) = error {
                        cx.syn_error(err);
                        out.unreadable = true;
                    }
                    args
                }
                Err(err) => {
                    cx.syn_error(err);
                    return out;
                }
            },
            _ => {
                cx.error_spanned_by(attr, "expected `#[method(\"name\", ...)]`");
                return out;
            }
        };
        for arg in args {
            match arg {
                MethodArg::Name(lit) | MethodArg::Keyed(_, KeyedValue::Name(lit)) => {
                    if out.name.is_some() {
                        cx.error_spanned_by(&lit, "duplicate method name in `#[method]`");
                    } else {
                        out.name = Some(lit);
                    }
                }
                MethodArg::Keyed(key, KeyedValue::Response(ty)) => {
                    if out.response.is_some() {
                        cx.error_spanned_by(&key, "duplicate `response` in `#[method]`");
                    } else {
                        out.response = Some((key, *ty));
                    }
                }
                MethodArg::Keyed(key, KeyedValue::Mark(lit)) => {
                    let (slot, what) = if key == EXPERIMENTAL {
                        (
                            &mut out.experimental,
                            "a reason: `experimental = \"why it may still change\"`",
                        )
                    } else if key == DEPRECATED {
                        (
                            &mut out.deprecated,
                            "a message: `deprecated = \"use `other` instead\"`",
                        )
                    } else {
                        (&mut out.since, "a version: `since = \"1.4\"`")
                    };
                    if slot.is_some() {
                        cx.error_spanned_by(&key, format!("duplicate `{key}` in `#[method]`"));
                    } else if lit.value().trim().is_empty() {
                        cx.error_spanned_by(
                            &lit,
                            format!("`{key}` needs {what}, not an empty string"),
                        );
                    } else if key == SINCE && !crate::stability::is_version(&lit.value()) {
                        cx.error_spanned_by(
                            &lit,
                            format!(
                                "`since` takes a version such as \"1.4\" or \"1.4.2\", not \"{}\"",
                                lit.value()
                            ),
                        );
                    } else {
                        *slot = Some(lit);
                    }
                }
                MethodArg::Keyed(key, KeyedValue::Capability(lit)) => {
                    if out.capability.is_some() {
                        cx.error_spanned_by(&key, "duplicate `capability` in `#[method]`");
                    } else {
                        out.capability = Capability::parse(cx, &lit, "capability");
                    }
                }
            }
        }
        match &out.name {
            // The name may be what did not parse.
            None if out.unreadable => {}
            None => cx.error_spanned_by(
                attr,
                "`#[method]` needs the wire method name: `#[method(\"name\", ...)]`",
            ),
            Some(lit) => check_word(cx, lit, "method name"),
        }
        out
    }
}

/// The arguments of `#[method(...)]`, and the first one that did not parse.
/// Parsing goes on after it, from the next comma, so that the arguments
/// written correctly still describe the method when the module is expanded
/// despite the error.
fn parse_args(input: ParseStream) -> syn::Result<(Vec<MethodArg>, Option<syn::Error>)> {
    let mut args = Vec::new();
    let mut error = None;
    while !input.is_empty() {
        let parsed = input.parse::<MethodArg>().and_then(|arg| {
            args.push(arg);
            if input.is_empty() {
                Ok(())
            } else {
                input.parse::<Token![,]>().map(drop)
            }
        });
        if let Err(err) = parsed {
            error.get_or_insert(err);
            while !input.is_empty() && !input.peek(Token![,]) {
                input.parse::<proc_macro2::TokenTree>()?;
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
    }
    Ok((args, error))
}

/// Method and capability names are sent verbatim: non-empty, no whitespace
/// or control characters.
pub(crate) fn check_word(cx: &Ctxt, lit: &LitStr, what: &str) {
    let value = lit.value();
    if value.is_empty() {
        cx.error_spanned_by(lit, format!("{what} is empty"));
    } else if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        cx.error_spanned_by(
            lit,
            format!(
                "{what} `{}` contains whitespace or control characters",
                value.escape_debug()
            ),
        );
    }
}
