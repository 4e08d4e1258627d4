//! The stable surface: the model without anything experimental.
//!
//! Experimental methods leave the method list, their message unions and
//! maps; experimental fields, variants and enumeration values leave their
//! types wherever those are used; and a type only an experimental item
//! reached is dropped. The experimental surface is the whole model.

use std::collections::BTreeSet;

use super::*;

/// Whether anything in `model` is experimental: a method, or a field,
/// variant or value of a type. Without, the stable surface is the model.
pub fn has_experimental(model: &Model) -> bool {
    model.methods.iter().any(|m| m.marks.experimental.is_some())
        || model.types.iter().any(|ty| marked(&ty.definition))
}

/// Whether `ty` has an experimental field, variant or value, at any depth.
fn marked(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Structure(structure) => {
            structure
                .fields
                .iter()
                .any(|f| f.marks.experimental.is_some() || marked(&f.ty))
                || matches!(
                    &structure.additional_properties,
                    AdditionalProperties::Typed { value } if marked(value)
                )
        }
        TypeRef::Enumeration(enumeration) => enumeration
            .values
            .iter()
            .any(|v| v.marks.experimental.is_some()),
        TypeRef::Union(union) => union
            .variants
            .iter()
            .any(|v| v.marks.experimental.is_some() || marked(&v.ty)),
        TypeRef::Array { element } => marked(element),
        TypeRef::Map { value } => marked(value),
        TypeRef::Nullable { inner } => marked(inner),
        TypeRef::Tuple { items } => items.iter().any(marked),
        _ => false,
    }
}

/// `model` without its experimental methods, fields, variants and values,
/// and without the types only those reached.
pub fn stable(model: &Model) -> Model {
    // By name and direction: of a method both peers send, one direction
    // may be experimental and the other not.
    let removed: BTreeSet<(&str, Direction)> = model
        .methods
        .iter()
        .filter(|m| m.marks.experimental.is_some())
        .map(|m| (m.method.as_str(), m.message_direction))
        .collect();
    let methods: Vec<Method> = model
        .methods
        .iter()
        .filter(|m| !removed.contains(&(m.method.as_str(), m.message_direction)))
        .cloned()
        .collect();
    let message_sets: Vec<MessageSet> = model
        .message_sets
        .iter()
        .map(|set| MessageSet {
            methods: set
                .methods
                .iter()
                .filter(|m| !removed.contains(&(m.as_str(), set.message_direction)))
                .cloned()
                .collect(),
            ..set.clone()
        })
        .collect();
    let types: Vec<TypeDefinition> = model
        .types
        .iter()
        .map(|ty| {
            let mut definition = strip(&ty.definition);
            let set = model.message_sets.iter().find(|set| set.name == ty.name);
            if let Some(set) = set {
                let removed: BTreeSet<&str> = removed
                    .iter()
                    .filter(|(_, direction)| *direction == set.message_direction)
                    .map(|(name, _)| *name)
                    .collect();
                drop_methods(&mut definition, &removed);
            }
            TypeDefinition {
                definition,
                ..ty.clone()
            }
        })
        .collect();
    let mut stable = Model {
        protocol: model.protocol.clone(),
        methods,
        message_sets,
        types,
    };

    // Roots: what the stable methods and unions use, and the types no
    // method reached in the first place (the envelope, extra types).
    let reached_by_methods = reachable(model, method_roots(model));
    let mut roots = method_roots(&stable);
    roots.extend(
        model
            .types
            .iter()
            .map(|t| t.name.as_str())
            .filter(|name| !reached_by_methods.contains(name)),
    );
    let keep: BTreeSet<String> = reachable(&stable, roots)
        .into_iter()
        .map(str::to_owned)
        .collect();
    stable.types.retain(|ty| keep.contains(&ty.name));
    stable
}

/// The message unions and the types methods' params and results name.
fn method_roots(model: &Model) -> Vec<&str> {
    let mut roots: Vec<&str> = model.message_sets.iter().map(|s| s.name.as_str()).collect();
    for method in &model.methods {
        for ty in method.params.iter().chain(&method.result) {
            ty.for_each_reference(&mut |name| roots.push(name));
        }
    }
    roots
}

/// The names of `roots` and of every type they reach.
fn reachable<'m>(model: &'m Model, roots: Vec<&str>) -> BTreeSet<&'m str> {
    let mut seen: BTreeSet<&'m str> = BTreeSet::new();
    let mut pending: Vec<&'m TypeDefinition> = roots
        .into_iter()
        .filter_map(|name| model.type_named(name))
        .collect();
    while let Some(ty) = pending.pop() {
        if !seen.insert(ty.name.as_str()) {
            continue;
        }
        ty.definition.for_each_reference(&mut |name| {
            if let Some(next) = model.type_named(name) {
                pending.push(next);
            }
        });
    }
    seen
}

/// The type without its experimental fields, variants and values.
fn strip(ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::Structure(structure) => TypeRef::Structure(Structure {
            fields: structure
                .fields
                .iter()
                .filter(|f| f.marks.experimental.is_none())
                .map(|f| Field {
                    ty: strip(&f.ty),
                    ..f.clone()
                })
                .collect(),
            additional_properties: match &structure.additional_properties {
                AdditionalProperties::Typed { value } => AdditionalProperties::Typed {
                    value: Box::new(strip(value)),
                },
                other => other.clone(),
            },
        }),
        TypeRef::Enumeration(enumeration) => TypeRef::Enumeration(Enumeration {
            values: enumeration
                .values
                .iter()
                .filter(|v| v.marks.experimental.is_none())
                .cloned()
                .collect(),
        }),
        TypeRef::Union(union) => TypeRef::Union(Union {
            variants: union
                .variants
                .iter()
                .filter(|v| v.marks.experimental.is_none())
                .map(|v| Variant {
                    ty: strip(&v.ty),
                    ..v.clone()
                })
                .collect(),
            ..union.clone()
        }),
        TypeRef::Array { element } => TypeRef::Array {
            element: Box::new(strip(element)),
        },
        TypeRef::Map { value } => TypeRef::Map {
            value: Box::new(strip(value)),
        },
        TypeRef::Nullable { inner } => TypeRef::Nullable {
            inner: Box::new(strip(inner)),
        },
        TypeRef::Tuple { items } => TypeRef::Tuple {
            items: items.iter().map(strip).collect(),
        },
        other => other.clone(),
    }
}

/// Removes the variants of a message union whose `method` was removed.
fn drop_methods(definition: &mut TypeRef, removed: &BTreeSet<&str>) {
    let TypeRef::Union(union) = definition else {
        return;
    };
    union.variants.retain(|variant| {
        let TypeRef::Structure(structure) = &variant.ty else {
            return true;
        };
        !structure.fields.iter().any(|f| {
            f.name == "method"
                && matches!(&f.ty, TypeRef::StringLiteral { value } if removed.contains(value.as_str()))
        })
    });
}
