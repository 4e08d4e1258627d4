//! Attribute keywords, in one place, so parsing and error messages agree.

use std::fmt::{self, Display};

use syn::{Ident, Path};

#[derive(Copy, Clone)]
pub struct Symbol(&'static str);

pub const SERDE: Symbol = Symbol("serde");
pub const RENAME_ALL: Symbol = Symbol("rename_all");
pub const RENAME_ALL_FIELDS: Symbol = Symbol("rename_all_fields");
pub const TRANSPARENT: Symbol = Symbol("transparent");
pub const TAG: Symbol = Symbol("tag");
pub const UNTAGGED: Symbol = Symbol("untagged");

pub const METHOD: Symbol = Symbol("method");
pub const NAME: Symbol = Symbol("name");
pub const RESPONSE: Symbol = Symbol("response");
pub const CAPABILITY: Symbol = Symbol("capability");
pub const EXPERIMENTAL: Symbol = Symbol("experimental");
pub const DEPRECATED: Symbol = Symbol("deprecated");
pub const SINCE: Symbol = Symbol("since");
pub const RESPONSES: Symbol = Symbol("responses");

pub const JSONRPC: Symbol = Symbol("jsonrpc");
pub const NEGOTIATION: Symbol = Symbol("negotiation");
pub const CLIENT_CAPABILITIES: Symbol = Symbol("client_capabilities");
pub const SERVER_CAPABILITIES: Symbol = Symbol("server_capabilities");
pub const OPT_OUT: Symbol = Symbol("opt_out");

pub const CLIENT_REQUESTS: Symbol = Symbol("client_requests");
pub const SERVER_REQUESTS: Symbol = Symbol("server_requests");
pub const CLIENT_NOTIFICATIONS: Symbol = Symbol("client_notifications");
pub const SERVER_NOTIFICATIONS: Symbol = Symbol("server_notifications");

impl Symbol {
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl PartialEq<Symbol> for Ident {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl PartialEq<Symbol> for &Ident {
    fn eq(&self, word: &Symbol) -> bool {
        *self == word.0
    }
}

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl PartialEq<Symbol> for &Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl Display for Symbol {
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(self.0)
    }
}
