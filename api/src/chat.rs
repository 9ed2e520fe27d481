//! The OpenAI chat format's types (generated in [`crate::vtrix::types`], shared by both
//! gateways) made easy to read and to build: an answer's first choice, text, tool calls
//! and finish reason without unwrapping every `Option`, and a function for each kind of
//! message and content part. Every type also has its generated `new` (the required
//! fields) and setters (every other field).

pub use crate::types::FinishReason;
pub use crate::vtrix::types::{
    AssistantMessage, AssistantMessageParam, ChatChoice, ChatCompletion, ChatCompletionChunk,
    ChatCompletionRequest, ChatMessage, ChunkChoice, ContentPart, DeveloperMessage,
    FunctionCallArguments, FunctionDefinition, FunctionTool, ImageUrl, ImageUrlPart,
    MessageToolCall, MessageToolCallFunction, SystemMessage, TextPart, Tool, ToolCall, ToolMessage,
    UserMessage,
};

/// Reading an answer without unwrapping every `Option`: the first choice (index 0) and its
/// message's text, tool calls and finish reason. Every field stays optional in the type,
/// since compatible gateways omit some (public-facts section 6).
impl ChatCompletion {
    /// The first choice: the one with index 0 (a choice without an index counts as 0), or
    /// else the first listed.
    ///
    /// ```
    /// # use modelgate_api::chat::ChatCompletion;
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
    /// # use modelgate_api::chat::ChatCompletion;
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
    /// # use modelgate_api::chat::ChatCompletion;
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
    /// # use modelgate_api::chat::ChatCompletion;
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
    /// # use modelgate_api::chat::{ChatCompletion, FinishReason};
    /// let answer: ChatCompletion = serde_json::from_str(
    ///     r#"{"choices": [{"finish_reason": "length", "message": {"content": "Once upon"}}]}"#,
    /// ).unwrap();
    /// assert_eq!(answer.finish_reason(), Some(&FinishReason::Length));
    /// ```
    pub fn finish_reason(&self) -> Option<&FinishReason> {
        self.first_choice()?.finish_reason.as_ref()
    }
}

/// The same reading for one chunk of a streamed completion (modelgate's `ChatAccumulator` puts
/// the chunks together).
impl ChatCompletionChunk {
    /// The first choice (index 0, or else the first listed).
    ///
    /// ```
    /// # use modelgate_api::chat::ChatCompletionChunk;
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
    /// # use modelgate_api::chat::ChatCompletionChunk;
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
    /// # use modelgate_api::chat::{ChatCompletionChunk, FinishReason};
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

/// A request with `model` and `messages` set: [`ChatCompletionRequest::new`], whose
/// generated setters set the rest (`.max_tokens(512)`, `.temperature(0.2)`). The model is a
/// `modelgate::catalog::ModelId` (a typo does not compile) or a string (a model the
/// catalog lists later, or one declared in `modelgate.toml`).
///
/// ```
/// use modelgate_api::chat::{request, user};
///
/// let r = request("aws/claude-sonnet-4-6", [user("Hi")]).max_tokens(512).temperature(0.2);
/// assert_eq!(r.model, "aws/claude-sonnet-4-6");
/// assert_eq!((r.max_tokens, r.temperature, r.stream), (Some(512), Some(0.2), None));
/// ```
pub fn request(
    model: impl Into<String>,
    messages: impl IntoIterator<Item = ChatMessage>,
) -> ChatCompletionRequest {
    ChatCompletionRequest::new(model, messages)
}

/// A user message with text content.
///
/// ```
/// let m = serde_json::to_value(modelgate_api::chat::user("Hi")).unwrap();
/// assert_eq!(m, serde_json::json!({"role": "user", "content": "Hi"}));
/// ```
pub fn user(text: impl Into<String>) -> ChatMessage {
    UserMessage::new(text.into()).into()
}

/// A user message with several parts: [`text`] and [`image_url`] (a URL or a
/// `data:` URL).
///
/// ```
/// use modelgate_api::chat::{image_url, text, user_parts};
///
/// let m = user_parts([text("What is in it?"), image_url("https://example.com/a.png")]);
/// assert_eq!(serde_json::to_value(m).unwrap(), serde_json::json!({"role": "user", "content": [
///     {"type": "text", "text": "What is in it?"},
///     {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]}));
/// ```
pub fn user_parts(parts: impl IntoIterator<Item = ContentPart>) -> ChatMessage {
    UserMessage::new(parts.into_iter().collect::<Vec<_>>()).into()
}

/// A text part of a user message.
pub fn text(text: impl Into<String>) -> ContentPart {
    TextPart::new(text).into()
}

/// An image part of a user message: a URL or a `data:` URL (base64).
pub fn image_url(url: impl Into<String>) -> ContentPart {
    ImageUrlPart::new(ImageUrl::new(url)).into()
}

/// A system message.
pub fn system(text: impl Into<String>) -> ChatMessage {
    SystemMessage::new(text.into()).into()
}

/// A developer message (the format's newer name for system instructions).
pub fn developer(text: impl Into<String>) -> ChatMessage {
    DeveloperMessage::new(text.into()).into()
}

/// An earlier assistant turn with text content.
pub fn assistant(text: impl Into<String>) -> ChatMessage {
    AssistantMessageParam::new().content(text.into()).into()
}

/// An earlier assistant turn that called tools, with no content, as the format has it.
pub fn assistant_tool_calls(calls: impl IntoIterator<Item = MessageToolCall>) -> ChatMessage {
    AssistantMessageParam::new().tool_calls(calls).into()
}

/// A call of the function `name` with `arguments` (JSON text), for
/// [`assistant_tool_calls`].
pub fn tool_call(
    id: impl Into<String>,
    name: impl Into<String>,
    arguments: impl Into<String>,
) -> MessageToolCall {
    MessageToolCallFunction::new(id, FunctionCallArguments::new(name, arguments)).into()
}

/// The answer of a completion as the assistant turn of the next request: its text and
/// its tool calls (those without an ID or a function name are left out, since a request
/// cannot carry them).
pub fn reply(message: &AssistantMessage) -> ChatMessage {
    let calls = message.tool_calls.iter().flatten().filter_map(|c| {
        let f = c.function.as_ref()?;
        let arguments = f.arguments.clone().unwrap_or_else(|| "{}".into());
        Some(tool_call(c.id.clone()?, f.name.clone()?, arguments))
    });
    let turn = AssistantMessageParam::new().tool_calls(calls);
    match &message.content {
        Some(content) => turn.content(content.clone()).into(),
        None => turn.into(),
    }
}

/// The result of a tool call, sent back in a `tool` message.
pub fn tool_result(tool_call_id: impl Into<String>, content: impl Into<String>) -> ChatMessage {
    ToolMessage::new(content.into(), tool_call_id).into()
}

/// A function tool the model may call, with its parameters as a JSON Schema object.
pub fn function_tool(
    name: impl Into<String>,
    description: impl Into<String>,
    parameters: serde_json::Map<String, serde_json::Value>,
) -> Tool {
    FunctionTool::new(
        FunctionDefinition::new(name)
            .description(description)
            .parameters(parameters),
    )
    .into()
}
