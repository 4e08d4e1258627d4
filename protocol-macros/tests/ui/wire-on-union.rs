use protocol_macros::wire;

#[wire]
pub union Bits {
    pub int: u32,
    pub float: f32,
}

fn main() {}
