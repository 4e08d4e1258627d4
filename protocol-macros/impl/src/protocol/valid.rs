//! The model expansion reads: a `#[protocol]` module that passed every
//! check. Nothing here is optional unless the protocol itself makes it so
//! (a method without params, a method without a capability).

use syn::{Attribute, Ident, Item, ItemMod, LitStr, Type, Visibility};

use super::attr::SetKind;
use super::settings::{Capability, Settings};

pub struct Protocol<'a> {
    pub module: &'a ItemMod,
    pub settings: &'a Settings,
    pub items: Vec<ProtocolItem<'a>>,
    /// Whether each capability is checked against its side's capabilities
    /// type at compile time: not after other errors, when the negotiation's
    /// types may be what is wrong.
    pub check_capabilities: bool,
}

pub enum ProtocolItem<'a> {
    Set(Set<'a>),
    Other(&'a Item),
}

pub struct Set<'a> {
    pub kind: SetKind,
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    /// The enum's attributes, without the set attribute.
    pub attrs: &'a [Attribute],
    pub docs: &'a str,
    pub methods: Vec<Method<'a>>,
    /// What a request set answers with; `None` for a notification set.
    pub responses: Option<Responses<'a>>,
}

pub struct Method<'a> {
    pub variant: &'a Ident,
    /// The variant's attributes, without `#[method]`.
    pub attrs: &'a [Attribute],
    pub docs: &'a str,
    pub name: &'a LitStr,
    pub params: Option<&'a Type>,
    pub capability: Option<&'a Capability>,
    pub experimental: Option<&'a LitStr>,
    pub deprecated: Option<&'a LitStr>,
    pub since: Option<&'a LitStr>,
    /// Whether the method's marker type is generated: always once the
    /// checks passed; when they failed, not when its name is taken in the
    /// module (by another method's marker or a type), which the errors say.
    pub marker: bool,
    /// Whether the params type is read as `WireParams`: always once the
    /// checks passed; when they failed, not for params they refused as not
    /// an object, which the errors say.
    pub params_checked: bool,
}

/// The response enum of a request set, and each method's response type in
/// method order.
pub struct Responses<'a> {
    pub ident: Ident,
    pub types: Vec<&'a Type>,
}

impl Protocol<'_> {
    pub fn sets(&self) -> impl Iterator<Item = &Set<'_>> {
        self.items.iter().filter_map(|item| match item {
            ProtocolItem::Set(set) => Some(set),
            ProtocolItem::Other(_) => None,
        })
    }
}

impl Set<'_> {
    pub fn is_request(&self) -> bool {
        self.responses.is_some()
    }
}

impl Method<'_> {
    pub fn is_gated(&self) -> bool {
        self.capability.is_some()
    }
}
