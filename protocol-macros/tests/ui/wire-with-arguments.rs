use protocol_macros::wire;

#[wire(rename_all = "snake_case")]
#[derive(Debug)]
pub struct Ping {
    pub sent_at: u64,
}

fn main() {}
