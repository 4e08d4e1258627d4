//! `breaking`: the current protocol against a base, with an allowlist.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use crate::cli::{BreakingArgs, Exit, Format};
use crate::tools::breaking::{
    check_append_only, compare, parse_allowlist, parse_model, unallowed, BaseError,
};
use crate::{build_model, Protocol, META_FILE};

pub fn run(
    args: &BreakingArgs,
    protocol: Protocol<'_>,
    out_dir: &Path,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Exit {
    match findings(args, protocol, out_dir, stdout) {
        Ok(exit) => exit,
        Err(message) => {
            let _ = writeln!(stderr, "error: {message}");
            Exit::Error
        }
    }
}

fn findings(
    args: &BreakingArgs,
    protocol: Protocol<'_>,
    out_dir: &Path,
    stdout: &mut dyn Write,
) -> Result<Exit, String> {
    // Experimental parts carry no promise: the stable surfaces are compared
    // (a base's `protocol.meta.json` is its stable surface).
    let current = build_model(protocol).map_err(|err| err.to_string())?;
    let current = crate::model::surface::stable(&current);
    let base_dir = Path::new(&args.base);
    let (base_text, origin, at_revision) = if base_dir.is_dir() {
        let path = base_dir.join(META_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|err| format!("cannot read `{}`: {err}", path.display()))?;
        (text, path.display().to_string(), None)
    } else {
        let text = git_show(out_dir, &args.base, META_FILE)?;
        let origin = format!("{}:{}", args.base, META_FILE);
        (text, origin, Some(args.base.as_str()))
    };
    let base = parse_model(&base_text).map_err(|err| match err {
        BaseError::NotAModel(_) => format!("`{origin}` {err}"),
        BaseError::FormatVersion(_) | BaseError::Duplicate(_) => format!("`{origin}`: {err}"),
    })?;

    let allowlist = match &args.allowlist {
        None => Vec::new(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|err| format!("cannot read `{}`: {err}", path.display()))?;
            let entries =
                parse_allowlist(&text).map_err(|err| format!("`{}`: {err}", path.display()))?;
            if let Some(revision) = at_revision {
                // Held to the file as committed at the base revision, if
                // it existed there.
                let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                let committed = name
                    .and_then(|name| git_show(dir.unwrap_or(Path::new(".")), revision, &name).ok());
                if let Some(old_text) = committed {
                    let old_entries = parse_allowlist(&old_text)
                        .map_err(|err| format!("`{}` at {revision}: {err}", path.display()))?;
                    check_append_only(&old_entries, &entries)
                        .map_err(|err| format!("`{}`: {err}", path.display()))?;
                }
            }
            entries
        }
    };

    let findings = compare(&base, &current);
    let blocking = unallowed(&findings, &allowlist);
    match args.format {
        Format::Text => {
            for finding in &findings {
                let _ = writeln!(stdout, "{finding}");
            }
            let breaking = findings.iter().filter(|f| f.breaking).count();
            let _ = writeln!(
                stdout,
                "{} changes against {origin}: {breaking} breaking ({} not in the allowlist).",
                findings.len(),
                blocking.len()
            );
        }
        Format::Json => {
            let document = serde_json::json!({
                "base": origin,
                "findings": findings,
                "unallowed": blocking.iter().map(|f| f.key()).collect::<Vec<_>>(),
            });
            let _ = writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&document).unwrap()
            );
        }
    }
    Ok(if blocking.is_empty() {
        Exit::Success
    } else {
        Exit::Drift
    })
}

/// `git show <revision>:./<file>`, run in `dir` (the path is relative to it).
fn git_show(dir: &Path, revision: &str, file: &str) -> Result<String, String> {
    if revision.starts_with('-') {
        return Err(format!(
            "`{revision}` is neither a directory nor a git revision"
        ));
    }
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .arg("show")
        .arg(format!("{revision}:./{file}"))
        .output()
        .map_err(|err| format!("cannot run git: {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{revision}` is neither a directory nor a git revision with `{file}` under `{}`: {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|_| format!("`{revision}:{file}` is not UTF-8"))
}
