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
use crate::stream::{BoxStream, check_stream_flag, stream_error, typed};

pub use crate::generated::vtrix::types::{
    AssistantMessage, ChatChoice, ChatCompletion, ChatCompletionChunk, ChatCompletionRequest,
    ChatCompletionRequestStop, ChatMessage, ChatMessageContent, ChatMessageRole, ChunkChoice,
    ChunkDelta, ContentPart, FunctionCall, FunctionDefinition, ResponseFormat, Tool, ToolCall,
    ToolCallDelta, ToolType, Usage,
};
pub use crate::types::FinishReason;

/// A request with only `model` and `messages` set; fill in the rest with struct update
/// syntax (`ChatCompletionRequest { max_tokens: Some(256), ..request(model, messages) }`).
pub fn request(model: impl Into<String>, messages: Vec<ChatMessage>) -> ChatCompletionRequest {
    ChatCompletionRequest {
        model: model.into(),
        messages,
        frequency_penalty: None,
        function_call: None,
        functions: Vec::new(),
        max_tokens: None,
        presence_penalty: None,
        reasoning_effort: None,
        response_format: None,
        stop: None,
        stream: None,
        temperature: None,
        tool_choice: None,
        tools: Vec::new(),
        top_p: None,
    }
}

/// A message with a role and text content.
pub fn message(role: ChatMessageRole, text: impl Into<String>) -> ChatMessage {
    ChatMessage {
        role,
        content: ChatMessageContent::String(text.into()),
        name: None,
        tool_call_id: None,
        tool_calls: Vec::new(),
        function_call: None,
    }
}

/// A user message.
pub fn user(text: impl Into<String>) -> ChatMessage {
    message(ChatMessageRole::User, text)
}

/// A system message.
pub fn system(text: impl Into<String>) -> ChatMessage {
    message(ChatMessageRole::System, text)
}

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

    /// One completion. Refuses `stream: true` (use [`Chat::create_stream`]).
    pub async fn create(&self, request: &ChatCompletionRequest) -> Result<ChatCompletion, Error> {
        check_stream_flag(request.stream, false)?;
        let op = Operation::endpoint("create_chat_completion", self.endpoint);
        self.runtime.post_json(&op, request, self.validate).await
    }

    /// A streamed completion, as typed chunks. Refuses a request without `stream: true`
    /// (use [`Chat::create`]). The request is retried only until the stream has started.
    pub async fn create_stream(
        &self,
        request: &ChatCompletionRequest,
    ) -> Result<ChatStream, Error> {
        check_stream_flag(request.stream, true)?;
        let op = Operation::endpoint("create_chat_completion", self.endpoint).stream();
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
