//! The renderer seam: an output is one `Output` implementation and one
//! entry in the list a generator writes. A toy output, a text file per
//! method, registered here beside the six this crate ships, is written,
//! recognised as its own on the next run (replaced and removed cleanly,
//! never "refusing to overwrite"), checked, and left alone by a generator
//! that does not write it.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use clap::Parser;
use protocol_codegen::cli::{run, Cli, Exit};
use protocol_codegen::model::Model;
use protocol_codegen::{
    check_generated, render, write_generated, Context, Draft, JsonSchemaOutput, Mark, Output,
    Protocol, RenderError, Rendered, ALL_OUTPUTS, EXPERIMENTAL_FOLDER,
};

use tests::calc;

/// A note per method: `notes/<direction>.<method>.txt`, whose first line
/// is `# ` and the notice.
#[derive(Debug)]
struct MethodNotes;

impl Output for MethodNotes {
    fn name(&self) -> &'static str {
        "method notes"
    }

    fn folders(&self) -> &'static [&'static str] {
        &["notes"]
    }

    fn marks(&self) -> &'static [Mark] {
        const MARKS: [Mark; 1] = [Mark::first_line(".txt", "# ")];
        &MARKS
    }

    fn render(&self, model: &Model, cx: &Context<'_>) -> Result<Rendered, RenderError> {
        let files: BTreeMap<String, String> = model
            .methods
            .iter()
            .map(|method| {
                let path = format!(
                    "notes/{}.{}.txt",
                    method.message_direction.lsp_name(),
                    method.method.replace('/', "-")
                );
                let text = format!("# {}\n{} ({:?})\n", cx.notice, method.method, method.kind);
                (path, text)
            })
            .collect();
        Ok(Rendered {
            files,
            ..Rendered::default()
        })
    }
}

/// The six outputs this crate ships, and the notes.
const WITH_NOTES: &[&dyn Output] = &[
    ALL_OUTPUTS[0],
    ALL_OUTPUTS[1],
    ALL_OUTPUTS[2],
    ALL_OUTPUTS[3],
    ALL_OUTPUTS[4],
    ALL_OUTPUTS[5],
    &MethodNotes,
];

fn calc_with(outputs: &'static [&'static dyn Output]) -> Protocol<'static> {
    Protocol::new(&calc::methods::REGISTRY, calc::COMMAND).with_outputs(outputs)
}

/// `write-schema` or `check` of `protocol` into `out`.
/// `command` on `out`; `write-schema` lists every file (`--verbose`).
fn cli(protocol: Protocol<'_>, command: &str, out: &Path) -> (Exit, String, String) {
    let mut args = vec!["codegen-cli", command, "--out", out.to_str().unwrap()];
    if command == "write-schema" {
        args.push("--verbose");
    }
    let cli = Cli::try_parse_from(args).expect("valid arguments");
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let exit = run(
        &cli,
        protocol,
        Path::new("/nonexistent"),
        &mut stdout,
        &mut stderr,
    );
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (exit, text(stdout), text(stderr))
}

fn notes(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(out.join("notes"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_registered_output_is_written_and_owned_on_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let generated = render(calc_with(WITH_NOTES), Draft::default()).unwrap();
    let note = "notes/clientToServer.math-add.txt";
    assert!(
        generated.get(note).is_some(),
        "{:?}",
        generated.files().keys()
    );
    write_generated(&generated, out).unwrap();
    let text = fs::read_to_string(out.join(note)).unwrap();
    assert_eq!(
        text,
        format!(
            "# {}\nmath/add (Request)\n",
            protocol_codegen::notice(calc::COMMAND)
        )
    );
    // The six outputs' files are written beside the notes, as they are
    // without them.
    let alone = render(calc_with(ALL_OUTPUTS), Draft::default()).unwrap();
    for (path, contents) in alone.files() {
        assert_eq!(generated.get(path), Some(contents.as_str()), "{path}");
    }

    // A note changed by hand, one of a method that is gone (both with our
    // mark) and a text file of someone else's.
    fs::write(out.join(note), format!("{text}edited\n")).unwrap();
    let gone = "notes/clientToServer.math-gone.txt";
    fs::write(out.join(gone), &text).unwrap();
    let foreign = out.join("notes/README.txt");
    fs::write(&foreign, "hand written\n").unwrap();
    let drift = check_generated(&generated, out).unwrap();
    assert_eq!(drift.stale.len(), 1, "{drift:?}");
    assert_eq!(drift.stale[0].path, note);
    assert_eq!(drift.extra, [gone]);
    assert!(drift.foreign.is_empty(), "{drift:?}");

    let (exit, stdout, stderr) = cli(calc_with(WITH_NOTES), "write-schema", out);
    assert_eq!(exit, Exit::Success, "{stdout}{stderr}");
    assert!(!stderr.contains("refusing"), "{stderr}");
    assert!(stdout.contains(&format!("wrote   {note}")), "{stdout}");
    assert!(stdout.contains(&format!("removed {gone}")), "{stdout}");
    assert_eq!(fs::read_to_string(out.join(note)).unwrap(), text);
    assert!(!out.join(gone).exists());
    assert_eq!(fs::read_to_string(&foreign).unwrap(), "hand written\n");
    let (exit, stdout, _) = cli(calc_with(WITH_NOTES), "check", out);
    assert_eq!(exit, Exit::Success, "{stdout}");

    // A generator that does not write the notes does not own them: it
    // leaves them as they are.
    let before = notes(out);
    let (exit, stdout, stderr) = cli(calc_with(ALL_OUTPUTS), "write-schema", out);
    assert_eq!(exit, Exit::Success, "{stdout}{stderr}");
    assert!(!stdout.contains("notes/"), "{stdout}");
    assert_eq!(notes(out), before);
}

/// A note at a rendered path that does not carry the mark is not its own:
/// the run refuses to overwrite it, as it does for the shipped outputs.
#[test]
fn a_registered_output_refuses_a_file_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let note = out.join("notes/clientToServer.math-add.txt");
    fs::create_dir_all(note.parent().unwrap()).unwrap();
    fs::write(&note, "math/add, by hand\n").unwrap();
    let (exit, _, stderr) = cli(calc_with(WITH_NOTES), "write-schema", out);
    assert_eq!(exit, Exit::Error);
    assert!(stderr.contains("not written by this generator"), "{stderr}");
    assert_eq!(fs::read_to_string(&note).unwrap(), "math/add, by hand\n");
}

/// A generator writes the outputs it chose and no other; the experimental
/// surface has the same outputs.
#[test]
fn a_generator_chooses_its_outputs() {
    const ONLY_JSON: &[&dyn Output] = &[&JsonSchemaOutput];
    let codex = Protocol::new(&protocol_defs::methods::REGISTRY, calc::COMMAND);
    let all = render(codex, Draft::default()).unwrap();
    let generated = render(codex.with_outputs(ONLY_JSON), Draft::default()).unwrap();
    let experimental = format!("{EXPERIMENTAL_FOLDER}/json/");
    assert!(generated
        .files()
        .keys()
        .any(|path| path.starts_with(&experimental)));
    for (path, contents) in generated.files() {
        let inner = path.strip_prefix(&format!("{EXPERIMENTAL_FOLDER}/"));
        assert!(
            inner.unwrap_or(path).starts_with("json/"),
            "{path} is not a JSON Schema file"
        );
        assert_eq!(all.get(path), Some(contents.as_str()), "{path}");
    }
    let json_files = all
        .files()
        .keys()
        .filter(|path| path.contains("json/") && !path.ends_with("protocol.meta.schema.json"))
        .count();
    assert_eq!(generated.files().len(), json_files);
}
