//! Every HTTP operation the gateway clients send comes from the gateways' OpenAPI
//! documents (the operation table modelgate-api generates): no hand-written client file
//! holds a gateway path as a string literal.

use std::path::Path;

/// The clients' hand-written files: every module behind the `client` feature.
const CLIENT_FILES: &[&str] = &[
    "src/chat.rs",
    "src/config.rs",
    "src/error.rs",
    "src/gateway.rs",
    "src/media.rs",
    "src/messages.rs",
    "src/retry.rs",
    "src/sse.rs",
    "src/stream.rs",
    "src/vertexkey.rs",
    "src/vtrix.rs",
];

#[test]
fn no_hand_written_client_file_names_a_gateway_path() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = CLIENT_FILES.iter().map(|f| root.join(f)).collect();
    for entry in std::fs::read_dir(root.join("src/http")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let mut paths: Vec<&str> = ["vtrix", "vertexkey"]
        .iter()
        .flat_map(|p| modelgate_api::operations(p))
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
    let streaming: Vec<&str> = ["vtrix", "vertexkey"]
        .iter()
        .flat_map(|p| modelgate_api::operations(p))
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
