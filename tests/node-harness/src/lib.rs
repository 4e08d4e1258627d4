//! Running Node.js tools from tests: an npm package of the repository
//! (its dependencies installed with `npm ci` when `node_modules` is missing
//! or older than the lockfile), `tsc` from its `node_modules`, and the
//! summary of node's test runner. Node.js 20+ and npm are required: without
//! them the tests that use this fail with a message saying so; they never
//! skip.

use std::ffi::OsStr;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

pub fn npm_program() -> &'static str {
    if cfg!(windows) {
        "npm.cmd"
    } else {
        "npm"
    }
}

/// Runs `program args…` in `dir` and returns its stdout, or a message with
/// everything it printed.
pub fn run<I, S>(dir: &Path, program: &str, args: I) -> Result<String, String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run_with_env(dir, program, args, &[])
}

/// [`run`] with extra environment variables.
pub fn run_with_env<I, S>(
    dir: &Path,
    program: &str,
    args: I,
    env: &[(&str, &OsStr)],
) -> Result<String, String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<S> = args.into_iter().collect();
    let shown: Vec<String> = args
        .iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect();
    let shown = format!("{program} {}", shown.join(" "));
    let output = Command::new(program)
        .args(&args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .map_err(|err| {
            if err.kind() == ErrorKind::NotFound {
                format!(
                    "`{program}` was not found on PATH. The TypeScript tests need Node.js 20 \
                     or later and npm: install them and run the tests again. ({err})"
                )
            } else {
                format!("cannot run `{shown}`: {err}")
            }
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        Ok(stdout)
    } else {
        Err(format!(
            "`{shown}` in {} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{}",
            dir.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Checks node and npm, and runs `npm ci` in `package` (a folder with a
/// `package.json` and its `package-lock.json`) if its `node_modules` is
/// missing or older than the lockfile. Once per package and test binary.
pub fn ready(package: &Path) {
    static READY: Mutex<Vec<(PathBuf, Result<(), String>)>> = Mutex::new(Vec::new());
    let mut ready = READY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let result = match ready.iter().find(|(dir, _)| dir == package) {
        Some((_, result)) => result.clone(),
        None => {
            let result = prepare(package);
            ready.push((package.to_owned(), result.clone()));
            result
        }
    };
    drop(ready);
    if let Err(err) = result {
        panic!("{err}");
    }
}

fn prepare(dir: &Path) -> Result<(), String> {
    let version = run(dir, "node", ["--version"])?;
    let major: u32 = version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|major| major.parse().ok())
        .ok_or_else(|| format!("cannot read the version `node --version` printed: {version}"))?;
    if major < 20 {
        return Err(format!(
            "the TypeScript tests need Node.js 20 or later; `node --version` is {}",
            version.trim()
        ));
    }
    run(dir, npm_program(), ["--version"])?;

    let modified = |path: &Path| fs::metadata(path).and_then(|m| m.modified()).ok();
    let lockfile = modified(&dir.join("package-lock.json"))
        .ok_or_else(|| format!("{}/package-lock.json is missing", dir.display()))?;
    let installed = modified(&dir.join("node_modules/.package-lock.json"));
    if installed.is_none_or(|installed| installed < lockfile) {
        run(dir, npm_program(), ["ci", "--no-audit", "--no-fund"])?;
    }
    Ok(())
}

/// `tsc` from `package`'s node_modules, with `args`, in `dir`.
pub fn tsc(package: &Path, dir: &Path, args: &[&str]) -> Result<String, String> {
    let tsc = package.join("node_modules/typescript/bin/tsc");
    let mut all = vec![tsc.into_os_string()];
    all.extend(["--pretty", "false"].iter().chain(args).map(Into::into));
    run(dir, "node", all)
}

/// The output of a successful run; panics with everything a failed one printed.
pub fn check(result: Result<String, String>) -> String {
    result.unwrap_or_else(|err| panic!("{err}"))
}

/// How many tests node's test runner ran, from its summary (`# tests N`,
/// `# pass N`, `# fail 0`, …), when every one of them passed and none was
/// skipped, cancelled or left to do; why not otherwise.
pub fn all_passed(report: &str) -> Result<usize, String> {
    let count = |name: &str| -> Result<usize, String> {
        report
            .lines()
            .find_map(|line| line.strip_prefix(&format!("# {name} ")))
            .ok_or_else(|| format!("no `# {name}` line in the report"))?
            .trim()
            .parse()
            .map_err(|err| format!("`# {name}`: {err}"))
    };
    let tests = count("tests")?;
    let pass = count("pass")?;
    for name in ["fail", "cancelled", "skipped", "todo"] {
        let n = count(name)?;
        if n != 0 {
            return Err(format!("{n} {name}"));
        }
    }
    if tests == 0 || pass != tests {
        return Err(format!("{pass} of {tests} passed"));
    }
    Ok(tests)
}

#[cfg(test)]
mod tests {
    use super::all_passed;

    #[test]
    fn all_passed_reads_the_summary() {
        let summary = |pass, fail, skipped| {
            format!(
                "ok 1 - a\n# tests 3\n# suites 1\n# pass {pass}\n# fail {fail}\n# cancelled 0\n# skipped {skipped}\n# todo 0\n"
            )
        };
        assert_eq!(all_passed(&summary(3, 0, 0)), Ok(3));
        assert!(all_passed(&summary(2, 1, 0)).is_err());
        assert!(all_passed(&summary(2, 0, 1)).is_err());
        assert!(all_passed(
            "# tests 0\n# pass 0\n# fail 0\n# cancelled 0\n# skipped 0\n# todo 0\n"
        )
        .is_err());
        assert!(all_passed("no summary").is_err());
    }
}
