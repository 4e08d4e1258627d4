// Params typed as a string: JSON-RPC params are a structured value, and on
// this wire an object of named members. One error, at the type, and the
// rest of the module is expanded as written (the variant holds a `String`).

use protocol_macros::{protocol, wire, RequestId};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct AddNoteResponse {
    pub id: u32,
}

#[protocol]
mod notes {
    use super::*;

    #[client_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ClientRequest {
        #[method("notes/add", response = AddNoteResponse)]
        AddNote(String),
    }
}

fn main() {
    let _ = notes::ClientRequest::AddNote {
        id: RequestId::Integer(1),
        params: "buy milk".to_owned(),
    };
}
