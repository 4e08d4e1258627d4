// Params whose type is not `#[wire]`: one error, at the type, saying to
// add `#[wire]` (not serde's advice to derive `Deserialize`, nor an error
// per use of the type in the expansion).

use protocol_macros::{protocol, wire};

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

    #[client_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ClientRequest {
        #[method("notes/add", response = AddNoteResponse)]
        AddNote(AddNoteParams),
    }
}

fn main() {
    let _ = notes::REGISTRY.methods().count();
}
