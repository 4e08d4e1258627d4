use protocol_macros::wire;

/// Each mistake with `#[optional]` and `#[required]` is one error, at the
/// token that is wrong.
#[wire]
#[optional]
pub struct Settings {
    #[optional]
    pub name: String,
    #[optional]
    #[serde(default)]
    pub level: Option<u8>,
    #[optional]
    #[required]
    pub ttl: Option<u64>,
    #[required(always)]
    pub limit: Option<u64>,
    #[optional]
    pub ok: Option<String>,
}

fn main() {
    // The fields it does accept read and write as marked.
    let _ = Settings {
        name: String::new(),
        level: None,
        ttl: None,
        limit: None,
        ok: None,
    };
}
