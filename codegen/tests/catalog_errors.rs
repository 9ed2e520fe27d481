//! A broken catalog is refused with messages that name the file, line, model and field,
//! never with a panic. Each test breaks one thing in a copy of the real catalog.

mod common;

use common::CatalogCopy;

const VTRIX: &str = "models/vtrix.yaml";

#[test]
fn the_real_catalog_loads() {
    let catalog =
        modelgate_codegen::load_catalog(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec")).unwrap();
    assert_eq!(catalog.providers.len(), 2);
}

#[test]
fn minimum_above_maximum() {
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        "max_tokens: {minimum: 1, maximum: 4096}",
        "max_tokens: {minimum: 5000, maximum: 4096}",
    );
    let line = c.line_of(VTRIX, "minimum: 5000");
    assert_eq!(
        c.errors(),
        [format!(
            "spec/{VTRIX}:{line}:7: model `vtrix-claude-3-haiku`, field `max_tokens`: minimum 5000 is greater than maximum 4096"
        )]
    );
}

#[test]
fn a_parameter_the_endpoint_does_not_have() {
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        "max_tokens: {minimum: 1, maximum: 4096}",
        "max_tokens: {minimum: 1, maximum: 4096}\n      top_k: {maximum: 5}",
    );
    let line = c.line_of(VTRIX, "top_k");
    assert_eq!(
        c.errors(),
        [format!(
            "spec/{VTRIX}:{line}:7: model `vtrix-claude-3-haiku`, field `top_k`: `top_k` is not a parameter of endpoint vtrix.chat_completions \
             (it has: frequency_penalty, function_call, functions, max_tokens, messages, model, presence_penalty, reasoning_effort, \
             response_format, stop, stream, temperature, tool_choice, tools, top_p)"
        )]
    );
}

#[test]
fn a_nested_path_that_does_not_exist() {
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        "messages/*/role: {enum: [user, assistant, system, developer]}",
        "messages/*/rolle: {enum: [user]}",
    );
    let line = c.line_of(VTRIX, "rolle");
    let errors = c.errors();
    assert!(!errors.is_empty());
    assert_eq!(
        errors[0],
        format!(
            "spec/{VTRIX}:{line}:7: model `vtrix-claude-3-haiku`, field `messages/*/rolle`: `messages/*/rolle` does not exist \
             (known here: content, function_call, name, role, tool_call_id, tool_calls)"
        )
    );
}

#[test]
fn duplicate_model_ids() {
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        "- id: vtrix-claude-opus-4.5",
        "- id: vtrix-claude-sonnet-4.5",
    );
    let first = c.line_of(VTRIX, "- id: vtrix-claude-sonnet-4.5");
    let second = first
        + c.read(VTRIX)
            .lines()
            .skip(first)
            .position(|l| l.contains("- id: vtrix-claude-sonnet-4.5"))
            .unwrap()
        + 1;
    assert_eq!(
        c.errors(),
        [format!(
            "spec/{VTRIX}:{second}:5: model `vtrix-claude-sonnet-4.5`, field `id`: duplicate model ID; it is first defined at spec/{VTRIX}:{first}:5"
        )]
    );
}

#[test]
fn ids_that_collide_as_rust_names() {
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        "- id: vtrix-claude-opus-4.5",
        "- id: vtrix_claude_sonnet_4.5",
    );
    let errors = c.errors();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].ends_with("model `vtrix_claude_sonnet_4.5`, field `id`: model ID maps to the Rust name `VtrixClaudeSonnet4_5`, as `vtrix-claude-sonnet-4.5` does; rename one"),
        "{}",
        errors[0]
    );
}

#[test]
fn a_dangling_ref() {
    let c = CatalogCopy::new();
    c.replace(
        "openapi/vtrix.yaml",
        "$ref: '#/components/schemas/MediaTask'",
        "$ref: '#/components/schemas/MediaTsak'",
    );
    let line = c.line_of("openapi/vtrix.yaml", "MediaTsak");
    let errors = c.errors();
    assert_eq!(
        errors[0],
        format!(
            "spec/openapi/vtrix.yaml:{line}:17: field `$ref`: dangling `$ref` #/components/schemas/MediaTsak: spec/openapi/vtrix.yaml has nothing at #/components/schemas/MediaTsak"
        )
    );
}

#[test]
fn a_dangling_ref_into_another_file() {
    let c = CatalogCopy::new();
    c.replace(
        "openapi/vertexkey.yaml",
        "common.yaml#/components/schemas/ChatCompletionRequest",
        "common.yaml#/components/schemas/ChatRequest",
    );
    let line = c.line_of("openapi/vertexkey.yaml", "ChatRequest'");
    assert_eq!(
        c.errors()[0],
        format!(
            "spec/openapi/vertexkey.yaml:{line}:15: field `$ref`: dangling `$ref` common.yaml#/components/schemas/ChatRequest: spec/openapi/common.yaml has nothing at #/components/schemas/ChatRequest"
        )
    );
}

#[test]
fn malformed_yaml() {
    let c = CatalogCopy::new();
    c.replace(VTRIX, "name: Claude 3 Haiku", "name: [Claude 3 Haiku");
    let errors = c.errors();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with(&format!("spec/{VTRIX}:")),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains(": malformed YAML: "), "{}", errors[0]);
}

#[test]
fn a_misspelt_key() {
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        "max_tokens: {minimum: 1, maximum: 4096}",
        "max_tokens: {minimum: 1, maximun: 4096}",
    );
    let line = c.line_of(VTRIX, "maximun");
    let column = c
        .read(VTRIX)
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("maximun")
        .unwrap()
        + 1;
    assert_eq!(
        c.errors(),
        [format!(
            "spec/{VTRIX}:{line}:{column}: model `vtrix-claude-3-haiku`, field `models[5].parameters.max_tokens.maximun`: \
             unknown field `maximun`, expected one of `required`, `minimum`, `maximum`, `enum`, `default`, `max_length`, \
             `fixed`, `description`, `source`, `note`"
        )]
    );
}

#[test]
fn a_duplicate_yaml_key() {
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        "    name: Claude 3 Haiku\n",
        "    name: Claude 3 Haiku\n    name: Claude 3 Haiku again\n",
    );
    let line = c.line_of(VTRIX, "Claude 3 Haiku again");
    assert_eq!(
        c.errors(),
        [format!(
            "spec/{VTRIX}:{line}:5: malformed YAML: duplicate key `name`"
        )]
    );
}

#[test]
fn an_enum_wider_than_the_endpoint() {
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        "reasoning_effort: {enum: [low, medium, high, xhigh], default: medium}",
        "reasoning_effort: {enum: [low, ultra], default: low}",
    );
    let line = c.line_of(VTRIX, "ultra");
    assert_eq!(
        c.errors(),
        [format!(
            "spec/{VTRIX}:{line}:7: model `vtrix-gpt-5.3-codex`, field `reasoning_effort`: enum value `ultra` is not one the endpoint allows (low, medium, high, xhigh)"
        )]
    );
}

#[test]
fn a_default_outside_the_range() {
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        "temperature: {default: 1.0, minimum: 0.0, maximum: 2.0}",
        "temperature: {default: 3.0, minimum: 0.0, maximum: 2.0}",
    );
    let line = c.line_of(VTRIX, "default: 3.0");
    let errors = c.errors();
    // The profile is shared by 15 models: each one that uses it is named.
    assert_eq!(errors.len(), 15);
    assert!(
        errors
            .iter()
            .all(|e| e.starts_with(&format!("spec/{VTRIX}:{line}:7: model `")))
    );
    assert!(errors.iter().all(|e| e.ends_with(
        "field `temperature`: default 3.0 does not satisfy the parameter's own constraints"
    )));
}

#[test]
fn unknown_source_profile_and_endpoint() {
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        "source: {doc: seed-000, section: Anthropic / Claude 3 Haiku}",
        "source: {doc: seed-999, section: Anthropic / Claude 3 Haiku}",
    );
    c.replace(VTRIX, "    profile: seed-000-chat\n    parameters:\n      max_tokens: {minimum: 1, maximum: 8192}", "    profile: seed-001-chat\n    parameters:\n      max_tokens: {minimum: 1, maximum: 8192}");
    c.replace(
        VTRIX,
        "endpoints: [media_generation]",
        "endpoints: [media_generations]",
    );
    let errors = c.errors().join("\n");
    assert!(errors.contains("model `vtrix-claude-3-haiku`, field `source.doc`: unknown source document `seed-999` (catalog.yaml lists: public-facts, seed-000, seed-001, seed-002, seed-003, seed-004)"), "{errors}");
    assert!(errors.contains("model `vtrix-claude-3.5-haiku`, field `profile`: unknown profile `seed-001-chat` (this file defines: seed-000-chat)"), "{errors}");
    assert!(errors.contains("model `minimax_hailuo_23_i2v`, field `endpoints`: unknown endpoint `media_generations` (provider vtrix has: chat_completions, media_generation)"), "{errors}");
}

#[test]
fn a_model_on_an_endpoint_of_another_kind() {
    let c = CatalogCopy::new();
    c.replace(
        "models/vertexkey.yaml",
        "endpoints: [videos]",
        "endpoints: [chat_completions]",
    );
    let errors = c.errors().join("\n");
    assert!(errors.contains("model `enterprise/seedance-1-5-pro`, field `endpoints`: a video model cannot be served by `chat_completions`, a chat endpoint"), "{errors}");
}

#[test]
fn a_model_that_does_not_accept_a_required_parameter() {
    let c = CatalogCopy::new();
    c.replace(
        "models/vertexkey.yaml",
        "section: Video Generation}\n    parameters:\n      model: {}\n      prompt: {}",
        "section: Video Generation}\n    parameters:\n      model: {}",
    );
    let errors = c.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].ends_with("model `enterprise/seedance-1-5-pro`, field `prompt`: the endpoint requires `prompt`, so the model must accept it: add `prompt: {}` to its parameters"), "{errors:?}");
}

#[test]
fn an_openapi_3_1_document() {
    let c = CatalogCopy::new();
    c.replace("openapi/vtrix.yaml", "openapi: 3.0.3", "openapi: 3.1.0");
    let errors = c.errors();
    assert_eq!(
        errors[0],
        "spec/openapi/vtrix.yaml:3:1: field `openapi`: OpenAPI version `3.1.0` is not supported; progenitor 0.15 takes 3.0.x documents only"
    );
}

#[test]
fn a_missing_catalog_directory() {
    let err = modelgate_codegen::load_catalog("/nonexistent/spec").unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot read /nonexistent/spec/catalog.yaml: No such file or directory (os error 2) (hint: is the catalog directory right? it must hold catalog.yaml)"
    );
}

#[test]
fn several_problems_are_reported_together() {
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        "max_tokens: {minimum: 1, maximum: 4096}",
        "max_tokens: {minimum: 5000, maximum: 4096}",
    );
    c.replace(
        VTRIX,
        "- id: vtrix-claude-opus-4.5",
        "- id: vtrix-claude-sonnet-4.5",
    );
    let err = modelgate_codegen::load_catalog(c.dir.path()).unwrap_err();
    assert_eq!(err.catalog_errors().len(), 2);
    assert!(err.to_string().starts_with("the catalog has 2 errors:\n  "));
}
