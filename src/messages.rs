//! The Anthropic Messages format on VertexKey (`POST /v1/messages`, public-facts
//! section 3): [`Messages::create`], [`Messages::create_stream`] for typed events, and
//! [`MessageAccumulator`] to rebuild the final message from them.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::{Stream, StreamExt};

use crate::Endpoint;
use crate::error::Error;
use crate::http::{Operation, Runtime};
use crate::sse::SseEvent;
use crate::stream::{BoxStream, stream_error, typed};

pub use crate::generated::vertexkey::types::{
    AnthropicContentBlock, AnthropicMessage, AnthropicMessageRole, AnthropicResponseBlock,
    AnthropicUsage, Message, MessageCreateRequest, MessageStreamDelta, MessageStreamEvent,
};
pub use crate::types::MessageStreamEventType;
pub use modelgate_api::messages::{
    assistant, assistant_blocks, cached_text, ephemeral, image_base64, image_url, request, text,
    thinking, thinking_block, tool, tool_result, tool_use, user, user_blocks,
};

/// The header Anthropic SDKs send; the gateway authenticates with the bearer key.
const ANTHROPIC_VERSION: &[(&str, &str)] = &[("anthropic-version", "2023-06-01")];

/// Anthropic-format messages on VertexKey.
#[derive(Clone, Debug)]
pub struct Messages<'c> {
    runtime: &'c Runtime,
    validate: bool,
}

impl<'c> Messages<'c> {
    pub(crate) fn new(runtime: &'c Runtime) -> Self {
        Messages {
            runtime,
            validate: true,
        }
    }

    /// Turns validation off (or on) for requests made with this handle.
    pub fn validate(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }

    /// One message. The answer does not stream: a `stream` the request holds is sent as
    /// `false` (use [`Messages::create_stream`] for events).
    pub async fn create(&self, request: &MessageCreateRequest) -> Result<Message, Error> {
        let op = Operation::endpoint(Endpoint::VertexKeyMessages)
            .headers(ANTHROPIC_VERSION)
            .sets_stream();
        self.runtime.post_json(&op, request, self.validate).await
    }

    /// A streamed message as typed events: the request is sent with `stream: true`,
    /// whatever its own `stream` says.
    pub async fn create_stream(
        &self,
        request: &MessageCreateRequest,
    ) -> Result<MessageStream, Error> {
        let op = Operation::endpoint(Endpoint::VertexKeyMessages)
            .headers(ANTHROPIC_VERSION)
            .stream()
            .sets_stream();
        let events = self
            .runtime
            .post_events(&op, request, self.validate)
            .await?;
        Ok(MessageStream {
            inner: message_events(events),
        })
    }
}

/// Typed Anthropic events from SSE events; an `error` event becomes [`Error::Stream`].
pub fn message_events(events: BoxStream<SseEvent>) -> BoxStream<MessageStreamEvent> {
    typed(events, decode_event)
}

fn decode_event(event: SseEvent) -> Result<Option<MessageStreamEvent>, Error> {
    if event.is_done() {
        return Ok(None);
    }
    if event.event.as_deref() == Some("error") {
        return Err(stream_error(&event.data));
    }
    let decoded: MessageStreamEvent = serde_json::from_str(&event.data).map_err(|e| {
        crate::http::decode_error(
            "message stream event",
            200,
            &e.to_string(),
            event.data.as_bytes(),
        )
    })?;
    if decoded.type_ == MessageStreamEventType::Error {
        return Err(stream_error(&event.data));
    }
    Ok(Some(decoded))
}

/// A streamed message: a `Stream` of events.
pub struct MessageStream {
    inner: BoxStream<MessageStreamEvent>,
}

impl Stream for MessageStream {
    type Item = Result<MessageStreamEvent, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl MessageStream {
    /// Reads the whole stream into a [`MessageAccumulator`]; on an error, what arrived
    /// before it comes back with it.
    pub async fn collect_message(
        mut self,
    ) -> Result<MessageAccumulator, (Error, MessageAccumulator)> {
        let mut acc = MessageAccumulator::default();
        while let Some(item) = self.next().await {
            match item {
                Ok(event) => acc.push(&event),
                Err(e) => return Err((e, acc)),
            }
        }
        Ok(acc)
    }
}

/// One content block rebuilt from its events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccumulatedBlock {
    /// `text`, `tool_use`, `thinking`, ...
    pub kind: String,
    /// The text (text blocks).
    pub text: String,
    /// The thinking text (thinking blocks).
    pub thinking: String,
    /// The tool call's id and name (tool_use blocks).
    pub tool_id: Option<String>,
    /// The tool's name.
    pub tool_name: Option<String>,
    /// The tool input as the JSON text its `input_json_delta` fragments add up to.
    pub input_json: String,
}

/// The final message of a streamed Anthropic answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageAccumulator {
    /// The message id.
    pub id: Option<String>,
    /// The model that answered.
    pub model: Option<String>,
    /// The content blocks, by index.
    pub blocks: Vec<AccumulatedBlock>,
    /// Why the model stopped (`end_turn`, `max_tokens`, `tool_use`, ...).
    pub stop_reason: Option<String>,
    /// Input tokens (from `message_start`).
    pub input_tokens: Option<i64>,
    /// Output tokens (the last `message_delta` count).
    pub output_tokens: Option<i64>,
    /// Whether `message_stop` arrived.
    pub complete: bool,
}

impl MessageAccumulator {
    /// All text blocks, joined.
    pub fn text(&self) -> String {
        self.blocks.iter().map(|b| b.text.as_str()).collect()
    }

    fn block(&mut self, index: Option<i64>) -> &mut AccumulatedBlock {
        let index = index.map_or(0, |i| i.max(0) as usize);
        if self.blocks.len() <= index {
            self.blocks
                .resize_with(index + 1, AccumulatedBlock::default);
        }
        &mut self.blocks[index]
    }

    /// Adds one event.
    pub fn push(&mut self, event: &MessageStreamEvent) {
        match &event.type_ {
            MessageStreamEventType::MessageStart => {
                if let Some(m) = &event.message {
                    self.id.clone_from(&m.id);
                    self.model.clone_from(&m.model);
                    if let Some(u) = &m.usage {
                        self.input_tokens = u.input_tokens.or(self.input_tokens);
                        self.output_tokens = u.output_tokens.or(self.output_tokens);
                    }
                }
            }
            MessageStreamEventType::ContentBlockStart => {
                let start = event.content_block.clone().unwrap_or_default();
                let block = self.block(event.index);
                block.kind = start.type_.unwrap_or_default();
                block
                    .text
                    .push_str(start.text.as_deref().unwrap_or_default());
                block.tool_id = start.id;
                block.tool_name = start.name;
            }
            MessageStreamEventType::ContentBlockDelta => {
                let delta = event.delta.clone().unwrap_or_default();
                let block = self.block(event.index);
                block
                    .text
                    .push_str(delta.text.as_deref().unwrap_or_default());
                block
                    .thinking
                    .push_str(delta.thinking.as_deref().unwrap_or_default());
                block
                    .input_json
                    .push_str(delta.partial_json.as_deref().unwrap_or_default());
            }
            MessageStreamEventType::MessageDelta => {
                if let Some(reason) = event.delta.as_ref().and_then(|d| d.stop_reason.clone()) {
                    self.stop_reason = Some(reason);
                }
                if let Some(tokens) = event.usage.as_ref().and_then(|u| u.output_tokens) {
                    self.output_tokens = Some(tokens);
                }
            }
            MessageStreamEventType::MessageStop => self.complete = true,
            _ => {} // content_block_stop, ping, and event types added later
        }
    }
}
