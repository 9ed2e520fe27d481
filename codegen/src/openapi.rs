//! Loading a provider's OpenAPI document: bundling the schemas it refers to in other files
//! (`common.yaml#/components/schemas/X`) into its own `components`, checking that every
//! `$ref` resolves, and normalising a copy for progenitor (public-facts section 8).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Location, Problems};
use crate::load::read_yaml;
use modelgate_io::yaml::LocatedDocument;

/// A provider's OpenAPI document with every external schema copied in.
#[derive(Clone, Debug)]
pub struct OpenApiDoc {
    /// The document's file.
    pub file: PathBuf,
    /// The bundled document.
    pub value: Value,
    /// Every file that went into it (for rerun-if-changed).
    pub files: Vec<PathBuf>,
    /// Names of the schemas copied in from other files (shared with other documents).
    pub shared_schemas: std::collections::BTreeSet<String>,
    /// Every `x-modelgate-source` in the files read: where it is and the document it
    /// names, for the loader to check against the catalog's sources.
    pub source_refs: Vec<(Location, String)>,
}

/// A schema still to be copied in: (file it lives in, its name).
type Pending = (PathBuf, String);

/// Loads and bundles `file`. Problems (unreadable files, dangling references, name clashes)
/// are added to `problems`; `None` is returned when the document cannot be used.
pub(crate) fn load(file: &Path, problems: &mut Problems) -> Option<OpenApiDoc> {
    let mut docs: BTreeMap<PathBuf, LocatedDocument> = BTreeMap::new();
    let main = read_yaml(file, problems)?;
    let mut value = main.value.clone();
    docs.insert(file.to_path_buf(), main);
    check_version(file, &docs[file], problems);

    let mut queue: Vec<Pending> = Vec::new();
    rewrite_refs(&mut value, file, "", &mut docs, &mut queue, problems);
    let mut copied: BTreeMap<String, PathBuf> = BTreeMap::new();
    while let Some((from, name)) = queue.pop() {
        if let Some(first) = copied.get(&name) {
            if first != &from {
                let at = location(&docs, &from, &format!("/components/schemas/{name}"));
                problems.push(
                    at,
                    None,
                    Some(&name),
                    format!(
                        "schema name `{name}` is defined in both {} and {}; rename one",
                        first.display(),
                        from.display()
                    ),
                );
            }
            continue;
        }
        copied.insert(name.clone(), from.clone());
        let pointer = format!("/components/schemas/{name}");
        let Some(mut schema) = docs[&from].value.pointer(&pointer).cloned() else {
            continue; // reported when the reference was rewritten
        };
        rewrite_refs(
            &mut schema,
            &from,
            &pointer,
            &mut docs,
            &mut queue,
            problems,
        );
        if from != file {
            let schemas = value
                .as_object_mut()
                .and_then(|o| ensure_object(o, "components"))
                .and_then(|c| ensure_object(c, "schemas"));
            if let Some(schemas) = schemas {
                if schemas.contains_key(&name) {
                    let at = location(&docs, &from, &pointer);
                    problems.push(
                        at,
                        None,
                        Some(&name),
                        format!(
                            "schema `{name}` from {} clashes with a schema of the same name in {}",
                            from.display(),
                            file.display()
                        ),
                    );
                }
                schemas.insert(name, schema);
            }
        }
    }
    let shared_schemas = copied
        .iter()
        .filter(|(_, from)| from.as_path() != file)
        .map(|(name, _)| name.clone())
        .collect();
    let mut source_refs = Vec::new();
    for (path, doc) in &docs {
        collect_source_refs(&doc.value, "", &mut |pointer, name| {
            let at = Location {
                file: path.clone(),
                position: doc.key_position(pointer),
            };
            source_refs.push((at, name.to_string()));
        });
    }
    Some(OpenApiDoc {
        file: file.to_path_buf(),
        value,
        files: docs.into_keys().collect(),
        shared_schemas,
        source_refs,
    })
}

/// Calls `found(pointer, doc)` for every `x-modelgate-source` below `value`; a malformed
/// one reports an empty document name.
fn collect_source_refs(value: &Value, pointer: &str, found: &mut dyn FnMut(&str, &str)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_pointer = modelgate_io::pointer::join(pointer, key);
                if key == "x-modelgate-source" {
                    let doc = child.get("doc").and_then(Value::as_str).unwrap_or("");
                    found(&child_pointer, doc);
                } else {
                    collect_source_refs(child, &child_pointer, found);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_source_refs(child, &format!("{pointer}/{i}"), found);
            }
        }
        _ => {}
    }
}

fn check_version(file: &Path, doc: &LocatedDocument, problems: &mut Problems) {
    let version = doc
        .value
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !version.starts_with("3.0.") {
        let at = Location {
            file: file.to_path_buf(),
            position: doc.key_position("/openapi"),
        };
        problems.push(at, None, Some("openapi"), format!(
            "OpenAPI version `{version}` is not supported; progenitor 0.15 takes 3.0.x documents only"));
    }
}

fn ensure_object<'a>(
    map: &'a mut Map<String, Value>,
    key: &str,
) -> Option<&'a mut Map<String, Value>> {
    map.entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
}

fn location(docs: &BTreeMap<PathBuf, LocatedDocument>, file: &Path, pointer: &str) -> Location {
    Location {
        file: file.to_path_buf(),
        position: docs
            .get(file)
            .map(|d| d.key_position(pointer))
            .unwrap_or_default(),
    }
}

/// Rewrites every `$ref` below `value` (which sits at `pointer` in `file`) to a local
/// reference, checks that it resolves, and queues schemas of other files for copying.
fn rewrite_refs(
    value: &mut Value,
    file: &Path,
    pointer: &str,
    docs: &mut BTreeMap<PathBuf, LocatedDocument>,
    queue: &mut Vec<Pending>,
    problems: &mut Problems,
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let child_pointer = modelgate_io::pointer::join(pointer, key);
                if key == "$ref" {
                    if let Value::String(reference) = child
                        && let Some(local) =
                            resolve_one(reference, file, &child_pointer, docs, queue, problems)
                    {
                        *reference = local;
                    }
                } else {
                    rewrite_refs(child, file, &child_pointer, docs, queue, problems);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                rewrite_refs(
                    child,
                    file,
                    &format!("{pointer}/{i}"),
                    docs,
                    queue,
                    problems,
                );
            }
        }
        _ => {}
    }
}

/// Checks one reference; returns its local form (`#/...`) when it resolves.
fn resolve_one(
    reference: &str,
    file: &Path,
    at: &str,
    docs: &mut BTreeMap<PathBuf, LocatedDocument>,
    queue: &mut Vec<Pending>,
    problems: &mut Problems,
) -> Option<String> {
    let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let target_file = if file_part.is_empty() {
        file.to_path_buf()
    } else {
        crate::load::clean_path(&file.parent().unwrap_or(Path::new("")).join(file_part))
    };
    if !docs.contains_key(&target_file) {
        // A file that does not load is reported once (by read_yaml, with its reason) and
        // remembered as an empty document, so that its other references stay quiet.
        let doc = read_yaml(&target_file, problems).unwrap_or_default();
        docs.insert(target_file.clone(), doc);
    }
    if docs[&target_file].value.is_null() {
        return None;
    }
    if docs[&target_file].value.pointer(fragment).is_none() {
        problems.push(
            location(docs, file, at),
            None,
            Some("$ref"),
            format!(
                "dangling `$ref` {reference}: {} has nothing at #{fragment}",
                target_file.display()
            ),
        );
        return None;
    }
    let schema_name = fragment
        .strip_prefix("/components/schemas/")
        .filter(|n| !n.contains('/'));
    match schema_name {
        Some(name) => {
            queue.push((target_file, name.to_string()));
            Some(format!("#{fragment}"))
        }
        None if target_file == file => Some(format!("#{fragment}")),
        None => {
            problems.push(location(docs, file, at), None, Some("$ref"), format!(
                "`$ref` {reference}: only whole schemas (#/components/schemas/Name) can be referenced across files"));
            None
        }
    }
}

/// The operation with `operation_id`: (method, path, operation object).
pub fn find_operation<'a>(
    doc: &'a Value,
    operation_id: &str,
) -> Option<(String, String, &'a Value)> {
    operations(doc)
        .find(|(id, ..)| *id == operation_id)
        .map(|(_, method, path, op)| (method, path.to_string(), op))
}

/// Every operation of a document that has an `operationId`, in the document's order:
/// (operationId, method in upper case, path, the operation object).
pub fn operations(doc: &Value) -> impl Iterator<Item = (&str, String, &str, &Value)> {
    doc.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(path, item)| Some((path, item.as_object()?)))
        .flat_map(|(path, item)| {
            item.iter().filter_map(move |(method, op)| {
                let id = op.get("operationId").and_then(Value::as_str)?;
                Some((id, method.to_uppercase(), path.as_str(), op))
            })
        })
}

/// The JSON request body schema of an operation.
pub fn request_schema(op: &Value) -> Option<&Value> {
    op.pointer("/requestBody/content/application~1json/schema")
}

/// A copy of the bundled document for other OpenAPI tools (schemathesis, linters), which
/// read OAS 3.0 strictly: there `nullable: true` next to an `enum` admits null only if the
/// enum lists it (the format reference's caveat 2). The catalog reads a nullable enum as
/// taking null (note `nullable-declarations`); this copy says so in their terms.
pub fn for_strict_readers(doc: &Value) -> Value {
    let mut doc = doc.clone();
    each_object_mut(&mut doc, &mut |map| {
        if map.get("nullable") == Some(&Value::Bool(true))
            && let Some(Value::Array(values)) = map.get_mut("enum")
            && !values.contains(&Value::Null)
        {
            values.push(Value::Null);
        }
    });
    doc
}

/// Calls `f` on every object in `value`, outermost first.
fn each_object_mut(value: &mut Value, f: &mut impl FnMut(&mut Map<String, Value>)) {
    match value {
        Value::Object(map) => {
            f(map);
            map.values_mut().for_each(|v| each_object_mut(v, f));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| each_object_mut(v, f)),
        _ => {}
    }
}

/// A copy of the bundled document that progenitor 0.15 accepts and that decodes the way
/// modelgate wants (public-facts section 8):
/// - `text/event-stream` responses are dropped (the runtime parses streams itself);
/// - error responses (`default`, explicit 4xx/5xx) are folded into one `4XX` and one `5XX`
///   response, since progenitor takes only one error type per operation;
/// - schemas marked `x-modelgate-open-enum` lose their `enum`, so that values a gateway
///   adds later still decode.
pub fn normalise_for_progenitor(doc: &Value) -> Result<Value, String> {
    let mut doc = doc.clone();
    open_enums(&mut doc);
    nullable_response_collections(&mut doc);
    let refs = doc.clone();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                    fold_responses(responses, &refs)
                        .map_err(|e| format!("{} {path}: {e}", method.to_uppercase()))?;
                }
            }
        }
    }
    Ok(doc)
}

/// Gateways send `null` for absent lists and objects (`"output": null` on a pending task).
/// progenitor types optional arrays and free-form objects as `Vec`/`Map` with a default,
/// which refuse `null`; marking them nullable makes them `Option`. Only schemas reachable
/// from a response are touched, and only properties that are not required.
fn nullable_response_collections(doc: &mut Value) {
    let mut reachable = std::collections::BTreeSet::new();
    let mut work: Vec<Value> = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for item in paths.values().filter_map(Value::as_object) {
            for op in item.values() {
                if let Some(responses) = op.get("responses") {
                    work.push(responses.clone());
                }
            }
        }
    }
    if let Some(responses) = doc.pointer("/components/responses") {
        work.push(responses.clone());
    }
    // Streamed responses' schemas too (dropped from the operations, kept as types).
    while let Some(value) = work.pop() {
        collect_refs(&value, &mut |name| {
            if reachable.insert(name.to_string())
                && let Some(schema) = doc.pointer(&format!("/components/schemas/{name}"))
            {
                work.push(schema.clone());
            }
        });
    }
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (name, schema) in schemas.iter_mut() {
        if !reachable.contains(name) {
            continue;
        }
        let required: Vec<String> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        for (prop, prop_schema) in props.iter_mut() {
            let collection = matches!(
                prop_schema.get("type").and_then(Value::as_str),
                Some("array" | "object")
            );
            if collection && !required.contains(prop) {
                prop_schema["nullable"] = Value::Bool(true);
            }
        }
    }
}

fn collect_refs(value: &Value, found: &mut impl FnMut(&str)) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                found(name);
            }
            map.values().for_each(|v| collect_refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, found)),
        _ => {}
    }
}

fn open_enums(doc: &mut Value) {
    each_object_mut(doc, &mut |map| {
        if map.get("x-modelgate-open-enum") == Some(&Value::Bool(true)) {
            map.remove("enum");
        }
    });
}

fn fold_responses(responses: &mut Map<String, Value>, doc: &Value) -> Result<(), String> {
    let mut error_body: Option<Value> = None;
    let codes: Vec<String> = responses.keys().cloned().collect();
    for code in codes {
        let is_error = code == "default" || code.starts_with('4') || code.starts_with('5');
        let Some(response) = responses.get_mut(&code) else {
            continue;
        };
        if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
            content.remove("text/event-stream");
        }
        if !is_error {
            continue;
        }
        let resolved = match response.get("$ref").and_then(Value::as_str) {
            Some(r) => doc
                .pointer(r.trim_start_matches('#'))
                .cloned()
                .unwrap_or(Value::Null),
            None => response.clone(),
        };
        let schema = resolved
            .pointer("/content/application~1json/schema")
            .cloned();
        match (&error_body, schema) {
            (None, Some(s)) => error_body = Some(s),
            (Some(a), Some(b)) if a != &b => {
                return Err(format!(
                    "error responses use different schemas ({a} and {b}); progenitor takes one"
                ));
            }
            _ => {}
        }
        responses.remove(&code);
    }
    if let Some(schema) = error_body {
        for range in ["4XX", "5XX"] {
            responses.insert(
                range.into(),
                serde_json::json!({
                    "description": "Error",
                    "content": {"application/json": {"schema": schema}}
                }),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_fold_into_ranges_and_streams_are_dropped() {
        let doc = json!({
            "components": {"responses": {"E": {"description": "e", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Err"}}}}}},
            "paths": {"/x": {"post": {"responses": {
                "200": {"description": "ok", "content": {
                    "application/json": {"schema": {"type": "object"}},
                    "text/event-stream": {"schema": {"type": "object"}}}},
                "401": {"$ref": "#/components/responses/E"},
                "default": {"$ref": "#/components/responses/E"}
            }}}}
        });
        let out = normalise_for_progenitor(&doc).unwrap();
        let responses = out
            .pointer("/paths/~1x/post/responses")
            .unwrap()
            .as_object()
            .unwrap();
        assert_eq!(responses.keys().collect::<Vec<_>>(), ["200", "4XX", "5XX"]);
        assert!(
            responses["200"]
                .pointer("/content/text~1event-stream")
                .is_none()
        );
        assert_eq!(
            responses["4XX"].pointer("/content/application~1json/schema/$ref"),
            Some(&json!("#/components/schemas/Err"))
        );
    }

    #[test]
    fn nullable_enums_list_null_for_strict_readers() {
        let doc = json!({"a": {"type": "string", "nullable": true, "enum": ["x"]}, "b": {"type": "string", "enum": ["y"]}});
        let out = for_strict_readers(&doc);
        assert_eq!(out["a"]["enum"], json!(["x", null]));
        assert_eq!(out["b"]["enum"], json!(["y"]));
    }

    #[test]
    fn open_enums_lose_their_values() {
        let doc = json!({"components": {"schemas": {"S": {"type": "string", "enum": ["a"], "x-modelgate-open-enum": true}, "T": {"type": "string", "enum": ["b"]}}}});
        let out = normalise_for_progenitor(&doc).unwrap();
        assert!(out.pointer("/components/schemas/S/enum").is_none());
        assert!(out.pointer("/components/schemas/T/enum").is_some());
    }

    #[test]
    fn different_error_schemas_are_refused() {
        let doc = json!({"paths": {"/x": {"get": {"responses": {
            "400": {"description": "a", "content": {"application/json": {"schema": {"type": "object"}}}},
            "500": {"description": "b", "content": {"application/json": {"schema": {"type": "string"}}}}
        }}}}});
        let err = normalise_for_progenitor(&doc).unwrap_err();
        assert!(
            err.starts_with("GET /x: error responses use different schemas"),
            "{err}"
        );
    }
}
