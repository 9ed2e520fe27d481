"""The official `anthropic` Python package against `modelgate serve` (`/v1/messages`).

Usage: python anthropic_check.py http://127.0.0.1:PORT

Checks a message (whole and streamed, which must say the same), the stream's event
sequence, a tool use, a system prompt, a request the catalog refuses
(400 -> BadRequestError, every violation listed) and an injected 429 retried by the SDK.
"""

import sys

import anthropic
import httpx2 as httpx

BASE = sys.argv[1].rstrip("/")
statuses = []
hooks = {"response": [lambda r: statuses.append(r.status_code)]}
client = anthropic.Anthropic(
    base_url=BASE, api_key="sk-ant-local-test", http_client=httpx.Client(event_hooks=hooks)
)
MODEL = "aws/claude-sonnet-4-6"
ASK = [{"role": "user", "content": "Describe a gateway in one sentence."}]


def check(name, fn):
    fn()
    print(f"ok  anthropic: {name}")


def message():
    m = client.messages.create(model=MODEL, max_tokens=200, messages=ASK)
    assert m.type == "message" and m.role == "assistant" and m.model == MODEL, m
    assert m.stop_reason == "end_turn", m.stop_reason
    assert m.content[0].type == "text" and m.content[0].text
    assert m.usage.input_tokens > 0 and m.usage.output_tokens > 0
    again = client.messages.create(model=MODEL, max_tokens=200, messages=ASK)
    assert again.content[0].text == m.content[0].text, "same request, same answer"
    short = client.messages.create(model=MODEL, max_tokens=4, messages=ASK)
    assert short.stop_reason == "max_tokens" and short.usage.output_tokens == 4, short
    with_system = client.messages.create(model=MODEL, max_tokens=200, system="Be terse.", messages=ASK)
    assert with_system.content[0].text


def streamed():
    whole = client.messages.create(model=MODEL, max_tokens=200, messages=ASK).content[0].text
    with client.messages.stream(model=MODEL, max_tokens=200, messages=ASK) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == whole, (text, whole)
    assert final.content[0].text == whole and final.stop_reason == "end_turn"
    events = [e.type for e in client.messages.create(model=MODEL, max_tokens=200, messages=ASK, stream=True)]
    assert events[0] == "message_start" and events[1] == "content_block_start", events
    assert "content_block_delta" in events
    assert events[-3:] == ["content_block_stop", "message_delta", "message_stop"], events


def tool_use():
    tools = [{
        "name": "get_weather",
        "description": "Current weather of a city",
        "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    }]
    m = client.messages.create(
        model=MODEL,
        max_tokens=200,
        tools=tools,
        messages=[{"role": "user", "content": "Use the tool to get the weather in Paris."}],
    )
    assert m.stop_reason == "tool_use", m
    use = next(b for b in m.content if b.type == "tool_use")
    assert use.name == "get_weather" and isinstance(use.input["city"], str), use


def bad_request():
    try:
        # No such role in the Anthropic format, and top_k is an integer.
        client.messages.create(
            model=MODEL,
            max_tokens=100,
            messages=[{"role": "robot", "content": "Be terse."}],
            extra_body={"top_k": "many"},
        )
    except anthropic.BadRequestError as e:
        assert e.status_code == 400
        err = e.body["error"]
        assert err["type"] == "invalid_request_error", err
        pointers = {v["pointer"] for v in err["violations"]}
        assert {"/messages/0/role", "/top_k"} <= pointers, err
    else:
        raise AssertionError("a robot role and a string top_k accepted")


def warned_not_refused():
    # A system role is in SDK 0.121.0's format but not in older sources, and VertexKey
    # documents no top_k: accepted, with the warnings in a header.
    raw = client.messages.with_raw_response.create(
        model=MODEL,
        max_tokens=100,
        messages=[{"role": "user", "content": "hi"}, {"role": "system", "content": "Be terse."}],
        extra_body={"top_k": 5},  # SDK 2.12 takes no top_k keyword
    )
    assert raw.http_response.status_code == 200
    warnings = raw.headers.get("x-modelgate-warnings", "")
    assert "undocumented_value /messages/1/role" in warnings, warnings
    assert "undocumented_parameter /top_k" in warnings, warnings
    assert raw.parse().type == "message"


def retried_429():
    statuses.clear()
    m = client.with_options(max_retries=2).messages.create(
        model=MODEL,
        max_tokens=50,
        messages=[{"role": "user", "content": "retry me"}],
        extra_headers={"x-modelgate-fault": "429; retry-after=0.1; count=1"},
    )
    assert m.content[0].text and statuses == [429, 200], statuses
    try:
        client.with_options(max_retries=0).messages.create(
            model=MODEL,
            max_tokens=50,
            messages=[{"role": "user", "content": "do not retry me"}],
            extra_headers={"x-modelgate-fault": "503; count=1"},
        )
    except anthropic.InternalServerError as e:
        assert e.status_code == 503
    else:
        raise AssertionError("injected 503 not raised")


for name, fn in [
    ("message", message),
    ("streamed message", streamed),
    ("tool use", tool_use),
    ("invalid request -> BadRequestError", bad_request),
    ("undocumented fields -> accepted, warnings in a header", warned_not_refused),
    ("injected 429 retried by the SDK", retried_429),
]:
    check(name, fn)
print("anthropic: all checks passed")
