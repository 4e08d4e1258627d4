use protocol_macros::wire;

#[wire]
#[experimental("the whole thing may change")]
pub struct Settings {
    pub fast_mode: bool,
}

fn main() {}
