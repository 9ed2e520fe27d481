//! `GET /v1/models` serves the list the config gives: the catalog's VertexKey models with
//! some added or withdrawn, or a whole list; and fails on request, alone.

use modelgate::{Config, Provider, VertexKeyClient};
use modelgate_emulator::{Emulator, EmulatorConfig};
use serde_json::{Value, json};

async fn start(yaml: &str) -> String {
    let config = EmulatorConfig::from_yaml(yaml).unwrap();
    let addr = Emulator::new(config).spawn_local().await.unwrap();
    format!("http://{addr}")
}

async fn get(base: &str, key: &str) -> (u16, Option<String>, String) {
    let r = reqwest::Client::new()
        .get(format!("{base}/v1/models"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    (status, kind, r.text().await.unwrap())
}

async fn list(base: &str) -> Value {
    let (status, kind, body) = get(base, "vai-local").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(kind.as_deref(), Some("application/json"));
    serde_json::from_str(&body).unwrap()
}

fn ids(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect()
}

fn catalog_ids() -> Vec<String> {
    modelgate::catalog::MODELS
        .iter()
        .filter(|m| m.provider == Provider::VertexKey)
        .filter_map(|m| m.id.map(str::to_string))
        .collect()
}

#[tokio::test]
async fn by_default_the_list_is_the_catalogs_vertexkey_models() {
    let base = start("{}").await;
    let list = list(&base).await;
    assert_eq!(list["object"], "list");
    assert_eq!(ids(&list), catalog_ids());
    assert_eq!(
        list["data"][0],
        json!({"id": catalog_ids()[0], "object": "model", "created": 1_763_683_200u64, "owned_by": "vertexkey"})
    );
}

#[tokio::test]
async fn an_added_id_appears_a_withdrawn_one_is_gone_and_the_rest_stay() {
    let base = start(
        "models:\n  add: [{id: aws/claude-opus-4-8, owned_by: aws}]\n  withdraw: [aws/claude-sonnet-4-0]\n",
    )
    .await;
    let list = list(&base).await;
    let mut want: Vec<String> = catalog_ids()
        .into_iter()
        .filter(|id| id != "aws/claude-sonnet-4-0")
        .collect();
    want.push("aws/claude-opus-4-8".into());
    assert_eq!(ids(&list), want);
    let data = list["data"].as_array().unwrap();
    assert_eq!(
        data.last().unwrap(),
        &json!({"id": "aws/claude-opus-4-8", "object": "model", "created": 1_763_683_200u64, "owned_by": "aws"})
    );
    for m in &data[..data.len() - 1] {
        assert_eq!(m["owned_by"], "vertexkey", "{m}");
        assert_eq!(m["object"], "model");
    }
    // modelgate's own client decodes it.
    let client = VertexKeyClient::new(
        Config::new(Provider::VertexKey)
            .api_key("vai-local")
            .base_url(format!("{base}/v1")),
    )
    .unwrap();
    let decoded = client.models().await.unwrap();
    let decoded: Vec<String> = decoded
        .data
        .iter()
        .flatten()
        .map(|m| m.id.clone())
        .collect();
    assert_eq!(decoded, want);
    // So does the alias base URL.
    let (status, _, body) = get(&format!("{base}/api"), "vai-local").await;
    assert_eq!(status, 200);
    assert_eq!(ids(&serde_json::from_str(&body).unwrap()), want);
}

#[tokio::test]
async fn a_whole_list_replaces_the_catalogs() {
    let base = start("models:\n  list: [{id: z/one}, {id: a/two, owned_by: acme}]\n").await;
    let got = list(&base).await;
    assert_eq!(ids(&got), ["z/one", "a/two"]);
    assert_eq!(got["data"][1]["owned_by"], "acme");
    let empty = start("models: {list: []}\n").await;
    assert_eq!(list(&empty).await, json!({"object": "list", "data": []}));
}

#[tokio::test]
async fn the_list_fails_alone_when_told_to() {
    let base = start("models: {fault: malformed}\n").await;
    let (status, kind, body) = get(&base, "vai-local").await;
    assert_eq!(status, 200);
    assert_eq!(kind.as_deref(), Some("application/json"));
    let e = serde_json::from_str::<Value>(&body).unwrap_err();
    assert!(e.is_eof(), "cut off, not merely odd: {e}");
    let client = VertexKeyClient::new(
        Config::new(Provider::VertexKey)
            .api_key("vai-local")
            .base_url(format!("{base}/v1")),
    )
    .unwrap();
    assert!(
        client.models().await.is_err(),
        "a malformed list is an error"
    );
    // The other endpoints still work.
    let chat = reqwest::Client::new()
        .post(format!("{base}/v1/chat/completions"))
        .bearer_auth("vai-local")
        .json(&json!({"model": "aws/claude-haiku-4-5", "messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(chat.status(), 200);

    let base = start("models: {fault: unauthorized}\n").await;
    let (status, _, body) = get(&base, "vai-local").await;
    assert_eq!(status, 401);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["error"]["type"], "authentication_error");
    // A missing key is still refused first, as everywhere.
    let bare = reqwest::get(format!("{base}/v1/models")).await.unwrap();
    assert_eq!(bare.status(), 401);
}

#[tokio::test]
async fn the_fault_header_and_rates_apply_to_the_list_too() {
    let base = start("{}").await;
    let r = reqwest::Client::new()
        .get(format!("{base}/v1/models"))
        .bearer_auth("vai-local")
        .header("x-modelgate-fault", "503")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    let base = start("faults: {rate_500: 1.0}\n").await;
    let (status, _, _) = get(&base, "vai-local").await;
    assert_eq!(status, 500);
}

#[test]
fn a_bad_model_list_is_a_located_config_error() {
    let path = std::env::temp_dir().join(format!(
        "modelgate-emulator-models-{}.yaml",
        std::process::id()
    ));
    std::fs::write(
        &path,
        "stream_pacing_ms: 0\nmodels:\n  withdraw:\n    - aws/claude-sonnet-4-0\n    - aws/claude-sonnet-4-1\n",
    )
    .unwrap();
    let e = EmulatorConfig::from_file(&path).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        e,
        format!(
            "{}:5:7: /models/withdraw/1: `aws/claude-sonnet-4-1` is not a catalog VertexKey model, so it is not listed to begin with",
            path.display()
        )
    );
}
