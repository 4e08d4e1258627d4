//! `mcp-codegen`: the Model Context Protocol's generator. It renders
//! `mcp-defs` into `mcp/generated/` at the root of the workspace it runs
//! in, or checks that folder (`--out` writes elsewhere), and validates
//! transcripts of its messages.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use protocol_codegen::cli::{run, Cli, Exit};
use protocol_codegen::Protocol;

/// Rendering builds and drops many small values (schemas, strings):
/// mimalloc serves them with about a quarter fewer instructions than the
/// system allocator (BENCHMARKS.md, write-schema).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The command that regenerates `mcp/generated/`, named in every file.
const COMMAND: &str = "cargo run -p mcp-codegen -- write-schema";

fn main() -> ExitCode {
    let cli = Cli::parse();
    let protocol =
        Protocol::of::<mcp_defs::ServerSide>(COMMAND).with_info(mcp_defs::TITLE, mcp_defs::VERSION);
    let out_dir = match default_out_dir(&cli) {
        Ok(dir) => dir,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(Exit::Error.code());
        }
    };
    let exit = run(
        &cli,
        protocol,
        &out_dir,
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    ExitCode::from(exit.code())
}

/// `mcp/generated/` under the root of the workspace around the current directory,
/// found at run time, so the binary writes where it runs, not where it was
/// built. Not needed (and not looked for) when `--out` is given.
fn default_out_dir(cli: &Cli) -> Result<PathBuf, String> {
    if cli.out().is_some() || !cli.uses_out_dir() {
        return Ok(PathBuf::new());
    }
    let cwd = std::env::current_dir()
        .map_err(|err| format!("cannot read the current directory: {err}"))?;
    workspace_root(&cwd)
        .map(|root| root.join("mcp").join("generated"))
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
