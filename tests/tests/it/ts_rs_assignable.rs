//! The wire types keep `impl ts_rs::TS`, for Rust code that exports their
//! declarations itself. What ts-rs writes must never contradict the
//! generated TypeScript: every type ts-rs declares (the params, response and
//! envelope types and all they refer to) is a generated type of the same
//! name, and a value of ts-rs's declaration is assignable to it, as `tsc`
//! (strict, nodenext) decides. (ts-rs writes a map's values as optional,
//! which JSON cannot carry; they are read as the generated maps have them.)

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

#[allow(dead_code)]
use tests::files::copy_dir;
use tests::node::{nodenext_tsconfig, ready, tsc};

use protocol_codegen::envelope_types;
use protocol_defs::methods::REGISTRY;
use protocol_macros::{TsFiles, TypeInfo};

fn generated_typescript() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../generated/experimental/typescript"
    ))
}

/// ts-rs's files for every params, response and envelope type and all they
/// refer to, by path relative to the export folder.
fn ts_rs_files() -> TsFiles {
    let cfg = ts_rs::Config::new()
        .with_large_int("number")
        .with_import_extension(Some("js"));
    let types: Vec<TypeInfo> = REGISTRY
        .methods()
        .flat_map(|method| method.params.into_iter().chain(method.response))
        .chain(envelope_types())
        .collect();
    let mut files = TsFiles::new();
    for ty in types {
        (ty.ts_collect)(&cfg, &mut files)
            .unwrap_or_else(|err| panic!("ts-rs cannot export {}: {err}", ty.rust_name));
    }
    files
}

#[test]
fn every_ts_rs_declaration_is_assignable_to_the_generated_type() {
    ready();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    fs::write(dir.join("package.json"), r#"{ "type": "module" }"#).unwrap();
    copy_dir(generated_typescript(), &dir.join("generated"));

    let files = ts_rs_files();
    let mut names = BTreeSet::new();
    for (path, contents) in &files {
        let target = dir.join("tsrs").join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        // ts-rs writes a map as `{ [key in string]?: T }`, whose values may be
        // `undefined`; JSON has no `undefined`, and the generated maps are
        // `{ [key: string]: T }`. ts-rs's maps are read as the generated ones
        // (every other difference is still compared).
        let contents = contents.replace("[key in string]?: ", "[key in string]: ");
        fs::write(&target, contents).unwrap();
        // Top-level files are the protocol's types; subfolders hold what ts-rs
        // writes for other crates' types (`serde_json/JsonValue.ts`).
        if path.parent().is_some_and(|p| !p.as_os_str().is_empty()) {
            continue;
        }
        let name = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .expect("a file name");
        names.insert(name.to_owned());
    }

    let mut both = Vec::new();
    let mut check = String::from(
        "// Each function compiles only if ts-rs's declaration is assignable to the generated one.\n",
    );
    for name in &names {
        assert!(
            generated_typescript().join(format!("{name}.ts")).exists(),
            "ts-rs declares {name}, which the generated TypeScript does not"
        );
        check.push_str(&format!(
            "import type {{ {name} as TsRs{name} }} from \"./tsrs/{name}.js\";\n\
             import type {{ {name} }} from \"./generated/{name}.js\";\n\
             export const assign{name} = (value: TsRs{name}): {name} => value;\n"
        ));
        both.push(name.clone());
    }
    fs::write(dir.join("check.ts"), &check).unwrap();

    // Every params and response type is among them: the proof covers the
    // protocol, not a corner of it.
    for method in REGISTRY.methods() {
        for ty in method.params.iter().chain(&method.response) {
            let name = (ty.ts_name)(&ts_rs::Config::new());
            assert!(
                both.contains(&name),
                "{} ({}) has no ts-rs and generated declaration to compare",
                name,
                method.name
            );
        }
    }

    // The harness can fail: a declaration that is not assignable is
    // rejected (`ClientInfo` lacks `InitializeParams`'s `clientInfo`).
    fs::write(
        dir.join("control.ts"),
        "import type { ClientInfo } from \"./tsrs/ClientInfo.js\";\n\
         import type { InitializeParams } from \"./generated/InitializeParams.js\";\n\
         export const wrong = (value: ClientInfo): InitializeParams => value;\n",
    )
    .unwrap();
    let control = tsc(dir, &["-p", &nodenext_tsconfig(dir, "control.ts")])
        .expect_err("tsc accepts a ClientInfo as InitializeParams");
    assert!(control.contains("error TS2741"), "{control}");

    if let Err(err) = tsc(dir, &["-p", &nodenext_tsconfig(dir, "check.ts")]) {
        let mut shown = String::new();
        for (path, contents) in &files {
            shown.push_str(&format!("--- tsrs/{}\n{contents}\n", path.display()));
        }
        panic!("{err}\nts-rs's declarations:\n{shown}");
    }
}
