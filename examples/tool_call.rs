//! A tool call round trip: the model asks for `get_weather`, the program runs it and
//! sends the result back, the model answers in text.
//!
//! `cargo run --example tool_call` (with `modelgate serve` running).

mod common;

use modelgate::chat::{FinishReason, function_tool, reply, request, tool_result, user};
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
    let tools = vec![function_tool(
        "get_weather",
        "The current weather of a city",
        parameters.as_object().cloned().unwrap_or_default(),
    )];
    let mut messages = vec![user("Use the get_weather tool: how warm is it in Lisbon?")];
    let first = client
        .chat()
        .create(&request(model, messages.clone()).tools(tools.clone()))
        .await?;
    if first.finish_reason() != Some(&FinishReason::ToolCalls) {
        return Err(format!("expected a tool call, got {:?}", first.finish_reason()).into());
    }
    let answer = first.message().ok_or("no message in the answer")?;
    // The assistant turn goes back as the format has it: tool_calls, content null.
    messages.push(reply(answer));
    for call in first.tool_calls() {
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
        let id = call.id.clone().ok_or("a tool call without an id")?;
        messages.push(tool_result(id, result.to_string()));
    }
    let answer = client
        .chat()
        .create(&request(model, messages).tools(tools))
        .await?;
    let text = answer
        .text()
        .filter(|t| !t.is_empty())
        .ok_or("the model gave no answer after the tool result")?;
    println!("model answers: {text}");
    Ok(())
}
