//! The `codegen-cli` binary: this workspace's generator, run as a process.

use std::fs;
use std::path::Path;
use std::process::Command as Process;

fn binary() -> Process {
    Process::new(env!("CARGO_BIN_EXE_codegen-cli"))
}

#[test]
fn an_unwritable_out_dir_exits_2_with_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    fs::write(&file, "a regular file").unwrap();
    // Running as root, permissions do not stop a write; a file in the path does.
    let out = file.join("generated");
    let output = binary()
        .args(["write-schema", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: cannot create directory `{}",
            out.display()
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "a regular file");
}

#[test]
fn binary_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let check = |out: &Path| binary().args(["check", "--out"]).arg(out).output().unwrap();
    let missing = check(out);
    assert_eq!(missing.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&missing.stdout);
    assert!(
        stdout.contains("missing: json/ClientRequest.json"),
        "{stdout}"
    );

    let written = binary()
        .args(["write-schema", "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert_eq!(written.status.code(), Some(0));
    // One line: the folder, how many files it has, how many were written.
    let summary = String::from_utf8_lossy(&written.stdout);
    assert!(
        summary.lines().count() == 1
            && summary.starts_with(&format!("`{}`: ", out.display()))
            && summary.trim_end().ends_with(" written."),
        "{summary}"
    );
    assert_eq!(check(out).status.code(), Some(0));

    let usage = binary().args(["check", "--draft", "4"]).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
}

/// Without `--out`, the output goes to `generated/` at the root of the
/// workspace the command runs in, found at run time from the current
/// directory, not where the binary was built.
#[test]
fn the_default_output_is_found_from_the_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = []\nresolver = \"2\"\n",
    )
    .unwrap();
    let nested = root.join("crates/inner");
    fs::create_dir_all(&nested).unwrap();
    fs::write(nested.join("Cargo.toml"), "[package]\nname = \"inner\"\n").unwrap();

    let output = binary()
        .arg("write-schema")
        .current_dir(&nested)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(root.join("generated/json/ClientRequest.json").is_file());
    assert!(!nested.join("generated").exists());
    let check = binary().arg("check").current_dir(root).output().unwrap();
    assert_eq!(check.status.code(), Some(0));
}

#[test]
fn outside_a_workspace_without_out_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = binary()
        .arg("check")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("is not inside a cargo workspace") && stderr.contains("--out DIR"),
        "{stderr}"
    );
    assert!(!dir.path().join("generated").exists());
}
