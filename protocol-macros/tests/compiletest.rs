//! Misuse of the macros is a compile error pointing at the mistake; each
//! case pins its message in `ui/<case>.stderr`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
