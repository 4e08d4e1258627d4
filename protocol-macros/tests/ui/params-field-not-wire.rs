// A `#[wire]` params struct with a field whose type is not `#[wire]`: the
// derives `#[wire]` makes report the field (serde's, schemars's and ts-rs's
// errors); the protocol adds none.

use protocol_macros::{protocol, wire};

#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub name: String,
}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct AddNoteParams {
    pub text: String,
    pub tag: Tag,
}

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
        AddNote(AddNoteParams),
    }
}

fn main() {}
