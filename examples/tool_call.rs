//! A tool call round trip: the model asks for `get_weather`, the program runs it and
//! sends the result back, the model answers in text.
//!
//! `cargo run --example tool_call` (with `modelgate serve` running).

mod common;

use modelgate::chat::{
    ChatCompletionRequest, ChatMessage, ChatMessageRole, FinishReason, FunctionDefinition, Tool,
    ToolType, message, request, user,
};
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::vtrix()?;
    let model = "vtrix-deepseek-v3.2";
    let parameters = json!({
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"enum": ["celsius", "fahrenheit"]}},
        "required": ["city", "unit"],
    });
    let tools = vec![Tool {
        type_: ToolType::Function,
        function: FunctionDefinition {
            name: "get_weather".into(),
            description: Some("The current weather of a city".into()),
            parameters: parameters.as_object().cloned().unwrap_or_default(),
        },
    }];
    let mut messages = vec![user("Use the get_weather tool: how warm is it in Lisbon?")];
    let first = client
        .chat()
        .create(&ChatCompletionRequest {
            tools: tools.clone(),
            ..request(model, messages.clone())
        })
        .await?;
    let choice = first.choices.unwrap_or_default().remove(0);
    if choice.finish_reason != Some(FinishReason::ToolCalls) {
        return Err(format!("expected a tool call, got {:?}", choice.finish_reason).into());
    }
    let calls = choice
        .message
        .and_then(|m| m.tool_calls)
        .unwrap_or_default();
    messages.push(ChatMessage {
        tool_calls: calls.clone(),
        ..message(ChatMessageRole::Assistant, "")
    });
    for call in &calls {
        let function = call
            .function
            .as_ref()
            .ok_or("a tool call without a function")?;
        let arguments: serde_json::Value =
            serde_json::from_str(function.arguments.as_deref().unwrap_or("{}"))?;
        println!(
            "model calls {}({arguments})",
            function.name.as_deref().unwrap_or("?")
        );
        let result =
            json!({"city": arguments["city"], "temperature": 21, "unit": arguments["unit"]});
        messages.push(ChatMessage {
            tool_call_id: call.id.clone(),
            ..message(ChatMessageRole::Tool, result.to_string())
        });
    }
    let answer = client
        .chat()
        .create(&ChatCompletionRequest {
            tools,
            ..request(model, messages)
        })
        .await?;
    let text = answer
        .choices
        .unwrap_or_default()
        .remove(0)
        .message
        .and_then(|m| m.content)
        .filter(|t| !t.is_empty())
        .ok_or("the model gave no answer after the tool result")?;
    println!("model answers: {text}");
    Ok(())
}
