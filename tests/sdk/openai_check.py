"""The official `openai` Python package against `modelgate serve`.

Usage: python openai_check.py http://127.0.0.1:PORT

Every check asserts; the script exits non-zero on the first failure. It covers what a
program written for OpenAI-compatible gateways does: chat (whole and streamed), a tool
call, JSON mode and JSON Schema output, image generation (URL and base64) and editing
(multipart upload, as the SDK sends it), the model list, a request the catalog refuses
(400 -> BadRequestError) and an injected 429 that the SDK retries.
"""

import base64
import json
import sys

import httpx2 as httpx
import openai

BASE = sys.argv[1].rstrip("/")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
statuses = []


def client(path="/v1", **options):
    hooks = {"response": [lambda r: statuses.append(r.status_code)]}
    return openai.OpenAI(
        base_url=BASE + path,
        api_key="sk-local-test",
        http_client=httpx.Client(event_hooks=hooks),
        **options,
    )


def check(name, fn):
    fn()
    print(f"ok  openai: {name}")


vk = client()
vtrix = client("/llm")
CHAT_MODEL = "aws/claude-sonnet-4-6"
IMAGE_MODEL = "enterprise/gemini-3.1-flash-image-preview-2k"
ASK = [{"role": "user", "content": "Describe a gateway in one sentence."}]


def chat():
    a = vk.chat.completions.create(model=CHAT_MODEL, messages=ASK)
    b = vk.chat.completions.create(model=CHAT_MODEL, messages=ASK)
    assert a.object == "chat.completion" and a.model == CHAT_MODEL, a
    text = a.choices[0].message.content
    assert text and text == b.choices[0].message.content, "same request, same answer"
    assert a.choices[0].finish_reason == "stop"
    u = a.usage
    assert u.prompt_tokens > 0 and u.completion_tokens > 0
    assert u.total_tokens == u.prompt_tokens + u.completion_tokens
    v = vtrix.chat.completions.create(model="vtrix-deepseek-v3.1", messages=ASK, max_tokens=5)
    assert v.choices[0].finish_reason == "length" and v.usage.completion_tokens == 5, v


def streamed():
    whole = vk.chat.completions.create(model=CHAT_MODEL, messages=ASK).choices[0].message.content
    chunks = list(vk.chat.completions.create(model=CHAT_MODEL, messages=ASK, stream=True))
    assert len(chunks) > 2, chunks
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole, (text, whole)
    reasons = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert reasons == ["stop"], reasons


def tool_call():
    tools = [{
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather of a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "days": {"type": "integer", "minimum": 1}},
                "required": ["city", "days"],
            },
        },
    }]
    r = vk.chat.completions.create(
        model=CHAT_MODEL,
        messages=[{"role": "user", "content": "Use the tool to get the weather in Paris."}],
        tools=tools,
    )
    choice = r.choices[0]
    assert choice.finish_reason == "tool_calls", choice
    call = choice.message.tool_calls[0]
    assert call.function.name == "get_weather"
    args = json.loads(call.function.arguments)
    assert isinstance(args["city"], str) and isinstance(args["days"], int) and args["days"] >= 1, args
    # Without an ask for a tool, the model answers in text.
    r = vk.chat.completions.create(model=CHAT_MODEL, messages=ASK, tools=tools)
    assert r.choices[0].message.tool_calls is None and r.choices[0].message.content


def tool_loop():
    # The loop every SDK user writes: the assistant message goes back as the SDK gives it
    # (content None with tool_calls), then the tool result.
    tools = [{"type": "function", "function": {
        "name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]
    for sdk, model in [(vk, CHAT_MODEL), (vtrix, "vtrix-claude-sonnet-4.5")]:
        messages = [{"role": "user", "content": "Use the tool to get the weather in Paris."}]
        first = sdk.chat.completions.create(model=model, messages=messages, tools=tools)
        message = first.choices[0].message
        assert message.tool_calls and message.content is None, message
        messages.append(message)  # as the SDK docs do: it sends the fields the answer set
        for call in message.tool_calls:
            messages.append({"role": "tool", "tool_call_id": call.id, "content": "18 C, cloudy"})
        raw = sdk.chat.completions.with_raw_response.create(
            model=model, messages=messages, tools=tools, stream=False, seed=7
        )
        answer = raw.parse()
        assert answer.choices[0].message.content, answer
        warnings = raw.headers.get("x-modelgate-warnings", "")
        # seed is the format's only, on both gateways; Vtrix's Claude documents neither
        # tools nor the tool role.
        assert "undocumented_parameter /seed" in warnings, (model, warnings)
        if model.startswith("vtrix-"):
            assert "undocumented_parameter /tools" in warnings, warnings
            assert "undocumented_value /messages/2/role" in warnings, warnings


def json_mode():
    r = vk.chat.completions.create(
        model=CHAT_MODEL, messages=ASK, response_format={"type": "json_object"}
    )
    assert isinstance(json.loads(r.choices[0].message.content), dict)
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "minLength": 2},
            "count": {"type": "integer", "minimum": 3, "maximum": 9},
            "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "minItems": 1},
        },
        "required": ["name", "count", "tags"],
        "additionalProperties": False,
    }
    r = vk.chat.completions.create(
        model=CHAT_MODEL,
        messages=ASK,
        response_format={"type": "json_schema", "json_schema": {"name": "thing", "schema": schema}},
    )
    value = json.loads(r.choices[0].message.content)
    assert set(value) == {"name", "count", "tags"}, value
    assert len(value["name"]) >= 2 and 3 <= value["count"] <= 9, value
    assert value["tags"] and all(t in ("a", "b") for t in value["tags"]), value


def images():
    r = vk.images.generate(model=IMAGE_MODEL, prompt="a lighthouse at dusk")
    url = r.data[0].url
    assert url.startswith(BASE + "/files/"), url
    png = httpx.get(url).content
    assert png.startswith(PNG_MAGIC), png[:16]
    r = vk.images.generate(model=IMAGE_MODEL, prompt="a lighthouse at dusk", response_format="b64_json")
    assert base64.b64decode(r.data[0].b64_json).startswith(PNG_MAGIC)
    edited = vk.images.edit(model=IMAGE_MODEL, prompt="make it night", image=("in.png", png, "image/png"))
    assert httpx.get(edited.data[0].url).content.startswith(PNG_MAGIC)
    # A fixed-resolution model refuses another size.
    try:
        vk.images.generate(model=IMAGE_MODEL, prompt="x", size="512x512")
    except openai.BadRequestError as e:
        assert "/size" in str(e), e
    else:
        raise AssertionError("size 512x512 accepted by a fixed 2K model")


def models():
    ids = [m.id for m in vk.models.list()]
    assert CHAT_MODEL in ids and IMAGE_MODEL in ids and "enterprise/seedance-1-5-pro" in ids, ids
    assert all(i.startswith(("aws/", "enterprise/")) for i in ids), ids


def bad_request():
    try:
        vtrix.chat.completions.create(model="vtrix-claude-sonnet-4.5", messages=ASK, max_tokens=64001)
    except openai.BadRequestError as e:
        assert e.status_code == 400
        violations = e.body["violations"] if "violations" in e.body else e.body["error"]["violations"]
        assert any(v["pointer"] == "/max_tokens" for v in violations), e.body
        assert "64000" in str(e), e
    else:
        raise AssertionError("max_tokens 64001 accepted for vtrix-claude-sonnet-4.5")


def retried_429():
    flaky = vk.with_options(max_retries=2)
    statuses.clear()
    r = flaky.chat.completions.create(
        model=CHAT_MODEL,
        messages=[{"role": "user", "content": "retry me"}],
        extra_headers={"x-modelgate-fault": "429; retry-after=0.1; count=1"},
    )
    assert r.choices[0].message.content
    assert statuses == [429, 200], statuses
    # Without retries the SDK raises the 429.
    try:
        vk.with_options(max_retries=0).chat.completions.create(
            model=CHAT_MODEL,
            messages=[{"role": "user", "content": "do not retry me"}],
            extra_headers={"x-modelgate-fault": "429; retry-after=0.1; count=1"},
        )
    except openai.RateLimitError as e:
        assert e.status_code == 429
    else:
        raise AssertionError("injected 429 not raised")


for name, fn in [
    ("chat completion (VertexKey and Vtrix)", chat),
    ("streamed chat", streamed),
    ("tool call", tool_call),
    ("JSON mode and JSON Schema", json_mode),
    ("images generate and edit", images),
    ("models list", models),
    ("tool loop with content null -> answered, warnings in a header", tool_loop),
    ("invalid max_tokens -> BadRequestError", bad_request),
    ("injected 429 retried by the SDK", retried_429),
]:
    check(name, fn)
print("openai: all checks passed")
