#[derive(Debug)]
pub struct Settings {
    #[experimental("only #[wire] reads this")]
    pub fast_mode: bool,
}

fn main() {}
