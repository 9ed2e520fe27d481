//! Which files `modelgate validate` reads, and how: the paths given (directories walked
//! in sorted order, each file once), each read as one JSON payload, JSON Lines (one
//! payload a line, streamed, so memory does not grow with the file) or YAML (one payload
//! per document).
//!
//! Directories are walked as ripgrep walks them, with the `ignore` crate: `.gitignore`
//! (in a git repository), `.ignore` and git's exclude files are honoured and hidden
//! entries skipped (`--no-ignore`, `--hidden`), symbolic links are not followed unless
//! asked (`-L`), and the config's `include` and `exclude` globs choose the payload files
//! ([`WalkOptions`]). A file named on the command line is always read.
//!
//! Every read is bounded: a JSON file or a JSON Lines line holds at most
//! [`MAX_PAYLOAD_BYTES`], a YAML file at most [`MAX_YAML_BYTES`]; a leading byte order
//! mark is skipped. A walk that follows links visits each file once and notes a link that
//! loops; FIFOs, sockets and devices met in a walk are skipped with a note (they may
//! never end), and a device named on the command line is refused.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use modelgate_io::read::{read_capped, size};
use modelgate_io::yaml;

use crate::config::{FilePatterns, Skip};
use crate::source::{LineStarts, Source};

/// The most bytes of one JSON payload: a `.json` file, or one line of JSON Lines (the
/// same cap as `chat --body`).
pub const MAX_PAYLOAD_BYTES: u64 = 64 << 20;

/// The most bytes of a YAML file (YAML is converted to JSON in memory with a position for
/// every node, which costs far more than the text).
pub const MAX_YAML_BYTES: u64 = 8 << 20;

/// How a file's payloads are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// The whole file is one JSON payload.
    Json,
    /// One JSON payload per line; blank lines are skipped.
    JsonLines,
    /// One payload per YAML document.
    Yaml,
    /// Decided from the text (standard input by default): a first non-blank line that
    /// starts with `{` or `[` and is a whole JSON value makes JSON Lines; one that starts
    /// with `{` or `[` but is not whole makes one JSON document (pretty-printed); anything
    /// else is YAML. See [`sniff`].
    Sniff,
}

impl Layout {
    /// The layout `--stdin-format` names (`auto` is [`Layout::Sniff`]).
    pub fn from_stdin_format(name: &str) -> Result<Layout, String> {
        match name {
            "auto" => Ok(Layout::Sniff),
            "json" => Ok(Layout::Json),
            "jsonl" | "ndjson" => Ok(Layout::JsonLines),
            "yaml" | "yml" => Ok(Layout::Yaml),
            other => Err(format!(
                "unknown standard input format `{other}`; one of: auto, json, jsonl, yaml"
            )),
        }
    }
}

/// A file (or standard input, `-`) to read payloads from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// The path as shown in reports.
    pub path: PathBuf,
    /// How to read it.
    pub layout: Layout,
}

impl Input {
    /// The path as shown in reports (`-` for standard input).
    pub fn display(&self) -> String {
        self.path.display().to_string()
    }

    /// Whether this is standard input (`-`).
    pub fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }
}

/// A path that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct InputError {
    /// The path.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: io::Error,
}

impl InputError {
    fn new(path: &Path, source: io::Error) -> Self {
        InputError {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// What [`discover`] found: the inputs in order, the paths that cannot be used, and notes
/// about what was skipped.
#[derive(Debug, Default)]
pub struct Discovery {
    /// The files to read, each once.
    pub inputs: Vec<Input>,
    /// Paths that do not exist or cannot be read.
    pub errors: Vec<InputError>,
    /// What was skipped and why (a link loop, a FIFO, a file named twice).
    pub notes: Vec<String>,
}

/// The layout a file name implies when it is met in a directory walk.
fn layout_of(path: &Path) -> Option<Layout> {
    match path.extension()?.to_str()? {
        "json" => Some(Layout::Json),
        "jsonl" | "ndjson" => Some(Layout::JsonLines),
        "yaml" | "yml" => Some(Layout::Yaml),
        _ => None,
    }
}

/// What a file that is not a regular file is, for notes and errors.
#[cfg(unix)]
fn special_kind(file_type: std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        Some("a FIFO")
    } else if file_type.is_socket() {
        Some("a socket")
    } else if file_type.is_char_device() || file_type.is_block_device() {
        Some("a device")
    } else {
        None
    }
}

#[cfg(not(unix))]
fn special_kind(file_type: std::fs::FileType) -> Option<&'static str> {
    (!file_type.is_file() && !file_type.is_dir()).then_some("not a regular file")
}

/// How directories are walked (a file named on the command line is read whatever these
/// say).
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Read what `.gitignore`, `.ignore` and git's exclude files would skip.
    pub no_ignore: bool,
    /// Walk hidden files and directories (names starting with `.`).
    pub hidden: bool,
    /// Follow symbolic links (each file is still read once; a loop is a note).
    pub follow: bool,
    /// The config's `include` and `exclude` globs.
    pub files: FilePatterns,
}

/// Expands the given paths into inputs. Directories are walked recursively in sorted
/// order as [`WalkOptions`] say, taking `.json`, `.jsonl`, `.ndjson`, `.yaml` and `.yml`
/// files; a file named explicitly is always taken (read as JSON when its extension says
/// nothing); `-` is standard input, its layout sniffed ([`Layout::Sniff`]). Paths that do
/// not exist are errors. A file reached twice (named twice, or through a link) is read
/// once.
pub fn discover(paths: &[PathBuf], options: &WalkOptions) -> Discovery {
    let mut found = Discovery::default();
    let mut seen = HashSet::new();
    for path in paths {
        if path.as_os_str() == "-" {
            found.inputs.push(Input {
                path: path.clone(),
                layout: Layout::Sniff,
            });
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, options, &mut seen, &mut found),
            Ok(meta) if special_kind(meta.file_type()) == Some("a device") => found.errors.push(
                InputError::new(path, io::Error::other("is a device, not a payload file")),
            ),
            // A FIFO named on the command line is read: it is how `<(...)` arrives.
            Ok(_) => found.add(
                path.clone(),
                layout_of(path).unwrap_or(Layout::Json),
                &mut seen,
            ),
            Err(source) => found.errors.push(InputError::new(path, source)),
        }
    }
    found
}

impl Discovery {
    /// Adds a file unless it was added already (by its canonical path).
    fn add(&mut self, path: PathBuf, layout: Layout, seen: &mut HashSet<PathBuf>) {
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.insert(canonical) {
            self.inputs.push(Input { path, layout });
        } else {
            self.notes.push(format!(
                "{}: the same file was reached before; checked once",
                path.display()
            ));
        }
    }
}

/// Files of one walk left out for one reason: how many, and the first.
#[derive(Default)]
struct Skipped {
    count: usize,
    first: Option<PathBuf>,
}

impl Skipped {
    fn add(&mut self, path: &Path) {
        self.count += 1;
        self.first.get_or_insert_with(|| path.to_path_buf());
    }
}

fn walk(dir: &Path, options: &WalkOptions, seen: &mut HashSet<PathBuf>, found: &mut Discovery) {
    let ignore = !options.no_ignore;
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .hidden(!options.hidden)
        .ignore(ignore)
        .git_ignore(ignore)
        .git_global(ignore)
        .git_exclude(ignore)
        .parents(ignore)
        .follow_links(options.follow)
        .sort_by_file_name(|a, b| a.cmp(b));
    // Directories an `exclude` glob matches are not walked; each is noted, with its glob.
    let pruned = Arc::new(Mutex::new(Vec::new()));
    if !options.files.is_empty() {
        let (files, pruned) = (options.files.clone(), pruned.clone());
        builder.filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            match (entry.depth() > 0 && is_dir)
                .then(|| files.skip_dir(entry.path()))
                .flatten()
            {
                Some(Skip::Excluded(pattern)) => {
                    let mut pruned = pruned.lock().unwrap_or_else(|e| e.into_inner());
                    pruned.push((entry.path().to_path_buf(), pattern));
                    false
                }
                _ => true,
            }
        });
    }
    let mut excluded: BTreeMap<String, Skipped> = BTreeMap::new();
    let mut not_included = Skipped::default();
    for entry in builder.build() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                walk_error(dir, e, found);
                continue;
            }
        };
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            continue;
        }
        let path = entry.path();
        if file_type.is_symlink() {
            // Not followed (without -L): say so when it leads to a directory or names a
            // payload file.
            if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) || layout_of(path).is_some() {
                found.notes.push(format!(
                    "{}: a symbolic link, not followed (-L/--follow follows links)",
                    path.display()
                ));
            }
            continue;
        }
        let Some(layout) = layout_of(path) else {
            continue;
        };
        match options.files.skip_file(path) {
            Some(Skip::Excluded(pattern)) => {
                excluded.entry(pattern).or_default().add(path);
                continue;
            }
            Some(Skip::NotIncluded) => {
                not_included.add(path);
                continue;
            }
            None => {}
        }
        if let Some(kind) = special_kind(file_type) {
            found.notes.push(format!(
                "{}: skipped, it is {kind}, not a regular file",
                path.display()
            ));
            continue;
        }
        found.add(entry.into_path(), layout, seen);
    }
    for (path, pattern) in pruned.lock().unwrap_or_else(|e| e.into_inner()).drain(..) {
        found.notes.push(format!(
            "{}: a directory the config's exclude pattern `{pattern}` matches; not walked",
            path.display()
        ));
    }
    for (pattern, skipped) in excluded {
        found.notes.push(skipped_note(
            &skipped,
            &format!("the config's exclude pattern `{pattern}` matches"),
        ));
    }
    if not_included.count > 0 {
        found.notes.push(skipped_note(
            &not_included,
            "the config's include patterns match none of",
        ));
    }
}

/// `3 files under DIR skipped: WHY them (first: PATH)`.
fn skipped_note(skipped: &Skipped, why: &str) -> String {
    let first = skipped
        .first
        .as_deref()
        .map_or(String::new(), |p| format!(" (first: {})", p.display()));
    let files = if skipped.count == 1 { "file" } else { "files" };
    format!(
        "{} payload {files} skipped: {why} them{first}",
        skipped.count
    )
}

/// A walk error: a link loop is a note (each file is still read once), anything else an
/// error naming the path.
fn walk_error(dir: &Path, error: ignore::Error, found: &mut Discovery) {
    let mut error = error;
    let mut path = dir.to_path_buf();
    // Unwrap the context ignore adds (the path, the depth) down to the cause.
    loop {
        match error {
            ignore::Error::WithPath { path: p, err } => {
                path = p;
                error = *err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                error = *err;
            }
            ignore::Error::Loop { ancestor, child } => {
                found.notes.push(format!(
                    "{}: a symbolic link loops back to {}; not walked again",
                    child.display(),
                    ancestor.display()
                ));
                return;
            }
            ignore::Error::Io(source) => {
                found.errors.push(InputError::new(&path, source));
                return;
            }
            other => {
                found
                    .errors
                    .push(InputError::new(&path, io::Error::other(other.to_string())));
                return;
            }
        }
    }
}

/// `text` without a leading UTF-8 byte order mark.
fn without_bom(text: &[u8]) -> &[u8] {
    text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(text)
}

/// One payload read from an input, with what is needed to point into its text.
pub enum Payload<'a> {
    /// JSON text; `first_line` is its line number in the file.
    Json {
        /// The payload's bytes.
        text: &'a [u8],
        /// Line of the file where the text starts.
        first_line: usize,
        /// For JSON Lines: the line number reported in `--format json`.
        jsonl_line: Option<usize>,
    },
    /// A YAML document, read into located nodes (not converted to JSON).
    Yaml {
        /// The document as the YAML reader gives it: its nodes with their bytes in
        /// `text`, which the validator checks as they are.
        doc: &'a yaml::Document,
        /// The file's text, for showing lines.
        text: &'a str,
        /// Its line starts (one index for all the documents of the file).
        lines: &'a LineStarts,
    },
    /// A YAML file that does not parse.
    BadYaml {
        /// The parser's message.
        message: &'a str,
        /// Where.
        line: usize,
        /// Where.
        column: usize,
        /// The file's text.
        text: &'a str,
        /// Its line starts.
        lines: &'a LineStarts,
    },
}

impl Payload<'_> {
    /// The text its findings' spans index, with its line starts.
    pub fn source(&self) -> Source<'_> {
        match self {
            Payload::Json {
                text, first_line, ..
            } => {
                let text = String::from_utf8_lossy(text);
                let lines = LineStarts::json(&text);
                Source {
                    text,
                    lines: Cow::Owned(lines),
                    first_line: *first_line,
                }
            }
            Payload::Yaml { text, lines, .. } | Payload::BadYaml { text, lines, .. } => Source {
                text: Cow::Borrowed(text),
                lines: Cow::Borrowed(lines),
                first_line: 1,
            },
        }
    }
}

/// How much [`read_payloads`] reads at most.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadLimits {
    /// A JSON file, or one line of JSON Lines.
    pub payload_bytes: u64,
    /// A YAML file.
    pub yaml_bytes: u64,
}

impl ReadLimits {
    /// [`MAX_PAYLOAD_BYTES`] and [`MAX_YAML_BYTES`].
    pub const DEFAULT: ReadLimits = ReadLimits {
        payload_bytes: MAX_PAYLOAD_BYTES,
        yaml_bytes: MAX_YAML_BYTES,
    };
}

/// Reads every payload of `input`, calling `each` for each one in order. For JSON Lines
/// the file is read line by line through one reused buffer.
pub fn for_each_payload(
    input: &Input,
    each: impl FnMut(Payload<'_>) -> io::Result<()>,
) -> Result<(), InputError> {
    let fail = |source| InputError {
        path: input.path.clone(),
        source,
    };
    let reader: Box<dyn Read> = if input.is_stdin() {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(&input.path).map_err(fail)?)
    };
    read_payloads(reader, input.layout, ReadLimits::DEFAULT, each).map_err(fail)
}

/// Reads every payload from `reader` laid out as `layout`, within `limits`, calling
/// `each` for each one in order; an input over a limit is an error that names it (and,
/// for JSON Lines, the line).
///
/// ```
/// use modelgate_cli::inputs::{read_payloads, Layout, Payload, ReadLimits};
/// let limits = ReadLimits { payload_bytes: 16, yaml_bytes: 16 };
/// let mut lines = Vec::new();
/// let err = read_payloads(&b"{\"a\": 1}\n{\"b\": \"far too long\"}\n"[..], Layout::JsonLines, limits, |p| {
///     if let Payload::Json { jsonl_line, .. } = p { lines.push(jsonl_line) }
///     Ok(())
/// })
/// .unwrap_err();
/// assert_eq!(lines, [Some(1)]);
/// assert_eq!(err.to_string(), "line 2 is longer than 16 bytes, the most modelgate reads as one payload");
/// ```
pub fn read_payloads(
    reader: impl Read,
    layout: Layout,
    limits: ReadLimits,
    each: impl FnMut(Payload<'_>) -> io::Result<()>,
) -> io::Result<()> {
    if layout == Layout::Sniff {
        let (layout, reader) = sniff(reader, limits.payload_bytes)?;
        return read_laid_out(reader, layout, limits, each);
    }
    read_laid_out(reader, layout, limits, each)
}

/// [`read_payloads`] once the layout is known.
fn read_laid_out(
    reader: impl Read,
    layout: Layout,
    limits: ReadLimits,
    mut each: impl FnMut(Payload<'_>) -> io::Result<()>,
) -> io::Result<()> {
    match layout {
        Layout::Json => {
            let text = read_capped(reader, limits.payload_bytes, "the file")?;
            each(Payload::Json {
                text: without_bom(&text),
                first_line: 1,
                jsonl_line: None,
            })
        }
        // `sniff` never answers Sniff; were it to, the lines would be read one by one.
        Layout::JsonLines | Layout::Sniff => {
            let mut reader = BufReader::with_capacity(1 << 16, reader);
            let mut line = Vec::new();
            let mut number = 0;
            loop {
                line.clear();
                // A line of the limit may still end with `\r\n`.
                let read = (&mut reader)
                    .take(limits.payload_bytes + 2)
                    .read_until(b'\n', &mut line)?;
                if read == 0 {
                    return Ok(());
                }
                number += 1;
                let ended = line.last() == Some(&b'\n');
                let cut = read as u64 == limits.payload_bytes + 2 && !ended;
                if ended {
                    line.pop();
                }
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                if cut || line.len() as u64 > limits.payload_bytes {
                    return Err(io::Error::other(format!(
                        "line {number} is longer than {}, the most modelgate reads as one payload",
                        size(limits.payload_bytes)
                    )));
                }
                let text = without_bom(&line);
                if text.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                each(Payload::Json {
                    text,
                    first_line: number,
                    jsonl_line: Some(number),
                })?;
            }
        }
        Layout::Yaml => {
            let bytes = read_capped(reader, limits.yaml_bytes, "the YAML file")?;
            let (text, parsed) = match String::from_utf8(bytes) {
                Ok(text) => {
                    let parsed = yaml::parse_payload_nodes(&text);
                    (text, parsed)
                }
                Err(e) => {
                    let valid = e.utf8_error().valid_up_to();
                    let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                    let line = text[..valid.min(text.len())].matches('\n').count() + 1;
                    let error = yaml::YamlError {
                        position: yaml::Position { line, column: 1 },
                        message: format!(
                            "the file is not UTF-8 (first bad byte at offset {valid})"
                        ),
                    };
                    (text, Err(error))
                }
            };
            let lines = LineStarts::yaml(&text);
            match parsed {
                Ok(docs) => {
                    for doc in &docs {
                        each(Payload::Yaml {
                            doc,
                            text: &text,
                            lines: &lines,
                        })?;
                    }
                    Ok(())
                }
                Err(e) => each(Payload::BadYaml {
                    message: &e.message,
                    line: e.position.line,
                    column: e.position.column,
                    text: &text,
                    lines: &lines,
                }),
            }
        }
    }
}

/// Decides how a text laid out as [`Layout::Sniff`] is read, from its first non-blank
/// line (read whole, within the payload limit), and gives back a reader of the whole
/// text: the lines read, then the rest, still streamed.
///
/// ```
/// use modelgate_cli::inputs::{sniff, Layout, MAX_PAYLOAD_BYTES};
/// let layout = |text: &str| sniff(text.as_bytes(), MAX_PAYLOAD_BYTES).unwrap().0;
/// assert_eq!(layout("{\"a\": 1}\n{\"a\": 2}\n"), Layout::JsonLines);
/// assert_eq!(layout("\n{\n  \"a\": 1\n}\n"), Layout::Json);
/// assert_eq!(layout("model: m\nmessages: []\n"), Layout::Yaml);
/// assert_eq!(layout("---\nmodel: m\n"), Layout::Yaml);
/// ```
pub fn sniff<R: Read>(reader: R, line_cap: u64) -> io::Result<(Layout, impl Read)> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut head = Vec::new();
    let (content, cut) = loop {
        let start = head.len();
        let read = (&mut reader)
            .take(line_cap + 2)
            .read_until(b'\n', &mut head)?;
        let cut = read as u64 == line_cap + 2 && head.last() != Some(&b'\n');
        let line = without_bom(head[start..].trim_ascii());
        // Blank lines without end are read as JSON Lines, which skips them as it streams.
        if read == 0 || !line.is_empty() || head.len() as u64 > line_cap {
            break (line.to_vec(), cut);
        }
    };
    // A first line over the limit is refused as JSON Lines refuses it, with its number.
    if cut {
        return Ok((Layout::JsonLines, io::Cursor::new(head).chain(reader)));
    }
    let layout = match content.first() {
        Some(b'{' | b'[') => {
            if serde_json::from_slice::<serde::de::IgnoredAny>(&content).is_ok() {
                Layout::JsonLines
            } else {
                Layout::Json
            }
        }
        Some(_) => Layout::Yaml,
        None => Layout::JsonLines,
    };
    Ok((layout, io::Cursor::new(head).chain(reader)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_walked_sorted_and_filtered() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.json", "a.jsonl", "c.txt", ".hidden.json", "sub/d.yaml"] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "{}").unwrap();
        }
        let Discovery { inputs, errors, .. } =
            discover(&[dir.path().to_path_buf()], &WalkOptions::default());
        assert!(errors.is_empty());
        let names: Vec<_> = inputs
            .iter()
            .map(|i| i.path.strip_prefix(dir.path()).unwrap().to_owned())
            .collect();
        assert_eq!(
            names,
            [
                PathBuf::from("a.jsonl"),
                "b.json".into(),
                "sub/d.yaml".into()
            ]
        );
        assert_eq!(inputs[0].layout, Layout::JsonLines);
    }

    #[test]
    fn missing_paths_are_errors_and_named_files_default_to_json() {
        let dir = tempfile::tempdir().unwrap();
        let named = dir.path().join("payload.txt");
        std::fs::write(&named, "{}").unwrap();
        let Discovery { inputs, errors, .. } = discover(
            &[named.clone(), dir.path().join("nope.json")],
            &WalkOptions::default(),
        );
        assert_eq!(
            inputs,
            [Input {
                path: named,
                layout: Layout::Json
            }]
        );
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().contains("nope.json"));
    }

    #[test]
    fn a_json_lines_line_of_the_limit_may_end_with_crlf() {
        let limits = ReadLimits {
            payload_bytes: 8,
            yaml_bytes: 8,
        };
        let mut seen = Vec::new();
        let text = b"{\"a\":12}\r\n{\"b\":2}\n{\"a\":123}\r\n";
        let err = read_payloads(&text[..], Layout::JsonLines, limits, |p| {
            if let Payload::Json { text, .. } = p {
                seen.push(String::from_utf8_lossy(text).into_owned());
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!(seen, ["{\"a\":12}", "{\"b\":2}"]);
        assert_eq!(
            err.to_string(),
            "line 3 is longer than 8 bytes, the most modelgate reads as one payload"
        );
    }

    #[test]
    fn json_lines_skip_blank_lines_and_keep_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jsonl");
        std::fs::write(&path, "{\"a\":1}\n\n  \n{\"b\":2}").unwrap();
        let mut seen = Vec::new();
        for_each_payload(
            &Input {
                path,
                layout: Layout::JsonLines,
            },
            |p| {
                if let Payload::Json {
                    text, jsonl_line, ..
                } = p
                {
                    seen.push((jsonl_line, String::from_utf8_lossy(text).trim().to_string()));
                }
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(
            seen,
            [(Some(1), "{\"a\":1}".into()), (Some(4), "{\"b\":2}".into())]
        );
    }

    /// The files `discover` takes under `dir`, relative to it, and its notes.
    fn walked(dir: &Path, options: &WalkOptions) -> (Vec<String>, Vec<String>) {
        let found = discover(&[dir.to_path_buf()], options);
        assert!(found.errors.is_empty(), "{:?}", found.errors);
        let names = found
            .inputs
            .iter()
            .map(|i| i.path.strip_prefix(dir).unwrap().display().to_string())
            .collect();
        (names, found.notes)
    }

    fn files(dir: &Path, names: &[&str]) {
        for name in names {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "{}").unwrap();
        }
    }

    #[test]
    fn ignore_files_and_hidden_entries_are_honoured_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        files(
            dir.path(),
            &[
                "a.json",
                "target/t.json",
                "build/b.json",
                ".hidden/h.json",
                "x.json",
            ],
        );
        // .gitignore counts in a git repository (as in ripgrep); .ignore everywhere.
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".gitignore"), "target/\n").unwrap();
        std::fs::write(dir.path().join(".ignore"), "build/\nx.json\n").unwrap();
        let (names, _) = walked(dir.path(), &WalkOptions::default());
        assert_eq!(names, ["a.json"]);
        let no_ignore = WalkOptions {
            no_ignore: true,
            ..Default::default()
        };
        let (names, _) = walked(dir.path(), &no_ignore);
        assert_eq!(names, ["a.json", "build/b.json", "target/t.json", "x.json"]);
        let hidden = WalkOptions {
            hidden: true,
            ..Default::default()
        };
        let (names, _) = walked(dir.path(), &hidden);
        assert_eq!(names, [".hidden/h.json", "a.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_only_when_asked_and_then_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        files(dir.path(), &["tree/a.json", "outside.json"]);
        let tree = dir.path().join("tree");
        std::os::unix::fs::symlink("..", tree.join("up")).unwrap();
        std::os::unix::fs::symlink("a.json", tree.join("same.json")).unwrap();
        let (names, notes) = walked(&tree, &WalkOptions::default());
        assert_eq!(names, ["a.json"], "the link to .. is not walked");
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(
            notes[0]
                .ends_with("same.json: a symbolic link, not followed (-L/--follow follows links)"),
            "{notes:?}"
        );
        assert!(
            notes[1].ends_with("up: a symbolic link, not followed (-L/--follow follows links)"),
            "{notes:?}"
        );
        let follow = WalkOptions {
            follow: true,
            ..Default::default()
        };
        let (names, notes) = walked(&tree, &follow);
        // Through `up`, the parent and the tree again: each file once, the loop noted.
        assert_eq!(names, ["a.json", "up/outside.json"], "{notes:?}");
        assert!(notes.iter().any(|n| n.contains("loops back")), "{notes:?}");
        assert!(
            notes
                .iter()
                .any(|n| n.contains("the same file was reached before")),
            "{notes:?}"
        );
    }

    #[test]
    fn include_and_exclude_choose_the_payload_files_and_say_what_they_left_out() {
        let dir = tempfile::tempdir().unwrap();
        files(
            dir.path(),
            &[
                "payloads/a.json",
                "payloads/drafts/d.json",
                "payloads/b.yaml",
                "package.json",
                "tsconfig.json",
            ],
        );
        let config = dir.path().join("modelgate.toml");
        std::fs::write(
            &config,
            "include = [\"payloads/**\"]\nexclude = [\"payloads/drafts\", \"**/*.yaml\"]\n",
        )
        .unwrap();
        let options = WalkOptions {
            files: crate::config::load(&config).unwrap().files,
            ..Default::default()
        };
        let (names, notes) = walked(dir.path(), &options);
        assert_eq!(names, ["payloads/a.json"]);
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(
            notes[0].ends_with("drafts: a directory the config's exclude pattern `payloads/drafts` matches; not walked"),
            "{notes:?}"
        );
        assert!(
            notes[1].starts_with("1 payload file skipped: the config's exclude pattern `**/*.yaml` matches them (first: "),
            "{notes:?}"
        );
        assert!(
            notes[2].starts_with(
                "2 payload files skipped: the config's include patterns match none of them (first: "
            ),
            "{notes:?}"
        );
        // A file named on the command line is read whatever the patterns say.
        let named = dir.path().join("package.json");
        let found = discover(std::slice::from_ref(&named), &options);
        assert_eq!(found.inputs.len(), 1);
    }
}
