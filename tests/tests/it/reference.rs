//! `reference.md`, the Markdown reference page: on codex (rendered with its
//! conformance examples), on MCP (the committed `mcp/generated/`, with its
//! model from `protocol.meta.json`), on `calc` and on `shelf`, a small
//! protocol of this module with experimental and deprecated parts, whose
//! pages are pinned by snapshots. Every method and every type its methods
//! reach appears, in the group of its direction and kind; every in-page
//! link resolves to an anchor of the page; every table row has its
//! header's cells; the stable page has nothing experimental and the
//! experimental page has it all; deprecations show their note; examples
//! are the conformance folder's first valid params and response, and a bad
//! one is an error.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use protocol_codegen::breaking::parse_model;
use protocol_codegen::model::surface::stable;
use protocol_codegen::model::{Direction, Method, MethodKind, Model, TypeRef};
use protocol_codegen::{
    build_model, check_generated, render, write_generated, Draft, Generated, Protocol, RenderError,
    EXPERIMENTAL_FOLDER, REFERENCE_FILE,
};
use serde_json::Value;
use tests::calc;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn codex_examples() -> PathBuf {
    root().join("protocol-defs/conformance")
}

fn mcp_examples() -> PathBuf {
    root().join("mcp/mcp-defs/conformance")
}

fn codex_protocol(examples: &Path) -> Protocol<'_> {
    Protocol::new(&protocol_defs::methods::REGISTRY, calc::COMMAND)
        .with_info(protocol_defs::TITLE, protocol_defs::VERSION)
        .with_examples(examples)
}

fn rendered(protocol: Protocol<'_>) -> Generated {
    render(protocol, Draft::default()).unwrap_or_else(|err| panic!("{err}"))
}

fn page<'g>(generated: &'g Generated, surface: &str) -> &'g str {
    let path = if surface.is_empty() {
        REFERENCE_FILE.to_owned()
    } else {
        format!("{surface}/{REFERENCE_FILE}")
    };
    generated
        .get(&path)
        .unwrap_or_else(|| panic!("{path} is rendered"))
}

/// A page and the model it shows, with a name for messages.
struct Case {
    name: String,
    page: String,
    model: Model,
    examples: Option<PathBuf>,
    /// Where shelf's examples are written, kept while the case lives.
    _folder: Option<Rc<tempfile::TempDir>>,
}

/// Every page these tests hold: codex's two surfaces, MCP's, calc's and
/// shelf's two.
fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let examples = codex_examples();
    let codex = codex_protocol(&examples);
    let model = build_model(codex).unwrap();
    let generated = rendered(codex);
    cases.push(Case {
        name: "codex".into(),
        page: page(&generated, "").to_owned(),
        model: stable(&model),
        examples: Some(examples.clone()),
        _folder: None,
    });
    cases.push(Case {
        name: "codex experimental".into(),
        page: page(&generated, EXPERIMENTAL_FOLDER).to_owned(),
        model,
        examples: Some(examples),
        _folder: None,
    });
    let mcp = root().join("mcp/generated");
    cases.push(Case {
        name: "MCP".into(),
        page: fs::read_to_string(mcp.join(REFERENCE_FILE)).unwrap(),
        model: parse_model(&fs::read_to_string(mcp.join("protocol.meta.json")).unwrap()).unwrap(),
        examples: Some(mcp_examples()),
        _folder: None,
    });
    let calc = Protocol::new(&calc::methods::REGISTRY, calc::COMMAND);
    cases.push(Case {
        name: "calc".into(),
        page: page(&rendered(calc), "").to_owned(),
        model: build_model(calc).unwrap(),
        examples: None,
        _folder: None,
    });
    let dir = Rc::new(tempfile::tempdir().unwrap());
    shelf::write_examples(dir.path());
    let shelf = shelf::protocol().with_examples(dir.path());
    let model = build_model(shelf).unwrap();
    let generated = rendered(shelf);
    cases.push(Case {
        name: "shelf".into(),
        page: page(&generated, "").to_owned(),
        model: stable(&model),
        examples: Some(dir.path().to_owned()),
        _folder: Some(Rc::clone(&dir)),
    });
    cases.push(Case {
        name: "shelf experimental".into(),
        page: page(&generated, EXPERIMENTAL_FOLDER).to_owned(),
        model,
        examples: Some(dir.path().to_owned()),
        _folder: Some(Rc::clone(&dir)),
    });
    cases
}

/// The page's lines outside fenced code blocks.
fn prose(page: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut fence: Option<String> = None;
    for line in page.lines() {
        let trimmed = line.trim_start();
        let ticks: String = trimmed.chars().take_while(|c| *c == '`').collect();
        match &fence {
            Some(open) if trimmed.trim_end() == open => fence = None,
            Some(_) => {}
            None if ticks.len() >= 3 => fence = Some(ticks),
            None => lines.push(line),
        }
    }
    lines
}

/// The id GitHub gives a heading: its text without the `#`s and the
/// formatting, lowercased, spaces `-`, other punctuation than `-` and `_`
/// dropped; a repeated id gets `-1`, `-2`, ….
fn heading_ids(page: &str) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut ids = Vec::new();
    for line in prose(page) {
        let Some(text) = line.strip_prefix('#') else {
            continue;
        };
        let text = text.trim_start_matches('#').trim();
        let slug: String = text
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .flat_map(char::to_lowercase)
            .collect();
        let count = seen.entry(slug.clone()).or_insert(0);
        ids.push(if *count == 0 {
            slug
        } else {
            format!("{slug}-{count}")
        });
        *count += 1;
    }
    ids
}

/// The ids of the page's `<a id="…"></a>` anchors, in order.
fn explicit_anchors(page: &str) -> Vec<String> {
    prose(page)
        .iter()
        .flat_map(|line| line.split("<a id=\"").skip(1))
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

/// The targets of the page's in-page links, `[text](#target)`.
fn in_page_links(page: &str) -> Vec<String> {
    prose(page)
        .iter()
        .flat_map(|line| line.split("](#").skip(1))
        .map(|rest| rest.split(')').next().unwrap().to_owned())
        .collect()
}

/// The section of the page a method or type heading opens, up to the next
/// anchor or section.
fn section<'p>(page: &'p str, id: &str) -> Option<&'p str> {
    let start = page.find(&format!("<a id=\"{id}\"></a>"))?;
    let rest = &page[start + 1..];
    let end = [rest.find("<a id=\""), rest.find("\n## ")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    Some(&page[start..start + 1 + end])
}

/// The section title and anchor prefix of a method's group.
fn group(method: &Method) -> (&'static str, &'static str) {
    match (method.message_direction, method.kind) {
        (Direction::ClientToServer, MethodKind::Request) => ("Client requests", "client-request"),
        (Direction::ServerToClient, MethodKind::Request) => ("Server requests", "server-request"),
        (Direction::ClientToServer, MethodKind::Notification) => {
            ("Client notifications", "client-notification")
        }
        (Direction::ServerToClient, MethodKind::Notification) => {
            ("Server notifications", "server-notification")
        }
    }
}

fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// The section of `method` (no protocol here has two names of one slug).
fn method_section<'p>(case: &'p Case, method: &Method) -> &'p str {
    let (_, prefix) = group(method);
    let id = format!("{prefix}-{}", slug(&method.method));
    section(&case.page, &id)
        .unwrap_or_else(|| panic!("{}: no section `{id}` for {}", case.name, method.method))
}

/// The names of the types the model's methods reach, through other types.
fn reached(model: &Model) -> BTreeSet<String> {
    let mut pending: Vec<String> = Vec::new();
    for method in &model.methods {
        for ty in [&method.params, &method.result].into_iter().flatten() {
            ty.for_each_reference(&mut |name| pending.push(name.to_owned()));
        }
    }
    let mut reached = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if reached.insert(name.clone()) {
            let ty = model.type_named(&name).expect("a reference names a type");
            ty.definition
                .for_each_reference(&mut |name| pending.push(name.to_owned()));
        }
    }
    reached
}

#[test]
fn every_method_and_every_type_it_reaches_appears() {
    for case in cases() {
        let headings: Vec<&str> = prose(&case.page)
            .into_iter()
            .filter(|line| line.starts_with("## "))
            .collect();
        for method in &case.model.methods {
            let (title, _) = group(method);
            assert!(
                headings.contains(&format!("## {title}").as_str()),
                "{}",
                case.name
            );
            let text = method_section(&case, method);
            assert!(
                text.contains(&format!("### `{}`\n", method.method)),
                "{}: {text}",
                case.name
            );
            // Under its group's heading.
            let at = case.page.find(text).unwrap();
            let group_at = case.page.find(&format!("\n## {title}\n")).unwrap();
            let next = case.page[group_at + 1..]
                .find("\n## ")
                .map_or(case.page.len(), |end| group_at + 1 + end);
            assert!(
                group_at < at && at < next,
                "{}: {}",
                case.name,
                method.method
            );
            if let Some(documentation) = &method.marks.documentation {
                let first = documentation.lines().next().unwrap();
                assert!(text.contains(first), "{}: {text}", case.name);
            }
        }
        // Empty groups are left out.
        for title in [
            "Client requests",
            "Server requests",
            "Client notifications",
            "Server notifications",
        ] {
            let listed = case.model.methods.iter().any(|m| group(m).0 == title);
            assert_eq!(
                headings.contains(&format!("## {title}").as_str()),
                listed,
                "{}: {title}",
                case.name
            );
        }
        let types = reached(&case.model);
        assert!(!types.is_empty(), "{}", case.name);
        for name in &types {
            let id = format!("type-{}", slug(name));
            let text = section(&case.page, &id)
                .unwrap_or_else(|| panic!("{}: no section for the type {name}", case.name));
            assert!(text.contains(&format!("### `{name}`\n")), "{}", case.name);
        }
        // And no other: a type section for each type reached.
        let type_sections = explicit_anchors(&case.page)
            .iter()
            .filter(|id| id.starts_with("type-"))
            .count();
        assert_eq!(type_sections, types.len(), "{}", case.name);
    }
}

#[test]
fn every_link_resolves_to_an_anchor_of_the_page() {
    for case in cases() {
        let explicit = explicit_anchors(&case.page);
        let unique: BTreeSet<&String> = explicit.iter().collect();
        assert_eq!(unique.len(), explicit.len(), "{}: an id twice", case.name);
        let headings = heading_ids(&case.page);
        for id in &explicit {
            assert!(
                !headings.contains(id),
                "{}: `{id}` is a heading's id too",
                case.name
            );
        }
        let anchors: BTreeSet<&String> = explicit.iter().chain(&headings).collect();
        let links = in_page_links(&case.page);
        assert!(links.len() > case.model.methods.len(), "{}", case.name);
        for link in &links {
            assert!(
                anchors.contains(link),
                "{}: `#{link}` goes nowhere",
                case.name
            );
        }
    }
}

/// The cells of a table row: split on `|` not escaped, the outer two
/// dropped.
fn cells(row: &str) -> usize {
    let row = row.trim();
    let mut count = 0;
    let mut escaped = false;
    for c in row.chars() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '|' if !escaped => count += 1,
            _ => {}
        }
        escaped = false;
    }
    assert!(
        row.starts_with('|') && row.ends_with('|') && !row.ends_with("\\|"),
        "{row}"
    );
    count - 1
}

#[test]
fn every_table_row_has_as_many_cells_as_its_header() {
    for case in cases() {
        let mut tables = 0;
        let mut header: Option<usize> = None;
        for line in prose(&case.page) {
            if !line.trim_start().starts_with('|') {
                header = None;
                continue;
            }
            let count = cells(line);
            match header {
                None => {
                    header = Some(count);
                    tables += 1;
                    assert_eq!(
                        line.trim(),
                        "| Name | Type | Optional | Nullable | Documentation | Marks |",
                        "{}",
                        case.name
                    );
                }
                Some(expected) => assert_eq!(count, expected, "{}: {line}", case.name),
            }
        }
        assert!(tables > 0, "{}", case.name);
    }
}

#[test]
fn the_stable_page_has_nothing_experimental_and_the_experimental_page_has_it_all() {
    let examples = codex_examples();
    let codex = codex_protocol(&examples);
    let model = build_model(codex).unwrap();
    let generated = rendered(codex);
    let dir = tempfile::tempdir().unwrap();
    shelf::write_examples(dir.path());
    let shelf = shelf::protocol().with_examples(dir.path());
    for (name, model, generated) in [
        ("codex", model, generated),
        ("shelf", build_model(shelf).unwrap(), rendered(shelf)),
    ] {
        let top = page(&generated, "");
        let whole = page(&generated, EXPERIMENTAL_FOLDER);
        assert!(!top.contains("Experimental"), "{name}:\n{top}");
        assert!(whole.contains("**Experimental**: "), "{name}");
        let mut experimental = 0;
        for method in model.methods.iter() {
            let heading = format!("### `{}`\n", method.method);
            assert!(whole.contains(&heading), "{name}");
            if let Some(reason) = &method.marks.experimental {
                experimental += 1;
                assert!(!top.contains(&heading), "{name}: {}", method.method);
                assert!(
                    whole.contains(&format!("**Experimental**: {reason}")),
                    "{name}"
                );
            }
        }
        assert!(experimental > 0, "{name}");
        // Fields and enumeration values, by the reason each gives.
        let mut reasons: Vec<(String, String)> = Vec::new();
        for ty in &model.types {
            collect_experimental(&ty.definition, &mut reasons);
        }
        assert!(!reasons.is_empty(), "{name}");
        for (item, reason) in reasons {
            assert!(!top.contains(&item), "{name}: `{item}` on the stable page");
            assert!(whole.contains(&item), "{name}: `{item}`");
            assert!(whole.contains(&reason), "{name}: {reason}");
        }
    }
}

/// What `ty` marks experimental, as the page writes it (a field's row
/// start, a value's item start), with its reason.
fn collect_experimental(ty: &TypeRef, out: &mut Vec<(String, String)>) {
    match ty {
        TypeRef::Structure(structure) => {
            for field in &structure.fields {
                if let Some(reason) = &field.marks.experimental {
                    out.push((format!("| `{}` |", field.name), reason.clone()));
                }
                collect_experimental(&field.ty, out);
            }
        }
        TypeRef::Enumeration(enumeration) => {
            for value in &enumeration.values {
                if let Some(reason) = &value.marks.experimental {
                    out.push((format!("- `\"{}\"`", value.value), reason.clone()));
                }
            }
        }
        TypeRef::Union(union) => {
            for variant in &union.variants {
                collect_experimental(&variant.ty, out);
            }
        }
        _ => {}
    }
}

#[test]
fn a_deprecated_method_shows_its_note() {
    let mut shown = 0;
    for case in cases() {
        for method in &case.model.methods {
            let Some(deprecation) = &method.marks.deprecated else {
                continue;
            };
            let text = method_section(&case, method);
            let expected = match &deprecation.message {
                Some(message) => format!("- **Deprecated**: {message}\n"),
                None => "- **Deprecated**.\n".to_owned(),
            };
            assert!(text.contains(&expected), "{}: {text}", case.name);
            shown += 1;
        }
    }
    assert!(shown >= 3, "codex's two pages and shelf's have one");
}

/// The JSON of `path`, as the page prints it.
fn pretty(path: &Path) -> Option<String> {
    let text = fs::read_to_string(path).ok()?;
    let value: Value = serde_json::from_str(&text).unwrap();
    Some(format!(
        "```json\n{}\n```",
        serde_json::to_string_pretty(&value).unwrap()
    ))
}

/// Every method whose conformance folder has `params.json` or
/// `response.json` shows them (the first by name: `params-task.json` is
/// not shown), on every page of codex and MCP; a method without one shows
/// no example.
#[test]
fn a_method_shows_its_conformance_example() {
    let mut shown = 0;
    for case in cases() {
        let Some(examples) = &case.examples else {
            assert!(!case.page.contains("**Example**"), "{}", case.name);
            continue;
        };
        for method in &case.model.methods {
            let text = method_section(&case, method);
            let folder = examples.join(&method.method);
            let params = pretty(&folder.join("params.json"));
            let result = pretty(&folder.join("response.json"));
            for json in [&params, &result].into_iter().flatten() {
                // shelf's stable page leaves out what needs its experimental parts.
                if case.name == "shelf" && json.contains("rating") {
                    assert!(!text.contains(json.as_str()), "{text}");
                    continue;
                }
                assert!(
                    text.contains(json.as_str()),
                    "{}: {text}\n{json}",
                    case.name
                );
                shown += 1;
            }
            if params.is_none() && result.is_none() {
                assert!(!text.contains("**Example**"), "{}: {text}", case.name);
            }
            if let Some(task) = pretty(&folder.join("params-task.json")) {
                assert!(!text.contains(task.as_str()), "{}: {text}", case.name);
            }
        }
    }
    assert!(shown > 100, "{shown}");
}

#[test]
fn a_bad_example_is_an_error_and_a_missing_one_is_no_example() {
    let dir = tempfile::tempdir().unwrap();
    let calc = |dir: &Path| -> Result<Generated, RenderError> {
        render(
            Protocol::new(&calc::methods::REGISTRY, calc::COMMAND).with_examples(dir),
            Draft::default(),
        )
    };
    // No folder for any method: no example.
    let generated = calc(dir.path()).unwrap();
    assert!(!page(&generated, "").contains("**Example**"));

    let add = dir.path().join("math/add");
    fs::create_dir_all(add.join("invalid")).unwrap();
    fs::write(add.join("invalid/params-bad.json"), "not read").unwrap();
    fs::write(
        add.join("params.json"),
        r#"{"leftOperand": 1, "rightOperand": 2}"#,
    )
    .unwrap();
    let generated = calc(dir.path()).unwrap();
    let text = page(&generated, "");
    assert!(
        text.contains("\"leftOperand\": 1,\n  \"rightOperand\": 2\n"),
        "{text}"
    );

    fs::write(add.join("response.json"), "{ \"sum\": ").unwrap();
    let err = calc(dir.path()).unwrap_err();
    assert!(matches!(err, RenderError::Example { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&add.join("response.json").display().to_string())
            && message.contains("is not valid JSON"),
        "{message}"
    );

    let err = calc(&dir.path().join("nowhere")).unwrap_err();
    assert!(err.to_string().contains("nowhere"), "{err}");
}

/// The page is the generator's own: a stale one is found by `check` and
/// rewritten, one no longer rendered (an `experimental/reference.md` of a
/// protocol that has nothing experimental any more) is removed, and a
/// Markdown file without the notice, or with another generator's, is left
/// alone; at the page's path it is foreign.
#[test]
fn the_page_is_owned_checked_and_removed_when_no_longer_rendered() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let generated = rendered(Protocol::new(&calc::methods::REGISTRY, calc::COMMAND));
    write_generated(&generated, out).unwrap();
    let text = fs::read_to_string(out.join(REFERENCE_FILE)).unwrap();
    assert_eq!(generated.get(REFERENCE_FILE), Some(text.as_str()));
    assert!(text.starts_with(&format!(
        "<!-- {}\n-->\n",
        protocol_codegen::notice(calc::COMMAND)
    )));
    assert!(generated.owns(REFERENCE_FILE, &text));

    fs::write(out.join(REFERENCE_FILE), text.replace("Adds two", "Adds 2")).unwrap();
    let old = out.join(EXPERIMENTAL_FOLDER).join(REFERENCE_FILE);
    fs::create_dir_all(old.parent().unwrap()).unwrap();
    fs::write(&old, &text).unwrap();
    let notes = out.join(EXPERIMENTAL_FOLDER).join("notes.md");
    fs::write(&notes, "# Notes\n").unwrap();
    let other = text.replace(calc::COMMAND, "cargo run -p other-gen -- write-schema");
    let others = out.join(EXPERIMENTAL_FOLDER).join("other.md");
    fs::write(&others, &other).unwrap();

    let drift = check_generated(&generated, out).unwrap();
    let stale: Vec<&str> = drift.stale.iter().map(|file| file.path.as_str()).collect();
    assert_eq!(stale, [REFERENCE_FILE]);
    assert_eq!(
        drift.extra,
        [format!("{EXPERIMENTAL_FOLDER}/{REFERENCE_FILE}")]
    );
    assert!(drift.foreign.is_empty(), "{drift:?}");

    let summary = write_generated(&generated, out).unwrap();
    assert_eq!(summary.written, [REFERENCE_FILE]);
    assert_eq!(
        summary.removed,
        [format!("{EXPERIMENTAL_FOLDER}/{REFERENCE_FILE}")]
    );
    assert!(!old.exists());
    assert_eq!(fs::read_to_string(&notes).unwrap(), "# Notes\n");
    assert_eq!(fs::read_to_string(&others).unwrap(), other);
    assert!(check_generated(&generated, out).unwrap().is_empty());

    // A hand-written page where the generator writes its own.
    fs::write(out.join(REFERENCE_FILE), "# Calc\n").unwrap();
    let drift = check_generated(&generated, out).unwrap();
    assert_eq!(drift.foreign, [REFERENCE_FILE]);
    assert!(write_generated(&generated, out).is_err());
}

/// The page of a protocol with every kind of type, both surfaces, as
/// written; and the same bytes each time.
#[test]
fn shelf_reference_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    shelf::write_examples(dir.path());
    let generated = rendered(shelf::protocol().with_examples(dir.path()));
    let again = rendered(shelf::protocol().with_examples(dir.path()));
    assert_eq!(generated, again);
    insta::assert_snapshot!("shelf_reference", page(&generated, ""));
    insta::assert_snapshot!(
        "shelf_reference_experimental",
        page(&generated, EXPERIMENTAL_FOLDER)
    );
}

mod shelf {
    //! A bookshelf: a negotiation, a deprecated method and an experimental
    //! one, a gated notification, an experimental field and enumeration
    //! value, a tagged union, a map, a nullable field, and documentation
    //! that needs escaping in a table.

    use std::collections::BTreeMap;
    use std::fs;
    use std::path::Path;

    use protocol_codegen::Protocol;
    use protocol_macros::wire;

    /// How a book is bound.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub enum Binding {
        /// Stiff covers.
        Hardcover,
        /// Soft covers: `a | b` and <b>tags</b> stay text.
        Paperback,
        /// Read aloud.
        #[experimental("audio books are new")]
        Audio,
    }

    /// A book on the shelf.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct Book {
        /// The title,
        /// as printed | on the spine.
        pub title: String,
        pub binding: Binding,
        pub tags: Vec<String>,
        /// Who lent it, if anyone.
        pub lender: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub year: Option<u16>,
        /// Out of five.
        #[experimental("ratings may change scale")]
        #[since("2.0")]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rating: Option<f64>,
    }

    /// Where a book goes.
    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    #[serde(tag = "kind")]
    pub enum Place {
        /// On top of the others.
        Top,
        /// In a numbered slot.
        Slot { index: u32 },
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct PutParams {
        pub book: Book,
        pub place: Place,
        /// Books that go with it, by title.
        #[serde(default)]
        pub companions: BTreeMap<String, Book>,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ack {}

    /// What the client can do.
    #[wire]
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct ShelfCapabilities {
        #[serde(default)]
        pub experimental_api: bool,
        #[serde(default)]
        pub falls: bool,
    }

    #[wire]
    #[derive(Debug, Clone, PartialEq)]
    pub struct OpenParams {
        pub capabilities: ShelfCapabilities,
    }

    #[protocol_macros::protocol(
        negotiation = "shelf/open",
        client_capabilities = "params.capabilities",
        experimental = "client.experimentalApi"
    )]
    pub mod methods {
        use super::*;

        #[client_requests]
        #[derive(Debug, Clone, PartialEq)]
        pub enum ShelfRequest {
            /// Opens the shelf.
            #[method("shelf/open", response = Ack)]
            Open(OpenParams),
            /// Puts a book on the shelf.
            #[method("shelf/put", response = Ack)]
            Put(PutParams),
            /// Dusts the shelf.
            #[method("shelf/dust", response = Ack, deprecated = "the shelf dusts itself")]
            Dust,
            /// Scans the shelf.
            #[method(
                "shelf/scan",
                response = Book,
                experimental = "scanning is new",
                since = "2.0"
            )]
            Scan,
        }

        #[server_notifications]
        #[derive(Debug, Clone, PartialEq)]
        pub enum ShelfNotification {
            /// A book fell off.
            #[method("shelf/fell", capability = "client.falls")]
            Fell(Book),
        }
    }

    pub fn protocol() -> Protocol<'static> {
        Protocol::new(&methods::REGISTRY, "cargo run -p shelf-gen -- write-schema")
            .with_info("shelf", "2.0")
    }

    /// The examples of `shelf/put` (a second pair and an invalid file that
    /// are not shown) and of `shelf/fell`, which has an experimental field.
    pub fn write_examples(dir: &Path) {
        let put = dir.join("shelf/put");
        fs::create_dir_all(put.join("invalid")).unwrap();
        let book = r#"{"title": "Dune", "binding": "paperback", "tags": ["sf"], "lender": null}"#;
        fs::write(
            put.join("params.json"),
            format!(r#"{{"book": {book}, "place": {{"kind": "slot", "index": 3}}}}"#),
        )
        .unwrap();
        fs::write(
            put.join("params-top.json"),
            format!(r#"{{"book": {book}, "place": {{"kind": "top"}}}}"#),
        )
        .unwrap();
        fs::write(put.join("response.json"), "{}").unwrap();
        fs::write(put.join("invalid/params-no-book.json"), "{").unwrap();
        let fell = dir.join("shelf/fell");
        fs::create_dir_all(&fell).unwrap();
        fs::write(
            fell.join("params.json"),
            r#"{"title": "Emma", "binding": "hardcover", "tags": [], "lender": "Ann", "rating": 4.5}"#,
        )
        .unwrap();
    }
}
