//! Every response fixture in `tests/fixtures/responses/` decodes into its type, in the
//! shapes real gateways send: OpenAI extras (`system_fingerprint`, `service_tier`,
//! `logprobs: null`, `refusal`, usage details), fields compatible providers omit, values
//! nobody documented (kept as `Unknown`), `null` where a list was expected, and
//! `reasoning_content`. The file name's prefix says the type.

use std::path::Path;

use modelgate::chat::{ChatCompletion, ChatCompletionChunk};
use modelgate::generated::vtrix::types::ErrorResponse;
use modelgate::messages::Message;
use modelgate::types::{FinishReason, MediaTaskStatus, VideoStatus};
use modelgate::vertexkey::{ImagesResponse, ModelList, VideoJob};
use modelgate::vtrix::MediaTask;

fn fixture<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/responses")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_fixture_decodes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/responses");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in &names {
        let stem = name.trim_end_matches(".json");
        match stem
            .split('_')
            .take(2)
            .collect::<Vec<_>>()
            .join("_")
            .as_str()
        {
            "chat_completion" => drop(fixture::<ChatCompletion>(name)),
            "chat_chunk" => drop(fixture::<ChatCompletionChunk>(name)),
            "message_anthropic" => drop(fixture::<Message>(name)),
            "images_url" | "images_b64" => drop(fixture::<ImagesResponse>(name)),
            "video_job" => drop(fixture::<VideoJob>(name)),
            "media_task" => {
                // One doc page wraps the task in {"data": task, "status": ...}; the client
                // unwraps it before decoding.
                let value: serde_json::Value = fixture(name);
                let task = match value.get("data") {
                    Some(data) if value.get("id").is_none() => data.clone(),
                    _ => value,
                };
                let task: MediaTask = serde_json::from_value(task)
                    .unwrap_or_else(|e| panic!("{name} does not decode as MediaTask: {e}"));
                assert!(task.id.is_some(), "{name}: no task id");
            }
            "models_list" => drop(fixture::<ModelList>(name)),
            "error_openai" | "error_numeric" => drop(fixture::<ErrorResponse>(name)),
            other => panic!("{name}: no type for prefix {other}"),
        }
    }
    assert!(names.len() >= 20, "{names:?}");
}

#[test]
fn openai_extras_and_omissions() {
    let full: ChatCompletion = fixture("chat_completion_openai_full.json");
    assert_eq!(full.system_fingerprint.as_deref(), Some("fp_2f406b9113"));
    let choice = &full.choices.as_ref().unwrap()[0];
    assert_eq!(choice.message.as_ref().unwrap().refusal, None);
    assert!(full.usage.as_ref().unwrap().prompt_tokens_details.is_some());
    let minimal: ChatCompletion = fixture("chat_completion_minimal.json");
    assert_eq!(
        minimal.choices.unwrap()[0]
            .message
            .as_ref()
            .unwrap()
            .content
            .as_deref(),
        Some("ok")
    );
    assert!(minimal.id.is_none() && minimal.created.is_none() && minimal.usage.is_none());
}

#[test]
fn unknown_values_are_kept() {
    let odd: ChatCompletion = fixture("chat_completion_unknown_values.json");
    let choices = odd.choices.unwrap();
    assert_eq!(
        choices[0].finish_reason,
        Some(FinishReason::Unknown("eos".into()))
    );
    assert_eq!(
        choices[1].finish_reason,
        Some(FinishReason::Unknown(String::new()))
    );
    assert_eq!(
        choices[0].message.as_ref().unwrap().role.as_deref(),
        Some("model")
    );
    assert_eq!(odd.service_tier.as_deref(), Some("on_demand"));
    let chunk: ChatCompletionChunk = fixture("chat_chunk_empty_finish_reason.json");
    assert_eq!(
        chunk.choices.unwrap()[0].finish_reason,
        Some(FinishReason::Unknown(String::new()))
    );
    let video: VideoJob = fixture("video_job_unknown_status.json");
    assert_eq!(
        video.status,
        Some(VideoStatus::Unknown("moderating".into()))
    );
    let message: Message = fixture("message_anthropic_new_block_type.json");
    assert_eq!(
        message.content.as_ref().unwrap()[0].type_.as_deref(),
        Some("redacted_thinking")
    );
    assert_eq!(message.stop_reason.as_deref(), Some("pause_turn"));
}

#[test]
fn reasoning_content_and_tool_calls_are_exposed() {
    let r1: ChatCompletion = fixture("chat_completion_reasoning.json");
    let message = r1.choices.unwrap()[0].message.clone().unwrap();
    assert!(
        message
            .reasoning_content
            .unwrap()
            .starts_with("The user asks")
    );
    let tools: ChatCompletion = fixture("chat_completion_tool_calls.json");
    let choice = &tools.choices.unwrap()[0];
    assert_eq!(choice.finish_reason, Some(FinishReason::ToolCalls));
    let call = &choice
        .message
        .as_ref()
        .unwrap()
        .tool_calls
        .as_ref()
        .unwrap()[0];
    assert_eq!(
        call.function.as_ref().unwrap().name.as_deref(),
        Some("weather")
    );
}

#[test]
fn media_tasks_in_every_documented_shape() {
    let done: MediaTask = fixture("media_task_completed.json");
    assert_eq!(done.status, Some(MediaTaskStatus::Completed));
    assert_eq!(
        modelgate::vtrix::output_urls(&done),
        ["https://cdn.vtrix.ai/out/gen_7d1c.mp4"]
    );
    assert_eq!(done.usage.unwrap().cost.as_deref(), Some("0.2800"));
    let running: MediaTask = fixture("media_task_in_progress.json");
    assert_eq!(
        (running.status, running.progress),
        (Some(MediaTaskStatus::InProgress), Some(0.35))
    );
    let failed: MediaTask = fixture("media_task_failed_string_error.json");
    assert_eq!(
        modelgate::media::job_error_message(failed.error.as_ref().unwrap()).as_deref(),
        Some("first_frame_image could not be downloaded")
    );
}

#[test]
fn anthropic_messages_and_usage() {
    let m: Message = fixture("message_anthropic.json");
    let usage = modelgate::cost::TokenUsage::from(m.usage.as_ref().unwrap());
    assert_eq!(
        (usage.input, usage.output, usage.cache_read),
        (2095, 503, 1800)
    );
    let cost = modelgate::cost::estimate(
        modelgate::ModelId::from_id("aws/claude-opus-4-7")
            .unwrap()
            .info(),
        &usage,
    )
    .unwrap();
    assert!(cost.amount > 0.0);
}
