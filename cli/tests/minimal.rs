//! The CLI built without default features, as the pre-commit hook and the GitHub Action
//! build it (`cargo test -p modelgate-cli --no-default-features --test minimal`, run by
//! `.ci/run`): the validating commands work, and each command left out says which
//! feature has it and how to get it, with exit status 2.

#![cfg(not(any(feature = "gateway", feature = "serve", feature = "catalog")))]

mod support;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_validating_commands_work() {
    let o = support::run_in_root(&["validate", "examples/payloads/valid"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = support::run_in_root(&["models", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = support::run_in_root(&["schema", "vtrix-claude-3-haiku"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = support::run_in_root(&["completions", "bash"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

#[test]
fn a_left_out_command_names_its_feature_and_how_to_get_it() {
    for (args, command, feature) in [
        (
            &["chat", "--model", "aws/glm-5", "hi"][..],
            "chat",
            "gateway",
        ),
        (
            &[
                "image",
                "--model",
                "enterprise/image-2",
                "--out",
                "x.png",
                "p",
            ][..],
            "image",
            "gateway",
        ),
        (
            &["video", "--model", "enterprise/seedance-1-5-pro", "p"][..],
            "video",
            "gateway",
        ),
        (&["models", "--remote"][..], "models --remote", "gateway"),
        (&["serve"][..], "serve", "serve"),
        (
            &["catalog", "update", "--dry-run"][..],
            "catalog update",
            "catalog",
        ),
    ] {
        let o = support::run_in_root(args);
        let stderr = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with(&format!(
                "error: `modelgate {command}` is not in this build of modelgate, which was built without the `{feature}` feature"
            )),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("`cargo install --locked modelgate-cli` builds every command"),
            "{stderr}"
        );
    }
}
