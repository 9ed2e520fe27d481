//! Which files `modelgate validate` reads, and how: the paths given (directories walked
//! in sorted order), each read as one JSON payload, JSON Lines (one payload a line,
//! streamed, so memory does not grow with the file) or YAML (one payload per document).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use modelgate_codegen::yaml::{self, LocatedDocument};

/// How a file's payloads are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// The whole file is one JSON payload.
    Json,
    /// One JSON payload per line; blank lines are skipped.
    JsonLines,
    /// One payload per YAML document.
    Yaml,
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

    fn is_stdin(&self) -> bool {
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

/// The layout a file name implies when it is met in a directory walk.
fn layout_of(path: &Path) -> Option<Layout> {
    match path.extension()?.to_str()? {
        "json" => Some(Layout::Json),
        "jsonl" | "ndjson" => Some(Layout::JsonLines),
        "yaml" | "yml" => Some(Layout::Yaml),
        _ => None,
    }
}

/// Expands the given paths into inputs. Directories are walked recursively in sorted
/// order, taking `.json`, `.jsonl`, `.ndjson`, `.yaml` and `.yml` files and skipping
/// hidden entries; a file named explicitly with another extension is read as JSON; `-` is
/// standard input, read as JSON Lines. Paths that do not exist are errors.
pub fn discover(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input {
                path: path.clone(),
                layout: Layout::JsonLines,
            });
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut inputs, &mut errors),
            Ok(_) => inputs.push(Input {
                path: path.clone(),
                layout: layout_of(path).unwrap_or(Layout::Json),
            }),
            Err(source) => errors.push(InputError {
                path: path.clone(),
                source,
            }),
        }
    }
    (inputs, errors)
}

fn walk(dir: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<InputError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(source) => {
            errors.push(InputError {
                path: dir.to_path_buf(),
                source,
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, inputs, errors);
        } else if let Some(layout) = layout_of(&path) {
            inputs.push(Input { path, layout });
        }
    }
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
    /// A YAML document, already converted to JSON.
    Yaml {
        /// The document as JSON bytes.
        json: &'a [u8],
        /// The document, for positions.
        doc: &'a LocatedDocument,
        /// The file's text, for showing lines.
        text: &'a str,
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
    },
}

/// Reads every payload of `input`, calling `each` for each one in order. For JSON Lines
/// the file is read line by line through one reused buffer.
pub fn for_each_payload(
    input: &Input,
    mut each: impl FnMut(Payload<'_>) -> io::Result<()>,
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
    match input.layout {
        Layout::Json => {
            let mut text = Vec::new();
            BufReader::new(reader)
                .read_to_end(&mut text)
                .map_err(fail)?;
            each(Payload::Json {
                text: &text,
                first_line: 1,
                jsonl_line: None,
            })
            .map_err(fail)
        }
        Layout::JsonLines => {
            let mut reader = BufReader::with_capacity(1 << 16, reader);
            let mut line = Vec::new();
            let mut number = 0;
            loop {
                line.clear();
                if reader.read_until(b'\n', &mut line).map_err(fail)? == 0 {
                    return Ok(());
                }
                number += 1;
                while matches!(line.last(), Some(b'\n' | b'\r')) {
                    line.pop();
                }
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                each(Payload::Json {
                    text: &line,
                    first_line: number,
                    jsonl_line: Some(number),
                })
                .map_err(fail)?;
            }
        }
        Layout::Yaml => {
            let mut bytes = Vec::new();
            BufReader::new(reader)
                .read_to_end(&mut bytes)
                .map_err(fail)?;
            let (text, parsed) = match String::from_utf8(bytes) {
                Ok(text) => {
                    let parsed = yaml::parse_documents(&text);
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
            match parsed {
                Ok(docs) => {
                    for doc in &docs {
                        let json = serde_json::to_vec(&doc.value)
                            .map_err(|e| fail(io::Error::other(e)))?;
                        each(Payload::Yaml {
                            json: &json,
                            doc,
                            text: &text,
                        })
                        .map_err(fail)?;
                    }
                    Ok(())
                }
                Err(e) => each(Payload::BadYaml {
                    message: &e.message,
                    line: e.position.line,
                    column: e.position.column,
                    text: &text,
                })
                .map_err(fail),
            }
        }
    }
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
        let (inputs, errors) = discover(&[dir.path().to_path_buf()]);
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
        let (inputs, errors) = discover(&[named.clone(), dir.path().join("nope.json")]);
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
}
