//! The `sarif` format: one SARIF 2.1.0 log (what GitHub code scanning and other static
//! analysis viewers read), streamed: one run whose tool lists a rule per finding code
//! (its one-line meaning as help, its default level), then a result per finding with its
//! level under the policy used, its message, and a physical location (file, start and
//! end line and column, counted in Unicode code points, as the run's `columnKind` says)
//! plus the JSON pointer as a logical location.

use std::io::{self, Write};

use modelgate::{Code, Level};
use serde_json::{Value, json};

use super::{Checked, Reporter, Summary, pointer_label};

/// The SARIF printer.
#[derive(Default)]
pub struct Sarif {
    started: bool,
    any_result: bool,
}

/// SARIF's name for a level.
fn level(level: Level) -> &'static str {
    match level {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "none",
    }
}

/// The tool and its rules: one per code, in [`Code::ALL`]'s order (a result's
/// `ruleIndex`).
fn driver() -> Value {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|code| {
            json!({
                "id": code.as_str(),
                "name": camel(code.as_str()),
                "shortDescription": {"text": code.description()},
                "fullDescription": {"text": code.description()},
                "help": {
                    "text": format!(
                        "{} Default level: {}. Change it with --deny, --warn or --allow {} (or in modelgate.toml).",
                        code.description(),
                        code.default_level(),
                        code.as_str()
                    )
                },
                "defaultConfiguration": {"level": level(code.default_level())},
            })
        })
        .collect();
    json!({
        "name": "modelgate",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "informationUri": "https://github.com/modelgate/modelgate",
        "rules": rules,
    })
}

/// `out_of_range` -> `OutOfRange`.
fn camel(code: &str) -> String {
    code.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A path as a SARIF artifact URI: a relative reference with `/` separators and
/// percent-encoding, or a `file://` URI for an absolute path.
pub fn artifact_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    if out.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

impl Reporter for Sarif {
    fn payload(&mut self, out: &mut dyn Write, c: &Checked) -> io::Result<()> {
        if !self.started {
            self.start(out)?;
        }
        let uri = artifact_uri(c.path);
        for (finding, spot) in c.placed() {
            let mut location = json!({
                "physicalLocation": {"artifactLocation": {"uri": uri}},
                "logicalLocations": [{
                    "fullyQualifiedName": pointer_label(&finding.pointer),
                    "kind": "element",
                }],
            });
            if let Some(s) = spot {
                location["physicalLocation"]["region"] = json!({
                    "startLine": s.line,
                    "startColumn": s.column,
                    "endLine": s.end_line,
                    "endColumn": s.end_column.max(if s.end_line == s.line { s.column } else { 1 }),
                });
            }
            let rule = Code::ALL
                .iter()
                .position(|c| *c == finding.code)
                .unwrap_or(0);
            let result = json!({
                "ruleId": finding.code.as_str(),
                "ruleIndex": rule,
                "level": level(finding.level),
                "message": {"text": format!("{} ({})", finding.message, pointer_label(&finding.pointer))},
                "locations": [location],
            });
            out.write_all(if self.any_result { b",\n" } else { b"\n" })?;
            self.any_result = true;
            serde_json::to_writer(&mut *out, &result).map_err(io::Error::other)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        if !self.started {
            self.start(out)?;
        }
        out.write_all(b"\n],\n\"invocations\": [{\"executionSuccessful\": true}]\n}]\n}\n")
    }
}

impl Sarif {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.started = true;
        write!(
            out,
            "{{\n\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n\"version\": \"2.1.0\",\n\"runs\": [{{\n\"tool\": {{\"driver\": {}}},\n\"columnKind\": \"unicodeCodePoints\",\n\"results\": [",
            driver()
        )?;
        Ok(())
    }
}
