use protocol_macros::wire;

#[wire]
pub enum Mode {
    #[since("next")]
    Fast,
    #[since("1.2")]
    #[since("1.3")]
    Slow,
}

fn main() {}
