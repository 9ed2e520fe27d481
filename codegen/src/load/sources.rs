//! The index and what refers to it: `catalog.yaml`'s format version, source documents and
//! notes, and every reference to a source document, a note or a model list
//! (`not_listed`) from the provider files.

use std::collections::BTreeSet;

use super::Loader;
use crate::error::Location;
use crate::spec_file::{SourceDocument, SourceKind, SourceRef, is_date};
use modelgate_io::pointer::escape;

/// Whether `url` is an `https://` address with a host and no whitespace.
fn is_web_address(url: &str) -> bool {
    url.strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !url.chars().any(char::is_whitespace)
}

impl Loader<'_> {
    pub(super) fn check_index(&mut self) {
        if self.index.format_version != 1 {
            let at = Location {
                file: self.index_file.to_path_buf(),
                position: self.index_doc.position("/format_version"),
            };
            self.problems.push(
                at,
                None,
                Some("format_version"),
                format!(
                    "format_version {} is not supported; this modelgate-codegen reads version 1",
                    self.index.format_version
                ),
            );
        }
        for (key, doc) in &self.index.sources {
            self.check_source_document(key, doc);
        }
        let mut seen = BTreeSet::new();
        for (i, note) in self.index.notes.iter().enumerate() {
            let pointer = format!("/notes/{i}");
            if !seen.insert(note.id.clone()) {
                let at = self.index_location(&format!("{pointer}/id"));
                self.problems.push(
                    at,
                    None,
                    Some("notes.id"),
                    format!("duplicate note id `{}`", note.id),
                );
            }
            for (j, s) in note.sources.iter().enumerate() {
                let at = self.index_location(&format!("{pointer}/sources/{j}"));
                self.check_source_at(s, at, None);
            }
        }
    }

    /// A `remote_list` has the URL it was read from and the day; other documents have
    /// neither.
    fn check_source_document(&mut self, key: &str, doc: &SourceDocument) {
        let pointer = format!("/sources/{}", escape(key));
        let field = |name: &str| format!("sources.{key}.{name}");
        if doc.kind == SourceKind::RemoteList {
            match &doc.url {
                None => {
                    let at = self.index_location(&pointer);
                    self.problems.push(
                        at,
                        None,
                        Some(&field("url")),
                        "a `remote_list` source needs the `url` it was read from",
                    );
                }
                Some(url) if !(url.starts_with("https://") || url.starts_with("http://")) => {
                    let at = self.index_location(&format!("{pointer}/url"));
                    self.problems.push(
                        at,
                        None,
                        Some(&field("url")),
                        format!("`{url}` is not an http(s) URL"),
                    );
                }
                Some(_) => {}
            }
            match &doc.read {
                None => {
                    let at = self.index_location(&pointer);
                    self.problems.push(
                        at,
                        None,
                        Some(&field("read")),
                        "a `remote_list` source needs the day it was `read` (YYYY-MM-DD)",
                    );
                }
                Some(day) if !is_date(day) => {
                    let at = self.index_location(&format!("{pointer}/read"));
                    self.problems.push(
                        at,
                        None,
                        Some(&field("read")),
                        format!("`{day}` is not a date; write YYYY-MM-DD"),
                    );
                }
                Some(_) => {}
            }
        } else {
            let problem = match (&doc.file, &doc.url) {
                (None, None) => Some((
                    pointer.clone(),
                    "url",
                    "give the document's `file`, its `url`, or both".to_string(),
                )),
                (_, Some(url)) if !is_web_address(url) => Some((
                    format!("{pointer}/url"),
                    "url",
                    format!("`url` {url:?} is not a web address (https://host/...)"),
                )),
                _ => None,
            };
            if let Some((at, name, problem)) = problem {
                let at = self.index_location(&at);
                self.problems.push(
                    at,
                    None,
                    Some(&field(name)),
                    format!("source `{key}`: {problem}"),
                );
            }
            if doc.read.is_some() {
                let at = self.index_location(&format!("{pointer}/read"));
                self.problems.push(
                    at,
                    None,
                    Some(&field("read")),
                    "only a `kind: remote_list` source has `read`",
                );
            }
        }
    }

    fn index_location(&self, pointer: &str) -> Location {
        Location {
            file: self.index_file.to_path_buf(),
            position: self.index_doc.key_position(pointer),
        }
    }

    pub(super) fn check_source_at(&mut self, s: &SourceRef, at: Location, model: Option<&str>) {
        if !self.index.sources.contains_key(&s.doc) {
            let known: Vec<&str> = self.index.sources.keys().map(String::as_str).collect();
            self.problems.push(
                at,
                model,
                Some("source.doc"),
                format!(
                    "unknown source document `{}` (catalog.yaml lists: {})",
                    s.doc,
                    known.join(", ")
                ),
            );
        }
    }

    pub(super) fn check_note_ref(&mut self, id: &str, at: Location, model: Option<&str>) {
        if !self.index.notes.iter().any(|n| n.id == id) {
            self.problems.push(
                at,
                model,
                Some("notes"),
                format!("unknown note `{id}` (catalog.yaml's notes define it)"),
            );
        }
    }

    /// A `not_listed` mark must name a known `remote_list` source (whose `read` is the
    /// date the ID was missing).
    pub(super) fn check_not_listed(&mut self, s: &SourceRef, at: Location, model: &str) {
        match self.index.sources.get(&s.doc) {
            None => self.check_source_at(s, at, Some(model)),
            Some(doc) if doc.kind != SourceKind::RemoteList => {
                self.problems.push(
                    at,
                    Some(model),
                    Some("not_listed"),
                    format!(
                        "`not_listed` names `{}`, which is not a model list (its source needs `kind: remote_list`, a `url` and the date it was `read`)",
                        s.doc
                    ),
                );
            }
            Some(_) => {}
        }
    }
}
