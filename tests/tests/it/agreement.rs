//! `tests/ts-client/agreement.mjs` catches every kind of disagreement between
//! the generated TypeScript and JSON Schema: `generated/` is copied to a
//! temporary folder, one TypeScript file of the copy is edited, and the
//! checker must fail naming the edited type and the path inside it — and
//! nothing else.

use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;

#[allow(dead_code)]
use tests::files::copy_dir;
use tests::node::{check, ready, run, ts_client};

fn generated() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../generated"))
}

/// One edit of one generated TypeScript file, and the line the checker
/// must print for it.
struct Mutation {
    what: &'static str,
    /// `typescript/<file>.ts`: also the name of the type the problem is in.
    ty: &'static str,
    /// `(from, to)` replacements, each `from` found exactly once.
    edits: &'static [(&'static str, &'static str)],
    expected: &'static str,
}

const MUTATIONS: &[Mutation] = &[
    Mutation {
        what: "a field's string becomes number",
        ty: "InitializeResponse",
        edits: &[("  userAgent: string;", "  userAgent: number;")],
        expected: "InitializeResponse.userAgent: TS has number, the schema string",
    },
    Mutation {
        what: "an array's element type changes",
        ty: "ExecCommandApprovalParams",
        edits: &[("  command: Array<string>;", "  command: Array<boolean>;")],
        expected: "ExecCommandApprovalParams.command[]: TS has boolean, the schema string",
    },
    Mutation {
        what: "a reference points at another named type (of the same TypeScript type)",
        ty: "InitializeResponse",
        edits: &[
            (
                "import type { AbsolutePathBuf } from \"./AbsolutePathBuf.js\";",
                "import type { GitSha } from \"./GitSha.js\";",
            ),
            ("  codexHome: AbsolutePathBuf;", "  codexHome: GitSha;"),
        ],
        expected: "InitializeResponse.codexHome: TS refers to GitSha, the schema to AbsolutePathBuf",
    },
    Mutation {
        what: "a message union member's params point at another type",
        ty: "ClientRequest",
        edits: &[(
            "      method: \"interruptConversation\";\n      id: RequestId;\n      params: InterruptConversationParams;",
            "      method: \"interruptConversation\";\n      id: RequestId;\n      params: InitializeParams;",
        )],
        expected: "ClientRequest[method=\"interruptConversation\"].params: TS refers to InitializeParams, the schema to InterruptConversationParams",
    },
    Mutation {
        what: "a map's value type changes",
        ty: "ApplyPatchApprovalParams",
        edits: &[(
            "  fileChanges: { [key: string]: FileChange };",
            "  fileChanges: { [key: string]: ThreadId };",
        )],
        expected: "ApplyPatchApprovalParams.fileChanges[key]: TS refers to ThreadId, the schema to FileChange",
    },
    Mutation {
        what: "a union member is removed",
        ty: "RequestId",
        edits: &[("  | string\n  | number;", "  | string;")],
        expected: "RequestId: union member `number` is in the schema but not in TS",
    },
    Mutation {
        what: "a string literal is removed from a union",
        ty: "AuthMode",
        edits: &[("  | \"apikey\"\n", "")],
        expected: "AuthMode: union member `\"apikey\"` is in the schema but not in TS",
    },
    Mutation {
        what: "a union member is added",
        ty: "RequestId",
        edits: &[("  | number;", "  | number\n  | boolean;")],
        expected: "RequestId: union member `boolean` is in TS but not in the schema",
    },
    Mutation {
        what: "a tagged union member's tag changes",
        ty: "FileChange",
        edits: &[("      type: \"delete\";", "      type: \"remove\";")],
        expected: "FileChange[type=\"remove\"].type: TS has the literal \"remove\", the schema \"delete\"",
    },
    Mutation {
        what: "a field is made optional",
        ty: "LoginApiKeyParams",
        edits: &[("  apiKey: string;", "  apiKey?: string;")],
        expected: "LoginApiKeyParams.apiKey: optional in TS but required in the schema",
    },
    Mutation {
        what: "`| null` is removed",
        ty: "GetAuthStatusResponse",
        edits: &[("  authToken: string | null;", "  authToken: string;")],
        expected: "GetAuthStatusResponse.authToken: nullable in the schema but no `| null` in TS",
    },
];

fn agreement(dir: &Path) -> Result<String, String> {
    run(
        &ts_client(),
        "node",
        ["agreement.mjs".as_ref(), dir.as_os_str()],
    )
}

#[test]
fn the_agreement_check_reports_every_kind_of_mutation() {
    ready();
    let temp = tempfile::tempdir().unwrap();

    // The copy itself agrees: what fails below fails for the edit.
    let pristine = temp.path().join("pristine");
    copy_dir(generated(), &pristine);
    let report = check(agreement(&pristine));
    assert!(
        report.starts_with("TypeScript and JSON Schema agree on all "),
        "{report}"
    );

    let dirs: Vec<_> = MUTATIONS
        .iter()
        .enumerate()
        .map(|(index, mutation)| {
            let dir = temp.path().join(format!("mutation-{index}"));
            copy_dir(generated(), &dir);
            let file = dir.join(format!("typescript/{}.ts", mutation.ty));
            let mut text = fs::read_to_string(&file).unwrap();
            for (from, to) in mutation.edits {
                assert_eq!(
                    text.matches(from).count(),
                    1,
                    "{}: `{from}` is not in {} exactly once; update the mutation",
                    mutation.what,
                    file.display()
                );
                text = text.replacen(from, to, 1);
            }
            fs::write(&file, text).unwrap();
            dir
        })
        .collect();

    // A few checks at a time: each is a tsc program of its own.
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Result<String, String>>>> =
        MUTATIONS.iter().map(|_| Mutex::new(None)).collect();
    thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(dir) = dirs.get(index) else { break };
                *results[index].lock().unwrap() = Some(agreement(dir));
            });
        }
    });

    let mut unnoticed = Vec::new();
    for (mutation, result) in MUTATIONS.iter().zip(results) {
        let err = match result.into_inner().unwrap().expect("every check ran") {
            Ok(report) => {
                unnoticed.push(format!("{}: the check passed: {report}", mutation.what));
                continue;
            }
            Err(err) => err,
        };
        let problems: Vec<&str> = err
            .lines()
            .filter(|line| line.starts_with("  "))
            .map(str::trim)
            .collect();
        if !problems.contains(&mutation.expected) {
            unnoticed.push(format!(
                "{}: expected `{}` in\n{err}",
                mutation.what, mutation.expected
            ));
        }
        let own = [":", ".", "["].map(|sep| format!("{}{sep}", mutation.ty));
        let elsewhere: Vec<&&str> = problems
            .iter()
            .filter(|p| !own.iter().any(|prefix| p.starts_with(prefix.as_str())))
            .collect();
        if !elsewhere.is_empty() {
            unnoticed.push(format!(
                "{}: problems outside {}: {elsewhere:?}",
                mutation.what, mutation.ty
            ));
        }
    }
    assert!(unnoticed.is_empty(), "{}", unnoticed.join("\n\n"));
}
