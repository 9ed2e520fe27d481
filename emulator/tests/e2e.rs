//! modelgate's own clients against the emulator, for every endpoint of both gateways: the
//! answers decode, streams accumulate, validation and authentication errors come back in
//! the gateway's shape, jobs run their lifecycle, and injected faults are retried.

use std::time::Duration;

use futures_util::StreamExt;
use modelgate::chat::{ChatCompletionRequest, request, user};
use modelgate::media::{ImageInput, JobState, WaitOptions};
use modelgate::vertexkey::{
    ImageGenerationRequest, VideoCreateRequest, image_edit_request, image_request,
};
use modelgate::{ApiErrorKind, Config, Error, Provider, VertexKeyClient, VtrixClient};
use modelgate_emulator::{Emulator, EmulatorConfig};
use reqwest::header::{HeaderName, HeaderValue};

async fn start(config: EmulatorConfig) -> String {
    let addr = Emulator::new(config).spawn_local().await.unwrap();
    format!("http://{addr}")
}

fn fast() -> EmulatorConfig {
    EmulatorConfig {
        job_seconds: 0.3,
        ..Default::default()
    }
}

fn vertexkey(base: &str) -> VertexKeyClient {
    VertexKeyClient::new(
        Config::new(Provider::VertexKey)
            .api_key("vai-local")
            .base_url(format!("{base}/v1")),
    )
    .unwrap()
}

fn vtrix(base: &str) -> VtrixClient {
    VtrixClient::new(
        Config::new(Provider::Vtrix)
            .api_key("vtrix-local")
            .base_url(base),
    )
    .unwrap()
}

#[tokio::test]
async fn chat_on_both_gateways_is_deterministic() {
    let base = start(fast()).await;
    let req = request("aws/claude-sonnet-4-6", vec![user("What is a gateway?")]);
    let a = vertexkey(&base).chat().create(&req).await.unwrap();
    let b = vertexkey(&base).chat().create(&req).await.unwrap();
    assert_eq!(a, b, "the same request gets the same answer");
    let choice = &a.choices.as_ref().unwrap()[0];
    assert!(
        !choice
            .message
            .as_ref()
            .unwrap()
            .content
            .as_deref()
            .unwrap()
            .is_empty()
    );
    let usage = a.usage.unwrap();
    assert_eq!(
        usage.total_tokens,
        Some(usage.prompt_tokens.unwrap() + usage.completion_tokens.unwrap())
    );
    let v = vtrix(&base)
        .chat()
        .create(&request("vtrix-deepseek-r1", vec![user("Think first")]))
        .await
        .unwrap();
    let message = v.choices.unwrap()[0].message.clone().unwrap();
    assert!(
        message.reasoning_content.is_some(),
        "a reasoning model sends reasoning_content"
    );
}

#[tokio::test]
async fn max_tokens_cuts_with_finish_reason_length() {
    let base = start(fast()).await;
    let req = ChatCompletionRequest {
        max_tokens: Some(2),
        ..request("vtrix-claude-3-haiku", vec![user("Talk a lot")])
    };
    let a = vtrix(&base).chat().create(&req).await.unwrap();
    assert_eq!(
        a.choices.unwrap()[0].finish_reason,
        Some(modelgate::types::FinishReason::Length)
    );
}

#[tokio::test]
async fn streams_accumulate_to_the_same_answer() {
    let base = start(EmulatorConfig {
        stream_pacing_ms: 1,
        ..fast()
    })
    .await;
    let req = request("aws/glm-5", vec![user("Stream please")]);
    let whole = vertexkey(&base).chat().create(&req).await.unwrap();
    let streamed = ChatCompletionRequest {
        stream: Some(true),
        ..req
    };
    let acc = vertexkey(&base)
        .chat()
        .create_stream(&streamed)
        .await
        .unwrap()
        .collect_message()
        .await
        .map_err(|(e, _)| e)
        .unwrap();
    assert_eq!(
        Some(acc.content.as_str()),
        whole.choices.unwrap()[0]
            .message
            .as_ref()
            .unwrap()
            .content
            .as_deref()
    );
    assert!(acc.usage.is_some());
}

#[tokio::test]
async fn tools_and_json_formats() {
    let base = start(fast()).await;
    let tools: Vec<modelgate::chat::Tool> = serde_json::from_value(serde_json::json!([{"type": "function", "function": {
        "name": "get_weather", "parameters": {"type": "object", "required": ["city"], "properties": {"city": {"type": "string"}}}}}]))
    .unwrap();
    let req = ChatCompletionRequest {
        tools,
        ..request(
            "vtrix-deepseek-v3.2",
            vec![user("Call get_weather for Hanoi")],
        )
    };
    let a = vtrix(&base).chat().create(&req).await.unwrap();
    let choice = &a.choices.unwrap()[0];
    assert_eq!(
        choice.finish_reason,
        Some(modelgate::types::FinishReason::ToolCalls)
    );
    let call = &choice
        .message
        .as_ref()
        .unwrap()
        .tool_calls
        .as_ref()
        .unwrap()[0];
    let args: serde_json::Value = serde_json::from_str(
        call.function
            .as_ref()
            .unwrap()
            .arguments
            .as_deref()
            .unwrap(),
    )
    .unwrap();
    assert!(args["city"].is_string());

    let format: modelgate::chat::ResponseFormat = serde_json::from_value(serde_json::json!({"type": "json_schema",
        "json_schema": {"name": "plan", "schema": {"type": "object", "required": ["steps"], "properties": {"steps": {"type": "array", "items": {"type": "string"}}, "days": {"type": "integer", "minimum": 2}}}}}))
    .unwrap();
    let req = ChatCompletionRequest {
        response_format: Some(format),
        ..request("vtrix-gpt-5.3-codex", vec![user("Plan")])
    };
    let a = vtrix(&base).chat().create(&req).await.unwrap();
    let text = a.choices.unwrap()[0]
        .message
        .as_ref()
        .unwrap()
        .content
        .clone()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(
        v["steps"].is_array() && v["days"].as_i64().unwrap() >= 2,
        "{v}"
    );
}

#[tokio::test]
async fn anthropic_messages_plain_and_streamed() {
    let base = start(fast()).await;
    let req: modelgate::messages::MessageCreateRequest = serde_json::from_value(serde_json::json!({
        "model": "aws/claude-opus-4-7", "max_tokens": 64, "system": "Be brief",
        "messages": [{"role": "user", "content": "Use the lookup tool"}],
        "tools": [{"name": "lookup", "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}}}]}))
    .unwrap();
    let m = vertexkey(&base).messages().create(&req).await.unwrap();
    assert_eq!(m.stop_reason.as_deref(), Some("tool_use"));
    let streamed = modelgate::messages::MessageCreateRequest {
        stream: Some(true),
        ..req
    };
    let acc = vertexkey(&base)
        .messages()
        .create_stream(&streamed)
        .await
        .unwrap()
        .collect_message()
        .await
        .map_err(|(e, _)| e)
        .unwrap();
    assert!(acc.complete);
    assert_eq!(
        acc.text(),
        m.content.as_ref().unwrap()[0].text.clone().unwrap()
    );
    assert_eq!(acc.blocks[1].tool_name.as_deref(), Some("lookup"));
    assert!(serde_json::from_str::<serde_json::Value>(&acc.blocks[1].input_json).is_ok());
}

#[tokio::test]
async fn images_as_url_and_base64_and_edits() {
    let base = start(fast()).await;
    let client = vertexkey(&base);
    let req = image_request("enterprise/gemini-3-pro-image-preview-1k", "a fox");
    let r = client.images().generate(&req).await.unwrap();
    let url = r.data.unwrap()[0].url.clone().unwrap();
    let png = client.download(&url).await.unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let b64: ImageGenerationRequest = serde_json::from_value(serde_json::json!({"model": "enterprise/image-2", "prompt": "a fox", "response_format": "b64_json"})).unwrap();
    assert!(
        client.images().generate(&b64).await.unwrap().data.unwrap()[0]
            .b64_json
            .is_some()
    );
    let image = ImageInput::Bytes {
        mime: "image/png".into(),
        data: png.to_vec(),
    }
    .to_request_value();
    let edit = image_edit_request("enterprise/image-2", "add a hat", image);
    assert!(client.images().edit(&edit).await.is_ok());
    // The fixed resolution is enforced by the emulator too (validation off in the client).
    let wrong = ImageGenerationRequest {
        size: Some("512x512".into()),
        ..req
    };
    let err = client
        .images()
        .validate(false)
        .generate(&wrong)
        .await
        .unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(
        (api.status, api.code.as_deref()),
        (400, Some("fixed_value_mismatch"))
    );
    assert!(api.body.contains("\"pointer\":\"/size\""), "{}", api.body);
}

#[tokio::test]
async fn models_lists_the_catalogs_vertexkey_models() {
    let base = start(fast()).await;
    let list = vertexkey(&base).models().await.unwrap();
    let ids: Vec<String> = list.data.unwrap().into_iter().map(|m| m.id).collect();
    assert_eq!(ids.len(), 19);
    assert!(ids.contains(&"aws/claude-opus-4-7".to_string()));
    // The `/api/v1` alias of seed 004 serves the same.
    let alias = VertexKeyClient::new(
        Config::new(Provider::VertexKey)
            .api_key("vai-local")
            .base_url(format!("{base}/api/v1")),
    )
    .unwrap();
    assert_eq!(alias.models().await.unwrap().data.unwrap().len(), ids.len());
}

#[tokio::test]
async fn video_jobs_and_media_tasks_run_their_lifecycle() {
    let base = start(fast()).await;
    let client = vertexkey(&base);
    let job = client
        .videos()
        .create(&VideoCreateRequest {
            model: "enterprise/seedance-1-5-pro".into(),
            prompt: "a cat".into(),
        })
        .await
        .unwrap();
    let mut states = Vec::new();
    let options = WaitOptions {
        interval: Duration::from_millis(40),
        timeout: Duration::from_secs(5),
    };
    let done = client
        .videos()
        .wait(job.id.as_deref().unwrap(), options, |p| {
            states.push(p.state.clone())
        })
        .await
        .unwrap();
    assert!(states.contains(&JobState::Running), "{states:?}");
    assert_eq!(states.last(), Some(&JobState::Succeeded));
    let video = client
        .download(done.video_url.as_deref().unwrap())
        .await
        .unwrap();
    assert!(video.len() > 16);

    let media = vtrix(&base);
    let req: modelgate::vtrix::MediaGenerationRequest = serde_json::from_value(serde_json::json!({
        "model": "minimax_hailuo_23_i2v", "input": [{"params": {"prompt": "waves [fail]", "first_frame_image": "https://i/1.jpg"}}]})).unwrap();
    let task = media.media().submit(&req).await.unwrap();
    assert_eq!(task.state, JobState::Queued);
    let err = media
        .media()
        .wait(task.job.id.as_deref().unwrap(), options, |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, Error::JobFailed { .. }), "{err}");
}

#[tokio::test]
async fn authentication_and_balance() {
    let base = start(EmulatorConfig {
        api_keys: Some(vec!["vai-good".into(), "vai-broke".into()]),
        no_balance_keys: vec!["vai-broke".into()],
        ..fast()
    })
    .await;
    let with_key = |key: &str| {
        VertexKeyClient::new(
            Config::new(Provider::VertexKey)
                .api_key(key)
                .base_url(format!("{base}/v1"))
                .max_retries(0),
        )
        .unwrap()
    };
    assert!(with_key("vai-good").models().await.is_ok());
    assert_eq!(
        with_key("vai-bad")
            .models()
            .await
            .unwrap_err()
            .api()
            .unwrap()
            .kind,
        ApiErrorKind::Authentication
    );
    let broke = with_key("vai-broke").models().await.unwrap_err();
    assert_eq!(broke.api().unwrap().kind, ApiErrorKind::PermissionDenied);
    assert_eq!(broke.api().unwrap().message, "Insufficient balance");
}

#[tokio::test]
async fn injected_faults_are_retried_by_the_client() {
    let base = start(fast()).await;
    let fault = |spec: &'static str| {
        VertexKeyClient::new(
            Config::new(Provider::VertexKey)
                .api_key("vai-local")
                .base_url(format!("{base}/v1"))
                .header(
                    HeaderName::from_static("x-modelgate-fault"),
                    HeaderValue::from_static(spec),
                ),
        )
        .unwrap()
    };
    let req = request("aws/glm-5", vec![user("hello")]);
    // Fails twice, then the client's second retry succeeds.
    assert!(
        fault("429; retry-after=0; count=2")
            .chat()
            .create(&req)
            .await
            .is_ok()
    );
    // Fails more often than the client retries.
    let err = fault("503; retry-after=0; count=5")
        .chat()
        .create(&req)
        .await
        .unwrap_err();
    assert_eq!(err.api().unwrap().status, 503);
    // A stream cut after 3 events: what came first is kept.
    let streamed = ChatCompletionRequest {
        stream: Some(true),
        ..req
    };
    let mut stream = fault("drop-stream-after=3")
        .chat()
        .create_stream(&streamed)
        .await
        .unwrap();
    let mut got = 0;
    let mut failed = false;
    while let Some(item) = stream.next().await {
        match item {
            Ok(_) => got += 1,
            Err(_) => failed = true,
        }
    }
    assert_eq!((got, failed), (3, true));
}

#[tokio::test]
async fn after_a_tool_result_the_model_answers_in_text() {
    let base = start(fast()).await;
    let req: ChatCompletionRequest = serde_json::from_value(serde_json::json!({
        "model": "vtrix-deepseek-v3.2",
        "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}],
        "messages": [
            {"role": "user", "content": "Call get_weather for Hanoi"},
            {"role": "assistant", "content": "", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": "{\"temperature\": 30}"}
        ]}))
    .unwrap();
    let a = vtrix(&base).chat().create(&req).await.unwrap();
    let choice = &a.choices.unwrap()[0];
    assert_eq!(
        choice.finish_reason,
        Some(modelgate::types::FinishReason::Stop)
    );
    let message = choice.message.as_ref().unwrap();
    assert!(message.tool_calls.is_none(), "{message:?}");
    assert!(!message.content.as_deref().unwrap().is_empty());
}

#[tokio::test]
async fn timeout_and_server_error_faults() {
    let base = start(EmulatorConfig {
        timeout_fault_seconds: 0.2,
        ..fast()
    })
    .await;
    let client = |spec: &'static str, retries: u32| {
        VertexKeyClient::new(
            Config::new(Provider::VertexKey)
                .api_key("vai-local")
                .base_url(format!("{base}/v1"))
                .max_retries(retries)
                .header(
                    HeaderName::from_static("x-modelgate-fault"),
                    HeaderValue::from_static(spec),
                ),
        )
        .unwrap()
    };
    let req = request("aws/glm-5", vec![user("slow")]);
    // Held for timeout_fault_seconds, then 504.
    let started = std::time::Instant::now();
    let err = client("timeout", 0).chat().create(&req).await.unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(err.api().unwrap().status, 504, "{err}");
    // A client whose own timeout is shorter gives up first.
    let impatient = VertexKeyClient::new(
        Config::new(Provider::VertexKey)
            .api_key("vai-local")
            .base_url(format!("{base}/v1"))
            .max_retries(0)
            .request_timeout(Duration::from_millis(50))
            .header(
                HeaderName::from_static("x-modelgate-fault"),
                HeaderValue::from_static("timeout"),
            ),
    )
    .unwrap();
    let err = impatient.chat().create(&req).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err}");
    // A 500 once, retried to success; an unknown fault is a clear 400.
    assert!(
        client("500; count=1; retry-after=0", 1)
            .chat()
            .create(&req)
            .await
            .is_ok()
    );
    let err = client("418", 0).chat().create(&req).await.unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.status, 400);
    assert!(
        api.message.contains("unknown fault `418`"),
        "{}",
        api.message
    );
}

/// A standard tool-calling loop in the typed client: the model asks for a tool, the
/// program answers it, the model answers in text. Vtrix's Claude documents neither tools
/// nor the tool role: warnings, so the default policy sends it; a strict policy refuses
/// it before anything is sent.
#[tokio::test]
async fn a_tool_loop_is_sent_by_default_and_refused_unsent_by_a_strict_policy() {
    use modelgate::Policy;
    use modelgate::chat::{function_tool, reply, tool_result};

    let base = start(fast()).await;
    let model = "vtrix-claude-sonnet-4.5";
    let tools = vec![function_tool(
        "get_weather",
        "The weather of a city",
        serde_json::json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]})
            .as_object()
            .cloned()
            .unwrap(),
    )];
    let client = vtrix(&base);
    let mut messages = vec![user("Call the get_weather tool for Oslo")];
    let first = client
        .chat()
        .create(&ChatCompletionRequest {
            tools: tools.clone(),
            ..request(model, messages.clone())
        })
        .await
        .unwrap();
    let answer = first.choices.unwrap()[0].message.clone().unwrap();
    let call = answer.tool_calls.clone().unwrap()[0].clone();
    messages.push(reply(&answer));
    messages.push(tool_result(call.id.unwrap(), "{\"celsius\": 4}"));
    let loop_request = ChatCompletionRequest {
        tools,
        ..request(model, messages)
    };
    // The assistant turn goes out as the format has it: tool_calls and no content.
    let sent = serde_json::to_value(&loop_request).unwrap();
    assert!(sent["messages"][1].get("content").is_none(), "{sent}");
    let second = client.chat().create(&loop_request).await.unwrap();
    let text = second.choices.unwrap()[0].message.clone().unwrap().content;
    assert!(text.is_some_and(|t| !t.is_empty()));

    // Strict: every warning is an error, and nothing is sent.
    let strict = VtrixClient::new(
        Config::new(Provider::Vtrix)
            .api_key("vtrix-local")
            .base_url(format!("{base}/unreachable"))
            .policy(Policy::strict()),
    )
    .unwrap();
    match strict.chat().create(&loop_request).await {
        Err(Error::Validation { subject, errors }) => {
            assert_eq!(subject, model);
            let found: Vec<(&str, modelgate::Code)> = errors
                .iter()
                .map(|e| (e.pointer.as_str(), e.code))
                .collect();
            assert_eq!(
                found,
                [
                    ("/messages/2/role", modelgate::Code::UndocumentedValue),
                    ("/tools", modelgate::Code::UndocumentedParameter),
                ]
            );
        }
        other => panic!("expected a refusal before sending, got {other:?}"),
    }
}

/// The emulator accepts what the default policy accepts and says what it would warn
/// about in `x-modelgate-warnings`; configured strict, it refuses the same request as a
/// gateway that takes only what it documents would.
#[tokio::test]
async fn the_emulator_warns_in_a_header_and_can_be_strict() {
    let body = serde_json::json!({
        "model": "aws/claude-sonnet-4-6",
        "messages": [{"role": "user", "content": "hi"}],
        "seed": 42, "tool_choice": null, "max_tokens": null
    });
    let post = |base: String| {
        let body = body.clone();
        async move {
            reqwest::Client::new()
                .post(format!("{base}/v1/chat/completions"))
                .bearer_auth("vai-local")
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let lenient = post(start(fast()).await).await;
    assert_eq!(lenient.status(), 200);
    assert_eq!(
        lenient.headers()["x-modelgate-warnings"],
        "undocumented_parameter /seed, unexpected_null /tool_choice"
    );
    let strict = EmulatorConfig::from_yaml("policy:\n  strict: true\n").unwrap();
    let refused = post(start(strict).await).await;
    assert_eq!(refused.status(), 400);
    assert!(refused.headers().get("x-modelgate-warnings").is_none());
    let error: serde_json::Value = refused.json().await.unwrap();
    let pointers: Vec<&str> = error["error"]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/seed", "/tool_choice"]);
    // A scoped exception, as in modelgate.toml.
    let checked =
        EmulatorConfig::from_yaml("policy:\n  strict: true\n  allow: [\"undocumented_parameter:aws/*:seed\", unexpected_null]\n")
            .unwrap();
    assert_eq!(post(start(checked).await).await.status(), 200);
}
