//! The model of a `#[protocol]` module: its method sets and their methods.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{Attribute, Fields, Ident, Item, ItemEnum, ItemMod, LitStr, Type, Variant, Visibility};

use super::attr::{MethodAttr, SetAttr, SetKind};
use super::settings::Settings;
use crate::ctxt::Ctxt;
use crate::symbol::METHOD;

pub struct Protocol {
    /// The module as written, its content split into method sets and the rest.
    pub module: ItemMod,
    /// What `#[protocol(...)]` declares.
    pub settings: Settings,
    pub items: Vec<ProtocolItem>,
}

pub enum ProtocolItem {
    Set(Box<Set>),
    Other(Box<Item>),
}

pub struct Set {
    pub attr: SetAttr,
    pub ident: Ident,
    pub vis: Visibility,
    /// The enum's attributes, without the set attribute.
    pub attrs: Vec<Attribute>,
    pub docs: String,
    pub methods: Vec<Method>,
    /// The enum as written, for the fallback expansion.
    pub item: ItemEnum,
}

pub struct Method {
    pub variant: Ident,
    /// The variant's attributes, without `#[method]`.
    pub attrs: Vec<Attribute>,
    pub docs: String,
    pub method_attr: MethodAttr,
    pub params: Option<Type>,
}

impl Method {
    pub fn name(&self) -> Option<&LitStr> {
        self.method_attr.name.as_ref()
    }

    pub fn response(&self) -> Option<&Type> {
        self.method_attr.response.as_ref().map(|(_, ty)| ty)
    }
}

impl Set {
    pub fn kind(&self) -> SetKind {
        self.attr.kind
    }

    /// The response enum's name: `responses = …`, else `…Request` → `…Response`.
    pub fn response_ident(&self) -> Ident {
        if let Some(ident) = &self.attr.responses {
            return ident.clone();
        }
        let name = self.ident.to_string();
        let base = name.strip_suffix("Request").unwrap_or(&name);
        Ident::new(&format!("{base}Response"), self.ident.span())
    }
}

impl Protocol {
    pub fn from_ast(cx: &Ctxt, module: ItemMod, settings: Settings) -> Option<Protocol> {
        let Some((_, content)) = &module.content else {
            cx.error_spanned_by(
                &module,
                "`#[protocol]` needs an inline module: `mod name { ... }`",
            );
            return None;
        };
        let items = content
            .iter()
            .map(|item| match item {
                Item::Enum(item) => match set_attr(cx, &item.attrs) {
                    Some(attr) => ProtocolItem::Set(Box::new(Set::from_ast(cx, attr, item))),
                    None => ProtocolItem::Other(Box::new(Item::Enum(item.clone()))),
                },
                other => ProtocolItem::Other(Box::new(other.clone())),
            })
            .collect();
        Some(Protocol {
            module,
            settings,
            items,
        })
    }

    pub fn sets(&self) -> impl Iterator<Item = &Set> {
        self.items.iter().filter_map(|item| match item {
            ProtocolItem::Set(set) => Some(&**set),
            ProtocolItem::Other(_) => None,
        })
    }
}

fn set_attr(cx: &Ctxt, attrs: &[Attribute]) -> Option<SetAttr> {
    let mut found: Option<SetAttr> = None;
    for attr in attrs {
        let Some(kind) = SetKind::of_attr(attr) else {
            continue;
        };
        if SetKind::from_attr(attr).is_none() {
            // Read as the set it is nearest, so that this is the one error.
            cx.error_spanned_by(
                attr.path(),
                format!(
                    "`#[{}]` is not a method set attribute; did you mean `#[{}]`? An enum of methods is marked `#[client_requests]`, `#[server_requests]`, `#[client_notifications]` or `#[server_notifications]`",
                    attr.path().get_ident().expect("a misspelling is one word"),
                    kind.symbol()
                ),
            );
        }
        let parsed = SetAttr::parse(cx, kind, attr);
        if found.is_some() {
            cx.error_spanned_by(
                attr,
                "an enum is one method set; remove this second set attribute",
            );
        } else {
            found = Some(parsed);
        }
    }
    found
}

impl Set {
    fn from_ast(cx: &Ctxt, attr: SetAttr, item: &ItemEnum) -> Set {
        if !item.generics.params.is_empty() || item.generics.where_clause.is_some() {
            cx.error_spanned_by(&item.generics, "a method set cannot be generic");
        }
        if item.variants.is_empty() {
            cx.error_spanned_by(&item.ident, "a method set needs at least one method");
        }
        let methods = item
            .variants
            .iter()
            .filter_map(|variant| {
                if let Some((_, discriminant)) = &variant.discriminant {
                    cx.error_spanned_by(discriminant, "a method variant cannot have a discriminant");
                }
                let params = params(variant).unwrap_or_else(|fields| {
                    cx.error_spanned_by(
                        fields,
                        "a method variant carries its params as one unnamed field, `Variant(Params)`, or nothing",
                    );
                    None
                });
                let mut method_attr = None;
                for attr in variant.attrs.iter().filter(|a| a.path() == METHOD) {
                    if method_attr.is_some() {
                        cx.error_spanned_by(attr, "duplicate `#[method]` attribute");
                    } else {
                        method_attr = Some(MethodAttr::parse(cx, attr));
                    }
                }
                let Some(method_attr) = method_attr else {
                    cx.error_spanned_by(
                        &variant.ident,
                        format!(
                            "`{}` has no `#[method(\"name\", ...)]` attribute",
                            variant.ident
                        ),
                    );
                    return None;
                };
                let attrs: Vec<Attribute> = variant
                    .attrs
                    .iter()
                    .filter(|a| a.path() != METHOD)
                    .cloned()
                    .collect();
                Some(Method {
                    variant: variant.ident.clone(),
                    docs: docs(&attrs),
                    attrs,
                    method_attr,
                    params,
                })
            })
            .collect();
        let attrs: Vec<Attribute> = item
            .attrs
            .iter()
            .filter(|a| SetKind::of_attr(a).is_none())
            .cloned()
            .collect();
        Set {
            attr,
            ident: item.ident.clone(),
            vis: item.vis.clone(),
            docs: docs(&attrs),
            attrs,
            methods,
            item: item.clone(),
        }
    }
}

/// A method variant's params type: its one unnamed field, or none for a
/// unit variant; other fields are not a method's.
pub fn params(variant: &Variant) -> Result<Option<Type>, &Fields> {
    match &variant.fields {
        Fields::Unit => Ok(None),
        Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
            Ok(Some(fields.unnamed[0].ty.clone()))
        }
        other => Err(other),
    }
}

/// The doc comment, one leading space per line removed, lines joined by `\n`.
pub fn docs(attrs: &[Attribute]) -> String {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| {
            line.strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_owned()
        })
        .collect();
    lines.join("\n").trim().to_owned()
}

/// A type as the user wrote it, without the spaces token printing adds.
/// `T` when a variant's params type is written `Option<T>`: params the
/// sender may leave out (absent or `null` decode as `None`, and `None` is
/// sent without `params`).
pub fn optional_params(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(syn::GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// Whether params of type `ty` (`T` of `Option<T>` params) are evidently
/// not a JSON object: a tuple, an array, a reference to one of those, a
/// string, a number, a `bool`, a sequence or set, or any JSON value. Other
/// types are held to it by `WireParams` when the expansion is compiled.
pub fn not_an_object(ty: &Type) -> bool {
    const NOT_OBJECTS: &[&str] = &[
        "String", "str", "bool", "char", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16",
        "i32", "i64", "i128", "isize", "f32", "f64", "Vec", "VecDeque", "HashSet", "BTreeSet",
        "Value", "Number",
    ];
    match ty {
        Type::Tuple(_) | Type::Array(_) | Type::Slice(_) => true,
        Type::Reference(reference) => not_an_object(&reference.elem),
        Type::Paren(paren) => not_an_object(&paren.elem),
        Type::Group(group) => not_an_object(&group.elem),
        Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .is_some_and(|last| NOT_OBJECTS.iter().any(|name| last.ident == name)),
        _ => false,
    }
}

pub fn type_name(ty: &Type) -> String {
    let tokens: TokenStream = ty.to_token_stream();
    tokens.to_string().replace(' ', "")
}
