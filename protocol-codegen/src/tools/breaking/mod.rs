//! Breaking-change detection: two models compared method by method, each
//! type by the rules of the peer that receives it.
//!
//! Data the **server receives** (client request params, client
//! notifications, responses to server requests) may grow more tolerant:
//! a new optional field, a wider type, a new enum value are fine; a new
//! required field, a narrower type, a removed value break clients already
//! in the field. Data the **client receives** (responses to client
//! requests, server request params, server notifications) may grow: new
//! fields are fine; a removed field, a field made optional or nullable, a
//! wider or changed type, a new value of a closed enumeration break them.
//! A type reached from both directions is held to both rule sets, each
//! finding naming the method and the path it was reached by.
//!
//! Methods are matched by wire name and direction: a method both peers
//! send is two methods, each judged by the rules of its own receiver, and
//! adding the second direction to a method is a method added. A method
//! that only changed direction is reported as such.
//!
//! The protocol's settings are compared too: a new JSON-RPC dialect, a
//! new negotiation method or capability location, or a moved experimental
//! opt-in or opt-out capability breaks every peer already in the field.
//!
//! An enumeration or union is *open* (a new value does not break a client)
//! when it has a catch-all variant: any string, or any value.
//!
//! An object with additional members (a flattened map) promises that any
//! other name carries a value of its additional type. A named field added
//! to it or removed from it changes the type of a name peers already use:
//! breaking unless the receiver's new type admits what the sender's old one
//! sent. Opening, closing and retyping follow the same two rule sets: a
//! server may start ignoring or keeping what it ignored only if nothing it
//! accepted is now refused; a client may not start receiving members it
//! rejected.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::*;
use crate::META_FORMAT_VERSION;

pub(crate) mod cli;

/// One difference between the base and the current protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub breaking: bool,
    /// The direction of the method the change was reached from, or
    /// `protocol` for a change of the protocol's settings.
    pub direction: String,
    /// The method, or the setting (`jsonrpc`, `negotiation`,
    /// `experimental`, `optOut`) that changed.
    pub method: String,
    /// Where in the method: `params.capabilities.roots`,
    /// `result.items[]`, `params.policy<workspace-write>`; empty for the
    /// method itself.
    pub path: String,
    pub change: String,
}

impl Finding {
    /// The finding without its verdict: what an allowlist entry names.
    pub fn key(&self) -> String {
        if self.path.is_empty() {
            format!("{} {}: {}", self.direction, self.method, self.change)
        } else {
            format!(
                "{} {} {}: {}",
                self.direction, self.method, self.path, self.change
            )
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.breaking {
            "BREAKING"
        } else {
            "ok      "
        };
        write!(f, "{verdict} {}", self.key())
    }
}

/// Every difference between `base` and `current` that a peer could notice,
/// breaking or not: the protocol's settings, then the base's methods in
/// order, then new methods.
pub fn compare(base: &Model, current: &Model) -> Vec<Finding> {
    let mut findings = settings(&base.protocol, &current.protocol);
    // A method that exists only in the other direction now (and did not
    // before) changed direction: one finding, not a removal and an addition.
    let moved = |old: &Method| {
        let other = other_direction(old.message_direction);
        (base.method(&old.method, other).is_none())
            .then(|| current.method(&old.method, other))
            .flatten()
    };
    for old in &base.methods {
        let mut walk = Walk {
            base,
            current,
            direction: old.message_direction.as_str(),
            method: &old.method,
            findings: &mut findings,
            visited: BTreeSet::new(),
        };
        match current.method(&old.method, old.message_direction) {
            Some(new) => walk.method(old, new),
            None => match moved(old) {
                Some(new) => {
                    let change = format!("direction changed to {}", new.message_direction.as_str());
                    walk.report("", change, true);
                }
                None => walk.report("", "method removed".into(), true),
            },
        }
    }
    for new in &current.methods {
        let direction = new.message_direction;
        let existed = base.method(&new.method, direction).is_some();
        let moved_here = !existed
            && current
                .method(&new.method, other_direction(direction))
                .is_none()
            && base
                .method(&new.method, other_direction(direction))
                .is_some();
        if !existed && !moved_here {
            findings.push(Finding {
                breaking: false,
                direction: direction.as_str().into(),
                method: new.method.clone(),
                path: String::new(),
                change: "method added".into(),
            });
        }
    }
    findings
}

fn other_direction(direction: Direction) -> Direction {
    match direction {
        Direction::ClientToServer => Direction::ServerToClient,
        Direction::ServerToClient => Direction::ClientToServer,
    }
}

/// The differences between two protocols' settings: each one breaks the
/// peers that follow the old settings.
fn settings(base: &ProtocolSettings, current: &ProtocolSettings) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut report = |what: &str, change: String| {
        findings.push(Finding {
            breaking: true,
            direction: "protocol".into(),
            method: what.into(),
            path: String::new(),
            change,
        })
    };
    if base.jsonrpc != current.jsonrpc {
        let name = |dialect: JsonRpcDialect| match dialect {
            JsonRpcDialect::V2 => "JSON-RPC 2.0 with `\"jsonrpc\": \"2.0\"`",
            JsonRpcDialect::Omitted => "JSON-RPC 2.0 without the `jsonrpc` member",
        };
        report(
            "jsonrpc",
            format!(
                "dialect changed from {} to {}",
                name(base.jsonrpc),
                name(current.jsonrpc)
            ),
        );
    }
    let location = |location: Option<&CapabilityLocation>| {
        location.map_or_else(|| "nowhere".to_owned(), ToString::to_string)
    };
    match (&base.negotiation, &current.negotiation) {
        (None, None) => {}
        (Some(_), None) => report(
            "negotiation",
            "capabilities are no longer negotiated".into(),
        ),
        (None, Some(new)) => report(
            "negotiation",
            format!("capabilities are now negotiated by `{}`", new.method),
        ),
        (Some(old), Some(new)) => {
            if old.method != new.method {
                report(
                    "negotiation",
                    format!("method changed from `{}` to `{}`", old.method, new.method),
                );
            }
            for (side, a, b) in [
                ("client", &old.client, &new.client),
                ("server", &old.server, &new.server),
            ] {
                if a != b {
                    report(
                        "negotiation",
                        format!(
                            "the {side}'s capabilities moved from {} to {}",
                            location(a.as_ref()),
                            location(b.as_ref())
                        ),
                    );
                }
            }
        }
    }
    let capability = |capability: &Option<Capability>| match capability {
        None => "none".to_owned(),
        Some(capability) => format!("`{capability}`"),
    };
    for (what, a, b) in [
        ("experimental", &base.experimental, &current.experimental),
        ("optOut", &base.opt_out, &current.opt_out),
    ] {
        if a != b {
            report(
                what,
                format!(
                    "capability changed from {} to {}",
                    capability(a),
                    capability(b)
                ),
            );
        }
    }
    findings
}

struct Walk<'a> {
    base: &'a Model,
    current: &'a Model,
    direction: &'static str,
    method: &'a str,
    findings: &'a mut Vec<Finding>,
    /// Named type pairs already compared for this method, by receiver.
    visited: BTreeSet<(String, String, Side)>,
}

impl<'a> Walk<'a> {
    fn report(&mut self, path: &str, change: String, breaking: bool) {
        self.findings.push(Finding {
            breaking,
            direction: self.direction.into(),
            method: self.method.into(),
            path: path.into(),
            change,
        });
    }

    fn method(&mut self, old: &'a Method, new: &'a Method) {
        if old.kind != new.kind {
            self.report("", "kind changed (request ⇄ notification)".into(), true);
            return;
        }
        match (&old.required_capability, &new.required_capability) {
            (None, Some(capability)) => {
                self.report("", format!("now requires capability `{capability}`"), true)
            }
            (Some(a), Some(b)) if a != b => self.report(
                "",
                format!("required capability changed from `{a}` to `{b}`"),
                true,
            ),
            (Some(capability), None) => self.report(
                "",
                format!("no longer requires capability `{capability}`"),
                false,
            ),
            _ => {}
        }
        // The params are read by the peer the message goes to, the result
        // by its sender.
        let sender = new.message_direction.sender();
        let (params_receiver, result_receiver) = (sender.other(), sender);
        self.optional_type("params", &old.params, &new.params, params_receiver);
        self.optional_type("result", &old.result, &new.result, result_receiver);
    }

    fn optional_type(
        &mut self,
        path: &str,
        old: &'a Option<TypeRef>,
        new: &'a Option<TypeRef>,
        receiver: Side,
    ) {
        match (old, new) {
            (Some(old), Some(new)) => self.ty(path, old, new, receiver),
            (None, Some(_)) => self.report(path, "now expected".into(), true),
            (Some(_), None) => self.report(path, "no longer accepted".into(), true),
            (None, None) => {}
        }
    }

    /// Follows references to the definitions they name, once per pair.
    fn ty(&mut self, path: &str, old: &'a TypeRef, new: &'a TypeRef, receiver: Side) {
        let (old, old_name) = resolve(self.base, old);
        let (new, new_name) = resolve(self.current, new);
        if let (Some(a), Some(b)) = (&old_name, &new_name) {
            if !self.visited.insert((a.clone(), b.clone(), receiver)) {
                return;
            }
        }
        let (Some(old), Some(new)) = (old, new) else {
            return; // a dangling reference; models are checked when built
        };
        self.shape(path, old, new, receiver);
    }

    fn widened(&mut self, path: &str, what: String, receiver: Side) {
        self.report(
            path,
            format!("type widened ({what})"),
            receiver == Side::Client,
        );
    }

    fn narrowed(&mut self, path: &str, what: String, receiver: Side) {
        self.report(
            path,
            format!("type narrowed ({what})"),
            receiver == Side::Server,
        );
    }

    fn shape(&mut self, path: &str, old: &'a TypeRef, new: &'a TypeRef, receiver: Side) {
        use TypeRef::*;
        match (old, new) {
            (Nullable { inner: a }, Nullable { inner: b }) => self.ty(path, a, b, receiver),
            (Nullable { inner: a }, b) => {
                self.nullability(path, true, false, receiver);
                self.ty(path, a, b, receiver);
            }
            (a, Nullable { inner: b }) => {
                self.nullability(path, false, true, receiver);
                self.ty(path, a, b, receiver);
            }
            (Structure(a), Structure(b)) => self.structure(path, a, b, receiver),
            (Enumeration(a), Enumeration(b)) => {
                let old: Vec<&str> = a.values.iter().map(|v| v.value.as_str()).collect();
                let new: Vec<&str> = b.values.iter().map(|v| v.value.as_str()).collect();
                self.members(path, "value", &old, &new, false, receiver);
            }
            (Union(a), Union(b)) => self.union(path, a, b, receiver),
            (Array { element: a }, Array { element: b }) => {
                self.ty(&format!("{path}[]"), a, b, receiver)
            }
            (Map { value: a }, Map { value: b }) => self.ty(&format!("{path}{{}}"), a, b, receiver),
            (Tuple { items: a }, Tuple { items: b }) if a.len() == b.len() => {
                for (i, (a, b)) in a.iter().zip(b).enumerate() {
                    self.ty(&format!("{path}[{i}]"), a, b, receiver);
                }
            }
            (Any, Any) | (Null, Null) => {}
            (StringLiteral { value: a }, StringLiteral { value: b }) if a == b => {}
            (_, Any) => self.widened(path, format!("{} → any value", describe(old)), receiver),
            (Any, _) => self.narrowed(path, format!("any value → {}", describe(new)), receiver),
            (
                StringLiteral { .. } | Enumeration(_),
                Base {
                    name: BaseType::String,
                    ..
                },
            ) => self.widened(path, format!("{} → string", describe(old)), receiver),
            (
                Base {
                    name: BaseType::String,
                    ..
                },
                StringLiteral { .. } | Enumeration(_),
            ) => self.narrowed(path, format!("string → {}", describe(new)), receiver),
            (Base { .. }, Base { .. }) => self.base(path, old, new, receiver),
            _ => self.report(
                path,
                format!("type changed from {} to {}", describe(old), describe(new)),
                true,
            ),
        }
    }

    fn nullability(&mut self, path: &str, was: bool, is: bool, receiver: Side) {
        if was && !is {
            self.report(path, "became non-nullable".into(), receiver == Side::Server);
        } else if !was && is {
            self.report(path, "became nullable".into(), receiver == Side::Client);
        }
    }

    fn base(&mut self, path: &str, old: &TypeRef, new: &TypeRef, receiver: Side) {
        let (Some(a), Some(b)) = (range(old), range(new)) else {
            if old != new {
                let change = format!("type changed from {} to {}", describe(old), describe(new));
                self.report(path, change, true);
            }
            return;
        };
        let what = format!("{} → {}", describe(old), describe(new));
        match (a.contains(&b), b.contains(&a)) {
            (true, true) => {}
            (false, true) => self.widened(path, what, receiver),
            (true, false) => self.narrowed(path, what, receiver),
            (false, false) => self.report(path, format!("type changed ({what})"), true),
        }
    }

    fn structure(&mut self, path: &str, old: &'a Structure, new: &'a Structure, receiver: Side) {
        let old_extra = extra_type(&old.additional_properties);
        let new_extra = extra_type(&new.additional_properties);
        for field in &old.fields {
            let field_path = join(path, &field.name);
            match new.fields.iter().find(|f| f.name == field.name) {
                None => match (receiver, &new.additional_properties) {
                    (Side::Client, _) => self.report(&field_path, "field removed".into(), true),
                    (Side::Server, AdditionalProperties::Forbidden) => self.report(
                        &field_path,
                        "field removed, and unknown fields are rejected".into(),
                        true,
                    ),
                    (Side::Server, AdditionalProperties::Ignored) => {
                        self.report(&field_path, "field removed (ignored if sent)".into(), false)
                    }
                    // What old peers send under that name is now an
                    // additional member, held to the additional type.
                    (Side::Server, AdditionalProperties::Typed { value }) => {
                        let sent = field_type(field);
                        if admits(value, &sent) {
                            self.report(
                                &field_path,
                                "field removed (kept as an additional member)".into(),
                                false,
                            )
                        } else {
                            self.report(
                                &field_path,
                                format!(
                                    "field removed: sent as {}, but additional members must be {}",
                                    describe(&sent),
                                    describe(value)
                                ),
                                true,
                            )
                        }
                    }
                },
                Some(now) => {
                    if field.optional && !now.optional {
                        self.report(
                            &field_path,
                            "became required".into(),
                            receiver == Side::Server,
                        );
                    } else if !field.optional && now.optional {
                        self.report(
                            &field_path,
                            "became optional".into(),
                            receiver == Side::Client,
                        );
                    }
                    self.nullability(&field_path, field.nullable, now.nullable, receiver);
                    self.ty(&field_path, &field.ty, &now.ty, receiver);
                }
            }
        }
        for field in &new.fields {
            if old.fields.iter().any(|f| f.name == field.name) {
                continue;
            }
            let field_path = join(path, &field.name);
            // In an open object the name was already an additional member:
            // the sender's values and the reader's must still agree.
            let was = old_extra.map(|value| (value, field_type(field)));
            match (receiver, field.optional, was) {
                (Side::Server, false, _) => {
                    self.report(&field_path, "new required field".into(), true)
                }
                (Side::Server, true, Some((value, now))) if !admits(&now, value) => self.report(
                    &field_path,
                    format!(
                        "optional field added to an open object: a member of this name \
                             was {}, now {}",
                        describe(value),
                        describe(&now)
                    ),
                    true,
                ),
                (Side::Server, true, _) => {
                    self.report(&field_path, "optional field added".into(), false)
                }
                (Side::Client, _, Some((value, now))) if !admits(value, &now) => self.report(
                    &field_path,
                    format!(
                        "field added to an open object: a member of this name was {}, now {}",
                        describe(value),
                        describe(&now)
                    ),
                    true,
                ),
                (Side::Client, _, _) => self.report(&field_path, "field added".into(), false),
            }
        }
        match (old_extra, new_extra) {
            (Some(a), Some(b)) => self.ty(&format!("{path}{{}}"), a, b, receiver),
            _ => self.additional_properties(
                path,
                &old.additional_properties,
                &new.additional_properties,
                receiver,
            ),
        }
    }

    /// An object opened, closed, or made to reject or ignore unknown
    /// members (a change of additional type is compared as a type).
    fn additional_properties(
        &mut self,
        path: &str,
        old: &AdditionalProperties,
        new: &AdditionalProperties,
        receiver: Side,
    ) {
        use AdditionalProperties::*;
        let server = receiver == Side::Server;
        let (change, breaking) = match (old, new) {
            (Ignored, Ignored) | (Forbidden, Forbidden) | (Typed { .. }, Typed { .. }) => return,
            (Ignored, Forbidden) => (
                "additionalProperties narrowed: unknown fields are now rejected".to_owned(),
                server,
            ),
            (Typed { .. }, Forbidden) => (
                "additionalProperties narrowed: additional members are now rejected".to_owned(),
                server,
            ),
            (Forbidden, Ignored) => (
                "additionalProperties widened: unknown fields are now ignored".to_owned(),
                false,
            ),
            // Still accepted; the reader no longer keeps them, the writer
            // no longer sends them.
            (Typed { .. }, Ignored) => (
                "additionalProperties narrowed: additional members are now ignored".to_owned(),
                false,
            ),
            // A client that rejected unknown members now receives some.
            (Forbidden, Typed { value }) => (
                format!(
                    "additionalProperties widened: additional members ({}) are now accepted",
                    describe(value)
                ),
                !server,
            ),
            // What a server ignored is now read, and must have the type.
            (Ignored, Typed { value }) => (
                format!(
                    "additionalProperties: additional members ({}) are now kept",
                    describe(value)
                ),
                server && !matches!(**value, TypeRef::Any),
            ),
        };
        self.report(path, change, breaking);
    }

    fn union(&mut self, path: &str, old: &'a Union, new: &'a Union, receiver: Side) {
        let old_keys = variant_keys(old);
        let new_keys = variant_keys(new);
        let old_refs: Vec<&str> = old_keys.iter().map(String::as_str).collect();
        let new_refs: Vec<&str> = new_keys.iter().map(String::as_str).collect();
        self.members(
            path,
            "variant",
            &old_refs,
            &new_refs,
            is_open(new),
            receiver,
        );
        for (i, variant) in old.variants.iter().enumerate() {
            if let Some(j) = new_keys.iter().position(|k| *k == old_keys[i]) {
                let variant_path = format!("{path}<{}>", old_keys[i]);
                self.ty(&variant_path, &variant.ty, &new.variants[j].ty, receiver);
            }
        }
    }

    /// Values or variants added and removed.
    fn members(
        &mut self,
        path: &str,
        what: &str,
        old: &[&str],
        new: &[&str],
        open: bool,
        receiver: Side,
    ) {
        for removed in old.iter().filter(|v| !new.contains(v)) {
            self.report(
                path,
                format!("{what} `{removed}` removed"),
                receiver == Side::Server,
            );
        }
        for added in new.iter().filter(|v| !old.contains(v)) {
            let breaking = receiver == Side::Client && !open;
            let closed = if breaking { " to a closed type" } else { "" };
            self.report(path, format!("{what} `{added}` added{closed}"), breaking);
        }
    }
}

/// The type of an open object's additional members.
fn extra_type(additional: &AdditionalProperties) -> Option<&TypeRef> {
    match additional {
        AdditionalProperties::Typed { value } => Some(value),
        _ => None,
    }
}

/// A field's values, `null` included when it is nullable.
fn field_type(field: &Field) -> TypeRef {
    if field.nullable {
        TypeRef::Nullable {
            inner: Box::new(field.ty.clone()),
        }
    } else {
        field.ty.clone()
    }
}

/// Whether every value of `ty` is a value of `outer`: `false` when it
/// cannot tell (named types are compared by name, not followed).
fn admits(outer: &TypeRef, ty: &TypeRef) -> bool {
    use TypeRef::*;
    match (outer, ty) {
        (Any, _) => true,
        (_, Any) => false,
        (Nullable { .. }, Null) => true,
        (Nullable { inner: a }, Nullable { inner: b }) => admits(a, b),
        (Nullable { inner }, ty) => admits(inner, ty),
        (_, Nullable { .. }) => false,
        (Union(union), ty) => union.variants.iter().any(|v| admits(&v.ty, ty)),
        (
            Base {
                name: BaseType::String,
                ..
            },
            StringLiteral { .. } | Enumeration(_),
        ) => true,
        (Enumeration(enumeration), StringLiteral { value }) => {
            enumeration.values.iter().any(|v| &v.value == value)
        }
        (Base { .. }, Base { .. }) => match (range(outer), range(ty)) {
            (Some(a), Some(b)) => a.contains(&b),
            _ => outer == ty,
        },
        (outer, ty) => outer == ty,
    }
}

/// A union with a variant that takes any string or any value.
fn is_open(union: &Union) -> bool {
    union.variants.iter().any(|v| {
        matches!(
            v.ty,
            TypeRef::Any
                | TypeRef::Base {
                    name: BaseType::String,
                    ..
                }
        )
    })
}

/// What identifies each variant across versions; a key that repeats gets
/// `#2`, `#3`, … by occurrence.
fn variant_keys(union: &Union) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    union
        .variants
        .iter()
        .map(|variant| {
            let key = variant_key(union, variant);
            let count = seen.entry(key.clone()).or_default();
            *count += 1;
            if *count == 1 {
                key
            } else {
                format!("{key}#{count}")
            }
        })
        .collect()
}

/// What identifies a variant: its tag, its title, its literal, its single
/// key (an externally tagged variant), the type it names, or its shape.
fn variant_key(union: &Union, variant: &Variant) -> String {
    if let (Some(tag), TypeRef::Structure(structure)) = (&union.discriminator, &variant.ty) {
        if let Some(TypeRef::StringLiteral { value }) = structure
            .fields
            .iter()
            .find(|f| &f.name == tag)
            .map(|f| &f.ty)
        {
            return value.clone();
        }
    }
    if let Some(title) = &variant.title {
        return title.clone();
    }
    match &variant.ty {
        TypeRef::StringLiteral { value } => value.clone(),
        TypeRef::Reference { name } => name.clone(),
        TypeRef::Structure(structure) if structure.fields.len() == 1 => {
            structure.fields[0].name.clone()
        }
        TypeRef::Enumeration(_) => "strings".into(),
        other => describe(other),
    }
}

fn resolve<'m>(model: &'m Model, ty: &'m TypeRef) -> (Option<&'m TypeRef>, Option<String>) {
    match ty {
        TypeRef::Reference { name } => (
            model.type_named(name).map(|d| &d.definition),
            Some(name.clone()),
        ),
        other => (Some(other), None),
    }
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

/// The values a numeric type admits, as a closed interval (`f64` is
/// enough to order every integer format).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Range {
    integer: bool,
    low: f64,
    high: f64,
}

impl Range {
    fn contains(&self, other: &Range) -> bool {
        (!self.integer || other.integer) && self.low <= other.low && other.high <= self.high
    }
}

fn range(ty: &TypeRef) -> Option<Range> {
    let TypeRef::Base {
        name,
        format,
        minimum,
        maximum,
    } = ty
    else {
        return None;
    };
    let integer = match name {
        BaseType::Integer => true,
        BaseType::Number => false,
        _ => return None,
    };
    let (mut low, mut high) = match format.as_deref() {
        Some("int8") => (i8::MIN as f64, i8::MAX as f64),
        Some("int16") => (i16::MIN as f64, i16::MAX as f64),
        Some("int32") => (i32::MIN as f64, i32::MAX as f64),
        Some("int64") => (i64::MIN as f64, i64::MAX as f64),
        Some("uint8") => (0.0, u8::MAX as f64),
        Some("uint16") => (0.0, u16::MAX as f64),
        Some("uint32") => (0.0, u32::MAX as f64),
        Some("uint64") => (0.0, u64::MAX as f64),
        _ => (f64::NEG_INFINITY, f64::INFINITY),
    };
    if let Some(min) = minimum.as_ref().and_then(|n| n.as_f64()) {
        low = low.max(min);
    }
    if let Some(max) = maximum.as_ref().and_then(|n| n.as_f64()) {
        high = high.min(max);
    }
    Some(Range { integer, low, high })
}

/// A short description of a type for a finding.
fn describe(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Reference { name } => name.clone(),
        TypeRef::Base { name, format, .. } => match format {
            Some(format) => format!("{} ({format})", name.as_str()),
            None => name.as_str().to_owned(),
        },
        TypeRef::StringLiteral { value } => format!("\"{value}\""),
        TypeRef::Null => "null".into(),
        TypeRef::Any => "any value".into(),
        TypeRef::Array { element } => format!("array of {}", describe(element)),
        TypeRef::Tuple { items } => format!("tuple of {}", items.len()),
        TypeRef::Map { value } => format!("map of {}", describe(value)),
        TypeRef::Nullable { inner } => format!("{} or null", describe(inner)),
        TypeRef::Structure(_) => "object".into(),
        TypeRef::Enumeration(_) => "enumeration".into(),
        TypeRef::Union(_) => "union".into(),
    }
}

/// Why a base's `protocol.meta.json` cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseError {
    /// The text is not a model of any format this generator reads.
    NotAModel(String),
    /// The file's `formatVersion` is not one this generator reads.
    FormatVersion(String),
    /// The model names a type, or a method of one direction, twice.
    Duplicate(String),
}

impl fmt::Display for BaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BaseError::NotAModel(message) => write!(f, "is not a protocol model: {message}"),
            BaseError::FormatVersion(message) | BaseError::Duplicate(message) => {
                f.write_str(message)
            }
        }
    }
}

impl std::error::Error for BaseError {}

/// Reads a model from the text of a `protocol.meta.json` of any format
/// this generator knows (see [`META_FORMAT_VERSION`]):
///
/// - format 3, today's, has `formatVersion: 3` and is read strictly;
/// - format 2 has `formatVersion: 2`, and the marks of each method, type,
///   field, value and variant on the item itself: they are moved into its
///   `marks` as the builder makes them (a field's deprecation note taken
///   from the end of its documentation);
/// - format 1 has no `formatVersion` (or `1`), and otherwise format 2's
///   shape;
/// - the shape before format 1, also without `formatVersion`, had no
///   protocol settings: that generator only wrote JSON-RPC without the
///   `jsonrpc` member, and a required capability was the dotted path of a
///   client capability. It is read as format 1.
///
/// A version above [`META_FORMAT_VERSION`], below 1 or not an integer is
/// refused.
///
/// The file may have been edited by hand: its types and methods are put
/// in the order the model builder gives them (see `order`), and a type
/// or a method of one direction listed twice is refused.
pub fn parse_model(text: &str) -> Result<Model, BaseError> {
    let not_a_model = |err: serde_json::Error| BaseError::NotAModel(err.to_string());
    let mut value: Value = serde_json::from_str(text).map_err(not_a_model)?;
    if let Value::Object(object) = &mut value {
        object.remove("$comment");
        let version = match object.remove("formatVersion") {
            None => 1,
            Some(version) => format_version(&version)?,
        };
        if version == 1 && !object.contains_key("protocol") {
            object.insert(
                "protocol".into(),
                serde_json::json!({ "jsonrpc": "omitted" }),
            );
            let methods = object.get_mut("methods").and_then(Value::as_array_mut);
            for method in methods.into_iter().flatten() {
                let Some(capability) = method.get_mut("requiredCapability") else {
                    continue;
                };
                if let Value::String(path) = capability {
                    let path: Vec<&str> = path.split('.').collect();
                    *capability = serde_json::json!({ "side": "client", "path": path });
                }
            }
        }
        if version < 3 {
            marks_of_format_2(object);
        }
    }
    let mut model: Model = serde_json::from_value(value).map_err(not_a_model)?;
    order(&mut model)?;
    Ok(model)
}

/// A model of format 1 or 2 in the shape of format 3: the documentation,
/// deprecation, experimental reason and version of every method, type,
/// field, enumeration value and union variant moved into its `marks`; a
/// method's deprecation message, or another item's note at the end of its
/// documentation, made the deprecation's message, as the builder makes it.
fn marks_of_format_2(model: &mut Map<String, Value>) {
    for list in ["methods", "types"] {
        if let Some(Value::Array(items)) = model.get_mut(list) {
            for item in items {
                move_marks(item);
                within_type(item);
            }
        }
    }
}

/// Moves the marks of the fields, values and variants anywhere in a type
/// (`default` values are data, not types, and are left alone).
fn within_type(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                if key == "default" {
                    continue;
                }
                if matches!(key.as_str(), "fields" | "values" | "variants") {
                    if let Value::Array(items) = child {
                        items.iter_mut().for_each(move_marks);
                    }
                }
                within_type(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(within_type),
        _ => {}
    }
}

/// One item's marks, from its own members of format 2 into `marks`.
fn move_marks(item: &mut Value) {
    let Value::Object(object) = item else {
        return;
    };
    let documentation = match object.remove("documentation") {
        Some(Value::String(text)) => Some(text),
        Some(other) => {
            // Not format 2: left for the reader to refuse.
            object.insert("documentation".into(), other);
            return;
        }
        None => None,
    };
    let (documentation, deprecated) = match object.remove("deprecated") {
        // A method's: its message.
        Some(Value::String(message)) => (
            documentation,
            Some(Deprecation {
                message: (!message.trim().is_empty()).then_some(message),
            }),
        ),
        Some(Value::Bool(flag)) => crate::model::split_deprecation(documentation, flag),
        None => (documentation, None),
        Some(other) => {
            object.insert("deprecated".into(), other);
            (documentation, None)
        }
    };
    let text = |object: &mut Map<String, Value>, key: &str| match object.remove(key) {
        Some(Value::String(text)) => Some(text),
        Some(other) => {
            object.insert(key.into(), other);
            None
        }
        None => None,
    };
    let marks = Marks {
        documentation,
        deprecated,
        experimental: text(object, "experimental"),
        since: text(object, "since"),
    };
    if !marks.is_empty() {
        object.insert(
            "marks".into(),
            serde_json::to_value(&marks).expect("marks serialise"),
        );
    }
}

/// Puts a model read from a file in the builder's order, which the
/// comparison relies on (types are found by binary search): types sorted
/// by name; methods in declaration order, which the message sets list, and
/// a method no set lists after them, in the file's order. A type named
/// twice, or a method of one direction listed twice, is an error: the
/// comparison could only take one of each.
fn order(model: &mut Model) -> Result<(), BaseError> {
    model.types.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(pair) = model
        .types
        .windows(2)
        .find(|pair| pair[0].name == pair[1].name)
    {
        return Err(BaseError::Duplicate(format!(
            "the type `{}` is defined twice",
            pair[0].name
        )));
    }
    let mut seen = BTreeSet::new();
    for method in &model.methods {
        if !seen.insert((method.method.as_str(), method.message_direction)) {
            return Err(BaseError::Duplicate(format!(
                "the method `{}` ({}) is listed twice",
                method.method,
                method.message_direction.as_str()
            )));
        }
    }
    let mut declared: BTreeMap<(String, Direction), usize> = BTreeMap::new();
    let listed = model
        .message_sets
        .iter()
        .flat_map(|set| set.methods.iter().map(|name| (name, set.message_direction)));
    for (name, direction) in listed {
        let next = declared.len();
        declared.entry((name.clone(), direction)).or_insert(next);
    }
    model.methods.sort_by_cached_key(|method| {
        declared
            .get(&(method.method.clone(), method.message_direction))
            .copied()
            .unwrap_or(usize::MAX)
    });
    Ok(())
}

/// The format a `formatVersion` member names, if this generator reads it.
fn format_version(version: &Value) -> Result<u64, BaseError> {
    let current = META_FORMAT_VERSION;
    match version.as_u64() {
        Some(version @ 1..=META_FORMAT_VERSION) => Ok(version),
        Some(version) if version > current => Err(BaseError::FormatVersion(format!(
            "its `formatVersion` is {version}, newer than format {current}, the newest this \
             generator reads: it was written by a newer generator; run `breaking` with a newer \
             generator, or regenerate the base with this one"
        ))),
        _ => Err(BaseError::FormatVersion(format!(
            "its `formatVersion` is {version}, which is not a format version (an integer from \
             1 to {current} for this generator)"
        ))),
    }
}

/// One accepted breaking change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowEntry {
    /// The finding, as `breaking` prints it after `BREAKING `.
    pub change: String,
    /// Why it is accepted.
    pub reason: String,
}

/// Reads an allowlist: one JSON object a line (`{"change": …, "reason":
/// …}`); blank lines are skipped.
pub fn parse_allowlist(text: &str) -> Result<Vec<AllowEntry>, String> {
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: AllowEntry =
            serde_json::from_str(line).map_err(|err| format!("line {}: {err}", index + 1))?;
        if entry.reason.trim().is_empty() {
            return Err(format!("line {}: the entry gives no reason", index + 1));
        }
        entries.push(entry);
    }
    Ok(entries)
}

/// The allowlist only grows: `base` must be where `current` starts.
pub fn check_append_only(base: &[AllowEntry], current: &[AllowEntry]) -> Result<(), String> {
    for (index, entry) in base.iter().enumerate() {
        if current.get(index) != Some(entry) {
            return Err(format!(
                "the allowlist is append-only, but its entry {} (`{}`) was changed or removed",
                index + 1,
                entry.change
            ));
        }
    }
    Ok(())
}

/// The breaking findings no allowlist entry accepts.
pub fn unallowed<'f>(findings: &'f [Finding], allowlist: &[AllowEntry]) -> Vec<&'f Finding> {
    let allowed: BTreeMap<&str, &str> = allowlist
        .iter()
        .map(|e| (e.change.as_str(), e.reason.as_str()))
        .collect();
    findings
        .iter()
        .filter(|f| f.breaking && !allowed.contains_key(f.key().as_str()))
        .collect()
}
