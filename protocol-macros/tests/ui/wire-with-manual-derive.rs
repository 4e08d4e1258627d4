use protocol_macros::wire;

#[wire]
#[derive(Debug, serde::Serialize)]
pub struct Ping {
    pub sent_at: u64,
}

fn main() {}
