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
             (it has: audio, frequency_penalty, function_call, functions, logit_bias, logprobs, max_completion_tokens, max_tokens, \
             messages, metadata, modalities, model, moderation, n, parallel_tool_calls, prediction, presence_penalty, prompt_cache_key, \
             prompt_cache_options, prompt_cache_retention, reasoning_effort, response_format, safety_identifier, seed, service_tier, \
             stop, store, stream, stream_options, temperature, tool_choice, tools, top_logprobs, top_p, user, verbosity, web_search_options)"
        )]
    );
}

#[test]
fn a_nested_path_that_does_not_exist() {
    let c = CatalogCopy::new();
    // The first `messages/*/content` is the seed-000 profile's.
    c.replace(VTRIX, "messages/*/content: {}", "messages/*/contents: {}");
    let line = c.line_of(VTRIX, "contents");
    let errors = c.errors();
    // The profile is shared by 15 models: each one that uses it is named.
    assert_eq!(errors.len(), 15, "{errors:?}");
    assert!(
        errors.contains(&format!(
            "spec/{VTRIX}:{line}:7: model `vtrix-claude-sonnet-4.5`, field `messages/*/contents`: `messages/*/contents` does not exist \
             in any variant (`role`: developer, system, user, assistant, tool, function)"
        )),
        "{errors:?}"
    );
    // One level down, in an object: the names that are there.
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        "response_format/type: {enum: [text, json_object]}",
        "response_format/kind: {enum: [text]}",
    );
    let line = c.line_of(VTRIX, "response_format/kind");
    assert_eq!(
        c.errors(),
        [format!(
            "spec/{VTRIX}:{line}:7: model `vtrix-deepseek-v3.2`, field `response_format/kind`: `response_format/kind` does not exist \
             in any variant (`type`: text, json_object, json_schema)"
        )]
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
        "formats/openai-chat.yaml#/components/schemas/ChatCompletionRequest",
        "formats/openai-chat.yaml#/components/schemas/ChatRequest",
    );
    let line = c.line_of("openapi/vertexkey.yaml", "ChatRequest'");
    assert_eq!(
        c.errors()[0],
        format!(
            "spec/openapi/vertexkey.yaml:{line}:15: field `$ref`: dangling `$ref` formats/openai-chat.yaml#/components/schemas/ChatRequest: spec/openapi/formats/openai-chat.yaml has nothing at #/components/schemas/ChatRequest"
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
fn an_alias_bomb_and_an_oversized_file_are_refused() {
    let c = CatalogCopy::new();
    let mut bomb = String::from("a0: &a0 [lol]\n");
    for level in 1..10 {
        let refs = vec![format!("*a{}", level - 1); 9].join(", ");
        bomb.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    std::fs::write(c.path(VTRIX), &bomb).unwrap();
    let errors = c.errors();
    assert!(
        errors[0].contains("malformed YAML: anchors and aliases would copy more than 16 MiB"),
        "{errors:?}"
    );
    let padding = "#".repeat((16 << 20) + 1);
    std::fs::write(c.path(VTRIX), padding).unwrap();
    let errors = c.errors();
    assert!(
        errors[0].contains("the file is larger than 16 MiB, the most modelgate reads"),
        "{errors:?}"
    );
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
             unknown field `maximun`, expected one of `required`, `minimum`, `maximum`, `enum`, `exhaustive`, `default`, `max_length`, \
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
fn a_tag_value_the_format_has_no_shape_for() {
    // A documented enum wins over the format's (a value the format lacks is the gateway's
    // to allow), but a tag value selects a shape, and the format must have it.
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        "response_format/type: {enum: [text, json_object]}",
        "response_format/type: {enum: [text, yaml]}",
    );
    let line = c.line_of(VTRIX, "yaml]");
    assert_eq!(
        c.errors(),
        [format!(
            "spec/{VTRIX}:{line}:7: model `vtrix-deepseek-v3.2`, field `response_format/type`: enum value `yaml` has no shape in the format (`type`: text, json_object, json_schema)"
        )]
    );
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        "response_format/type: {enum: [text, json_object]}",
        "response_format/type: {enum: [text], maximum: 3}",
    );
    let line = c.line_of(VTRIX, "{enum: [text], maximum: 3}");
    assert_eq!(
        c.errors(),
        [format!(
            "spec/{VTRIX}:{line}:7: model `vtrix-deepseek-v3.2`, field `response_format/type`: `type` selects a variant; only `enum` (and `exhaustive`) apply to it"
        )]
    );
}

#[test]
fn exhaustive_without_an_enum() {
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        "      stop: {}\n",
        "      stop: {exhaustive: false}\n",
    );
    let line = c.line_of(VTRIX, "stop: {exhaustive");
    assert_eq!(
        c.errors(),
        [format!(
            "spec/{VTRIX}:{line}:7: model `vtrix-deepseek-v3.2`, field `stop`: `exhaustive` qualifies an `enum`; give the enum"
        )]
    );
}

#[test]
fn billing_needs_a_known_source() {
    let c = CatalogCopy::new();
    c.replace(
        VTRIX,
        r#"billed_on_submit: {doc: public-facts, section: "1"}"#,
        r#"billed_on_submit: {doc: public-fact, section: "1"}"#,
    );
    let line = c.line_of(VTRIX, "doc: public-fact,");
    let errors = c.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(&format!("spec/{VTRIX}:{line}:")),
        "{errors:?}"
    );
    assert!(
        errors[0].contains("unknown source document `public-fact`"),
        "{errors:?}"
    );
}

#[test]
fn a_format_schema_naming_an_unknown_source() {
    let c = CatalogCopy::new();
    let file = "openapi/formats/openai-images.yaml";
    c.replace(
        file,
        "x-modelgate-source: {doc: format-reference, section: C.1}",
        "x-modelgate-source: {doc: format-refrence, section: C.1}",
    );
    let line = c.line_of(file, "format-refrence");
    assert_eq!(
        c.errors(),
        [format!(
            "spec/{file}:{line}:7: field `x-modelgate-source`: `x-modelgate-source` names unknown source document `format-refrence` \
             (catalog.yaml lists: format-reference, openai-batch, public-facts, seed-000, seed-001, seed-002, seed-003, seed-004)"
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
    assert!(errors.contains("model `vtrix-claude-3-haiku`, field `source.doc`: unknown source document `seed-999` (catalog.yaml lists: format-reference, openai-batch, public-facts, seed-000, seed-001, seed-002, seed-003, seed-004)"), "{errors}");
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

#[test]
fn a_source_needs_a_file_or_a_web_address() {
    let c = CatalogCopy::new();
    c.replace(
        "catalog.yaml",
        "    file: 001_428ddb1d6c674919.txt\n",
        "    url: ftp://example.com/x\n",
    );
    let line = c.line_of("catalog.yaml", "url: ftp://");
    assert_eq!(
        c.errors(),
        [format!(
            "spec/catalog.yaml:{line}:5: field `sources.seed-001.url`: source `seed-001`: `url` \"ftp://example.com/x\" is not a web address (https://host/...)"
        )]
    );
    let c = CatalogCopy::new();
    c.replace("catalog.yaml", "    file: 001_428ddb1d6c674919.txt\n", "");
    let line = c.line_of("catalog.yaml", "seed-001:");
    assert_eq!(
        c.errors(),
        [format!(
            "spec/catalog.yaml:{line}:3: field `sources.seed-001.url`: source `seed-001`: give the document's `file`, its `url`, or both"
        )]
    );
}
