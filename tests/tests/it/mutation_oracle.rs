//! Mangled messages, each classified by an oracle that does not use the
//! decoder (`oracle/mod.rs`: plain JSON, the documented envelope rules, the
//! method's JSON Schema): every reader must agree with it on the JSON-RPC
//! code, on the id, and for an accepted message on the decoded value.

use crate::oracle::{seed_messages, Counts, Oracle, Reader};

/// Deterministic mutations: a fixed xorshift seed, and the bytes a flip
/// may write besides any byte.
struct Mutations {
    state: u64,
    alphabet: &'static [u8],
}

impl Mutations {
    fn new(seed: u64, alphabet: &'static [u8]) -> Self {
        Mutations {
            state: seed,
            alphabet,
        }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    /// `seed` with one to three flipped, dropped or duplicated bytes, or cut.
    fn of(&mut self, seed: &[u8]) -> Vec<u8> {
        let mut bytes = seed.to_vec();
        for _ in 0..(1 + self.next() % 3) {
            let at = (self.next() as usize) % bytes.len().max(1);
            match self.next() % 5 {
                0 => bytes[at] = self.alphabet[(self.next() as usize) % self.alphabet.len()],
                1 => {
                    bytes.remove(at);
                }
                2 => bytes.insert(at, bytes[at]),
                3 => bytes[at] = (self.next() & 0xff) as u8,
                _ => bytes.truncate(at),
            }
            if bytes.is_empty() {
                break;
            }
        }
        bytes
    }
}

/// Deterministic byte mutations (a fixed xorshift seed) of real messages:
/// flipped, dropped and duplicated bytes, and truncations, through all four
/// message kinds and both `decode_incoming`s.
#[test]
fn mangled_messages_get_the_code_and_id_the_oracle_expects() {
    let oracle = Oracle::new();
    let seeds: Vec<Vec<u8>> = seed_messages()
        .iter()
        .map(|m| serde_json::to_vec(m).unwrap())
        .collect();
    let mut counts = Counts::default();
    for seed in &seeds {
        oracle.check_all(seed, &mut counts);
    }
    let mut by_reader = [[0usize; 5]; 6];
    let mut mutations = Mutations::new(
        0x9E37_79B9_7F4A_7C15,
        b"{}[]\":,0123456789-+.eEtrufalsn \\/",
    );
    for round in 0..20_000 {
        let bytes = mutations.of(&seeds[round % seeds.len()]);
        for (r, reader) in Reader::ALL.into_iter().enumerate() {
            let code = oracle.check(reader, &bytes, &mut counts);
            let slot = match code {
                0 => 0,
                -32700 => 1,
                -32600 => 2,
                -32601 => 3,
                -32602 => 4,
                other => panic!("{reader:?}: code {other}"),
            };
            by_reader[r][slot] += 1;
        }
    }
    counts.assert_agreed();
    // The mutations reach every classification for the request readers and
    // the incoming readers (a notification reader sees few of its own
    // methods among the seeds, yet still every failure code).
    for (r, outcomes) in by_reader.iter().enumerate() {
        let needed: &[usize] = match Reader::ALL[r] {
            Reader::ClientNotification | Reader::ServerNotification => &[1, 2, 3],
            _ => &[0, 1, 2, 3, 4],
        };
        assert!(
            needed.iter().all(|&i| outcomes[i] > 0),
            "{:?}: {outcomes:?}",
            Reader::ALL[r]
        );
    }
    eprintln!("{counts:?}");
    counts.assert_ambiguity_bounded();
}

/// The same on `calc`, a protocol in standard JSON-RPC 2.0: the oracle
/// knows that a message without `"jsonrpc": "2.0"` is -32600 (with its id
/// when readable), and the mutations reach it, from seeds with the member
/// and seeds without.
#[test]
fn mangled_standard_messages_get_the_code_and_id_the_oracle_expects() {
    use serde_json::json;

    let oracle = Oracle::of::<tests::calc::methods::ServerSide>();
    let add = json!({ "leftOperand": 2, "rightOperand": 3, "_meta": { "trace": [1, "x"] } });
    let mut seeds = vec![
        json!({ "jsonrpc": "2.0", "method": "session/open", "id": 1, "params": { "capabilities": { "bigNumbers": true } } }),
        json!({ "jsonrpc": "2.0", "method": "math/add", "id": "a", "params": add }),
        json!({ "jsonrpc": "2.0", "method": "math/pow", "id": 3, "params": add }),
        json!({ "jsonrpc": "2.0", "method": "echo", "id": 4, "params": { "text": "hi" } }),
        json!({ "jsonrpc": "2.0", "method": "shutdown", "id": 5 }),
        json!({ "jsonrpc": "2.0", "method": "progress", "params": { "percent": 7 } }),
        json!({ "jsonrpc": "2.0", "method": "$/ping" }),
        json!({ "jsonrpc": "2.0", "id": 6, "result": { "sum": 5 } }),
        json!({ "jsonrpc": "2.0", "id": 7, "error": { "code": -32000, "message": "boom" } }),
        json!({ "jsonrpc": "2.0", "id": null, "error": { "code": -32600, "message": "no" } }),
    ];
    // The same without the member, and with another value.
    let without: Vec<_> = seeds
        .iter()
        .map(|seed| {
            let mut seed = seed.clone();
            seed.as_object_mut().unwrap().remove("jsonrpc");
            seed
        })
        .collect();
    seeds.extend(without);
    seeds.push(json!({ "jsonrpc": "1.0", "method": "echo", "id": 8, "params": { "text": "x" } }));
    let seeds: Vec<Vec<u8>> = seeds
        .iter()
        .map(|m| serde_json::to_vec(m).unwrap())
        .collect();

    let mut counts = Counts::default();
    for seed in &seeds {
        oracle.check_all(seed, &mut counts);
    }
    let mut accepted = 0;
    let mut invalid_with_id = 0;
    let mut mutations = Mutations::new(
        0x2545_F491_4F6C_DD1D,
        b"{}[]\":,0123456789-+.eEtrufalsnjpc \\/",
    );
    for round in 0..10_000 {
        let bytes = mutations.of(&seeds[round % seeds.len()]);
        for reader in Reader::ALL {
            match oracle.check(reader, &bytes, &mut counts) {
                0 => accepted += 1,
                -32600 if String::from_utf8_lossy(&bytes).contains("\"id\"") => {
                    invalid_with_id += 1
                }
                _ => {}
            }
        }
    }
    counts.assert_agreed();
    assert!(accepted > 100, "{accepted} accepted");
    assert!(
        invalid_with_id > 1_000,
        "{invalid_with_id} invalid with an id"
    );
    eprintln!("{counts:?}");
    counts.assert_ambiguity_bounded();
}
