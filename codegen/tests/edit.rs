//! `modelgate_codegen::edit`: a changed model list becomes a catalog change that touches
//! only the lines it must, and the result loads.

mod common;

use common::CatalogCopy;
use modelgate_codegen::catalog::Status;
use modelgate_codegen::edit::{
    self, EditError, ListChange, ListedModel, Outcome, RemoteList, add_remote_list, edit_provider,
};
use modelgate_codegen::spec_file::{Kind, SourceKind, SourceRef};

const VERTEXKEY: &str = "models/vertexkey.yaml";
const DAY: &str = "2026-09-01";
const KEY: &str = "vertexkey-models-2026-09-01";

fn list() -> RemoteList {
    RemoteList::new(
        "vertexkey",
        "VertexKey",
        "https://vertex-key.com/v1/models",
        DAY,
    )
    .unwrap()
}

fn change(add: &[&str], withdraw: &[&str]) -> ListChange {
    ListChange {
        list: list(),
        add: add.iter().map(|id| ListedModel::new(*id)).collect(),
        withdraw: withdraw.iter().map(|id| id.to_string()).collect(),
        relist: Vec::new(),
    }
}

fn real(rel: &str) -> String {
    std::fs::read_to_string(format!("{}/../spec/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Asserts that `output` is `input` with `expected` lines inserted: each `(n, line)`
/// comes right after input line `n` (from 1; 0 = before the first), in order. Compared
/// line by line, with line endings.
fn assert_insertions(input: &str, output: &str, expected: &[(usize, &str)]) {
    let old: Vec<&str> = input.split_inclusive('\n').collect();
    let mut want: Vec<String> = Vec::new();
    for (n, line) in old.iter().enumerate() {
        if n == 0 {
            for (_, new) in expected.iter().filter(|(at, _)| *at == 0) {
                want.push(format!("{new}\n"));
            }
        }
        want.push(line.to_string());
        for (_, new) in expected.iter().filter(|(at, _)| *at == n + 1) {
            want.push(format!("{new}\n"));
        }
    }
    let got: Vec<&str> = output.split_inclusive('\n').collect();
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "output line {} differs", i + 1);
    }
    assert_eq!(got.len(), want.len(), "line count:\n{output}");
}

/// 1-based number of the first line at or after `from` (1-based) that equals `line`.
fn line_no(text: &str, line: &str, from: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(from - 1)
        .find(|(_, l)| *l == line)
        .unwrap_or_else(|| panic!("{line:?} not found after line {from}"))
        .0
        + 1
}

#[test]
fn the_real_vertexkey_file_gains_exactly_the_new_lines_and_still_loads() {
    let input = real(VERTEXKEY);
    let mut change = change(&[], &["aws/claude-sonnet-4-0"]);
    change.add.push(ListedModel {
        owned_by: Some("aws".into()),
        ..ListedModel::new("aws/claude-opus-4-8")
    });
    let edited = edit_provider(&input, &change).unwrap();
    assert_eq!(
        edited.outcomes,
        [
            Outcome::MarkedNotListed("aws/claude-sonnet-4-0".into()),
            Outcome::Added("aws/claude-opus-4-8".into()),
        ]
    );
    assert!(edited.changed());

    // The sonnet-4-0 entry's last line is its `source:`; the mark comes right after it.
    let entry = line_no(&input, "  - id: aws/claude-sonnet-4-0", 1);
    let source = line_no(
        &input,
        "    source: {doc: seed-004, section: Chat Models — AWS Enterprise}",
        entry,
    );
    let last = input.lines().count();
    assert_insertions(
        &input,
        &edited.text,
        &[
            (
                source,
                "    not_listed: {doc: vertexkey-models-2026-09-01, section: data}",
            ),
            (last, ""),
            (last, "listed:"),
            (
                last,
                "  - {id: aws/claude-opus-4-8, owned_by: aws, source: {doc: vertexkey-models-2026-09-01, section: data}}",
            ),
        ],
    );

    // The index gains the list as a source, after the last source.
    let index = real("catalog.yaml");
    let index_edit = add_remote_list(&index, &list()).unwrap();
    assert_eq!(index_edit.outcomes, [Outcome::SourceAdded(KEY.into())]);
    // The last line of the last source: two lines above `providers:` (a blank line
    // between).
    let after = line_no(&index, "providers:", 1) - 2;
    assert_insertions(
        &index,
        &index_edit.text,
        &[
            (after, "  vertexkey-models-2026-09-01:"),
            (
                after,
                "    title: VertexKey model list (GET /v1/models), read 2026-09-01",
            ),
            (after, "    kind: remote_list"),
            (after, "    url: https://vertex-key.com/v1/models"),
            (after, "    read: 2026-09-01"),
        ],
    );

    // Both edited files load.
    let copy = CatalogCopy::new();
    std::fs::write(copy.path(VERTEXKEY), &edited.text).unwrap();
    std::fs::write(copy.path("catalog.yaml"), &index_edit.text).unwrap();
    let catalog = modelgate_codegen::load_catalog(copy.dir.path()).unwrap();
    let doc = &catalog.sources[KEY];
    assert_eq!(doc.kind, SourceKind::RemoteList);
    assert_eq!(doc.url.as_deref(), Some("https://vertex-key.com/v1/models"));
    assert_eq!(doc.read.as_deref(), Some(DAY));
    let model = |id: &str| {
        catalog
            .models()
            .find(|(_, m)| m.id.as_deref() == Some(id))
            .unwrap_or_else(|| panic!("{id} not loaded"))
            .1
            .clone()
    };
    let new = model("aws/claude-opus-4-8");
    assert_eq!(new.status, Status::Listed);
    assert_eq!(new.name, "aws/claude-opus-4-8", "no name given: the ID");
    // The list gives no kind; the `aws/` family of spec/models/vertexkey.yaml does, with
    // its source and note, and with it both chat endpoints.
    assert_eq!(new.kind, Some(Kind::Chat), "the aws/ family's kind");
    assert_eq!(
        new.also_sources,
        [SourceRef {
            doc: "seed-004".into(),
            section: "Chat Models — AWS Enterprise".into()
        }]
    );
    assert_eq!(new.notes, ["model-list-kinds"]);
    assert_eq!(new.endpoints, ["chat_completions", "messages"]);
    assert_eq!(new.vendor, None, "owned_by is not the vendor");
    assert_eq!(new.owned_by.as_deref(), Some("aws"));
    assert!(new.pricing.is_none());
    let section = SourceRef {
        doc: KEY.into(),
        section: "data".into(),
    };
    assert_eq!(new.source, section);
    assert_eq!(new.not_listed, None);
    // The withdrawn model keeps every fact and is marked.
    let gone = model("aws/claude-sonnet-4-0");
    assert_eq!(gone.status, Status::Documented);
    assert_eq!(gone.not_listed, Some(section));
    assert_eq!(gone.kind, Some(Kind::Chat));
    assert_eq!(gone.endpoints, ["chat_completions", "messages"]);
    assert_eq!(gone.pricing.as_ref().unwrap().input_per_million, Some(3.0));
    assert!(!gone.requests.is_empty());
    let kept = model("aws/claude-opus-4-7");
    assert_eq!(kept.not_listed, None);
    // The same change again changes nothing, in either file.
    let again = edit_provider(&edited.text, &change).unwrap();
    assert_eq!(again.text, edited.text);
    assert!(!again.changed());
    assert_eq!(
        again.outcomes,
        [
            Outcome::AlreadyNotListed("aws/claude-sonnet-4-0".into()),
            Outcome::AlreadyPresent("aws/claude-opus-4-8".into()),
        ]
    );
    let index_again = add_remote_list(&index_edit.text, &list()).unwrap();
    assert_eq!(index_again.text, index_edit.text);
    assert_eq!(
        index_again.outcomes,
        [Outcome::SourceAlreadyPresent(KEY.into())]
    );
}

#[test]
fn the_generator_runs_on_an_edited_catalog() {
    let copy = CatalogCopy::new();
    let text = edit_provider(
        &real(VERTEXKEY),
        &change(
            &["aws/claude-opus-4-8", "enterprise/example-model"],
            &["enterprise/seedance-1-5-pro"],
        ),
    )
    .unwrap()
    .text;
    std::fs::write(copy.path(VERTEXKEY), text).unwrap();
    let index = add_remote_list(&real("catalog.yaml"), &list())
        .unwrap()
        .text;
    std::fs::write(copy.path("catalog.yaml"), index).unwrap();
    let mut config = modelgate_codegen::Config::new();
    config.catalog_dir(copy.dir.path());
    let catalog = config.load().unwrap();
    let files = config.generate(&catalog).unwrap();
    let table = &files["catalog.rs"];
    // Every listed model has a row: an `aws/` one with its family's kind and both chat
    // endpoints, another with no kind and no endpoints.
    let row = |id: &str| {
        let at = table
            .find(&format!("id: Some(\"{id}\")"))
            .unwrap_or_else(|| panic!("no row for {id}"));
        let end = table[at..].find("notes:").unwrap();
        table[at..at + end].to_string()
    };
    let opus = row("aws/claude-opus-4-8");
    assert!(opus.contains("owned_by: None"), "{opus}");
    assert!(
        opus.contains("kind: Some(crate::catalog::ModelKind::Chat)"),
        "{opus}"
    );
    assert!(
        opus.contains("endpoints: &[\n            Endpoint::VertexKeyChatCompletions,\n            Endpoint::VertexKeyMessages,\n        ]")
            || opus.contains("endpoints: &[Endpoint::VertexKeyChatCompletions, Endpoint::VertexKeyMessages]"),
        "{opus}"
    );
    assert!(
        opus.contains("document: \"vertexkey-models-2026-09-01\""),
        "{opus}"
    );
    let other = row("enterprise/example-model");
    assert!(
        other.contains("kind: None") && other.contains("endpoints: &[]"),
        "{other}"
    );
    let seedance = row("enterprise/seedance-1-5-pro");
    let mark = seedance
        .split("not_listed: Some(crate::rules::Source {")
        .nth(1)
        .unwrap_or_else(|| panic!("not marked: {seedance}"));
    assert!(
        mark.trim_start()
            .starts_with("document: \"vertexkey-models-2026-09-01\""),
        "{seedance}"
    );
    assert!(table.contains("kind: crate::catalog::SourceKind::RemoteList"));
    // The generated docs say where a listed model came from, and that one is not listed.
    for doc in [
        "/// aws/claude-opus-4-8 (`aws/claude-opus-4-8`): VertexKey chat model, listed.",
        "/// Source: `vertexkey-models-2026-09-01` (VertexKey model list (GET /v1/models), read 2026-09-01, <https://vertex-key.com/v1/models>), section \"data\".",
        "/// Also: `seed-004` (VertexKey API documentation), section \"Chat Models — AWS Enterprise\".",
        "/// enterprise/example-model (`enterprise/example-model`): VertexKey (kind unknown) model, listed.",
        "/// **Not listed** by the gateway's model list: `vertexkey-models-2026-09-01` (VertexKey model list (GET /v1/models), read 2026-09-01, <https://vertex-key.com/v1/models>), section \"data\" (the entry and its facts are kept; the validator warns).",
    ] {
        assert!(table.contains(doc), "{doc}");
    }
    let markdown = &files["MODELS.md"];
    assert!(
        markdown.contains("| `vidu_q2` | Vidu Q2 | Vidu |"),
        "a listed name stays"
    );
    for line in [
        "| `aws/claude-opus-4-8` | aws/claude-opus-4-8 | - | chat | listed | chat_completions, messages | - | - | - | - | vertexkey-models-2026-09-01, data (model list read 2026-09-01); seed-004, Chat Models — AWS Enterprise |",
        "| `enterprise/example-model` | enterprise/example-model | - | unknown | listed |  | - | - | - | - | vertexkey-models-2026-09-01, data (model list read 2026-09-01) |",
        "ID families (a listed ID without a kind of its own takes its family's): `aws/…` are chat (seed-004, Chat Models — AWS Enterprise; note model-list-kinds).",
        "| `vertexkey-models-2026-09-01` | remote_list (model list) | VertexKey model list (GET /v1/models), read 2026-09-01 | <https://vertex-key.com/v1/models> | 2026-09-01 |",
    ] {
        assert!(markdown.contains(line), "{line}\nmissing from:\n{markdown}");
    }
    assert!(
        markdown.contains(
            "| documented, **not listed**: vertexkey-models-2026-09-01, data (model list read 2026-09-01) | videos |"
        ),
        "{markdown}"
    );
}

#[test]
fn a_model_entry_last_in_the_file_is_marked_after_its_nested_block() {
    let input = real(VERTEXKEY);
    let edited = edit_provider(&input, &change(&[], &["enterprise/seedance-1-5-pro"])).unwrap();
    let last = input.lines().count();
    assert_eq!(input.lines().last(), Some("      prompt: {}"));
    assert_insertions(
        &input,
        &edited.text,
        &[(
            last,
            "    not_listed: {doc: vertexkey-models-2026-09-01, section: data}",
        )],
    );
}

#[test]
fn without_a_final_line_break_the_file_still_ends_without_one() {
    let input = "provider: p\nmodels:\n  - id: a\n    kind: chat";
    let edited = edit_provider(input, &change(&["b"], &["a"])).unwrap();
    assert_eq!(
        edited.text,
        "provider: p\nmodels:\n  - id: a\n    kind: chat\n\
         \x20   not_listed: {doc: vertexkey-models-2026-09-01, section: data}\n\
         \nlisted:\n  - {id: b, source: {doc: vertexkey-models-2026-09-01, section: data}}"
    );
    let only_withdraw = edit_provider(input, &change(&[], &["a"])).unwrap();
    assert_eq!(
        only_withdraw.text,
        "provider: p\nmodels:\n  - id: a\n    kind: chat\n\
         \x20   not_listed: {doc: vertexkey-models-2026-09-01, section: data}"
    );
    // A flow entry last, without a line break: its line grows, nothing is added.
    let flow = "listed:\n  - {id: a, name: A, kind: chat, source: {doc: s, section: x}}";
    assert_eq!(
        edit_provider(flow, &change(&[], &["a"])).unwrap().text,
        "listed:\n  - {id: a, name: A, kind: chat, source: {doc: s, section: x}, not_listed: {doc: vertexkey-models-2026-09-01, section: data}}"
    );
    // Idempotent: the edited text is left as it is.
    let again = edit_provider(&edited.text, &change(&["b"], &["a"])).unwrap();
    assert_eq!(again.text, edited.text);
}

#[test]
fn crlf_files_get_crlf_lines() {
    let input = real(VERTEXKEY).replace('\n', "\r\n");
    let edited = edit_provider(
        &input,
        &change(&["aws/claude-opus-4-8"], &["aws/claude-sonnet-4-0"]),
    )
    .unwrap();
    assert!(!edited.text.replace("\r\n", "").contains('\n'), "a bare LF");
    let lf = edit_provider(
        &real(VERTEXKEY),
        &change(&["aws/claude-opus-4-8"], &["aws/claude-sonnet-4-0"]),
    )
    .unwrap();
    assert_eq!(edited.text, lf.text.replace('\n', "\r\n"));
    let index = real("catalog.yaml").replace('\n', "\r\n");
    let index_edit = add_remote_list(&index, &list()).unwrap();
    assert_eq!(
        index_edit.text,
        add_remote_list(&real("catalog.yaml"), &list())
            .unwrap()
            .text
            .replace('\n', "\r\n")
    );
    // A lone CR is refused rather than guessed at.
    let e = edit_provider("provider: p\rmodels: []\n", &change(&["b"], &[])).unwrap_err();
    assert!(matches!(e, EditError::Layout { line: 1, .. }), "{e}");
}

#[test]
fn ids_and_names_that_need_quotes_are_quoted_and_read_back() {
    let ids = [
        "true",
        "null",
        "1.5",
        "0x1F",
        "a,b",
        "#tag",
        "x}y",
        "-lead",
        "a: b",
        "'q'",
        "\"dq\"",
        "back\\slash",
        "ok/plain-1.0",
    ];
    let mut add: Vec<ListedModel> = ids.iter().map(|id| ListedModel::new(*id)).collect();
    add.retain(|m| !m.id.contains(' '));
    add.push(ListedModel {
        name: Some("Name, with: {braces} # and a hash".into()),
        owned_by: Some("yes".into()),
        kind: Some(Kind::Chat),
        ..ListedModel::new("named")
    });
    let change = ListChange {
        list: list(),
        add,
        withdraw: Vec::new(),
        relist: Vec::new(),
    };
    let text = edit_provider("provider: p\n", &change).unwrap().text;
    assert!(text.contains("  - {id: ok/plain-1.0, source:"), "{text}");
    assert!(text.contains("  - {id: \"true\", source:"), "{text}");
    assert!(text.contains("  - {id: \"a,b\", source:"), "{text}");
    let doc = modelgate_io::yaml::parse_single(&text).unwrap();
    let listed = doc.value["listed"].as_array().unwrap();
    let read: Vec<&str> = listed.iter().map(|e| e["id"].as_str().unwrap()).collect();
    let mut want: Vec<&str> = ids.iter().copied().filter(|id| !id.contains(' ')).collect();
    want.push("named");
    assert_eq!(read, want);
    let named = listed.last().unwrap();
    assert_eq!(named["name"], "Name, with: {braces} # and a hash");
    assert_eq!(named["owned_by"], "yes");
    assert_eq!(named["kind"], "chat");
    // Withdrawing a quoted ID finds it.
    let withdrawn = edit_provider(
        &text,
        &ListChange {
            list: list(),
            add: Vec::new(),
            withdraw: vec!["a,b".into(), "x}y".into()],
            relist: Vec::new(),
        },
    )
    .unwrap()
    .text;
    let doc = modelgate_io::yaml::parse_single(&withdrawn).unwrap();
    let marked: Vec<&str> = doc.value["listed"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.get("not_listed").is_some())
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(marked, ["a,b", "x}y"]);
    assert_eq!(edit::flow_scalar("plain"), "plain");
    assert_eq!(
        edit::block_scalar("https://x.example/v1"),
        "https://x.example/v1"
    );
    assert_eq!(edit::flow_scalar("a\nb"), "\"a\\nb\"");
}

#[test]
fn new_entries_follow_an_existing_listed_section_in_its_style() {
    let input = real("models/vtrix.yaml");
    let list = RemoteList::new("vtrix", "Vtrix", "https://vtrix.example/v1/models", DAY).unwrap();
    let change = ListChange {
        list,
        add: vec![ListedModel::new("vtrix-new-1"), ListedModel::new("vidu_q2")],
        withdraw: vec!["minimax_hailuo_02_i2v".into()],
        relist: Vec::new(),
    };
    let edited = edit_provider(&input, &change).unwrap();
    assert_eq!(
        edited.outcomes,
        [
            Outcome::MarkedNotListed("minimax_hailuo_02_i2v".into()),
            Outcome::Added("vtrix-new-1".into()),
            Outcome::AlreadyPresent("vidu_q2".into()),
        ]
    );
    let old: Vec<&str> = input.lines().collect();
    let new: Vec<&str> = edited.text.lines().collect();
    assert_eq!(new.len(), old.len() + 1);
    assert_eq!(&new[..old.len() - 1], &old[..old.len() - 1]);
    assert_eq!(
        new[old.len() - 1],
        "  - {id: minimax_hailuo_02_i2v, name: minimax_hailuo_02_i2v, vendor: MiniMax, kind: video, \
         source: {doc: public-facts, section: \"1\"}, not_listed: {doc: vtrix-models-2026-09-01, section: data}}"
    );
    assert_eq!(
        new[old.len()],
        "  - {id: vtrix-new-1, source: {doc: vtrix-models-2026-09-01, section: data}}"
    );
}

#[test]
fn bad_changes_and_layouts_are_refused_with_the_line() {
    let text = real(VERTEXKEY);
    assert_eq!(
        edit_provider(&text, &change(&[], &["aws/nope"])).unwrap_err(),
        EditError::UnknownId("aws/nope".into())
    );
    let e = edit_provider(&text, &change(&["x"], &["x"])).unwrap_err();
    assert_eq!(e.to_string(), "`x` is both added and withdrawn");
    let e = edit_provider(&text, &change(&["a b"], &[])).unwrap_err();
    assert!(e.to_string().contains("no spaces"), "{e}");
    let e = RemoteList::new(
        "vertexkey",
        "VertexKey",
        "https://v/v1/models",
        "2026-02-30",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "`2026-02-30` is not a date; write YYYY-MM-DD"
    );
    let e = edit_provider("listed: []\n", &change(&["b"], &[])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "1: `listed:` is not a block sequence (edit the file by hand)"
    );
    let e = edit_provider(
        "listed:\n  - {id: a,\n     name: A}\n",
        &change(&[], &["a"]),
    )
    .unwrap_err();
    assert!(matches!(e, EditError::Layout { line: 2, .. }), "{e}");
    let e = edit_provider("models: [\n", &change(&["b"], &[])).unwrap_err();
    assert!(matches!(e, EditError::Yaml { .. }), "{e}");
    // A key taken by another document.
    let index = add_remote_list(&real("catalog.yaml"), &list())
        .unwrap()
        .text;
    let mut other = list();
    other.url = "https://vertex-key.com/api/v1/models".into();
    let e = add_remote_list(&index, &other).unwrap_err();
    assert!(
        matches!(&e, EditError::SourceConflict { key, .. } if key == KEY),
        "{e}"
    );
}

#[test]
fn the_loader_checks_remote_lists_and_not_listed_marks() {
    let c = CatalogCopy::new();
    c.replace(
        "catalog.yaml",
        "    kind: format\n",
        "    kind: format\n  list-a:\n    title: A list\n    kind: remote_list\n    read: 2026-13-01\n  \
         list-b:\n    title: B\n    url: https://b.example\n    read: 2026-01-01\n",
    );
    c.replace(
        VERTEXKEY,
        "    notes: [vertexkey-parameters, vertexkey-context, vertexkey-cache-pricing]\n",
        "    notes: [vertexkey-parameters, vertexkey-context, vertexkey-cache-pricing]\n    not_listed: {doc: seed-004, section: Notes}\n",
    );
    let mut vk = c.read(VERTEXKEY);
    vk.push_str("\nlisted:\n  - {source: {doc: seed-004, section: Notes}}\n  - {name: N, source: {doc: seed-004, section: Notes}, not_listed: {doc: list-a, section: data}}\n");
    std::fs::write(c.path(VERTEXKEY), vk).unwrap();
    let read_line = c.line_of("catalog.yaml", "read: 2026-13-01");
    let a_line = c.line_of("catalog.yaml", "  list-a:");
    let b_read = c.line_of("catalog.yaml", "read: 2026-01-01");
    let mark = c.line_of(VERTEXKEY, "not_listed: {doc: seed-004");
    let listed = c.line_of(VERTEXKEY, "  - {source:");
    let column = c
        .read(VERTEXKEY)
        .lines()
        .nth(listed)
        .unwrap()
        .find("not_listed")
        .unwrap()
        + 1;
    assert_eq!(
        c.errors(),
        [
            format!(
                "spec/catalog.yaml:{a_line}:3: field `sources.list-a.url`: a `remote_list` source needs the `url` it was read from"
            ),
            format!(
                "spec/catalog.yaml:{read_line}:5: field `sources.list-a.read`: `2026-13-01` is not a date; write YYYY-MM-DD"
            ),
            format!(
                "spec/catalog.yaml:{b_read}:5: field `sources.list-b.read`: only a `kind: remote_list` source has `read`"
            ),
            format!(
                "spec/{VERTEXKEY}:{mark}:5: model `aws/claude-opus-4-7`, field `not_listed`: `not_listed` names `seed-004`, which is not a model list (its source needs `kind: remote_list`, a `url` and the date it was `read`)"
            ),
            format!(
                "spec/{VERTEXKEY}:{listed}:5: field `name`: a listed model needs a name or an ID"
            ),
            format!(
                "spec/{VERTEXKEY}:{}:{column}: model `N`, field `not_listed`: only a model with an ID can be missing from a model list",
                listed + 1
            ),
        ]
    );
}

#[test]
fn a_family_must_hold_for_every_model_in_it_and_cite_known_sources() {
    let c = CatalogCopy::new();
    c.replace(
        VERTEXKEY,
        "    note: model-list-kinds\n    # Seed 004's table is VertexKey's own list of its aws/ models (note unknown-ids).\n    complete: {doc: seed-004, section: Chat Models — AWS Enterprise}\n",
        "    note: model-list-kinds\n    complete: {doc: seed-004, section: Chat Models — AWS Enterprise}\n  \
         - {prefix: enterprise/, kind: image, source: {doc: seed-004, section: Image Generation}, note: model-list-kinds}\n  \
         - {prefix: x/, kind: media, source: {doc: seed-009, section: S}, note: no-such-note, complete: {doc: seed-010, section: S}}\n",
    );
    let enterprise = c.line_of(VERTEXKEY, "prefix: enterprise/");
    let x = c.line_of(VERTEXKEY, "prefix: x/");
    let column = |needle: &str, line: usize| {
        c.read(VERTEXKEY)
            .lines()
            .nth(line - 1)
            .unwrap()
            .find(needle)
            .unwrap()
            + 1
    };
    let errors = c.errors();
    let expected = [
        format!(
            "spec/models/vertexkey.yaml:{enterprise}:{}: field `kind`: family `enterprise/` is said to be image, but enterprise/seedance-1-5-pro (video) is not: a family's kind must hold for every model in it",
            column("kind: image", enterprise)
        ),
        format!(
            "spec/models/vertexkey.yaml:{x}:{}: field `kind`: family `x/`: provider vertexkey has no endpoint that serves media models",
            column("kind: media", x)
        ),
    ];
    for e in &expected {
        assert!(errors.contains(e), "{e}\nnot among:\n{}", errors.join("\n"));
    }
    assert!(
        errors
            .iter()
            .any(|e| e.contains(&format!("vertexkey.yaml:{x}:")) && e.contains("seed-009")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains(&format!("vertexkey.yaml:{x}:")) && e.contains("no-such-note")),
        "{errors:?}"
    );
    // The source that gives every ID of the family must be known too.
    assert!(
        errors
            .iter()
            .any(|e| e.contains(&format!("vertexkey.yaml:{x}:")) && e.contains("seed-010")),
        "{errors:?}"
    );
    assert_eq!(errors.len(), 5, "{errors:?}");
}

#[test]
fn a_listed_entry_with_its_own_kind_keeps_it_and_only_ids_in_a_family_take_the_familys() {
    let c = CatalogCopy::new();
    let mut vk = c.read(VERTEXKEY);
    vk.push_str(
        "\nlisted:\n  - {id: aws/x-1, source: {doc: seed-004, section: Notes}}\n  \
         - {id: awsx/y, source: {doc: seed-004, section: Notes}}\n  \
         - {name: aws/named only, source: {doc: seed-004, section: Notes}}\n",
    );
    std::fs::write(c.path(VERTEXKEY), vk).unwrap();
    let catalog = modelgate_codegen::load_catalog(c.dir.path()).unwrap();
    let get = |label: &str| {
        catalog
            .models()
            .find(|(_, m)| m.id.as_deref() == Some(label) || m.name == label)
            .unwrap()
            .1
            .clone()
    };
    assert_eq!(get("aws/x-1").kind, Some(Kind::Chat));
    assert_eq!(
        get("awsx/y").kind,
        None,
        "a prefix is not a substring match"
    );
    assert!(get("awsx/y").endpoints.is_empty() && get("awsx/y").notes.is_empty());
    assert_eq!(
        get("aws/named only").kind,
        None,
        "a family matches IDs, not names"
    );
}

#[test]
fn relisting_removes_the_mark_and_gives_back_the_text_before_it() {
    let input = real(VERTEXKEY);
    // A block entry (sonnet 4.0) and a one-line flow entry, marked, then listed again.
    let mut flow = input.clone();
    flow.push_str(
        "\nlisted:\n  - {id: aws/x-1, owned_by: aws, source: {doc: seed-004, section: Notes}}\n",
    );
    for (text, id) in [(&input, "aws/claude-sonnet-4-0"), (&flow, "aws/x-1")] {
        let marked = edit_provider(text, &change(&[], &[id])).unwrap();
        assert_eq!(marked.outcomes, [Outcome::MarkedNotListed(id.into())]);
        assert_ne!(&marked.text, text);
        let relist = ListChange {
            relist: vec![id.into()],
            ..change(&[], &[])
        };
        let back = edit_provider(&marked.text, &relist).unwrap();
        assert_eq!(back.outcomes, [Outcome::Relisted(id.into())]);
        assert!(back.changed());
        assert_eq!(&back.text, text, "{id}");
        // Once more: no mark to remove.
        let again = edit_provider(&back.text, &relist).unwrap();
        assert_eq!(again.outcomes, [Outcome::NotMarked(id.into())]);
        assert_eq!(&again.text, text);
    }
    // CRLF and no final line break survive a removal of the last line.
    let crlf = "provider: p\r\nmodels:\r\n  - id: a\r\n    kind: chat\r\n    not_listed: {doc: l, section: data}";
    let relist = ListChange {
        relist: vec!["a".into()],
        ..change(&[], &[])
    };
    assert_eq!(
        edit_provider(crlf, &relist).unwrap().text,
        "provider: p\r\nmodels:\r\n  - id: a\r\n    kind: chat"
    );
    // A mark over several lines is left to a person.
    let block =
        "provider: p\nmodels:\n  - id: a\n    not_listed:\n      doc: l\n      section: data\n";
    assert!(matches!(
        edit_provider(block, &relist),
        Err(EditError::Layout { line: 4, .. })
    ));
    // Relisting an ID that is also withdrawn is a contradiction.
    let both = ListChange {
        relist: vec!["a".into()],
        ..change(&[], &["a"])
    };
    assert!(matches!(
        edit_provider(crlf, &both),
        Err(EditError::Change(_))
    ));
}
