//! The library and the command line against a small protocol of their own,
//! in temporary directories.

use std::fs;
use std::path::Path;

use clap::Parser;
use protocol_codegen::cli::{run, Cli, Exit};
use protocol_codegen::{render, Draft, Protocol, TypeInfo};

use tests::calc;

/// Two different types that both call themselves `Clash`.
mod clash {
    pub mod a {
        #[protocol_macros::wire]
        pub struct Clash {
            pub a: String,
        }
    }
    pub mod b {
        #[protocol_macros::wire]
        pub struct Clash {
            pub b: bool,
        }
    }

    #[protocol_macros::protocol]
    pub mod methods {
        #[client_notifications]
        pub enum ClashNotification {
            #[method("a")]
            A(super::a::Clash),
            #[method("b")]
            B(super::b::Clash),
        }
    }
}

const EXTRA: &[TypeInfo] = &[
    TypeInfo::of::<calc::CalcCapabilities>("CalcCapabilities"),
    TypeInfo::of::<calc::Receipt>("Receipt"),
];

fn calc() -> Protocol<'static> {
    Protocol::new(&calc::methods::REGISTRY, calc::COMMAND).with_extra_types(EXTRA)
}

struct Outcome {
    exit: Exit,
    stdout: String,
    stderr: String,
}

/// Runs the command line in-process against `protocol`.
fn cli(protocol: Protocol<'_>, args: &[&str]) -> Outcome {
    let cli = Cli::try_parse_from(std::iter::once("codegen-cli").chain(args.iter().copied()))
        .expect("valid arguments");
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let exit = run(
        &cli,
        protocol,
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
    let outcome = cli(
        calc(),
        &["write-schema", "--verbose", "--out", out.to_str().unwrap()],
    );
    assert_eq!(outcome.exit, Exit::Success, "{}", outcome.stderr);
    outcome
}

fn check(out: &Path) -> Outcome {
    cli(calc(), &["check", "--out", out.to_str().unwrap()])
}

/// Every file under `dir`, by `/`-separated relative path.
fn tree(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                files.push(relative.to_str().unwrap().replace('\\', "/"));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn write_then_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    let written = write_schema(&out);
    assert!(written.stdout.contains("wrote   json/CalcRequest.json"));
    let outcome = check(&out);
    assert_eq!(outcome.exit, Exit::Success, "{}", outcome.stdout);
    assert!(
        outcome.stdout.contains("is up to date"),
        "{}",
        outcome.stdout
    );

    // A second write changes nothing.
    let again = write_schema(&out);
    assert!(again.stdout.contains("all up to date"), "{}", again.stdout);
}

/// Without `--verbose`, `write-schema` says in one line how many files
/// the folder has and how many it wrote or removed; with it, it lists them
/// first.
#[test]
fn write_schema_prints_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    let o = out.to_str().unwrap();
    let quiet = |args: &[&str]| {
        let outcome = cli(calc(), args);
        assert_eq!(outcome.exit, Exit::Success, "{}", outcome.stderr);
        outcome.stdout
    };
    let files = render(calc(), Draft::default()).unwrap().files().len();
    assert_eq!(
        quiet(&["write-schema", "--out", o]),
        format!("`{o}`: {files} files, {files} written.\n")
    );
    assert_eq!(
        quiet(&["write-schema", "--out", o]),
        format!("`{o}`: {files} files, all up to date.\n")
    );
    let gone = out.join("json/Gone.json");
    fs::write(
        &gone,
        fs::read_to_string(out.join("json/AddParams.json")).unwrap(),
    )
    .unwrap();
    let stale = out.join("typescript/AddParams.ts");
    fs::write(&stale, fs::read_to_string(&stale).unwrap() + "// edited\n").unwrap();
    assert_eq!(
        quiet(&["write-schema", "-v", "--out", o]),
        format!(
            "wrote   typescript/AddParams.ts\nremoved json/Gone.json\n\
             `{o}`: {files} files, 1 written, 1 removed.\n"
        )
    );
}

#[test]
fn writes_the_documented_layout() {
    let dir = tempfile::tempdir().unwrap();
    write_schema(dir.path());
    assert_eq!(
        tree(dir.path()),
        [
            "json/AddParams.json",
            "json/AddResult.json",
            "json/CalcCapabilities.json",
            "json/CalcNotification.json",
            "json/CalcRequest.json",
            "json/CalcServerRequest.json",
            "json/EchoParams.json",
            "json/Empty.json",
            "json/JSONRPCError.json",
            "json/JSONRPCErrorError.json",
            "json/JSONRPCMessage.json",
            "json/JSONRPCNotification.json",
            "json/JSONRPCRequest.json",
            "json/JSONRPCResponse.json",
            "json/MathCapabilities.json",
            "json/Meta.json",
            "json/OpenParams.json",
            "json/OpenResult.json",
            "json/ProgressParams.json",
            "json/Receipt.json",
            "json/RequestId.json",
            "json/ServerCapabilities.json",
            "json/protocol.meta.schema.json",
            "json/protocol.schema.json",
            "openrpc.json",
            "protocol.meta.json",
            "reference.md",
            "typescript/AddParams.ts",
            "typescript/AddResult.ts",
            "typescript/CalcCapabilities.ts",
            "typescript/CalcNotification.ts",
            "typescript/CalcNotificationMap.ts",
            "typescript/CalcRequest.ts",
            "typescript/CalcRequestMap.ts",
            "typescript/CalcServerRequest.ts",
            "typescript/CalcServerRequestMap.ts",
            "typescript/EchoParams.ts",
            "typescript/Empty.ts",
            "typescript/JSONRPCError.ts",
            "typescript/JSONRPCErrorError.ts",
            "typescript/JSONRPCMessage.ts",
            "typescript/JSONRPCNotification.ts",
            "typescript/JSONRPCRequest.ts",
            "typescript/JSONRPCResponse.ts",
            "typescript/MathCapabilities.ts",
            "typescript/Meta.ts",
            "typescript/OpenParams.ts",
            "typescript/OpenResult.ts",
            "typescript/ProgressParams.ts",
            "typescript/Receipt.ts",
            "typescript/RequestId.ts",
            "typescript/ServerCapabilities.ts",
            "typescript/client-protocol.ts",
            "typescript/client.ts",
            "typescript/index.ts",
            "typescript/package.json",
        ]
    );
}

#[test]
fn check_names_stale_missing_and_extra_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    write_schema(out);

    let stale = out.join("typescript/AddParams.ts");
    let text = fs::read_to_string(&stale).unwrap();
    fs::write(&stale, text.replace("leftOperand", "left")).unwrap();
    fs::remove_file(out.join("json/Empty.json")).unwrap();
    let extra = fs::read_to_string(out.join("json/AddResult.json")).unwrap();
    fs::write(out.join("json/RemovedType.json"), extra).unwrap();
    fs::write(out.join("json/hand-written.json"), "{}\n").unwrap();

    let outcome = check(out);
    assert_eq!(outcome.exit, Exit::Drift);
    let report = outcome.stdout;
    assert!(report.contains("(3 files)"), "{report}");
    assert!(
        report.contains("stale:   typescript/AddParams.ts"),
        "{report}"
    );
    assert!(report.contains("missing: json/Empty.json"), "{report}");
    assert!(
        report.contains("extra:   json/RemovedType.json"),
        "{report}"
    );
    assert!(!report.contains("hand-written"), "{report}");
    // The diff goes from the disk to what the protocol renders.
    assert!(
        report.contains("--- typescript/AddParams.ts (on disk)"),
        "{report}"
    );
    assert!(
        report.contains("+++ typescript/AddParams.ts (generated)"),
        "{report}"
    );
    assert!(report.contains("\n-  left: number;"), "{report}");
    assert!(report.contains("\n+  leftOperand: number;"), "{report}");
    assert!(
        report.contains(&format!("{} --out {}", calc::COMMAND, out.display())),
        "{report}"
    );
    // check wrote nothing.
    assert!(!out.join("json/Empty.json").exists());

    // write-schema repairs all three and leaves the unowned file alone.
    let written = write_schema(out);
    assert!(written.stdout.contains("removed json/RemovedType.json"));
    assert_eq!(check(out).exit, Exit::Success);
    assert_eq!(
        fs::read_to_string(out.join("json/hand-written.json")).unwrap(),
        "{}\n"
    );
}

#[test]
fn write_schema_leaves_unowned_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    fs::create_dir_all(out.join("typescript/custom")).unwrap();
    fs::create_dir_all(out.join("json")).unwrap();
    let unowned = [
        ("typescript/helpers.ts", "export const x = 1;\n"),
        ("typescript/custom/Client.ts", "// my client\n"),
        ("json/notes.json", r#"{"$comment": "mine"}"#),
        ("json/broken.json", "{"),
        ("README.md", "# generated\n"),
    ];
    for (path, contents) in unowned {
        fs::write(out.join(path), contents).unwrap();
    }
    // An owned file in a subfolder that is no longer rendered goes, with the
    // folder it leaves empty.
    fs::create_dir_all(out.join("typescript/old")).unwrap();
    let owned = format!(
        "{}\nexport type Old = string;\n",
        protocol_codegen::typescript_header(calc::COMMAND)
    );
    fs::write(out.join("typescript/old/Old.ts"), owned).unwrap();

    let written = write_schema(out);
    assert!(written.stdout.contains("removed typescript/old/Old.ts"));
    assert!(!out.join("typescript/old").exists());
    for (path, contents) in unowned {
        assert_eq!(
            fs::read_to_string(out.join(path)).unwrap(),
            contents,
            "{path}"
        );
    }
    // The index exports rendered types only.
    let index = fs::read_to_string(out.join("typescript/index.ts")).unwrap();
    assert!(
        !index.contains("helpers") && !index.contains("Old"),
        "{index}"
    );
    // No temporary file is left behind.
    assert!(
        tree(out).iter().all(|p| !p.contains("codegen-")),
        "{:?}",
        tree(out)
    );
}

#[test]
fn crlf_checkouts_are_in_sync() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    write_schema(out);
    let path = out.join("typescript/CalcRequest.ts");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    assert_eq!(check(out).exit, Exit::Success);
}

#[test]
fn rendering_is_deterministic() {
    for draft in [Draft::Draft2020_12, Draft::Draft07] {
        let first = render(calc(), draft).unwrap();
        let second = render(calc(), draft).unwrap();
        assert_eq!(first, second);
        for (path, contents) in first.files() {
            assert!(
                contents.ends_with('\n') && !contents.ends_with("\n\n"),
                "{path}"
            );
            assert!(!contents.contains('\r'), "{path}");
            assert!(
                !contents.contains("/tmp") && !contents.contains("/work"),
                "{path}"
            );
        }
    }
}

/// The drift test a protocol's own tests run: the report `check` prints,
/// and, when it may rewrite (outside CI), the folder rewritten so that the
/// next run passes.
#[test]
fn the_drift_test_helper_reports_and_rewrites() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    write_schema(&out);
    protocol_codegen::ensure_generated(calc(), &out, false).unwrap();
    let stale = out.join("typescript/AddParams.ts");
    let fresh = fs::read_to_string(&stale).unwrap();
    fs::write(&stale, fresh.replace("leftOperand", "left")).unwrap();

    let report = protocol_codegen::ensure_generated(calc(), &out, false).unwrap_err();
    assert!(
        report.contains("is out of date with the protocol (1 file)")
            && report.contains("stale:   typescript/AddParams.ts")
            && report.contains("+++ typescript/AddParams.ts (generated)")
            && report.contains(calc::COMMAND),
        "{report}"
    );
    assert_ne!(
        fs::read_to_string(&stale).unwrap(),
        fresh,
        "nothing written"
    );

    let rewritten = protocol_codegen::ensure_generated(calc(), &out, true).unwrap_err();
    assert!(
        rewritten.starts_with(&report) && rewritten.contains("the files were updated"),
        "{rewritten}"
    );
    assert_eq!(fs::read_to_string(&stale).unwrap(), fresh);
    protocol_codegen::ensure_generated(calc(), &out, false).unwrap();
}

/// Without `with_info`, OpenRPC names the protocol after the package its
/// `#[protocol]` module is in (`tests`, whose `calc` module it is), with
/// that package's version; `with_info` names it otherwise.
#[test]
fn the_protocol_is_named_after_its_package() {
    let info = |protocol: Protocol<'_>| {
        let generated = render(protocol, Draft::Draft2020_12).unwrap();
        let document: serde_json::Value =
            serde_json::from_str(generated.get("openrpc.json").unwrap()).unwrap();
        (
            document["info"]["title"].clone(),
            document["info"]["version"].clone(),
        )
    };
    assert_eq!(
        info(calc()),
        ("tests".into(), env!("CARGO_PKG_VERSION").into())
    );
    assert_eq!(
        info(calc().with_info("Calc", "2.1.0")),
        ("Calc".into(), "2.1.0".into())
    );
}

#[test]
fn every_file_carries_the_header() {
    let generated = render(calc(), Draft::Draft2020_12).unwrap();
    for (path, contents) in generated.files() {
        assert!(
            protocol_codegen::is_owned(path, contents, generated.command()),
            "{path}"
        );
    }
    let ts = generated.get("typescript/AddParams.ts").unwrap();
    assert!(!ts.contains("ts-rs"), "ts-rs's note is replaced:\n{ts}");
}

#[test]
fn draft_07_uses_definitions() {
    let generated = render(calc(), Draft::Draft07).unwrap();
    let request = generated.get("json/CalcRequest.json").unwrap();
    assert!(request.contains(r#""$schema": "http://json-schema.org/draft-07/schema#""#));
    assert!(request.contains(r##""$ref": "#/definitions/AddParams""##));
    assert!(!request.contains("$defs"));
    let bundle = generated.get("json/protocol.schema.json").unwrap();
    assert!(bundle.contains(r#""definitions": {"#));
}

#[test]
fn typescript_unions_and_maps_follow_the_registry() {
    let generated = render(calc(), Draft::Draft2020_12).unwrap();
    let header = protocol_codegen::typescript_header(calc::COMMAND);
    assert_eq!(
        generated.get("typescript/CalcRequest.ts").unwrap(),
        format!(
            r#"{header}
import type {{ AddParams }} from "./AddParams.js";
import type {{ EchoParams }} from "./EchoParams.js";
import type {{ OpenParams }} from "./OpenParams.js";
import type {{ RequestId }} from "./RequestId.js";

/**
 * What the calculator is asked.
 */
export type CalcRequest =
  /**
   * Opens the session: each side declares its capabilities.
   */
  | {{
      jsonrpc: "2.0";
      method: "session/open";
      id: RequestId;
      params: OpenParams;
    }}
  /**
   * Adds two numbers.
   */
  | {{
      jsonrpc: "2.0";
      method: "math/add";
      id: RequestId;
      params: AddParams;
    }}
  /**
   * Multiplies, for clients that can read big numbers.
   *
   * Requires the client capability `bigNumbers`.
   */
  | {{
      jsonrpc: "2.0";
      method: "math/mul";
      id: RequestId;
      params: AddParams;
    }}
  /**
   * Raises to a power, on servers whose math declares `pow`.
   *
   * Requires the server capability `math.pow`.
   */
  | {{
      jsonrpc: "2.0";
      method: "math/pow";
      id: RequestId;
      params: AddParams;
    }}
  /**
   * Says the text back.
   */
  | {{
      jsonrpc: "2.0";
      method: "echo";
      id: RequestId;
      params: EchoParams;
    }}
  | {{
      jsonrpc: "2.0";
      method: "shutdown";
      id: RequestId;
      params?: null;
    }};
"#
        )
    );
    assert_eq!(
        generated.get("typescript/CalcNotificationMap.ts").unwrap(),
        format!(
            r#"{header}
import type {{ ProgressParams }} from "./ProgressParams.js";

/**
 * The params type of each `CalcNotification` method, by method name.
 */
export type CalcNotificationMap = {{
  "progress": {{
    params: ProgressParams;
  }};
  "$/ping": {{
    params?: null;
  }};
  /**
   * Only for clients that read big numbers.
   *
   * Requires the client capability `bigNumbers`.
   */
  "math/bigProgress": {{
    params: ProgressParams;
  }};
}};
"#
        )
    );
    let request_map = generated.get("typescript/CalcRequestMap.ts").unwrap();
    assert!(
        request_map.contains("  \"shutdown\": {\n    params?: null;\n    response: Empty;\n  };\n"),
        "{request_map}"
    );
    // 64-bit integers are numbers.
    let result = generated.get("typescript/AddResult.ts").unwrap();
    assert!(result.contains("sum: number"), "{result}");
    // A protocol renders the unions and maps of the sets it declares, by its own names.
    assert!(generated.get("typescript/ServerRequest.ts").is_none());
    let index = generated.get("typescript/index.ts").unwrap();
    assert!(index.contains(r#"export type { CalcRequestMap } from "./CalcRequestMap.js";"#));
    // Any JSON value is `unknown`: no helper type is needed.
    let request = generated.get("typescript/JSONRPCRequest.ts").unwrap();
    assert!(request.contains("  params?: unknown;\n"), "{request}");
}

#[test]
fn a_hand_written_file_at_a_generated_path_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    write_schema(&out);
    let hand_written = out.join("typescript/AddParams.ts");
    fs::write(&hand_written, "export type AddParams = { mine: true };\n").unwrap();
    let stale = out.join("json/AddResult.json");
    fs::remove_file(&stale).unwrap();

    let outcome = cli(calc(), &["write-schema", "--out", out.to_str().unwrap()]);
    assert_eq!(outcome.exit, Exit::Error, "{}", outcome.stdout);
    assert!(
        outcome.stderr.contains("cannot overwrite") && outcome.stderr.contains("AddParams.ts"),
        "{}",
        outcome.stderr
    );
    assert!(
        outcome.stderr.contains("not written by this generator"),
        "{}",
        outcome.stderr
    );
    assert_eq!(
        fs::read_to_string(&hand_written).unwrap(),
        "export type AddParams = { mine: true };\n",
        "the user's file is intact"
    );
    assert!(!stale.exists(), "nothing else was written either");
}

#[test]
fn a_failed_render_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    let clash = Protocol::new(&clash::methods::REGISTRY, calc::COMMAND);
    let outcome = cli(clash, &["write-schema", "--out", out.to_str().unwrap()]);
    assert_eq!(outcome.exit, Exit::Error);
    assert!(
        outcome.stderr.contains("`type super::a::Clash` and `type super::b::Clash` would both be written as `json/Clash.json`"),
        "{}",
        outcome.stderr
    );
    assert!(outcome.stderr.contains("Nothing was written"));
    assert!(!out.exists());
}
