//! `write-schema` and `check` on output folders that are not what the
//! generator left there: symbolic links, files in the way, a run that fails
//! or is killed midway, two runs at once, a draft chosen earlier.

use std::fs;
use std::path::Path;

use clap::Parser;
use protocol_codegen::cli::{run, Cli, Exit};
use protocol_codegen::{Protocol, TypeInfo};

use tests::calc;

const EXTRA: &[TypeInfo] = &[
    TypeInfo::of::<calc::CalcCapabilities>("CalcCapabilities"),
    TypeInfo::of::<calc::Receipt>("Receipt"),
];

fn calc() -> Protocol<'static> {
    Protocol::new(&calc::methods::REGISTRY, calc::COMMAND).with_extra_types(EXTRA)
}

#[derive(Debug)]
struct Outcome {
    exit: Exit,
    stdout: String,
    stderr: String,
}

fn cli(args: &[&str]) -> Outcome {
    let cli = Cli::try_parse_from(std::iter::once("codegen-cli").chain(args.iter().copied()))
        .expect("valid arguments");
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let exit = run(
        &cli,
        calc(),
        Path::new("/nonexistent/default"),
        &mut stdout,
        &mut stderr,
    );
    Outcome {
        exit,
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

/// `write-schema --verbose`: every file written or removed is listed.
fn write_schema(out: &Path) -> Outcome {
    cli(&["write-schema", "--verbose", "--out", out.to_str().unwrap()])
}

fn check(out: &Path) -> Outcome {
    cli(&["check", "--out", out.to_str().unwrap()])
}

#[track_caller]
fn assert_exit(outcome: &Outcome, exit: Exit) {
    assert_eq!(outcome.exit, exit, "{outcome:#?}");
    assert!(!outcome.stderr.contains("panicked"), "{outcome:#?}");
}

/// Every file under `dir` with its contents, by relative path; symbolic
/// links are listed by their target, never followed.
fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let relative = path.strip_prefix(dir).unwrap().display().to_string();
            let file_type = entry.file_type().unwrap();
            if file_type.is_symlink() {
                let target = fs::read_link(&path).unwrap();
                files.push((relative, format!("-> {}", target.display())));
            } else if file_type.is_dir() {
                pending.push(path);
            } else {
                files.push((relative, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

fn owned_ts(name: &str) -> String {
    format!(
        "{}\nexport type {name} = string;\n",
        protocol_codegen::typescript_header(calc::COMMAND)
    )
}

#[cfg(unix)]
mod symlinks {
    use std::os::unix::fs::symlink;

    use super::*;

    /// A folder outside the output tree holding what a symlinked output
    /// folder would point at: an owned file the run would remove and a
    /// stale one it would rewrite.
    fn outside(dir: &Path) -> std::path::PathBuf {
        let outside = dir.join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("Old.ts"), owned_ts("Old")).unwrap();
        fs::write(outside.join("AddParams.ts"), owned_ts("AddParams")).unwrap();
        outside
    }

    #[test]
    fn a_symlinked_output_folder_is_refused_and_nothing_is_written() {
        for folder in ["typescript", "json"] {
            let dir = tempfile::tempdir().unwrap();
            let outside = outside(dir.path());
            let out = dir.path().join("generated");
            fs::create_dir_all(&out).unwrap();
            symlink(&outside, out.join(folder)).unwrap();
            let before = snapshot(dir.path());

            let written = write_schema(&out);
            assert_exit(&written, Exit::Error);
            let link = out.join(folder);
            assert!(
                written.stderr.contains(&format!("`{}`", link.display()))
                    && written.stderr.contains("symbolic link"),
                "{written:#?}"
            );
            assert_eq!(snapshot(dir.path()), before, "{folder}: nothing written");

            let checked = check(&out);
            assert_exit(&checked, Exit::Error);
            assert!(
                checked.stderr.contains(&format!("`{}`", link.display())),
                "{checked:#?}"
            );
        }
    }

    #[test]
    fn a_symlinked_file_at_a_generated_path_is_refused() {
        for path in ["typescript/AddParams.ts", "openrpc.json"] {
            let dir = tempfile::tempdir().unwrap();
            let outside = outside(dir.path());
            let out = dir.path().join("generated");
            assert_exit(&write_schema(&out), Exit::Success);
            // Make other files stale, to see that they are not rewritten.
            make_both_stale(&out);
            let link = out.join(path);
            fs::remove_file(&link).unwrap();
            symlink(outside.join("AddParams.ts"), &link).unwrap();
            let before = snapshot(dir.path());

            let written = write_schema(&out);
            assert_exit(&written, Exit::Error);
            assert!(
                written
                    .stderr
                    .contains(&format!("error: cannot write `{}`", link.display()))
                    && written.stderr.contains("symbolic link"),
                "{written:#?}"
            );
            assert_eq!(snapshot(dir.path()), before, "{path}: nothing written");

            let checked = check(&out);
            assert_exit(&checked, Exit::Error);
            assert!(
                checked.stderr.contains(&format!("`{}`", link.display())),
                "{checked:#?}"
            );
        }
    }

    #[test]
    fn a_symlinked_file_elsewhere_is_never_owned_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = outside(dir.path());
        let out = dir.path().join("generated");
        assert_exit(&write_schema(&out), Exit::Success);
        symlink(outside.join("Old.ts"), out.join("typescript/Old.ts")).unwrap();
        fs::create_dir_all(out.join("typescript/sub")).unwrap();
        symlink(&outside, out.join("typescript/sub/linked")).unwrap();
        let before = snapshot(dir.path());

        assert_exit(&check(&out), Exit::Success);
        let written = write_schema(&out);
        assert_exit(&written, Exit::Success);
        assert!(
            !written.stdout.lines().any(|l| l.starts_with("removed ")),
            "{written:#?}"
        );
        assert_eq!(snapshot(dir.path()), before);
    }
}

/// Makes `json/AddParams.json` and `typescript/AddParams.ts` stale.
fn make_both_stale(out: &Path) {
    for path in ["json/AddParams.json", "typescript/AddParams.ts"] {
        let file = out.join(path);
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, text.replace("leftOperand", "left")).unwrap();
    }
}

/// A new file is created readable by everyone (0644, less the umask, as
/// any tool's new file); a file that is replaced keeps its own mode.
#[cfg(target_os = "linux")]
#[test]
fn new_files_are_readable_and_replaced_files_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;

    let umask = fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|line| line.strip_prefix("Umask:"))
        .map(|mask| u32::from_str_radix(mask.trim(), 8).unwrap())
        .expect("Linux reports the umask");
    let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    assert_exit(&write_schema(&out), Exit::Success);
    let json = out.join("json/AddParams.json");
    let typescript = out.join("typescript/AddParams.ts");
    assert_eq!(mode(&json), 0o644 & !umask);
    assert_eq!(mode(&typescript), 0o644 & !umask);

    fs::set_permissions(&json, fs::Permissions::from_mode(0o600)).unwrap();
    fs::set_permissions(&typescript, fs::Permissions::from_mode(0o664)).unwrap();
    make_both_stale(&out);
    let written = write_schema(&out);
    assert_exit(&written, Exit::Success);
    assert!(
        written.stdout.contains("wrote   json/AddParams.json"),
        "{written:#?}"
    );
    assert!(fs::read_to_string(&json).unwrap().contains("leftOperand"));
    assert_eq!(mode(&json), 0o600);
    assert_eq!(mode(&typescript), 0o664);
}

/// With `typescript/` read-only, the run fails before any `json/` file is
/// replaced. Permission bits do not stop root: then the folder stays
/// writable and the test says so (the unit test in `output.rs` fails the
/// same step on every machine).
#[cfg(unix)]
#[test]
fn a_read_only_folder_fails_the_run_before_anything_is_replaced() {
    use std::os::unix::fs::PermissionsExt;

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    assert_exit(&write_schema(&out), Exit::Success);
    make_both_stale(&out);
    let typescript = out.join("typescript");
    fs::set_permissions(&typescript, fs::Permissions::from_mode(0o555)).unwrap();
    let probe = typescript.join("probe");
    if fs::write(&probe, "").is_ok() {
        fs::remove_file(&probe).unwrap();
        fs::set_permissions(&typescript, fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("permission bits do not stop this user: skipped");
        return;
    }
    let before = snapshot(&out);
    let written = write_schema(&out);
    fs::set_permissions(&typescript, fs::Permissions::from_mode(0o755)).unwrap();
    assert_exit(&written, Exit::Error);
    assert!(
        written
            .stderr
            .contains(&format!("`{}`", typescript.display())),
        "{written:#?}"
    );
    assert_eq!(snapshot(&out), before, "nothing was replaced");
}

#[test]
fn concurrent_runs_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    assert_exit(&write_schema(&out), Exit::Success);
    for round in 0..25 {
        // Owned files no longer rendered: both runs want to remove them.
        for i in 0..8 {
            fs::write(
                out.join(format!("typescript/Gone{i}.ts")),
                owned_ts(&format!("Gone{i}")),
            )
            .unwrap();
        }
        make_both_stale(&out);
        let runs: Vec<Outcome> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..3).map(|_| scope.spawn(|| write_schema(&out))).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for outcome in &runs {
            assert_exit(outcome, Exit::Success);
        }
        let checked = check(&out);
        assert_exit(&checked, Exit::Success);
        assert!(!out.join("typescript/Gone0.ts").exists(), "round {round}");
    }
}

#[test]
fn temporary_files_of_an_interrupted_run_are_reported_and_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    assert_exit(&write_schema(&out), Exit::Success);
    // What a run killed midway leaves: the start of a generated file, an
    // empty one, a whole one (the old contents it kept of a file).
    let leftovers = [
        "json/.~codegen-4242-0.tmp",
        "typescript/.~codegen-4242-1.tmp",
        ".~codegen-4242-2.tmp",
    ];
    let header = protocol_codegen::typescript_header(calc::COMMAND);
    let contents = [
        format!(
            "{{\n  \"$comment\": {:?},\n  \"half\": ",
            protocol_codegen::notice(calc::COMMAND)
        ),
        String::new(),
        format!("{header}\nexport type Old = string;\n"),
    ];
    for (path, contents) in leftovers.iter().zip(&contents) {
        fs::write(out.join(path), contents).unwrap();
    }
    // A file of the user's that merely looks alike is not ours.
    fs::write(out.join("json/codegen-notes.tmp"), "mine").unwrap();

    let checked = check(&out);
    assert_exit(&checked, Exit::Drift);
    for path in leftovers {
        assert!(
            checked.stdout.contains(&format!("partial: {path}")),
            "{checked:#?}"
        );
    }
    assert!(checked.stdout.contains("interrupted"), "{checked:#?}");
    assert!(
        checked
            .stdout
            .contains(&format!("{} --out {}", calc::COMMAND, out.display())),
        "{checked:#?}"
    );

    let written = write_schema(&out);
    assert_exit(&written, Exit::Success);
    for path in leftovers {
        assert!(
            written.stdout.contains(&format!("removed {path}")),
            "{written:#?}"
        );
        assert!(!out.join(path).exists(), "{path}");
    }
    assert_eq!(
        fs::read_to_string(out.join("json/codegen-notes.tmp")).unwrap(),
        "mine"
    );
    assert_exit(&check(&out), Exit::Success);
}

#[test]
fn check_of_a_regular_file_is_an_error_as_write_schema_is() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    fs::write(&file, "a regular file").unwrap();
    for outcome in [check(&file), write_schema(&file)] {
        assert_exit(&outcome, Exit::Error);
        assert!(
            outcome.stderr.contains(&format!(
                "error: cannot create directory `{}",
                file.display()
            )) || outcome.stderr.contains(&format!(
                "error: cannot read directory `{}`",
                file.display()
            )),
            "{outcome:#?}"
        );
    }
    // A file where a folder of the output goes is the same error.
    let out = dir.path().join("generated");
    assert_exit(&write_schema(&out), Exit::Success);
    let json = out.join("json");
    fs::remove_dir_all(&json).unwrap();
    fs::write(&json, "in the way").unwrap();
    for outcome in [check(&out), write_schema(&out)] {
        assert_exit(&outcome, Exit::Error);
        assert!(
            outcome.stderr.contains(&format!("`{}`", json.display())),
            "{outcome:#?}"
        );
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "a regular file");
    assert_eq!(fs::read_to_string(&json).unwrap(), "in the way");
}

#[test]
fn check_tells_foreign_files_from_stale_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    assert_exit(&write_schema(&out), Exit::Success);
    let foreign = out.join("typescript/AddParams.ts");
    fs::write(&foreign, "export type AddParams = { mine: true };\n").unwrap();
    let stale = out.join("json/AddResult.json");
    let text = fs::read_to_string(&stale).unwrap();
    fs::write(&stale, text.replace("sum", "total")).unwrap();

    let checked = check(&out);
    assert_exit(&checked, Exit::Drift);
    let report = &checked.stdout;
    assert!(report.contains("stale:   json/AddResult.json"), "{report}");
    assert!(
        report.contains("foreign: typescript/AddParams.ts (not written by this generator)"),
        "{report}"
    );
    assert!(
        !report.contains("stale:   typescript/AddParams.ts"),
        "{report}"
    );
    assert!(report.contains("move it away or delete it"), "{report}");
    // write-schema refuses, as check said it would.
    let written = write_schema(&out);
    assert_exit(&written, Exit::Error);
    assert!(written.stderr.contains("not written by this generator"));
}

fn bundle_schema(out: &Path) -> String {
    let bundle = fs::read_to_string(out.join("json/protocol.schema.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&bundle).unwrap();
    value["$schema"].as_str().unwrap().to_owned()
}

#[test]
fn the_draft_written_is_the_draft_checked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    let o = out.to_str().unwrap();
    assert_exit(
        &cli(&["write-schema", "--out", o, "--draft", "07"]),
        Exit::Success,
    );
    assert_eq!(
        bundle_schema(&out),
        "http://json-schema.org/draft-07/schema#"
    );
    // check and the next write-schema follow the draft on disk.
    let checked = check(&out);
    assert_exit(&checked, Exit::Success);
    let again = write_schema(&out);
    assert_exit(&again, Exit::Success);
    assert!(again.stdout.contains("all up to date"), "{again:#?}");
    assert_eq!(
        bundle_schema(&out),
        "http://json-schema.org/draft-07/schema#"
    );
    // An explicit --draft on check compares with that draft.
    let other = cli(&["check", "--out", o, "--draft", "2020-12"]);
    assert_exit(&other, Exit::Drift);
    assert!(
        other
            .stdout
            .contains(&format!("{} --out {o} --draft 2020-12", calc::COMMAND)),
        "{other:#?}"
    );
    // An explicit --draft on write-schema changes it.
    assert_exit(
        &cli(&["write-schema", "--out", o, "--draft", "2020-12"]),
        Exit::Success,
    );
    assert_eq!(
        bundle_schema(&out),
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_exit(&check(&out), Exit::Success);
    assert_exit(&cli(&["check", "--out", o, "--draft", "07"]), Exit::Drift);
}

#[test]
fn the_help_says_where_the_draft_comes_from() {
    let help = Cli::try_parse_from(["codegen-cli", "write-schema", "--help"])
        .unwrap_err()
        .to_string();
    assert!(help.contains("json/protocol.schema.json"), "{help}");
}

/// Every regular file directly in `out/folder`, sorted.
fn files_in(out: &Path, folder: &str) -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(out.join(folder))
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().unwrap().is_file())
        .map(|entry| format!("{folder}/{}", entry.file_name().to_string_lossy()))
        .collect();
    files.sort();
    files
}

/// Makes an owned file stale without making it foreign: its header stays.
fn make_stale(file: &Path) {
    let text = fs::read_to_string(file).unwrap();
    let stale = if file.extension().is_some_and(|ext| ext == "ts") {
        format!("{text}// stale\n")
    } else {
        text.replacen('{', "{\"stale\": true,", 1)
    };
    fs::write(file, stale).unwrap();
}

/// Clears the immutable attribute it set, whatever the test's outcome.
#[cfg(target_os = "linux")]
struct Immutable(std::path::PathBuf);

#[cfg(target_os = "linux")]
impl Immutable {
    /// `None` where the attribute cannot be set (no `chattr`, no
    /// CAP_LINUX_IMMUTABLE, a filesystem without it).
    fn set(path: &Path) -> Option<Immutable> {
        let status = std::process::Command::new("chattr")
            .arg("+i")
            .arg(path)
            .stderr(std::process::Stdio::null())
            .status();
        status
            .is_ok_and(|status| status.success())
            .then(|| Immutable(path.to_path_buf()))
    }
}

#[cfg(target_os = "linux")]
impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(&self.0)
            .status();
    }
}

/// Six stale files, the last one renamed immutable: the rename of that one
/// fails after the others were renamed, and every one of them is put back.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_schema_replaces_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    assert_exit(&write_schema(&out), Exit::Success);
    let json = files_in(&out, "json");
    let typescript = files_in(&out, "typescript");
    let stale: Vec<&String> = json[..3]
        .iter()
        .chain(&typescript[typescript.len() - 3..])
        .collect();
    for path in &stale {
        make_stale(&out.join(path));
    }
    let last = out.join(stale[5]);
    let Some(_immutable) = Immutable::set(&last) else {
        eprintln!("chattr +i is not available here: skipped (the unit test in output.rs fails a rename on every machine)");
        return;
    };
    let before = snapshot(&out);

    let written = write_schema(&out);
    assert_exit(&written, Exit::Error);
    assert!(
        written.stderr.contains(&format!("`{}`", last.display())),
        "{written:#?}"
    );
    assert!(
        written.stderr.contains("nothing was replaced"),
        "{written:#?}"
    );
    assert_eq!(snapshot(&out), before, "every replaced file was put back");
}

/// A thread swaps `json/` and `typescript/` for links to a folder outside
/// while write-schema runs: no run may write, replace or remove anything
/// there, and each either succeeds or fails with an error naming a path.
#[cfg(unix)]
#[test]
fn a_symlink_swapped_in_during_write_schema_never_redirects_a_write() {
    use std::os::unix::fs::symlink;
    use std::sync::atomic::{AtomicBool, Ordering};

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    assert_exit(&write_schema(&out), Exit::Success);
    let outside = dir.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    // What a run through the link would remove (owned, not rendered) or
    // rewrite (owned, stale).
    fs::write(outside.join("Old.ts"), owned_ts("Old")).unwrap();
    fs::write(outside.join("AddParams.ts"), owned_ts("AddParams")).unwrap();
    let json_comment = format!(
        "{{\"$comment\": {:?}}}\n",
        protocol_codegen::notice(calc::COMMAND)
    );
    fs::write(outside.join("Old.json"), &json_comment).unwrap();
    fs::write(outside.join("AddParams.json"), &json_comment).unwrap();
    let before = snapshot(&outside);

    let done = AtomicBool::new(false);
    // Held by the swapping thread for a whole swap, so that the test's own
    // writes never go through the link.
    let swapping = std::sync::Mutex::new(());
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut round = 0usize;
            while !done.load(Ordering::SeqCst) {
                // Outside the swap, so that the test gets its turn.
                std::thread::sleep(std::time::Duration::from_micros(200));
                let _swap = swapping.lock().unwrap_or_else(|e| e.into_inner());
                let folder = out.join(["json", "typescript"][round % 2]);
                let aside = out.join(format!("{}.aside", ["json", "typescript"][round % 2]));
                round += 1;
                if fs::symlink_metadata(&aside).is_ok() {
                    let _ = fs::remove_dir_all(&aside);
                }
                if fs::rename(&folder, &aside).is_err() {
                    continue;
                }
                let _ = symlink(&outside, &folder);
                std::thread::yield_now();
                if fs::symlink_metadata(&folder).is_ok_and(|m| m.file_type().is_symlink()) {
                    let _ = fs::remove_file(&folder);
                }
                let _ = fs::rename(&aside, &folder);
            }
        });
        // Stops the swapping however the loop ends.
        let _stop = Stop(&done);
        for round in 0..120 {
            {
                let _swap = swapping.lock().unwrap_or_else(|e| e.into_inner());
                // Owned, and stale: write-schema replaces them.
                fs::write(out.join("json/AddParams.json"), &json_comment).unwrap();
                fs::write(out.join("typescript/AddParams.ts"), owned_ts("AddParams")).unwrap();
                fs::write(out.join("typescript/Gone.ts"), owned_ts("Gone")).unwrap();
            }
            let written = write_schema(&out);
            assert!(
                matches!(written.exit, Exit::Success | Exit::Error),
                "round {round}: {written:#?}"
            );
            assert!(!written.stderr.contains("panicked"), "{written:#?}");
            if written.exit == Exit::Error {
                assert!(written.stderr.starts_with("error: cannot "), "{written:#?}");
            }
            assert_eq!(snapshot(&outside), before, "round {round}: {written:#?}");
        }
    });
}

struct Stop<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for Stop<'_> {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// `write-schema` locks the output folder itself while it runs, and leaves
/// no lock file: it waits while another holds the folder's lock; the lock
/// file an earlier version left is removed.
#[cfg(unix)]
#[test]
fn the_lock_is_on_the_folder_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    assert_exit(&write_schema(&out), Exit::Success);
    fs::write(out.join(".codegen.lock"), "").unwrap();
    let before = snapshot_names(&out);

    // Held by someone else (another run would take it the same way).
    let held = fs::File::open(&out).unwrap();
    fs4::FileExt::lock(&held).unwrap();
    make_both_stale(&out);
    let (send, receive) = std::sync::mpsc::channel();
    let o = out.clone();
    std::thread::spawn(move || {
        let _ = send.send(cli(&["write-schema", "--out", o.to_str().unwrap()]));
    });
    assert!(
        receive
            .recv_timeout(std::time::Duration::from_millis(500))
            .is_err(),
        "write-schema waits for the lock"
    );
    fs4::FileExt::unlock(&held).unwrap();
    let written = receive
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("it ran once the lock was released");
    assert_exit(&written, Exit::Success);
    assert!(
        written.stdout.contains("2 written, 1 removed"),
        "{written:#?}"
    );

    let after = snapshot_names(&out);
    let legacy = out.join(".codegen.lock").display().to_string();
    assert!(!after.contains(&legacy), "{after:#?}");
    assert_eq!(
        after,
        before
            .into_iter()
            .filter(|name| *name != legacy)
            .collect::<Vec<_>>()
    );
    // A file of that name that is not an empty file is not the generator's.
    fs::write(out.join(".codegen.lock"), "mine").unwrap();
    assert_exit(&write_schema(&out), Exit::Success);
    assert_eq!(
        fs::read_to_string(out.join(".codegen.lock")).unwrap(),
        "mine"
    );
}

/// The names under `dir` (a FIFO cannot be read as `snapshot` reads).
fn snapshot_names(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                pending.push(entry.path());
            }
            names.push(entry.path().display().to_string());
        }
    }
    names.sort();
    names
}

/// The most memory this process has held, in bytes.
#[cfg(target_os = "linux")]
fn peak_memory() -> u64 {
    fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|kb| kb.trim().strip_suffix("kB"))
        .map(|kb| kb.trim().parse::<u64>().unwrap() * 1024)
        .expect("Linux reports VmHWM")
}

/// A 3 GiB sparse file where a type's schema goes, and one where a
/// generated file is: both are named, neither is read.
#[cfg(target_os = "linux")]
#[test]
fn a_huge_sparse_file_is_reported_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    assert_exit(&write_schema(&out), Exit::Success);
    let huge = out.join("json/Huge.json");
    fs::File::create(&huge).unwrap().set_len(3 << 30).unwrap();
    let started = std::time::Instant::now();

    let checked = check(&out);
    assert_exit(&checked, Exit::Success);
    assert!(
        checked.stdout.contains("not read: json/Huge.json"),
        "{checked:#?}"
    );
    let written = write_schema(&out);
    assert_exit(&written, Exit::Success);
    assert!(
        written.stdout.contains("not read: json/Huge.json"),
        "{written:#?}"
    );
    assert_eq!(fs::metadata(&huge).unwrap().len(), 3 << 30, "left alone");

    let generated = out.join("typescript/AddParams.ts");
    fs::OpenOptions::new()
        .write(true)
        .open(&generated)
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    let checked = check(&out);
    assert_exit(&checked, Exit::Drift);
    assert!(
        checked.stdout.contains("foreign: typescript/AddParams.ts")
            && checked.stdout.contains("not read: typescript/AddParams.ts"),
        "{checked:#?}"
    );
    let written = write_schema(&out);
    assert_exit(&written, Exit::Error);
    assert!(
        written
            .stderr
            .contains(&format!("`{}`", generated.display())),
        "{written:#?}"
    );
    assert_eq!(fs::metadata(&generated).unwrap().len(), 3 << 30);

    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert!(
        peak_memory() < 1 << 30,
        "peak memory {} bytes",
        peak_memory()
    );
}

/// Files whose header names another generator's command are not ours: one
/// where nothing is rendered is left alone (as a hand-written file is), one
/// at a rendered path is foreign.
#[test]
fn another_generators_files_are_not_ours() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    assert_exit(&write_schema(&out), Exit::Success);
    let other = "cargo run -p other-gen -- write-schema";
    let theirs = [
        (
            "typescript/Theirs.ts".to_owned(),
            format!(
                "{}\nexport type Theirs = string;\n",
                protocol_codegen::typescript_header(other)
            ),
        ),
        (
            "json/Theirs.json".to_owned(),
            format!("{{\"$comment\": {:?}}}\n", protocol_codegen::notice(other)),
        ),
    ];
    for (path, contents) in &theirs {
        fs::write(out.join(path), contents).unwrap();
    }
    assert_exit(&check(&out), Exit::Success);
    let written = write_schema(&out);
    assert_exit(&written, Exit::Success);
    assert!(
        !written
            .stdout
            .lines()
            .any(|line| line.starts_with("removed ")),
        "{written:#?}"
    );
    for (path, contents) in &theirs {
        assert_eq!(&fs::read_to_string(out.join(path)).unwrap(), contents);
    }

    let at_rendered_path = out.join("typescript/AddParams.ts");
    let contents = owned_ts("AddParams").replace(calc::COMMAND, other);
    fs::write(&at_rendered_path, &contents).unwrap();
    let checked = check(&out);
    assert_exit(&checked, Exit::Drift);
    assert!(
        checked
            .stdout
            .contains("foreign: typescript/AddParams.ts (not written by this generator)"),
        "{checked:#?}"
    );
    let written = write_schema(&out);
    assert_exit(&written, Exit::Error);
    assert!(written.stderr.contains("not written by this generator"));
    assert_eq!(fs::read_to_string(&at_rendered_path).unwrap(), contents);
}

/// A file of the user's named like a temporary file, or named exactly like
/// one but without this generator's header, is not a leftover.
#[test]
fn a_users_codegen_tmp_file_survives() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    assert_exit(&write_schema(&out), Exit::Success);
    let users = [
        ".codegen-notes.tmp",
        "json/.codegen-notes.tmp",
        "typescript/.codegen-notes.tmp",
        "typescript/.~codegen-12-3.tmp",
    ];
    for path in users {
        fs::write(out.join(path), "mine").unwrap();
    }
    assert_exit(&check(&out), Exit::Success);
    let written = write_schema(&out);
    assert_exit(&written, Exit::Success);
    for path in users {
        assert_eq!(
            fs::read_to_string(out.join(path)).unwrap(),
            "mine",
            "{path}"
        );
    }
}
