//! Editing catalog files for a changed model list, by inserting and extending lines so
//! that everything the change does not concern stays byte for byte: comments, order,
//! blank lines, quoting and line endings. The groundwork of `modelgate catalog update`.
//!
//! A gateway's model list (`GET /v1/models`) is recorded as a source document of kind
//! `remote_list` in `spec/catalog.yaml` ([`add_remote_list`]): the URL read and the day,
//! under a key such as `vertexkey-models-2026-09-01`. Facts then point at it the way they
//! point at any document, with a [`SourceRef`](crate::SourceRef):
//!
//! * an ID the list gives and the provider file lacks becomes a `listed:` entry holding
//!   only what the list gives (its ID, and a name or owner if the list has them), with
//!   `source: {doc: <key>, section: data}` ([`edit_provider`]);
//! * an ID the provider file has and the list no longer gives keeps its entry and every
//!   fact in it, and gets `not_listed: {doc: <key>, section: data}`: "not listed by
//!   GET /v1/models on the day `<key>` was read".
//!
//! ```
//! use modelgate_catalog_file::edit::{self, ListChange, ListedModel, RemoteList};
//!
//! let text = "provider: p\nmodels:\n  - id: a\n    kind: chat\n";
//! let list = RemoteList::new("p", "P", "https://p.example/v1/models", "2026-09-01").unwrap();
//! let change = ListChange {
//!     list,
//!     add: vec![ListedModel::new("b")],
//!     withdraw: vec!["a".into()],
//!     relist: vec![],
//! };
//! let edited = edit::edit_provider(text, &change).unwrap();
//! assert_eq!(
//!     edited.text,
//!     "provider: p\nmodels:\n  - id: a\n    kind: chat\n    not_listed: {doc: p-models-2026-09-01, section: data}\n\
//!      \nlisted:\n  - {id: b, source: {doc: p-models-2026-09-01, section: data}}\n"
//! );
//! // The same change again changes nothing.
//! assert_eq!(edit::edit_provider(&edited.text, &change).unwrap().text, edited.text);
//! ```

use std::collections::BTreeSet;

use modelgate_io::pointer::escape;
use modelgate_io::yaml::{self, LocatedDocument};
use serde_json::Value;

use crate::{Kind, is_date};

/// The section of a `remote_list` source that entries point at: the list's `data` array.
pub const LIST_SECTION: &str = "data";

/// A gateway's model list as read on a day: the `remote_list` source document that the
/// change's entries cite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteList {
    /// Its key in `sources:`, e.g. `vertexkey-models-2026-09-01`.
    pub key: String,
    /// Its title, e.g. `VertexKey model list (GET /v1/models), read 2026-09-01`.
    pub title: String,
    /// The URL read.
    pub url: String,
    /// The day it was read, `YYYY-MM-DD`.
    pub read: String,
}

impl RemoteList {
    /// The list of provider `provider` (its key, e.g. `vertexkey`, and display name) read
    /// from `url` on `read` (`YYYY-MM-DD`), keyed `<provider>-models-<read>`.
    pub fn new(provider: &str, name: &str, url: &str, read: &str) -> Result<Self, EditError> {
        let list = RemoteList {
            key: format!("{provider}-models-{read}"),
            title: format!("{name} model list (GET /v1/models), read {read}"),
            url: url.to_string(),
            read: read.to_string(),
        };
        list.check()?;
        Ok(list)
    }

    fn check(&self) -> Result<(), EditError> {
        if !is_date(&self.read) {
            return Err(EditError::Change(format!(
                "`{}` is not a date; write YYYY-MM-DD",
                self.read
            )));
        }
        if !(self.url.starts_with("https://") || self.url.starts_with("http://")) {
            return Err(EditError::Change(format!(
                "`{}` is not an http(s) URL",
                self.url
            )));
        }
        if self.key.is_empty()
            || !self
                .key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(EditError::Change(format!(
                "source key `{}` must be ASCII letters, digits, `-`, `_` or `.`",
                self.key
            )));
        }
        Ok(())
    }
}

/// A model as a list gives it. Nothing else is written for it: no vendor, no kind unless
/// the caller is certain of it, no limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedModel {
    /// The ID.
    pub id: String,
    /// A display name, if the list gives one.
    pub name: Option<String>,
    /// The list's `owned_by`, if it gives one.
    pub owned_by: Option<String>,
    /// The kind, only when certain (an OpenAI-style list does not say).
    pub kind: Option<Kind>,
}

impl ListedModel {
    /// A model known by its ID only.
    pub fn new(id: impl Into<String>) -> Self {
        ListedModel {
            id: id.into(),
            name: None,
            owned_by: None,
            kind: None,
        }
    }
}

/// What a list changed for one provider file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListChange {
    /// The list, as a source.
    pub list: RemoteList,
    /// IDs the list gives that the file may lack; added as listed entries, in this order.
    pub add: Vec<ListedModel>,
    /// IDs the file has that the list no longer gives; marked `not_listed`.
    pub withdraw: Vec<String>,
    /// IDs the file marks `not_listed` that the list gives again; the mark is removed
    /// (the line it is on, or the member of a one-line flow entry).
    pub relist: Vec<String>,
}

/// What [`edit_provider`] or [`add_remote_list`] did with each item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A listed entry was added for the ID.
    Added(String),
    /// The ID's entry was marked `not_listed`.
    MarkedNotListed(String),
    /// The ID already has an entry (documented, listed or marked `not_listed`); nothing
    /// was written. A model that reappears after a `not_listed` mark is left to review.
    AlreadyPresent(String),
    /// The ID's entry already carries a `not_listed` mark (the earlier day is kept).
    AlreadyNotListed(String),
    /// The ID's `not_listed` mark was removed: the list gives it again.
    Relisted(String),
    /// The ID to relist has no `not_listed` mark; nothing was written.
    NotMarked(String),
    /// The source document was added to `sources:`.
    SourceAdded(String),
    /// The source document was already there, the same.
    SourceAlreadyPresent(String),
}

/// An edited file: its new text and what changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edited {
    /// The whole new text.
    pub text: String,
    /// One outcome per item of the change: the withdrawals in order, then the relisted
    /// IDs, then the additions.
    pub outcomes: Vec<Outcome>,
}

impl Edited {
    /// Whether the text changed.
    pub fn changed(&self) -> bool {
        self.outcomes.iter().any(|o| {
            matches!(
                o,
                Outcome::Added(_)
                    | Outcome::MarkedNotListed(_)
                    | Outcome::Relisted(_)
                    | Outcome::SourceAdded(_)
            )
        })
    }
}

/// Why a file could not be edited. Nothing is written in that case.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EditError {
    /// The file is not YAML the catalog reader takes.
    #[error("{line}:{column}: malformed YAML: {message}")]
    Yaml {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// The reader's message.
        message: String,
    },
    /// The file is YAML, but laid out in a way this editor does not change (for example a
    /// flow-style `listed: [...]`, or a flow entry over several lines).
    #[error("{line}: {message} (edit the file by hand)")]
    Layout {
        /// Line, from 1.
        line: usize,
        /// What is unusual.
        message: String,
    },
    /// An ID to withdraw has no entry in the file.
    #[error("`{0}` has no entry in the file, so it cannot be marked not listed")]
    UnknownId(String),
    /// The change itself is wrong (an ID both added and withdrawn, a bad date, ...).
    #[error("{0}")]
    Change(String),
    /// `sources:` has the key already, for another document.
    #[error("{line}: source `{key}` exists and is not this list ({message})")]
    SourceConflict {
        /// The key.
        key: String,
        /// Line, from 1.
        line: usize,
        /// What differs.
        message: String,
    },
}

/// Applies `change` to the text of `spec/models/<provider>.yaml`: IDs of `change.add`
/// the file lacks become `listed:` entries (one line each, in flow style, after the last
/// listed entry, or in a new `listed:` section at the end of the file); IDs of
/// `change.withdraw` get `not_listed: {doc: <list key>, section: data}` (a new last line
/// of a block entry, or a new last member of a one-line flow entry). Every other line is
/// returned unchanged; new lines use the file's line ending, and a file without a final
/// line break still ends without one. Applying the same change again changes nothing.
pub fn edit_provider(text: &str, change: &ListChange) -> Result<Edited, EditError> {
    change.list.check()?;
    check_ids(change)?;
    let doc = parse(text)?;
    let mut file = Lines::new(text)?;
    let mut outcomes = Vec::new();
    let source = format!(
        "{{doc: {}, section: {LIST_SECTION}}}",
        flow_scalar(&change.list.key)
    );

    for id in &change.withdraw {
        let Some((list, i)) = find_entry(&doc, id) else {
            return Err(EditError::UnknownId(id.clone()));
        };
        let pointer = format!("/{list}/{i}");
        if doc
            .value
            .pointer(&format!("{pointer}/not_listed"))
            .is_some()
        {
            outcomes.push(Outcome::AlreadyNotListed(id.clone()));
            continue;
        }
        let start = doc.key_position(&pointer).line - 1;
        let line = file.content(start);
        let item = item_body(line).ok_or_else(|| EditError::Layout {
            line: start + 1,
            message: format!("the entry of `{id}` does not start with `- `"),
        })?;
        if line[item..].starts_with('{') {
            let close = matching_brace(line, item).ok_or_else(|| EditError::Layout {
                line: start + 1,
                message: format!("the flow entry of `{id}` does not end on its first line"),
            })?;
            file.insert_in_line(start, close, format!(", not_listed: {source}"));
        } else {
            let end = entry_end(&doc, &file, list, i);
            let column = doc.key_position(&format!("{pointer}/id")).column;
            let indent = " ".repeat(column.saturating_sub(1));
            file.insert_after(end - 1, format!("{indent}not_listed: {source}"));
        }
        outcomes.push(Outcome::MarkedNotListed(id.clone()));
    }

    for id in &change.relist {
        let Some((list, i)) = find_entry(&doc, id) else {
            return Err(EditError::UnknownId(id.clone()));
        };
        let pointer = format!("/{list}/{i}/not_listed");
        if doc.value.pointer(&pointer).is_none() {
            outcomes.push(Outcome::NotMarked(id.clone()));
            continue;
        }
        remove_mark(&doc, &mut file, &pointer, id)?;
        outcomes.push(Outcome::Relisted(id.clone()));
    }

    let mut present = all_ids(&doc);
    let mut new_entries = Vec::new();
    for m in &change.add {
        if !present.insert(m.id.clone()) {
            outcomes.push(Outcome::AlreadyPresent(m.id.clone()));
            continue;
        }
        let mut members = vec![format!("id: {}", flow_scalar(&m.id))];
        if let Some(name) = &m.name {
            members.push(format!("name: {}", flow_scalar(name)));
        }
        if let Some(owner) = &m.owned_by {
            members.push(format!("owned_by: {}", flow_scalar(owner)));
        }
        if let Some(kind) = m.kind {
            members.push(format!("kind: {}", kind.as_str()));
        }
        members.push(format!("source: {source}"));
        new_entries.push(format!("{{{}}}", members.join(", ")));
        outcomes.push(Outcome::Added(m.id.clone()));
    }
    if !new_entries.is_empty() {
        add_listed(&doc, &mut file, new_entries)?;
    }
    Ok(Edited {
        text: file.finish(),
        outcomes,
    })
}

/// Adds `list` to the `sources:` of the text of `spec/catalog.yaml`, after its last entry:
///
/// ```yaml
///   vertexkey-models-2026-09-01:
///     title: VertexKey model list (GET /v1/models), read 2026-09-01
///     kind: remote_list
///     url: https://vertex-key.com/v1/models
///     read: 2026-09-01
/// ```
///
/// A source already there with the same kind, URL and day is left as it is; one with
/// the same key and other facts is an error.
pub fn add_remote_list(text: &str, list: &RemoteList) -> Result<Edited, EditError> {
    list.check()?;
    let doc = parse(text)?;
    let mut file = Lines::new(text)?;
    let Some(Value::Object(sources)) = doc.value.get("sources") else {
        return Err(EditError::Layout {
            line: doc.key_position("/sources").line,
            message: "the file has no `sources:` mapping".into(),
        });
    };
    if let Some(existing) = sources.get(&list.key) {
        let pointer = format!("/sources/{}", escape(&list.key));
        let same = existing.get("kind").and_then(Value::as_str) == Some("remote_list")
            && existing.get("url").and_then(Value::as_str) == Some(list.url.as_str())
            && existing.get("read").and_then(Value::as_str) == Some(list.read.as_str());
        if !same {
            return Err(EditError::SourceConflict {
                key: list.key.clone(),
                line: doc.key_position(&pointer).line,
                message: "another kind, URL or day".into(),
            });
        }
        return Ok(Edited {
            text: text.to_string(),
            outcomes: vec![Outcome::SourceAlreadyPresent(list.key.clone())],
        });
    }
    let header = doc.key_position("/sources").line - 1;
    if !is_block_header(file.content(header)) {
        return Err(EditError::Layout {
            line: header + 1,
            message: "`sources:` is not a block mapping".into(),
        });
    }
    // The indentation of the entries and of their fields, from the first entry.
    let (indent, step) = match sources.keys().next() {
        Some(first) => {
            let entry = doc.key_position(&format!("/sources/{}", escape(first)));
            let field = doc
                .value
                .pointer(&format!("/sources/{}", escape(first)))
                .and_then(Value::as_object)
                .and_then(|o| o.keys().next())
                .map(|k| {
                    doc.key_position(&format!("/sources/{}/{}", escape(first), escape(k)))
                        .column
                })
                .filter(|c| *c > entry.column);
            (entry.column - 1, field.map_or(2, |c| c - entry.column))
        }
        None => (2, 2),
    };
    let end = block_end(&doc, &file, "sources", header + 1);
    let pad = " ".repeat(indent);
    let field_pad = " ".repeat(indent + step);
    let lines = vec![
        format!("{pad}{}:", block_scalar(&list.key)),
        format!("{field_pad}title: {}", block_scalar(&list.title)),
        format!("{field_pad}kind: remote_list"),
        format!("{field_pad}url: {}", block_scalar(&list.url)),
        format!("{field_pad}read: {}", block_scalar(&list.read)),
    ];
    for line in lines {
        file.insert_after(end - 1, line);
    }
    Ok(Edited {
        text: file.finish(),
        outcomes: vec![Outcome::SourceAdded(list.key.clone())],
    })
}

/// Whether `id` can be written as a model ID: non-empty, without whitespace or control
/// characters (as the loader wants it).
pub fn is_model_id(id: &str) -> bool {
    !id.is_empty() && !id.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Every ID must be one ([`is_model_id`]), and none both added, withdrawn or relisted.
fn check_ids(change: &ListChange) -> Result<(), EditError> {
    let added: BTreeSet<&str> = change.add.iter().map(|m| m.id.as_str()).collect();
    let all = (change.add.iter().map(|m| m.id.as_str()))
        .chain(change.withdraw.iter().map(String::as_str))
        .chain(change.relist.iter().map(String::as_str));
    if let Some(id) = all.into_iter().find(|id| !is_model_id(id)) {
        return Err(EditError::Change(format!(
            "model ID {id:?} must be non-empty and hold no spaces or control characters"
        )));
    }
    if let Some(id) = change
        .relist
        .iter()
        .find(|id| change.withdraw.contains(id) || added.contains(id.as_str()))
    {
        return Err(EditError::Change(format!(
            "`{id}` is relisted and also added or withdrawn"
        )));
    }
    if let Some(id) = change
        .withdraw
        .iter()
        .find(|id| added.contains(id.as_str()))
    {
        return Err(EditError::Change(format!(
            "`{id}` is both added and withdrawn"
        )));
    }
    Ok(())
}

fn parse(text: &str) -> Result<LocatedDocument, EditError> {
    let doc = yaml::parse_single(text).map_err(|e| EditError::Yaml {
        line: e.position.line,
        column: e.position.column,
        message: e.message.clone(),
    })?;
    if !doc.value.is_object() {
        return Err(EditError::Layout {
            line: 1,
            message: "the file is not a YAML mapping".into(),
        });
    }
    Ok(doc)
}

/// Removes the `not_listed` member at `pointer`: its whole line in a block entry (the
/// mark is one line, its value a flow mapping), or `, not_listed: {...}` in a one-line
/// flow entry.
fn remove_mark(
    doc: &LocatedDocument,
    file: &mut Lines,
    pointer: &str,
    id: &str,
) -> Result<(), EditError> {
    let at = doc.key_position(pointer);
    let line_no = at.line - 1;
    let line = file.content(line_no);
    // The key's byte offset from its (1-based, character) column.
    let key = line
        .char_indices()
        .nth(at.column.saturating_sub(1))
        .map(|(b, _)| b)
        .filter(|b| line[*b..].starts_with("not_listed"))
        .ok_or_else(|| EditError::Layout {
            line: at.line,
            message: format!("the `not_listed` mark of `{id}` is not where the reader put it"),
        })?;
    let value = key
        + "not_listed".len()
        + line[key + "not_listed".len()..]
            .find('{')
            .filter(|off| line[key + "not_listed".len()..][..*off].trim() == ":")
            .ok_or_else(|| EditError::Layout {
                line: at.line,
                message: format!(
                    "the `not_listed` mark of `{id}` is not a one-line `{{doc, section}}`"
                ),
            })?;
    let close = matching_brace(line, value).ok_or_else(|| EditError::Layout {
        line: at.line,
        message: format!("the `not_listed` mark of `{id}` does not end on its line"),
    })?;
    let before = line[..key].trim_end();
    if before.is_empty() && line[close + 1..].trim().is_empty() {
        // A block member alone on its line.
        file.remove_line(line_no);
        return Ok(());
    }
    // A flow member: take the comma before it with it.
    match before.strip_suffix(',') {
        Some(kept) => {
            file.cut(line_no, kept.len()..close + 1);
            Ok(())
        }
        None => Err(EditError::Layout {
            line: at.line,
            message: format!(
                "the `not_listed` mark of `{id}` is not the last member of its entry's line"
            ),
        }),
    }
}

/// The list (`models` or `listed`) and index of the entry with `id`.
fn find_entry(doc: &LocatedDocument, id: &str) -> Option<(&'static str, usize)> {
    ["models", "listed"].into_iter().find_map(|list| {
        let i = doc
            .value
            .get(list)?
            .as_array()?
            .iter()
            .position(|e| e.get("id").and_then(Value::as_str) == Some(id))?;
        Some((list, i))
    })
}

fn all_ids(doc: &LocatedDocument) -> BTreeSet<String> {
    ["models", "listed"]
        .into_iter()
        .filter_map(|list| doc.value.get(list)?.as_array())
        .flatten()
        .filter_map(|e| e.get("id")?.as_str().map(str::to_string))
        .collect()
}

/// The index (from 0) of the line after entry `i` of top-level list `list`, without the
/// blank and comment lines that end it (they belong to what follows).
fn entry_end(doc: &LocatedDocument, file: &Lines, list: &str, i: usize) -> usize {
    let start = doc.key_position(&format!("/{list}/{i}")).line - 1;
    let len = doc
        .value
        .get(list)
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let end = if i + 1 < len {
        doc.key_position(&format!("/{list}/{}", i + 1)).line - 1
    } else {
        next_top_level(doc, list).unwrap_or(file.len())
    };
    trim_back(file, start + 1, end)
}

/// The index of the line after the block of top-level key `key` (from `first`, its
/// first line), without its trailing blank and comment lines.
fn block_end(doc: &LocatedDocument, file: &Lines, key: &str, first: usize) -> usize {
    let end = next_top_level(doc, key).unwrap_or(file.len());
    trim_back(file, first, end)
}

fn trim_back(file: &Lines, least: usize, mut end: usize) -> usize {
    while end > least {
        let t = file.content(end - 1).trim();
        if t.is_empty() || t.starts_with('#') {
            end -= 1;
        } else {
            break;
        }
    }
    end
}

/// The line index (from 0) of the first top-level key after `key`'s.
fn next_top_level(doc: &LocatedDocument, key: &str) -> Option<usize> {
    let at = doc.key_position(&format!("/{}", escape(key))).line;
    doc.value
        .as_object()?
        .keys()
        .map(|k| doc.key_position(&format!("/{}", escape(k))).line)
        .filter(|line| *line > at)
        .min()
        .map(|line| line - 1)
}

/// Adds flow entries to `listed:` (a new section at the end when there is none).
fn add_listed(
    doc: &LocatedDocument,
    file: &mut Lines,
    entries: Vec<String>,
) -> Result<(), EditError> {
    match doc.value.get("listed") {
        None => {
            if file.len() > 0 && !file.content(file.len() - 1).trim().is_empty() {
                file.append(String::new());
            }
            file.append("listed:".into());
            for e in entries {
                file.append(format!("  - {e}"));
            }
        }
        Some(value) => {
            let header = doc.key_position("/listed").line - 1;
            if !is_block_header(file.content(header)) {
                return Err(EditError::Layout {
                    line: header + 1,
                    message: "`listed:` is not a block sequence".into(),
                });
            }
            let (indent, at) = match value.as_array().filter(|a| !a.is_empty()) {
                Some(items) => {
                    let first = doc.key_position("/listed/0").line - 1;
                    let line = file.content(first);
                    let dash = line.len() - line.trim_start().len();
                    (
                        line[..dash].to_string(),
                        entry_end(doc, file, "listed", items.len() - 1),
                    )
                }
                None => ("  ".to_string(), header + 1),
            };
            for e in entries {
                file.insert_after(at - 1, format!("{indent}- {e}"));
            }
        }
    }
    Ok(())
}

/// Whether a line is `key:` alone (maybe with a comment): a block collection follows.
fn is_block_header(line: &str) -> bool {
    let code = match line.find(" #") {
        Some(i) => &line[..i],
        None => line,
    };
    code.trim_end().ends_with(':')
}

/// The byte offset of an item's body in a block sequence line (`  - {...}` -> offset of
/// `{`).
fn item_body(line: &str) -> Option<usize> {
    let dash = line.len() - line.trim_start().len();
    let rest = line[dash..].strip_prefix('-')?;
    let body = rest.trim_start_matches([' ', '\t']);
    (body.len() < rest.len()).then(|| line.len() - body.len())
}

/// The byte offset of the `}` closing the `{` at `open`, if on the same line.
fn matching_brace(line: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut chars = line[open..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => {
                // '' inside single quotes is an escaped quote.
                if q == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '{' | '[' => depth += 1,
                '}' | ']' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return (c == '}').then_some(open + i);
                    }
                }
                '#' => return None,
                _ => {}
            },
        }
    }
    None
}

/// `s` as a YAML scalar inside a flow mapping: plain when it reads back as this string,
/// else double-quoted.
pub fn flow_scalar(s: &str) -> String {
    scalar(s, true)
}

/// `s` as a YAML scalar value in a block mapping: plain when it reads back as this
/// string, else double-quoted.
pub fn block_scalar(s: &str) -> String {
    scalar(s, false)
}

fn scalar(s: &str, flow: bool) -> String {
    let plain_chars = !s.is_empty()
        && s.trim() == s
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(char::is_control)
        && !(flow && s.contains([',', '[', ']', '{', '}']));
    if plain_chars && reads_back(s, flow) {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether plain `s` reads back as the string `s` (not a number, bool or null).
fn reads_back(s: &str, flow: bool) -> bool {
    let text = if flow {
        format!("{{k: {s}}}\n")
    } else {
        format!("k: {s}\n")
    };
    yaml::parse_single(&text)
        .ok()
        .and_then(|d| d.value.get("k").cloned())
        == Some(Value::String(s.to_string()))
}

/// A text as lines with their own line endings, and the edits to make.
struct Lines<'a> {
    lines: Vec<&'a str>,
    /// The line ending of new lines: the file's first one.
    eol: &'static str,
    /// Text to insert after each line (index `lines.len()` is unused).
    after: Vec<Vec<String>>,
    /// Text to insert within a line, at a byte offset.
    within: Vec<Vec<(usize, String)>>,
    /// Lines appended at the end.
    appended: Vec<String>,
    /// Lines left out.
    removed: Vec<bool>,
    /// Byte ranges cut out of a line (applied after the insertions within it, which
    /// never fall inside a cut).
    cuts: Vec<Vec<std::ops::Range<usize>>>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Result<Self, EditError> {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        if let Some(n) = lines
            .iter()
            .position(|l| l.trim_end_matches(['\n', '\r']).contains('\r'))
        {
            return Err(EditError::Layout {
                line: n + 1,
                message: "a line break is a lone CR".into(),
            });
        }
        let eol = match lines.first() {
            Some(l) if l.ends_with("\r\n") => "\r\n",
            _ => "\n",
        };
        Ok(Lines {
            after: vec![Vec::new(); lines.len()],
            within: vec![Vec::new(); lines.len()],
            removed: vec![false; lines.len()],
            cuts: vec![Vec::new(); lines.len()],
            lines,
            eol,
            appended: Vec::new(),
        })
    }

    fn len(&self) -> usize {
        self.lines.len()
    }

    /// Line `i` without its line ending.
    fn content(&self, i: usize) -> &'a str {
        self.lines
            .get(i)
            .map_or("", |l| l.trim_end_matches(['\n', '\r']))
    }

    fn insert_after(&mut self, i: usize, line: String) {
        match self.after.get_mut(i) {
            Some(slot) => slot.push(line),
            None => self.appended.push(line),
        }
    }

    fn insert_in_line(&mut self, i: usize, at: usize, text: String) {
        self.within[i].push((at, text));
    }

    fn remove_line(&mut self, i: usize) {
        self.removed[i] = true;
    }

    fn cut(&mut self, i: usize, range: std::ops::Range<usize>) {
        self.cuts[i].push(range);
    }

    fn append(&mut self, line: String) {
        match self.after.last_mut() {
            Some(slot) => slot.push(line),
            None => self.appended.push(line),
        }
    }

    fn finish(self) -> String {
        // (content, line ending) of every output line.
        let mut out: Vec<(String, &str)> = Vec::new();
        for (i, line) in self.lines.iter().enumerate() {
            let content = self.content(i);
            let ending = &line[content.len()..];
            let mut text = content.to_string();
            // Insertions and cuts from the end of the line backwards, so that the
            // offsets before each stay valid.
            let mut edits: Vec<(usize, Option<&String>, usize)> = self.within[i]
                .iter()
                .map(|(at, insert)| (*at, Some(insert), *at))
                .chain(self.cuts[i].iter().map(|r| (r.start, None, r.end)))
                .collect();
            edits.sort_by_key(|(at, _, end)| std::cmp::Reverse((*at, *end)));
            for (at, insert, end) in edits {
                match insert {
                    Some(insert) => text.insert_str(at, insert),
                    None => text.replace_range(at..end, ""),
                }
            }
            if !self.removed[i] {
                out.push((text, ending));
            }
            for new in &self.after[i] {
                out.push((new.clone(), self.eol));
            }
        }
        for new in &self.appended {
            out.push((new.clone(), self.eol));
        }
        // A text without a final line break keeps that: the old last line (the only one
        // without an ending) gets one if lines follow it now, and the new last line has
        // none.
        if self.lines.last().is_some_and(|l| !l.ends_with('\n')) {
            for line in out.iter_mut().filter(|(_, e)| e.is_empty()) {
                line.1 = self.eol;
            }
            if let Some(l) = out.last_mut() {
                l.1 = "";
            }
        }
        out.into_iter().map(|(c, e)| c + e).collect()
    }
}
