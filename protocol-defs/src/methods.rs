//! The methods of the protocol, by direction and kind.
