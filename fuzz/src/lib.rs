//! What every fuzz target asserts of a decoding failure.

use protocol_macros::{DecodeError, ErrorCode};

/// A failure is one of the four JSON-RPC codes a decoder answers with, and
/// its message is bounded (the decoder quotes the peer only in part).
pub fn check_error(input: &[u8], err: &DecodeError) {
    assert!(
        matches!(
            err.code,
            ErrorCode::ParseError
                | ErrorCode::InvalidRequest
                | ErrorCode::MethodNotFound
                | ErrorCode::InvalidParams
        ),
        "code {:?} for {:?}",
        err.code,
        String::from_utf8_lossy(input)
    );
    assert_eq!(err.code.code(), err.to_error_object().code);
    // Not JSON: no id can have been read.
    if err.code == ErrorCode::ParseError {
        assert_eq!(err.id, None);
    }
}

/// Both readers of one message kind agree: `decode` and serde's
/// `Deserialize` (`serde_json::from_slice`) accept the same valid messages
/// as the same value.
pub fn check_same<T: PartialEq + std::fmt::Debug>(
    input: &[u8],
    decoded: &Result<T, DecodeError>,
    deserialized: &Result<T, serde_json::Error>,
) {
    if let (Ok(a), Ok(b)) = (decoded, deserialized) {
        assert_eq!(a, b, "{:?}", String::from_utf8_lossy(input));
    }
}
