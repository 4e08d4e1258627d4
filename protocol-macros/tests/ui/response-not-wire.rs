// A response type that is not `#[wire]`: one error, at the type, saying to
// add `#[wire]`; code that uses the method's marker still type-checks.

use protocol_macros::{protocol, wire, Request, RequestId};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct AddNoteParams {
    pub text: String,
}

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
        AddNote(AddNoteParams),
    }
}

fn main() {
    let response = AddNoteResponse { id: 1 };
    let _ = <notes::AddNote as Request>::respond(RequestId::Integer(1), &response);
    let _ = notes::ClientResponse::AddNote(response);
}
