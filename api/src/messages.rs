//! The Anthropic Messages format's answer made easy to read: its text and its `tool_use`
//! blocks.

pub use crate::vertexkey::types::{AnthropicResponseBlock, Message};

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
