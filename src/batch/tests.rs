//! The batch checker's tests.
use super::*;
use crate::validate::Policy;

const USER: &str = r#"[{"role": "user", "content": "Hi"}]"#;

fn line(url: &str, body: &str) -> String {
    format!(r#"{{"custom_id": "id", "method": "POST", "url": "{url}", "body": {body}}}"#)
}

fn chat(model: &str) -> String {
    format!(r#"{{"model": "{model}", "messages": {USER}}}"#)
}

/// (code, pointer, the text the span covers) of every finding, errors first.
fn check(text: &str) -> (Report, Vec<(Code, String, String)>) {
    let report = BatchChecker::new(Validator::new()).check_line(text.as_bytes(), 1);
    let found = report
        .findings()
        .map(|f| {
            let span = f.span.clone().expect("a span");
            (f.code, f.pointer.clone(), text[span].to_string())
        })
        .collect();
    (report, found)
}

#[test]
fn the_openai_paths_name_catalog_endpoints_and_every_endpoint_has_a_url() {
    for (path, name) in OPENAI_PATHS {
        assert!(
            Endpoint::ALL.iter().any(|e| e.info().name == name),
            "{path}: {name}"
        );
        assert_eq!(target(path).unwrap().provider, None);
    }
    for &e in Endpoint::ALL {
        let info = e.info();
        let relative = target(&endpoint_url(e)).unwrap();
        assert_eq!(relative.name, info.name);
        let full = format!("{}{}", info.provider.info().base_url, info.path);
        assert_eq!(
            target(&full),
            Some(Target {
                name: info.name,
                provider: Some(info.provider)
            }),
            "{full}"
        );
    }
    assert_eq!(
        endpoint_url(Endpoint::VtrixChatCompletions),
        "/llm/chat/completions"
    );
    assert_eq!(endpoint_url(Endpoint::VertexKeyMessages), "/v1/messages");
    assert_eq!(
        target("/api/v1/chat/completions").unwrap().provider,
        Some(Provider::VertexKey)
    );
    assert_eq!(target("/v1/embeddings"), None);
    assert_eq!(target("v1/chat/completions"), None);
}

#[test]
fn the_url_names_the_kind_and_the_model_the_gateway() {
    for (url, body, endpoint) in [
        ("/v1/chat/completions", chat("aws/glm-5"), Endpoint::VertexKeyChatCompletions),
        ("/v1/chat/completions", chat("vtrix-claude-3-haiku"), Endpoint::VtrixChatCompletions),
        ("/llm/chat/completions", chat("vtrix-claude-3-haiku"), Endpoint::VtrixChatCompletions),
        (
            "https://vertex-key.com/api/v1/messages",
            format!(r#"{{"model": "aws/claude-haiku-4-5", "max_tokens": 10, "messages": {USER}}}"#),
            Endpoint::VertexKeyMessages,
        ),
        (
            "/v1/images/edits",
            r#"{"model": "enterprise/image-2", "prompt": "p", "image": "https://example.com/a.png"}"#.to_string(),
            Endpoint::VertexKeyImagesEdits,
        ),
    ] {
        let (report, found) = check(&line(url, &body));
        assert_eq!(report.endpoint, Some(endpoint), "{url} {body}");
        assert!(report.is_valid(), "{url} {body}: {found:?}");
    }
}

#[test]
fn body_findings_are_placed_in_the_line() {
    let text = line(
        "/v1/chat/completions",
        &format!(
            r#"{{"model": "vtrix-claude-3-haiku", "messages": {USER}, "max_tokens": 4097, "max_tokns": 1}}"#
        ),
    );
    let (report, found) = check(&text);
    assert_eq!(report.model.as_deref(), Some("vtrix-claude-3-haiku"));
    assert_eq!(
        found,
        [
            (Code::OutOfRange, "/body/max_tokens".into(), "4097".into()),
            (
                Code::UnknownParameter,
                "/body/max_tokns".into(),
                "\"max_tokns\"".into()
            ),
        ]
    );
}

#[test]
fn members_are_required_and_checked() {
    let (_, found) = check(&format!(
        r#"{{"custom_id": "a", "body": {}}}"#,
        chat("aws/glm-5")
    ));
    assert_eq!(
        found,
        [
            (Code::MissingRequired, "/method".into(), "{".into()),
            (Code::MissingRequired, "/url".into(), "{".into()),
        ]
    );
    let text = r#"{"custom_id": 7, "method": "GET", "url": 3, "body": [], "bdoy": {}}"#;
    let (_, found) = check(text);
    assert_eq!(
        found,
        [
            (Code::WrongType, "/custom_id".into(), "7".into()),
            (Code::BatchMethod, "/method".into(), "\"GET\"".into()),
            (Code::WrongType, "/url".into(), "3".into()),
            (Code::WrongType, "/body".into(), "[".into()),
            (Code::UnknownParameter, "/bdoy".into(), "\"bdoy\"".into()),
        ]
    );
    let (_, found) = check(r#"{"custom_id": "b", "method": "POST", "url": "/v1/messages"}"#);
    assert_eq!(found, [(Code::MissingRequired, "/body".into(), "{".into())]);
    let (report, _) =
        check(r#"{"custom_id": 7, "method": "GET", "url": 3, "body": [], "bdoy": {}}"#);
    let unknown = report
        .findings()
        .find(|f| f.code == Code::UnknownParameter)
        .unwrap();
    assert!(
        unknown.message.contains("did you mean `body`?"),
        "{}",
        unknown.message
    );
    let method = report
        .findings()
        .find(|f| f.code == Code::BatchMethod)
        .unwrap();
    assert!(
        method.message.contains("only \"POST\""),
        "{}",
        method.message
    );
}

#[test]
fn an_unknown_url_has_a_did_you_mean_and_the_body_is_checked_as_a_payload() {
    let text = line(
        "/v1/chat/completion",
        &format!(r#"{{"model": "vtrix-claude-3-haiku", "messages": {USER}, "max_tokens": 4097}}"#),
    );
    let (report, found) = check(&text);
    assert_eq!(
        found,
        [
            (
                Code::UnknownUrl,
                "/url".into(),
                "\"/v1/chat/completion\"".into()
            ),
            (Code::OutOfRange, "/body/max_tokens".into(), "4097".into()),
        ]
    );
    let f = &report.errors[0];
    assert!(
        f.message.contains("did you mean \"/v1/chat/completions\"?"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("\"/model/v1/generation\""),
        "{}",
        f.message
    );
}

#[test]
fn a_model_the_url_does_not_serve_names_the_endpoints_that_do() {
    let (report, found) = check(&line("/v1/images/generations", &chat("aws/glm-5")));
    assert_eq!(
        found,
        [(
            Code::UrlModelMismatch,
            "/body/model".into(),
            "\"aws/glm-5\"".into()
        )]
    );
    let m = &report.errors[0].message;
    assert!(
        m.starts_with("a body for a model the URL does not serve"),
        "{m}"
    );
    assert!(
        m.contains("vertexkey.chat_completions (url \"/v1/chat/completions\"), vertexkey.messages (url \"/v1/messages\")"),
        "{m}"
    );
    // A gateway's own path names the gateway.
    let (_, found) = check(&line("/llm/chat/completions", &chat("aws/glm-5")));
    assert_eq!(found[0].0, Code::UrlModelMismatch);
    // Vtrix has no /videos: its media models go to /model/v1/generation.
    let body = r#"{"model": "minimax_hailuo_23_i2v", "input": [{"params": {"prompt": "p"}}]}"#;
    let (report, found) = check(&line("/v1/videos", body));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        report.errors[0]
            .message
            .contains("vtrix.media_generation (url \"/model/v1/generation\")")
    );
}

#[test]
fn an_unknown_model_goes_where_only_one_gateway_has_the_endpoint() {
    let body = format!(r#"{{"model": "claude-next", "max_tokens": 1, "messages": {USER}}}"#);
    let (report, found) = check(&line("/v1/messages", &body));
    assert_eq!(report.endpoint, Some(Endpoint::VertexKeyMessages));
    assert_eq!(
        found,
        [(
            Code::UnknownModel,
            "/body/model".into(),
            "\"claude-next\"".into()
        )]
    );
    // Both gateways have chat completions: the url does not say which, and the body is
    // checked against the OpenAI chat format they share (the warning says so).
    let (report, found) = check(&line("/v1/chat/completions", &chat("gpt-next")));
    assert_eq!(report.endpoint, Some(Endpoint::VtrixChatCompletions));
    assert_eq!(found.len(), 1);
    assert!(
        report.warnings[0]
            .message
            .contains("OpenAI format both gateways share")
    );
    let (report, _) = check(&line(
        "https://cloud.vtrix.ai/llm/chat/completions",
        &chat("gpt-next"),
    ));
    assert_eq!(report.endpoint, Some(Endpoint::VtrixChatCompletions));
}

#[test]
fn custom_ids_are_unique_in_the_file() {
    let mut batch = BatchChecker::default();
    let text = line("/v1/chat/completions", &chat("aws/glm-5"));
    assert!(batch.check_line(text.as_bytes(), 3).is_valid());
    assert!(batch.check_line(b"  ", 4).errors[0].code == Code::InvalidJson);
    let again = batch.check_line(text.as_bytes(), 7);
    assert_eq!(again.errors.len(), 1);
    let f = &again.errors[0];
    assert_eq!(
        (f.code, f.pointer.as_str()),
        (Code::DuplicateCustomId, "/custom_id")
    );
    assert_eq!(&text[f.span.clone().unwrap()], "\"id\"");
    assert!(f.message.contains("line 3"), "{}", f.message);
    assert_eq!(batch.first_line_of("id"), Some(3));
    assert_eq!(batch.custom_ids(), 1);
    // A third time still names the first line.
    let third = batch.check_line(text.as_bytes(), 9);
    assert!(third.errors[0].message.contains("line 3"));
}

#[test]
fn a_repeated_member_is_read_as_serde_json_reads_it() {
    let text = r#"{"custom_id": "a", "method": "GET", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "aws/glm-5", "messages": [{"role": "user", "content": "Hi"}]}}"#;
    let (report, found) = check(text);
    assert!(report.is_valid(), "{found:?}");
    assert_eq!(
        found,
        [(Code::DuplicateKey, "/method".into(), "\"method\"".into())]
    );
}

#[test]
fn lines_that_are_not_objects_are_refused_as_payloads_are() {
    let (_, found) = check("[1]");
    assert_eq!(found, [(Code::WrongType, String::new(), "[".into())]);
    let (_, found) = check(r#"{"custom_id": "a", "body": {"#);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, Code::InvalidJson);
    let report = BatchChecker::default().check_line(b"{\"custom_id\": \"\xff\"}", 1);
    assert_eq!(report.errors[0].code, Code::InvalidJson);
    // Deep nesting in the body: refused, no panic.
    let deep = format!(
        r#"{{"custom_id": "a", "method": "POST", "url": "/v1/messages", "body": {}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let (report, _) = check(&deep);
    assert_eq!(report.errors[0].code, Code::InvalidJson);
    assert!(ParsedJson::parse(b"{\"custom_id\": \"a\", \"body\": {").is_err());
}

#[test]
fn the_policy_gives_the_batch_codes_their_levels() {
    let mut policy = Policy::default();
    policy.apply("unknown_url", Level::Allow).unwrap();
    policy.apply("batch_method", Level::Warn).unwrap();
    policy
        .apply("duplicate_custom_id:*:custom_id", Level::Allow)
        .unwrap();
    let mut batch = BatchChecker::new(Validator::new().policy(policy));
    let text = r#"{"custom_id": "a", "method": "PUT", "url": "/v2/chat", "body": {"model": "aws/glm-5", "messages": [{"role": "user", "content": "Hi"}]}}"#;
    batch.check_line(text.as_bytes(), 1);
    let report = batch.check_line(text.as_bytes(), 2);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let codes: Vec<Code> = report.warnings.iter().map(|f| f.code).collect();
    assert_eq!(codes, [Code::BatchMethod]);
    for code in [
        Code::DuplicateCustomId,
        Code::BatchMethod,
        Code::UnknownUrl,
        Code::UrlModelMismatch,
    ] {
        assert_eq!(code.default_level(), Level::Deny);
        assert!(code.is_configurable());
    }
}
