//! The command line: `write-schema`, `check`, `breaking` and `validate`,
//! and [`main`], the whole `main` of a protocol's generator binary.

use std::io::{BufRead, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

use protocol_macros::Side;

use crate::tools::validate::validate;
use crate::{check_generated, recorded_draft, render, write_generated, Draft, Generated, Protocol};

/// Generate the protocol's JSON Schema and TypeScript, or check that they are up to date.
#[derive(Debug, Parser)]
#[command(name = "codegen-cli")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the JSON Schema and TypeScript files, removing those of types that no longer exist.
    WriteSchema(WriteArgs),
    /// Compare the files with the protocol without writing; exit 1 listing every difference.
    Check(OutputArgs),
    /// Compare the protocol with a base version; exit 1 on a breaking change the allowlist does not accept.
    Breaking(BreakingArgs),
    /// Check a transcript of messages, one JSON-RPC message a line, against the protocol;
    /// exit 1 listing every failing line (its number, method, a JSON pointer to the bad
    /// value and the reason).
    ///
    /// A line is a bare message, whose sender --from gives, or
    /// {"from": "client"|"server", "message": …}. Each message must have a valid envelope,
    /// a method its sender may send, params that decode into the method's type, and the
    /// capability its method requires negotiated; a response must answer a pending request
    /// of the other side by id, with a result that decodes as that method's response.
    Validate(ValidateArgs),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The transcript (JSONL), or `-` for standard input.
    #[arg(value_name = "FILE|-")]
    pub file: PathBuf,
    /// Who sent the bare messages (lines that are not {"from": …, "message": …}).
    #[arg(long, value_parser = side_parser())]
    pub from: Option<Side>,
}

/// `--from`'s values, each with its help.
fn side_parser() -> impl TypedValueParser<Value = Side> {
    PossibleValuesParser::new([
        PossibleValue::new("client")
            .help("The client: its requests and notifications go to the server"),
        PossibleValue::new("server")
            .help("The server: its requests and notifications go to the client"),
    ])
    .map(|side| match side.as_str() {
        "client" => Side::Client,
        _ => Side::Server,
    })
}

#[derive(Debug, Args)]
pub struct BreakingArgs {
    /// The base: an output directory (its protocol.meta.json), or a git revision
    /// (its committed protocol.meta.json under the output directory, read with `git show`).
    #[arg(long, value_name = "DIR|GIT-REF")]
    pub base: String,
    /// Accepted breaking changes, one JSON object a line: {"change": "…", "reason": "…"}.
    /// Append-only: against a git revision, its entries there must still lead the file.
    #[arg(long, value_name = "FILE")]
    pub allowlist: Option<PathBuf>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The output directory whose protocol.meta.json a git revision is read from
    /// [default: the generator's own].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// How `breaking` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line a finding.
    Text,
    /// One JSON document.
    Json,
}

#[derive(Debug, Args)]
pub struct WriteArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    /// List every file written or removed (by default only how many).
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// The output directory [default: the generator's own, e.g. generated/ at the workspace root].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The JSON Schema draft of the json/ files [default: the draft the output directory
    /// was written in (the `$schema` of its json/protocol.schema.json), else 2020-12].
    /// write-schema with --draft switches the directory to that draft.
    #[arg(long, value_enum)]
    pub draft: Option<Draft>,
}

impl Cli {
    /// The `--out` directory, if given.
    pub fn out(&self) -> Option<&Path> {
        match &self.command {
            Command::WriteSchema(WriteArgs { output: args, .. }) | Command::Check(args) => {
                args.out.as_deref()
            }
            Command::Breaking(args) => args.out.as_deref(),
            Command::Validate(_) => None,
        }
    }

    /// Whether the command reads or writes an output directory (`validate`
    /// does not).
    pub fn uses_out_dir(&self) -> bool {
        !matches!(self.command, Command::Validate(_))
    }
}

/// The whole `main` of a protocol's generator binary: parses the
/// process's arguments (clap's usage errors exit 2, `--help` lists the
/// commands), runs the command against `protocol` and returns its exit
/// code. Without `--out`, the output folder is `out` (e.g. `generated` or
/// `../generated`) in `package_dir`, the generator package's own folder,
/// which the generator passes as `env!("CARGO_MANIFEST_DIR")`: the same
/// folder whichever directory the command runs in.
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     # let registry: &protocol_codegen::Registry = todo!();
///     let protocol = protocol_codegen::Protocol::new(registry, "cargo run -p notes-codegen -- write-schema");
///     protocol_codegen::cli::main(protocol, env!("CARGO_MANIFEST_DIR"), "../generated")
/// }
/// ```
pub fn main(protocol: Protocol<'_>, package_dir: &str, out: &str) -> ExitCode {
    main_with(protocol, |cli| {
        if cli.out().is_some() || !cli.uses_out_dir() {
            return Ok(PathBuf::new());
        }
        package_out_dir(Path::new(package_dir), Path::new(out))
    })
}

/// [`main`] for a generator that writes `folder` under the root of the
/// cargo workspace it runs in ([`workspace_out_dir`]), as this
/// repository's generators do.
pub fn main_in_workspace(protocol: Protocol<'_>, folder: &str) -> ExitCode {
    main_with(protocol, |cli| workspace_out_dir(cli, Path::new(folder)))
}

fn main_with(
    protocol: Protocol<'_>,
    default_out: impl FnOnce(&Cli) -> Result<PathBuf, String>,
) -> ExitCode {
    let cli = Cli::parse();
    let exit = match default_out(&cli) {
        Ok(out_dir) => run(
            &cli,
            protocol,
            &out_dir,
            &mut std::io::stdout(),
            &mut std::io::stderr(),
        ),
        Err(message) => {
            eprintln!("error: {message}");
            Exit::Error
        }
    };
    ExitCode::from(exit.code())
}

/// `out` in the package folder `package_dir`: the folder as it is now (a
/// link in its path resolved), then `out`'s leading `..` taken from it, so
/// that messages name the folder plainly. An absolute `out` is itself.
pub fn package_out_dir(package_dir: &Path, out: &Path) -> Result<PathBuf, String> {
    if out.is_absolute() {
        return Ok(out.to_path_buf());
    }
    let mut dir = std::fs::canonicalize(package_dir).map_err(|err| {
        format!(
            "cannot find the generator's package folder `{}`, where its output folder `{}` is: {err}; \
             pass --out DIR",
            package_dir.display(),
            out.display()
        )
    })?;
    let mut below = PathBuf::new();
    for component in out.components() {
        match component {
            Component::CurDir => {}
            // Only up from the resolved folder: below it, a `..` after a
            // link is the link's parent, which only the file system knows.
            Component::ParentDir if below.as_os_str().is_empty() => {
                dir.pop();
            }
            other => below.push(other),
        }
    }
    Ok(dir.join(below))
}

/// The output folder `folder` (e.g. `generated`) under the root of the
/// cargo workspace around the current directory, found at run time, so a
/// generator binary writes where it runs, not where it was built. Not
/// needed (and not looked for) when `--out` is given or the command has no
/// output folder: then an empty path.
pub fn workspace_out_dir(cli: &Cli, folder: &Path) -> Result<PathBuf, String> {
    if cli.out().is_some() || !cli.uses_out_dir() {
        return Ok(PathBuf::new());
    }
    let cwd = std::env::current_dir()
        .map_err(|err| format!("cannot read the current directory: {err}"))?;
    workspace_root(&cwd)
        .map(|root| root.join(folder))
        .ok_or_else(|| {
            format!(
                "`{}` is not inside a cargo workspace (no Cargo.toml with [workspace] above it); \
             run from the workspace or pass --out DIR",
                cwd.display()
            )
        })
}

/// The nearest directory at or above `dir` whose `Cargo.toml` declares a
/// `[workspace]`.
fn workspace_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|candidate| {
            std::fs::read_to_string(candidate.join("Cargo.toml"))
                .is_ok_and(|manifest| manifest.lines().any(|line| line.trim() == "[workspace]"))
        })
        .map(Path::to_path_buf)
}

/// How a run ended; the process exit code is [`Exit::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Written, or in sync; or every line of a transcript valid.
    Success = 0,
    /// `check` found differences, `breaking` a breaking change, or
    /// `validate` a failing line.
    Drift = 1,
    /// Rendering or I/O failed (clap's usage errors exit 2 as well).
    Error = 2,
}

impl Exit {
    pub const fn code(self) -> u8 {
        self as u8
    }
}

/// Runs `cli` against `protocol`; `default_out` stands in for a missing
/// `--out`. `validate -` reads the process's standard input.
pub fn run(
    cli: &Cli,
    protocol: Protocol<'_>,
    default_out: &Path,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Exit {
    run_with_stdin(
        cli,
        protocol,
        default_out,
        &mut std::io::stdin().lock(),
        stdout,
        stderr,
    )
}

/// [`run`], with `stdin` as the standard input.
pub fn run_with_stdin(
    cli: &Cli,
    protocol: Protocol<'_>,
    default_out: &Path,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Exit {
    match &cli.command {
        Command::WriteSchema(args) => {
            let out_dir = args.output.out.as_deref().unwrap_or(default_out);
            run_write_schema(args, protocol, out_dir, stdout, stderr)
        }
        Command::Check(args) => {
            let out_dir = args.out.as_deref().unwrap_or(default_out);
            run_check(args, protocol, out_dir, stdout, stderr)
        }
        Command::Breaking(args) => {
            let out_dir = args.out.as_deref().unwrap_or(default_out);
            crate::tools::breaking::cli::run(args, protocol, out_dir, stdout, stderr)
        }
        Command::Validate(args) => run_validate(args, protocol, stdin, stdout, stderr),
    }
}

/// The files `protocol` renders in the draft `--draft` names, else the one
/// `out_dir` was written in; `Err` once the error is reported.
fn rendered(
    args: &OutputArgs,
    protocol: Protocol<'_>,
    out_dir: &Path,
    stderr: &mut dyn Write,
) -> Result<Generated, Exit> {
    // Output to the terminal is best effort: a closed pipe must not turn a
    // successful write into a failure.
    let draft = match args.draft {
        Some(draft) => draft,
        None => match recorded_draft(out_dir, protocol.command) {
            Ok(recorded) => recorded.unwrap_or_default(),
            Err(err) => {
                let _ = writeln!(stderr, "error: {err}");
                return Err(Exit::Error);
            }
        },
    };
    render(protocol, draft).map_err(|err| {
        let _ = writeln!(stderr, "error: {err}\nNothing was written.");
        Exit::Error
    })
}

/// `write-schema`: the rendered files written to `out_dir`; one line says
/// what changed, and `--verbose` lists every file written or removed.
fn run_write_schema(
    args: &WriteArgs,
    protocol: Protocol<'_>,
    out_dir: &Path,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Exit {
    let generated = match rendered(&args.output, protocol, out_dir, stderr) {
        Ok(generated) => generated,
        Err(exit) => return exit,
    };
    match write_generated(&generated, out_dir) {
        Ok(summary) => {
            // Buffered: stdout is line-buffered, and a line per file
            // would be a system call per file.
            let mut report = std::io::BufWriter::new(&mut *stdout);
            if args.verbose {
                for path in &summary.written {
                    let _ = writeln!(report, "wrote   {path}");
                }
                for path in &summary.removed {
                    let _ = writeln!(report, "removed {path}");
                }
            }
            for (path, size) in &summary.unread {
                let _ = write!(report, "{}", crate::output::sync::unread_line(path, *size));
            }
            let _ = writeln!(
                report,
                "{}",
                write_summary(out_dir, generated.files().len(), &summary)
            );
            let _ = report.flush();
            Exit::Success
        }
        Err(err) => {
            let _ = writeln!(stderr, "error: {err}");
            Exit::Error
        }
    }
}

/// What `write-schema` did, in one line: `` `DIR`: 140 files, 3 written,
/// 1 removed. `` or `` `DIR`: 140 files, all up to date. ``
pub fn write_summary(out_dir: &Path, files: usize, summary: &crate::WriteSummary) -> String {
    let dir = out_dir.display();
    let files = plural(files, "file");
    match (summary.written.len(), summary.removed.len()) {
        (0, 0) => format!("`{dir}`: {files}, all up to date."),
        (written, 0) => format!("`{dir}`: {files}, {written} written."),
        (written, removed) => format!("`{dir}`: {files}, {written} written, {removed} removed."),
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// `check`: the rendered files compared with `out_dir`, nothing written;
/// exit 1 listing every difference.
fn run_check(
    args: &OutputArgs,
    protocol: Protocol<'_>,
    out_dir: &Path,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Exit {
    let generated = match rendered(args, protocol, out_dir, stderr) {
        Ok(generated) => generated,
        Err(exit) => return exit,
    };
    match check_generated(&generated, out_dir) {
        Ok(drift) if drift.is_empty() => {
            let _ = write!(
                stdout,
                "`{}` is up to date ({} files).\n{}",
                out_dir.display(),
                generated.files().len(),
                drift.notes()
            );
            Exit::Success
        }
        Ok(drift) => {
            let _ = write!(
                stdout,
                "{}",
                drift.report(out_dir, &fix_command(protocol.command, args))
            );
            Exit::Drift
        }
        Err(err) => {
            let _ = writeln!(stderr, "error: {err}");
            Exit::Error
        }
    }
}

/// `validate`: exit 1 when a line failed, 2 when the transcript cannot be
/// read.
fn run_validate(
    args: &ValidateArgs,
    protocol: Protocol<'_>,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Exit {
    let Some(decoders) = protocol.decoders else {
        let _ = writeln!(
            stderr,
            "error: this generator cannot validate transcripts: it was built without the protocol's decoders \
             (make its `Protocol` with `Protocol::of::<ServerSide>(command)`)"
        );
        return Exit::Error;
    };
    let (source, mut file);
    let input: &mut dyn BufRead = if args.file.as_os_str() == "-" {
        source = "<stdin>".to_owned();
        stdin
    } else {
        source = args.file.display().to_string();
        file = match std::fs::File::open(&args.file) {
            Ok(opened) => std::io::BufReader::new(opened),
            Err(err) => {
                let _ = writeln!(stderr, "error: cannot read `{source}`: {err}");
                return Exit::Error;
            }
        };
        &mut file
    };
    match validate(
        protocol.registry,
        &decoders,
        args.from,
        input,
        &source,
        stdout,
    ) {
        Ok(summary) if summary.failed == 0 => Exit::Success,
        Ok(_) => Exit::Drift,
        Err(err) => {
            let _ = writeln!(stderr, "error: cannot read `{source}`: {err}");
            Exit::Error
        }
    }
}

/// The `write-schema` command with the same `--out` and `--draft` (none
/// when `--draft` was not given: write-schema follows the recorded draft as
/// check did).
pub fn fix_command(write_schema: &str, args: &OutputArgs) -> String {
    let mut command = write_schema.to_owned();
    if let Some(out) = &args.out {
        command.push_str(" --out ");
        command.push_str(&shell_quote(&out.display().to_string()));
    }
    if let Some(draft) = args.draft {
        command.push_str(" --draft ");
        command.push_str(draft.name());
    }
    command
}

fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    const COMMAND: &str = "cargo run -p codegen-cli -- write-schema";

    #[test]
    fn the_output_folder_is_found_in_the_package_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let package = root.join("notes-codegen");
        std::fs::create_dir(&package).unwrap();
        let out = |folder: &str| package_out_dir(&package, Path::new(folder)).unwrap();
        assert_eq!(out("generated"), package.join("generated"));
        assert_eq!(out("./generated"), package.join("generated"));
        assert_eq!(out("../generated"), root.join("generated"));
        assert_eq!(out("../web/src/generated"), root.join("web/src/generated"));
        assert_eq!(
            out("/elsewhere/generated"),
            Path::new("/elsewhere/generated")
        );
        // Through a link to the package, the folder it links to.
        #[cfg(unix)]
        {
            let link = root.join("link");
            std::os::unix::fs::symlink(&package, &link).unwrap();
            assert_eq!(
                package_out_dir(&link, Path::new("../generated")).unwrap(),
                root.join("generated")
            );
        }
        let gone = package_out_dir(&root.join("moved"), Path::new("generated")).unwrap_err();
        assert!(
            gone.contains("cannot find the generator's package folder")
                && gone.contains("--out DIR"),
            "{gone}"
        );
    }

    #[test]
    fn fix_command_repeats_the_options() {
        let args = OutputArgs {
            out: Some("my dir/gen".into()),
            draft: Some(Draft::Draft07),
        };
        assert_eq!(
            fix_command(COMMAND, &args),
            "cargo run -p codegen-cli -- write-schema --out 'my dir/gen' --draft 07"
        );
        let args = OutputArgs {
            out: None,
            draft: None,
        };
        assert_eq!(fix_command(COMMAND, &args), COMMAND);
        let args = OutputArgs {
            out: None,
            draft: Some(Draft::Draft2020_12),
        };
        assert_eq!(
            fix_command(COMMAND, &args),
            format!("{COMMAND} --draft 2020-12")
        );
    }
}
