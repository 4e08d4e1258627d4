use std::process::ExitCode;

use clap::Parser;
use codegen_cli::cli::{run, Cli};
use codegen_cli::workspace;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let exit = run(
        &cli,
        workspace::protocol(),
        &workspace::default_out_dir(),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    ExitCode::from(exit.code())
}
