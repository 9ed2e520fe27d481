//! Every HTTP operation the gateway clients send comes from the gateways' OpenAPI
//! documents (the operation table modelgate-api generates): no hand-written client file
//! holds a gateway path as a string literal.

use std::path::{Path, PathBuf};

/// The clients' hand-written files: every module src/lib.rs declares behind the `client`
/// feature (a file, or a directory of them), read from src/lib.rs itself so that a new
/// client module is checked too.
fn client_files(root: &Path) -> Vec<PathBuf> {
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let lines: Vec<&str> = lib.lines().map(str::trim).collect();
    let mut files = Vec::new();
    for pair in lines.windows(2) {
        let Some(name) = pair[1]
            .strip_prefix("pub mod ")
            .and_then(|m| m.strip_suffix(';'))
        else {
            continue;
        };
        if pair[0] != "#[cfg(feature = \"client\")]" {
            continue;
        }
        let file = root.join("src").join(format!("{name}.rs"));
        let dir = root.join("src").join(name);
        if file.is_file() {
            files.push(file);
        }
        if dir.is_dir() {
            files.extend(std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()));
        }
    }
    files
}

/// The providers' keys.
fn providers() -> impl Iterator<Item = &'static str> {
    modelgate::Provider::ALL.iter().map(|p| p.info().key)
}

#[test]
fn no_hand_written_client_file_names_a_gateway_path() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = client_files(root);
    for module in ["vtrix.rs", "vertexkey.rs", "chat.rs", "http/operation.rs"] {
        assert!(
            files.iter().any(|f| f.ends_with(module)),
            "{module} is not among the client files read from src/lib.rs: {files:?}"
        );
    }
    let mut paths: Vec<&str> = providers()
        .flat_map(modelgate_api::operations)
        .map(|op| op.path.split('{').next().unwrap().trim_end_matches('/'))
        .collect();
    paths.sort();
    paths.dedup();
    assert!(
        paths.contains(&"/models") && paths.contains(&"/videos"),
        "{paths:?}"
    );
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for path in &paths {
                if line.contains(&format!("\"{path}")) {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "gateway paths written by hand (take them from modelgate_api's operations):\n{}",
        found.join("\n")
    );
}

/// Each catalog endpoint is an operation of its provider's document, with the same
/// method and path, and the operations that stream are the ones the clients stream.
#[test]
fn every_endpoint_is_an_operation_of_its_document() {
    for endpoint in modelgate::Endpoint::ALL {
        let info = endpoint.info();
        let op = modelgate_api::operations(info.provider.info().key)
            .iter()
            .find(|op| op.id == info.operation_id)
            .unwrap_or_else(|| panic!("{}: no operation {}", info.key, info.operation_id));
        assert_eq!(
            (op.method, op.path),
            (info.method, info.path),
            "{}",
            info.key
        );
    }
    let streaming: Vec<&str> = providers()
        .flat_map(modelgate_api::operations)
        .filter(|op| op.streams)
        .map(|op| op.name)
        .collect();
    assert_eq!(
        streaming,
        [
            "create_chat_completion",
            "create_chat_completion",
            "create_message"
        ]
    );
}
