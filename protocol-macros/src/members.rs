//! The members of a `#[wire]` struct by wire name, at compile time: what
//! `#[protocol]` walks to check that a capability (`client.sampling.tools`)
//! names members its side's capabilities object has. `#[wire]` implements
//! `WireMembers` (the names), `WireMember<H>` (the type of the member whose
//! name hashes to `H`) and `CapabilityObject` on a struct with named fields.

use serde_json::{Map, Value};

/// The wire names of a struct's members. `OPEN`: it takes members it does
/// not name (a flattened map or struct), so any name is one of its members.
#[diagnostic::on_unimplemented(
    message = "a capability path steps through `{Self}`, which is not a `#[wire]` struct",
    label = "the path from here goes through `{Self}`",
    note = "a capability path names members of `#[wire]` structs (or of a map or `serde_json::Value`, which take any name)"
)]
pub trait WireMembers {
    const NAME: &'static str;
    const MEMBERS: &'static [&'static str];
    const OPEN: bool = false;
}

/// The type of the member whose wire name hashes to `H` (`member_hash`).
pub trait WireMember<const H: u64> {
    type Type;
}

/// What a capability path steps into: a struct itself, `T` of `Option<T>`,
/// or `Open` for a value whose members are not known (a map, any JSON).
#[diagnostic::on_unimplemented(
    message = "a capability path steps through `{Self}`, which is not a `#[wire]` struct",
    label = "the path from here goes through `{Self}`",
    note = "a capability path names members of `#[wire]` structs (or of a map or `serde_json::Value`, which take any name), through `Option`"
)]
pub trait CapabilityObject {
    type Object;
}

/// The members of a JSON value whose members are not known: any name, of
/// any type.
pub struct Open;

#[diagnostic::do_not_recommend]
impl WireMembers for Open {
    const NAME: &'static str = "";
    const MEMBERS: &'static [&'static str] = &[];
    const OPEN: bool = true;
}

impl<const H: u64> WireMember<H> for Open {
    type Type = Open;
}

#[diagnostic::do_not_recommend]
impl CapabilityObject for Open {
    type Object = Open;
}

// Recommended, so that an `Option<bool>` is reported as the `bool`.
impl<T: CapabilityObject> CapabilityObject for Option<T> {
    type Object = T::Object;
}

#[diagnostic::do_not_recommend]
impl CapabilityObject for Value {
    type Object = Open;
}

#[diagnostic::do_not_recommend]
impl CapabilityObject for Map<String, Value> {
    type Object = Open;
}

#[diagnostic::do_not_recommend]
impl<T> CapabilityObject for std::collections::BTreeMap<String, T> {
    type Object = Open;
}

#[diagnostic::do_not_recommend]
impl<T> CapabilityObject for std::collections::HashMap<String, T> {
    type Object = Open;
}

/// One step of a capability path: into the member hashing to `H` when
/// `FOUND` (`has_member`), else into `Open`, so that a member that is not
/// there is reported once, by `check_member`, and the walk goes on quietly.
pub trait Walk<const H: u64, const FOUND: bool> {
    type Next;
}

impl<T: WireMember<H>, const H: u64> Walk<H, true> for T {
    type Next = <T as WireMember<H>>::Type;
}

impl<T, const H: u64> Walk<H, false> for T {
    type Next = Open;
}

/// Whether `T` has `member` (any name, when it is open).
pub const fn has_member<T: WireMembers>(member: &str) -> bool {
    if T::OPEN {
        return true;
    }
    let mut i = 0;
    while i < T::MEMBERS.len() {
        if same(T::MEMBERS[i], member) {
            return true;
        }
        i += 1;
    }
    false
}

/// Refuses, at compile time, a `member` that `T` does not have: ``no member
/// `confirm_deletes` in the client's capabilities (`NotesCapabilities` has
/// `confirmDeletes`)``, `place` being what the path reached.
pub const fn check_member<T: WireMembers>(member: &str, place: &str) {
    if has_member::<T>(member) {
        return;
    }
    let mut text = Text::new()
        .push("no member `")
        .push(member)
        .push("` in ")
        .push(place)
        .push(" (`")
        .push(T::NAME)
        .push("` has ");
    if T::MEMBERS.is_empty() {
        text = text.push("none");
    }
    let mut i = 0;
    while i < T::MEMBERS.len() {
        if i > 0 {
            text = text.push(", ");
        }
        text = text.push("`").push(T::MEMBERS[i]).push("`");
        i += 1;
    }
    text = text.push(")");
    let (written, _) = text.bytes.split_at(text.len);
    match core::str::from_utf8(written) {
        Ok(message) => panic!("{}", message),
        Err(_) => panic!("a capability names a member its side's capabilities do not have"),
    }
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A message built at compile time (a `const fn` cannot format), cut at
/// its capacity on a character boundary.
struct Text {
    bytes: [u8; 1024],
    len: usize,
}

impl Text {
    const fn new() -> Text {
        Text {
            bytes: [0; 1024],
            len: 0,
        }
    }

    const fn push(mut self, text: &str) -> Text {
        let text = text.as_bytes();
        if self.len + text.len() > self.bytes.len() {
            return self;
        }
        let mut i = 0;
        while i < text.len() {
            self.bytes[self.len] = text[i];
            self.len += 1;
            i += 1;
        }
        self
    }
}
