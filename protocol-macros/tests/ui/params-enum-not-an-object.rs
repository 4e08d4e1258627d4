// A `#[wire]` enum with unit variants is written as a string, so it cannot
// be params; `Option<T>` params of an object type (here, unused) are fine.

use protocol_macros::{protocol, wire};

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub enum Sort {
    Newest,
    Oldest,
}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct ListParams {
    pub limit: u32,
}

#[wire]
#[derive(Debug, Clone, PartialEq)]
pub struct Notes {
    pub notes: Vec<String>,
}

#[protocol]
mod notes {
    use super::*;

    #[client_requests]
    #[derive(Debug, Clone, PartialEq)]
    pub enum ClientRequest {
        #[method("notes/list", response = Notes)]
        List(Option<ListParams>),
        #[method("notes/sorted", response = Notes)]
        Sorted(Sort),
    }
}

fn main() {}
