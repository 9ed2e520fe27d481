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

/// Reading an answer without unwrapping every `Option`: the first choice (index 0) and its
/// message's text, tool calls and finish reason. Every field stays optional in the type,
/// since compatible gateways omit some (public-facts section 6).
impl ChatCompletion {
    /// The first choice: the one with index 0 (a choice without an index counts as 0), or
    /// else the first listed.
    ///
    /// ```
    /// # use modelgate::chat::ChatCompletion;
    /// let answer: ChatCompletion = serde_json::from_str(r#"{"choices": [
    ///     {"index": 1, "message": {"role": "assistant", "content": "second"}},
    ///     {"index": 0, "message": {"role": "assistant", "content": "first"}}]}"#).unwrap();
    /// assert_eq!(answer.first_choice().and_then(|c| c.index), Some(0));
    /// ```
    pub fn first_choice(&self) -> Option<&ChatChoice> {
        first_by_index(self.choices.as_deref()?, |c| c.index)
    }

    /// The first choice's message.
    ///
    /// ```
    /// # use modelgate::chat::ChatCompletion;
    /// let answer: ChatCompletion = serde_json::from_str(
    ///     r#"{"choices": [{"message": {"role": "assistant", "refusal": "I can't."}}]}"#,
    /// ).unwrap();
    /// assert_eq!(answer.message().and_then(|m| m.refusal.as_deref()), Some("I can't."));
    /// ```
    pub fn message(&self) -> Option<&AssistantMessage> {
        self.first_choice()?.message.as_ref()
    }

    /// The first choice's text; `None` when there is none (a tool call, a refusal, an
    /// empty answer).
    ///
    /// ```
    /// # use modelgate::chat::ChatCompletion;
    /// let answer: ChatCompletion = serde_json::from_str(r#"{
    ///     "id": "chatcmpl-1", "model": "aws/claude-sonnet-4-6",
    ///     "choices": [{"index": 0, "finish_reason": "stop",
    ///                  "message": {"role": "assistant", "content": "Hello!"}}]}"#).unwrap();
    /// assert_eq!(answer.text(), Some("Hello!"));
    /// ```
    pub fn text(&self) -> Option<&str> {
        self.message()?.content.as_deref()
    }

    /// The tool calls of the first choice's message (empty when it made none).
    ///
    /// ```
    /// # use modelgate::chat::ChatCompletion;
    /// let answer: ChatCompletion = serde_json::from_str(r#"{"choices": [{
    ///     "finish_reason": "tool_calls",
    ///     "message": {"role": "assistant", "content": null, "tool_calls": [
    ///         {"id": "call_1", "type": "function",
    ///          "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]}}]}"#,
    /// ).unwrap();
    /// let call = &answer.tool_calls()[0];
    /// assert_eq!(call.id.as_deref(), Some("call_1"));
    /// let function = call.function.as_ref().unwrap();
    /// assert_eq!(function.name.as_deref(), Some("get_weather"));
    /// assert_eq!(function.arguments.as_deref(), Some(r#"{"city":"Paris"}"#));
    /// assert_eq!(answer.text(), None);
    /// ```
    pub fn tool_calls(&self) -> &[ToolCall] {
        self.message()
            .and_then(|m| m.tool_calls.as_deref())
            .unwrap_or_default()
    }

    /// Why the first choice stopped.
    ///
    /// ```
    /// # use modelgate::chat::{ChatCompletion, FinishReason};
    /// let answer: ChatCompletion = serde_json::from_str(
    ///     r#"{"choices": [{"finish_reason": "length", "message": {"content": "Once upon"}}]}"#,
    /// ).unwrap();
    /// assert_eq!(answer.finish_reason(), Some(&FinishReason::Length));
    /// ```
    pub fn finish_reason(&self) -> Option<&FinishReason> {
        self.first_choice()?.finish_reason.as_ref()
    }
}

/// The same reading for one chunk of a streamed completion (a [`ChatAccumulator`] puts
/// the chunks together).
impl ChatCompletionChunk {
    /// The first choice (index 0, or else the first listed).
    ///
    /// ```
    /// # use modelgate::chat::ChatCompletionChunk;
    /// let chunk: ChatCompletionChunk = serde_json::from_str(
    ///     r#"{"choices": [{"index": 0, "delta": {"role": "assistant"}}]}"#,
    /// ).unwrap();
    /// assert_eq!(chunk.first_choice().and_then(|c| c.index), Some(0));
    /// ```
    pub fn first_choice(&self) -> Option<&ChunkChoice> {
        first_by_index(self.choices.as_deref()?, |c| c.index)
    }

    /// The text this chunk adds to the first choice, if any.
    ///
    /// ```
    /// # use modelgate::chat::ChatCompletionChunk;
    /// let chunk: ChatCompletionChunk = serde_json::from_str(
    ///     r#"{"id": "chatcmpl-1", "choices": [{"index": 0, "delta": {"content": "Hel"}}]}"#,
    /// ).unwrap();
    /// assert_eq!(chunk.delta_text(), Some("Hel"));
    /// let usage_only: ChatCompletionChunk = serde_json::from_str(
    ///     r#"{"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}}"#,
    /// ).unwrap();
    /// assert_eq!(usage_only.delta_text(), None);
    /// ```
    pub fn delta_text(&self) -> Option<&str> {
        self.first_choice()?.delta.as_ref()?.content.as_deref()
    }

    /// The finish reason, on the chunk that ends the first choice.
    ///
    /// ```
    /// # use modelgate::chat::{ChatCompletionChunk, FinishReason};
    /// let last: ChatCompletionChunk = serde_json::from_str(
    ///     r#"{"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}"#,
    /// ).unwrap();
    /// assert_eq!(last.finish_reason(), Some(&FinishReason::Stop));
    /// ```
    pub fn finish_reason(&self) -> Option<&FinishReason> {
        self.first_choice()?.finish_reason.as_ref()
    }
}

/// The item with index 0 (a missing index counts as 0), or else the first.
fn first_by_index<T>(items: &[T], index: impl Fn(&T) -> Option<i64>) -> Option<&T> {
    items
        .iter()
        .find(|c| index(c).unwrap_or(0) == 0)
        .or_else(|| items.first())
}

/// A request with only `model` and `messages` set; fill in the rest with struct update
/// syntax (`ChatCompletionRequest { max_tokens: Some(256), ..request(model, messages) }`).
/// The model is a [`crate::catalog::ModelId`] (a typo does not compile) or a string (a
/// model the catalog lists later, or one declared in `modelgate.toml`).
///
/// ```
/// use modelgate::catalog::ModelId;
/// use modelgate::chat::{request, user};
///
/// let typed = request(ModelId::AwsClaudeSonnet4_6, vec![user("Hi")]);
/// assert_eq!(typed, request("aws/claude-sonnet-4-6", vec![user("Hi")]));
/// let later = request("aws/claude-sonnet-9", vec![user("Hi")]);
/// assert_eq!(later.model, "aws/claude-sonnet-9");
/// ```
pub fn request(model: impl Into<String>, messages: Vec<ChatMessage>) -> ChatCompletionRequest {
    ChatCompletionRequest {
        model: model.into(),
        messages,
        audio: None,
        frequency_penalty: None,
        function_call: None,
        functions: Vec::new(),
        logit_bias: None,
        logprobs: None,
        max_completion_tokens: None,
        max_tokens: None,
        metadata: None,
        modalities: None,
        moderation: None,
        n: None,
        parallel_tool_calls: None,
        prediction: None,
        presence_penalty: None,
        prompt_cache_key: None,
        prompt_cache_options: None,
        prompt_cache_retention: None,
        reasoning_effort: None,
        response_format: None,
        safety_identifier: None,
        seed: None,
        service_tier: None,
        stop: None,
        store: None,
        stream: None,
        stream_options: None,
        temperature: None,
        tool_choice: None,
        tools: Vec::new(),
        top_logprobs: None,
        top_p: None,
        user: None,
        verbosity: None,
        web_search_options: None,
    }
}

/// A user message with text content.
pub fn user(text: impl Into<String>) -> ChatMessage {
    ChatMessage::UserMessage(UserMessage {
        content: UserContent::String(text.into()),
        name: None,
        role: UserMessageRole::User,
    })
}

/// A system message.
pub fn system(text: impl Into<String>) -> ChatMessage {
    ChatMessage::SystemMessage(SystemMessage {
        content: TextContent::String(text.into()),
        name: None,
        role: SystemMessageRole::System,
    })
}

/// A developer message (the format's newer name for system instructions).
pub fn developer(text: impl Into<String>) -> ChatMessage {
    ChatMessage::DeveloperMessage(DeveloperMessage {
        content: TextContent::String(text.into()),
        name: None,
        role: DeveloperMessageRole::Developer,
    })
}

/// An earlier assistant turn with text content.
pub fn assistant(text: impl Into<String>) -> ChatMessage {
    ChatMessage::AssistantMessageParam(AssistantMessageParam {
        content: Some(AssistantMessageParamContent::String(text.into())),
        ..assistant_turn()
    })
}

/// An earlier assistant turn that called tools, with no content, as the format has it.
pub fn assistant_tool_calls(calls: Vec<MessageToolCall>) -> ChatMessage {
    ChatMessage::AssistantMessageParam(AssistantMessageParam {
        tool_calls: calls,
        ..assistant_turn()
    })
}

fn assistant_turn() -> AssistantMessageParam {
    AssistantMessageParam {
        audio: None,
        content: None,
        function_call: None,
        name: None,
        refusal: None,
        role: AssistantMessageParamRole::Assistant,
        tool_calls: Vec::new(),
    }
}

/// The answer of a completion as the assistant turn of the next request: its text and
/// its tool calls (those without an ID or a function name are left out, since a request
/// cannot carry them).
pub fn reply(message: &AssistantMessage) -> ChatMessage {
    let calls = message
        .tool_calls
        .iter()
        .flatten()
        .filter_map(|c| {
            let f = c.function.as_ref()?;
            Some(MessageToolCall::Function(MessageToolCallFunction {
                id: c.id.clone()?,
                type_: MessageToolCallFunctionType::Function,
                function: FunctionCallArguments {
                    name: f.name.clone()?,
                    arguments: f.arguments.clone().unwrap_or_else(|| "{}".into()),
                },
            }))
        })
        .collect();
    ChatMessage::AssistantMessageParam(AssistantMessageParam {
        content: message
            .content
            .clone()
            .map(AssistantMessageParamContent::String),
        tool_calls: calls,
        ..assistant_turn()
    })
}

/// The result of a tool call, sent back in a `tool` message.
pub fn tool_result(tool_call_id: impl Into<String>, content: impl Into<String>) -> ChatMessage {
    ChatMessage::ToolMessage(ToolMessage {
        content: TextContent::String(content.into()),
        name: None,
        role: ToolMessageRole::Tool,
        tool_call_id: tool_call_id.into(),
    })
}

/// A function tool the model may call, with its parameters as a JSON Schema object.
pub fn function_tool(
    name: impl Into<String>,
    description: impl Into<String>,
    parameters: serde_json::Map<String, serde_json::Value>,
) -> Tool {
    Tool::FunctionTool(FunctionTool {
        type_: FunctionToolType::Function,
        function: FunctionDefinition {
            name: name.into(),
            description: Some(description.into()),
            parameters,
            strict: None,
        },
    })
}

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
        let op = Operation::endpoint("create_chat_completion", self.endpoint).sets_stream();
        self.runtime.post_json(&op, request, self.validate).await
    }

    /// A streamed completion, as typed chunks: the request is sent with `stream: true`,
    /// whatever its own `stream` says. It is retried only until the stream has started.
    pub async fn create_stream<B: ChatRequestBody + ?Sized>(
        &self,
        request: &B,
    ) -> Result<ChatStream, Error> {
        let op = Operation::endpoint("create_chat_completion", self.endpoint)
            .stream()
            .sets_stream();
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
