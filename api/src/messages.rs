//! The Anthropic Messages format made easy: an answer's text and `tool_use` blocks read,
//! and a function for each kind of turn and block of a request (text, images, tool use
//! and results, thinking, cache control). Every type also has its generated `new` (the
//! required fields) and setters (every other field).

pub use crate::vertexkey::types::{
    AnthropicBase64ImageSource, AnthropicBase64ImageSourceMediaType, AnthropicContentBlock,
    AnthropicCustomTool, AnthropicImageBlock, AnthropicInputSchema, AnthropicMessage,
    AnthropicMessageRole, AnthropicResponseBlock, AnthropicTextBlock, AnthropicThinking,
    AnthropicThinkingBlock, AnthropicThinkingEnabled, AnthropicTool, AnthropicToolResultBlock,
    AnthropicToolUseBlock, AnthropicUrlSource, CacheControl, CacheControlInner, Message,
    MessageCreateRequest,
};

/// Reading an Anthropic-format answer: its text blocks joined, and its `tool_use` blocks.
impl Message {
    /// The blocks of the answer (empty when it has none).
    pub fn blocks(&self) -> &[AnthropicResponseBlock] {
        self.content.as_deref().unwrap_or_default()
    }

    /// The text of every `text` block (or block without a `type` that has text), joined;
    /// empty when there is none.
    ///
    /// ```
    /// # use modelgate_api::messages::Message;
    /// let answer: Message = serde_json::from_str(r#"{
    ///     "id": "msg_1", "type": "message", "role": "assistant", "model": "aws/claude-haiku-4-5",
    ///     "content": [{"type": "thinking", "thinking": "Short answer.", "signature": "s"},
    ///                 {"type": "text", "text": "Hello"},
    ///                 {"type": "text", "text": ", world."}],
    ///     "stop_reason": "end_turn", "usage": {"input_tokens": 9, "output_tokens": 5}}"#).unwrap();
    /// assert_eq!(answer.text(), "Hello, world.");
    /// ```
    pub fn text(&self) -> String {
        self.blocks()
            .iter()
            .filter(|b| matches!(b.type_.as_deref(), Some("text") | None))
            .filter_map(|b| b.text.as_deref())
            .collect()
    }

    /// The `tool_use` blocks: each has the call's `id`, the tool's `name` and its `input`.
    ///
    /// ```
    /// # use modelgate_api::messages::Message;
    /// let answer: Message = serde_json::from_str(r#"{"stop_reason": "tool_use", "content": [
    ///     {"type": "text", "text": "Let me check."},
    ///     {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}]}"#,
    /// ).unwrap();
    /// let uses: Vec<_> = answer.tool_uses().collect();
    /// assert_eq!(uses.len(), 1);
    /// assert_eq!(uses[0].id.as_deref(), Some("toolu_1"));
    /// assert_eq!(uses[0].name.as_deref(), Some("get_weather"));
    /// assert_eq!(uses[0].input.as_ref().unwrap()["city"], "Paris");
    /// ```
    pub fn tool_uses(&self) -> impl Iterator<Item = &AnthropicResponseBlock> {
        self.blocks()
            .iter()
            .filter(|b| b.type_.as_deref() == Some("tool_use"))
    }
}

/// A request with `model`, `messages` and `max_tokens` set (the format's required
/// fields): [`MessageCreateRequest::new`], whose generated setters set the rest
/// (`.system("...")`, `.thinking(thinking(2048))`, `.tools([...])`).
///
/// ```
/// use modelgate_api::messages::{request, text, user, user_blocks};
///
/// let r = request("aws/claude-haiku-4-5", [user("Hi"), user_blocks([text("And this?")])], 256)
///     .system("Answer in one line.")
///     .temperature(0.5);
/// let json = serde_json::to_value(&r).unwrap();
/// assert_eq!(json["messages"][0], serde_json::json!({"role": "user", "content": "Hi"}));
/// assert_eq!(json["messages"][1]["content"][0], serde_json::json!({"type": "text", "text": "And this?"}));
/// assert_eq!((json["max_tokens"].as_u64(), json["system"].as_str()), (Some(256), Some("Answer in one line.")));
/// ```
pub fn request(
    model: impl Into<String>,
    messages: impl IntoIterator<Item = AnthropicMessage>,
    max_tokens: u64,
) -> MessageCreateRequest {
    MessageCreateRequest::new(model, messages, max_tokens)
}

/// A user turn with text content.
pub fn user(text: impl Into<String>) -> AnthropicMessage {
    AnthropicMessage::new(AnthropicMessageRole::User, text.into())
}

/// A user turn made of blocks: [`text`], [`image_base64`], [`image_url`],
/// [`tool_result`], ...
pub fn user_blocks(blocks: impl IntoIterator<Item = AnthropicContentBlock>) -> AnthropicMessage {
    AnthropicMessage::new(
        AnthropicMessageRole::User,
        blocks.into_iter().collect::<Vec<_>>(),
    )
}

/// An earlier assistant turn with text content (a final one acts as a prefill).
pub fn assistant(text: impl Into<String>) -> AnthropicMessage {
    AnthropicMessage::new(AnthropicMessageRole::Assistant, text.into())
}

/// An earlier assistant turn made of blocks ([`thinking_block`], [`text`],
/// [`tool_use`]: an answer's blocks go back this way in a tool loop).
pub fn assistant_blocks(
    blocks: impl IntoIterator<Item = AnthropicContentBlock>,
) -> AnthropicMessage {
    AnthropicMessage::new(
        AnthropicMessageRole::Assistant,
        blocks.into_iter().collect::<Vec<_>>(),
    )
}

/// A text block.
pub fn text(text: impl Into<String>) -> AnthropicContentBlock {
    AnthropicTextBlock::new(text).into()
}

/// A text block marked as the end of a cached prefix ([`ephemeral`] cache control).
pub fn cached_text(text: impl Into<String>) -> AnthropicContentBlock {
    AnthropicTextBlock::new(text)
        .cache_control(ephemeral())
        .into()
}

/// An image block from base64 data of a media type.
///
/// ```
/// use modelgate_api::messages::image_base64;
/// use modelgate_api::vertexkey::types::AnthropicBase64ImageSourceMediaType as MediaType;
///
/// let block = serde_json::to_value(image_base64(MediaType::ImagePng, "iVBORw0KGgo=")).unwrap();
/// assert_eq!(block, serde_json::json!({"type": "image", "source":
///     {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}));
/// ```
pub fn image_base64(
    media_type: AnthropicBase64ImageSourceMediaType,
    data: impl Into<String>,
) -> AnthropicContentBlock {
    AnthropicImageBlock::new(AnthropicBase64ImageSource::new(media_type, data)).into()
}

/// An image block from a URL.
pub fn image_url(url: impl Into<String>) -> AnthropicContentBlock {
    AnthropicImageBlock::new(AnthropicUrlSource::new(url)).into()
}

/// A `tool_use` block: the call `id` of tool `name` with its `input` (for an assistant
/// turn sent back).
pub fn tool_use(
    id: impl Into<String>,
    name: impl Into<String>,
    input: serde_json::Map<String, serde_json::Value>,
) -> AnthropicContentBlock {
    AnthropicToolUseBlock::new(id, name, input).into()
}

/// A `tool_result` block answering the tool use `tool_use_id` with text.
///
/// ```
/// use modelgate_api::messages::{tool_result, user_blocks};
///
/// let turn = serde_json::to_value(user_blocks([tool_result("toolu_1", "18 °C, clear")])).unwrap();
/// assert_eq!(turn, serde_json::json!({"role": "user", "content": [
///     {"type": "tool_result", "tool_use_id": "toolu_1", "content": "18 °C, clear"}]}));
/// ```
pub fn tool_result(
    tool_use_id: impl Into<String>,
    content: impl Into<String>,
) -> AnthropicContentBlock {
    AnthropicToolResultBlock::new(tool_use_id)
        .content(content.into())
        .into()
}

/// A `thinking` block as an answer gave it (its signature unchanged), for an assistant
/// turn sent back in a tool loop with thinking on.
pub fn thinking_block(
    thinking: impl Into<String>,
    signature: impl Into<String>,
) -> AnthropicContentBlock {
    AnthropicThinkingBlock::new(thinking, signature).into()
}

/// Extended thinking on, with a budget of `budget_tokens` (which counts toward
/// `max_tokens`), for [`MessageCreateRequest::thinking`].
pub fn thinking(budget_tokens: i64) -> AnthropicThinking {
    AnthropicThinkingEnabled::new(budget_tokens).into()
}

/// A custom tool the model may call: its name, what it does, and its input's properties
/// (a JSON Schema object's `properties`) with the required ones.
///
/// ```
/// use modelgate_api::messages::tool;
///
/// let properties = serde_json::json!({"city": {"type": "string"}});
/// let t = tool("get_weather", "Current weather", properties.as_object().unwrap().clone(), ["city"]);
/// assert_eq!(serde_json::to_value(t).unwrap(), serde_json::json!({
///     "name": "get_weather", "description": "Current weather",
///     "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}));
/// ```
pub fn tool(
    name: impl Into<String>,
    description: impl Into<String>,
    properties: serde_json::Map<String, serde_json::Value>,
    required: impl IntoIterator<Item = impl Into<String>>,
) -> AnthropicTool {
    let schema = AnthropicInputSchema::new()
        .properties(properties)
        .required(required.into_iter().map(Into::into).collect::<Vec<_>>());
    AnthropicCustomTool::new(name, schema)
        .description(description)
        .into()
}

/// `{"type": "ephemeral"}` cache control: the block it is on ends a cached prefix (five
/// minutes by default).
pub fn ephemeral() -> CacheControl {
    CacheControl(Some(CacheControlInner::new()))
}
