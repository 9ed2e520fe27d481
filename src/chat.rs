//! Chat completions in the OpenAI format, on either gateway: [`Chat::create`] for one
//! answer, [`Chat::create_stream`] for a stream of typed chunks, and [`ChatAccumulator`]
//! to rebuild the final message from a stream (content, reasoning content, tool calls
//! whose arguments arrive in pieces, finish reason, usage).

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::{Stream, StreamExt};

use crate::Endpoint;
use crate::error::Error;
use crate::http::{Operation, Runtime};
use crate::sse::SseEvent;
use crate::stream::{BoxStream, stream_error, typed};

pub use crate::generated::vtrix::types::{
    AssistantMessage, AssistantMessageParam, AssistantMessageParamContent,
    AssistantMessageParamRole, ChatChoice, ChatCompletion, ChatCompletionChunk,
    ChatCompletionRequest, ChatCompletionRequestStop, ChatCompletionRequestToolChoice, ChatMessage,
    ChunkChoice, ChunkDelta, ContentPart, DeveloperMessage, DeveloperMessageRole, FunctionCall,
    FunctionCallArguments, FunctionDefinition, FunctionTool, FunctionToolType, ImageUrl,
    ImageUrlPart, MessageToolCall, MessageToolCallFunction, MessageToolCallFunctionType,
    ResponseFormat, StreamOptions, SystemMessage, SystemMessageRole, TextContent, TextPart, Tool,
    ToolCall, ToolCallDelta, ToolMessage, ToolMessageRole, Usage, UserContent, UserMessage,
    UserMessageRole,
};
pub use crate::types::FinishReason;
pub use modelgate_api::chat::{
    assistant, assistant_tool_calls, developer, function_tool, reply, request, system, tool_result,
    user,
};

/// A chat request body: the typed [`ChatCompletionRequest`], or JSON as read from a file
/// (`serde_json::Value`), which is sent as it is, so that nothing the typed request lacks
/// is dropped (except `stream`, which the method sets: [`Chat::create`] does not
/// stream, [`Chat::create_stream`] does).
pub trait ChatRequestBody: serde::Serialize {}

impl ChatRequestBody for ChatCompletionRequest {}

impl ChatRequestBody for serde_json::Value {}

/// Chat completions on one gateway's endpoint.
#[derive(Clone, Debug)]
pub struct Chat<'c> {
    runtime: &'c Runtime,
    endpoint: Endpoint,
    validate: bool,
}

impl<'c> Chat<'c> {
    pub(crate) fn new(runtime: &'c Runtime, endpoint: Endpoint) -> Self {
        Chat {
            runtime,
            endpoint,
            validate: true,
        }
    }

    /// Turns validation off (or on) for the requests made with this handle; the client's
    /// setting still applies.
    pub fn validate(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }

    /// One completion. The request is a [`ChatCompletionRequest`], or JSON
    /// (`serde_json::Value`) sent as it is; the answer does not stream, so a `stream`
    /// the request holds is sent as `false` (use [`Chat::create_stream`] for chunks).
    pub async fn create<B: ChatRequestBody + ?Sized>(
        &self,
        request: &B,
    ) -> Result<ChatCompletion, Error> {
        let op = Operation::endpoint(self.endpoint).sets_stream();
        self.runtime.post_json(&op, request, self.validate).await
    }

    /// A streamed completion, as typed chunks: the request is sent with `stream: true`,
    /// whatever its own `stream` says. It is retried only until the stream has started.
    pub async fn create_stream<B: ChatRequestBody + ?Sized>(
        &self,
        request: &B,
    ) -> Result<ChatStream, Error> {
        let op = Operation::endpoint(self.endpoint).stream().sets_stream();
        let events = self
            .runtime
            .post_events(&op, request, self.validate)
            .await?;
        Ok(ChatStream {
            inner: chat_chunks(events),
        })
    }
}

/// Chat chunks from SSE events: `[DONE]` ends the stream; an `error` event or a
/// `{"error": ...}` payload becomes [`Error::Stream`].
pub fn chat_chunks(events: BoxStream<SseEvent>) -> BoxStream<ChatCompletionChunk> {
    typed(events, decode_chunk)
}

fn decode_chunk(event: SseEvent) -> Result<Option<ChatCompletionChunk>, Error> {
    if event.is_done() {
        return Ok(None);
    }
    if event.event.as_deref() == Some("error") || event.data.starts_with("{\"error\"") {
        return Err(stream_error(&event.data));
    }
    serde_json::from_str(&event.data).map(Some).map_err(|e| {
        crate::http::decode_error(
            "chat stream chunk",
            200,
            &e.to_string(),
            event.data.as_bytes(),
        )
    })
}

/// A streamed chat completion: a `Stream` of chunks.
pub struct ChatStream {
    inner: BoxStream<ChatCompletionChunk>,
}

impl Stream for ChatStream {
    type Item = Result<ChatCompletionChunk, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl ChatStream {
    /// Reads the whole stream into a [`ChatAccumulator`]. On an error, what arrived
    /// before it is returned with it.
    pub async fn collect_message(mut self) -> Result<ChatAccumulator, (Error, ChatAccumulator)> {
        let mut acc = ChatAccumulator::default();
        while let Some(item) = self.next().await {
            match item {
                Ok(chunk) => acc.push(&chunk),
                Err(e) => return Err((e, acc)),
            }
        }
        Ok(acc)
    }
}

/// A tool call rebuilt from its streamed fragments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccumulatedToolCall {
    /// The call's id.
    pub id: Option<String>,
    /// The function's name.
    pub name: String,
    /// The arguments, as the JSON text the fragments add up to.
    pub arguments: String,
}

/// The final message of a streamed completion (first choice).
///
/// ```
/// use modelgate::chat::{ChatAccumulator, ChatCompletionChunk, FinishReason};
///
/// let chunks = [
///     r#"{"id": "c1", "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hel"}}]}"#,
///     r#"{"id": "c1", "choices": [{"index": 0, "delta": {"content": "lo"}}]}"#,
///     r#"{"id": "c1", "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0,
///          "id": "call_1", "function": {"name": "get_weather", "arguments": "{\"ci"}}]}}]}"#,
///     r#"{"id": "c1", "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0,
///          "function": {"arguments": "ty\":\"Paris\"}"}}]}, "finish_reason": "tool_calls"}]}"#,
/// ];
/// let mut answer = ChatAccumulator::default();
/// for chunk in chunks {
///     answer.push(&serde_json::from_str::<ChatCompletionChunk>(chunk).unwrap());
/// }
/// assert_eq!(answer.content, "Hello");
/// assert_eq!(answer.tool_calls[0].name, "get_weather");
/// assert_eq!(answer.tool_calls[0].arguments, r#"{"city":"Paris"}"#);
/// assert_eq!(answer.finish_reason, Some(FinishReason::ToolCalls));
/// assert_eq!(answer.chunks, 4);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChatAccumulator {
    /// The completion id.
    pub id: Option<String>,
    /// The model that answered.
    pub model: Option<String>,
    /// The role of the message.
    pub role: Option<String>,
    /// The text.
    pub content: String,
    /// The reasoning text (DeepSeek R1 style `reasoning_content`).
    pub reasoning_content: String,
    /// Tool calls, by their index.
    pub tool_calls: Vec<AccumulatedToolCall>,
    /// Why the model stopped.
    pub finish_reason: Option<FinishReason>,
    /// Token usage, if the stream reported it.
    pub usage: Option<Usage>,
    /// How many chunks were read.
    pub chunks: usize,
}

impl ChatAccumulator {
    /// Adds one chunk.
    pub fn push(&mut self, chunk: &ChatCompletionChunk) {
        self.chunks += 1;
        if self.id.is_none() {
            self.id.clone_from(&chunk.id);
        }
        if self.model.is_none() {
            self.model.clone_from(&chunk.model);
        }
        if chunk.usage.is_some() {
            self.usage.clone_from(&chunk.usage);
        }
        let Some(choice) = chunk
            .choices
            .iter()
            .flatten()
            .find(|c| c.index.unwrap_or(0) == 0)
        else {
            return;
        };
        if let Some(reason) = &choice.finish_reason {
            self.finish_reason = Some(reason.clone());
        }
        let Some(delta) = &choice.delta else { return };
        if self.role.is_none() {
            self.role.clone_from(&delta.role);
        }
        if let Some(text) = &delta.content {
            self.content.push_str(text);
        }
        if let Some(text) = &delta.reasoning_content {
            self.reasoning_content.push_str(text);
        }
        for fragment in delta.tool_calls.iter().flatten() {
            let index = fragment.index.map_or(0, |i| i.max(0) as usize);
            if self.tool_calls.len() <= index {
                self.tool_calls
                    .resize_with(index + 1, AccumulatedToolCall::default);
            }
            let call = &mut self.tool_calls[index];
            if fragment.id.is_some() {
                call.id.clone_from(&fragment.id);
            }
            if let Some(f) = &fragment.function {
                if let Some(name) = &f.name {
                    call.name.push_str(name);
                }
                if let Some(args) = &f.arguments {
                    call.arguments.push_str(args);
                }
            }
        }
    }
}
