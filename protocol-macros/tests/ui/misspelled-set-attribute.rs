// `#[client_request]` for `#[client_requests]`: one error naming the four
// set attributes and the one meant; the enum is read as that set, so the
// code using it type-checks. The module's other enums and their
// attributes are left alone.

use protocol_macros::{protocol, wire, MethodSet, RequestId};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct AddNoteParams {
    pub text: String,
}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct AddNoteResponse {
    pub id: u32,
}

#[protocol]
mod notes {
    use super::*;

    #[client_request]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ClientRequest {
        #[method("notes/add", response = AddNoteResponse)]
        AddNote(AddNoteParams),
    }

    #[derive(Debug, Clone, Copy, PartialEq)]
    #[repr(u8)]
    #[non_exhaustive]
    pub enum Color {
        Red = 1,
    }
}

fn main() {
    let request = notes::ClientRequest::AddNote {
        id: RequestId::Integer(1),
        params: AddNoteParams { text: "milk".into() },
    };
    let _ = request.method();
    let _ = <notes::ClientRequest as MethodSet>::SET.name;
    let _ = notes::ClientResponse::AddNote(AddNoteResponse { id: 1 });
    let _ = notes::Color::Red as u8;
}
