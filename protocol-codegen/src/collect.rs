//! Which types a protocol puts on the wire.

use protocol_macros::{
    JSONRPCError, JSONRPCErrorError, JSONRPCMessage, JSONRPCNotification, JSONRPCRequest,
    JSONRPCResponse, Registry, RequestId, TypeInfo,
};

/// The JSON-RPC envelope, which every protocol shares.
pub fn envelope_types() -> [TypeInfo; 7] {
    [
        TypeInfo::of::<RequestId>("RequestId"),
        TypeInfo::of::<JSONRPCRequest>("JSONRPCRequest"),
        TypeInfo::of::<JSONRPCNotification>("JSONRPCNotification"),
        TypeInfo::of::<JSONRPCResponse>("JSONRPCResponse"),
        TypeInfo::of::<JSONRPCError>("JSONRPCError"),
        TypeInfo::of::<JSONRPCErrorError>("JSONRPCErrorError"),
        TypeInfo::of::<JSONRPCMessage>("JSONRPCMessage"),
    ]
}

/// Every params and response type of the registry in declaration order,
/// then the envelope types, then `extra_types`. A type may appear more than
/// once; the renderers key them by name.
pub fn wire_types(registry: &Registry, extra_types: &[TypeInfo]) -> Vec<TypeInfo> {
    let mut types: Vec<TypeInfo> = registry
        .methods()
        .flat_map(|method| method.params.into_iter().chain(method.response))
        .collect();
    types.extend(envelope_types());
    types.extend_from_slice(extra_types);
    types
}
