use protocol_macros::wire;

#[wire]
pub struct Settings {
    #[experimental]
    pub fast_mode: bool,
    #[experimental("")]
    pub turbo: bool,
    #[experimental(reason = "x")]
    pub warp: bool,
}

fn main() {}
