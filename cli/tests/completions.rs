//! `modelgate completions SHELL` and `modelgate man`, run as users run them: each shell's
//! script names the subcommands and their options, bash's completes a partial word when
//! bash itself runs it, the man pages are roff that names the subcommands, and a shell or
//! page that does not exist is a usage error (exit 2).

use std::process::{Command, Output};

mod support;

fn modelgate(args: &[&str]) -> Output {
    support::modelgate().args(args).output().unwrap()
}

fn ok_stdout(args: &[&str]) -> String {
    let o = modelgate(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{args:?}: {}",
        support::text(&o.stderr)
    );
    assert!(o.stderr.is_empty(), "{}", support::text(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn bash_script_names_the_subcommands_and_the_validate_options() {
    let script = ok_stdout(&["completions", "bash"]);
    assert!(script.starts_with("_modelgate() {"), "{script}");
    assert!(script.contains("complete -F _modelgate"), "{script}");
    for word in ["validate", "--format", "--endpoint", "completions", "man"] {
        assert!(script.contains(word), "bash script lacks {word}");
    }
    // The values of `validate --format` are offered (bash_completes_... runs them).
    assert!(
        script
            .lines()
            .any(|l| l.contains("compgen -W \"human json github")),
        "{script}"
    );
}

/// Runs `script` in bash, then asks its completion function for `words` (the last one
/// being completed) and returns the candidates, one per line.
fn bash_complete(script: &str, words: &[&str]) -> Option<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("modelgate.bash");
    std::fs::write(&file, script).unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let driver = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE='{}'\nCOMP_POINT=${{#COMP_LINE}}\n\
         _modelgate modelgate '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        file.display(),
        quoted.join(" "),
        words.len() - 1,
        words.join(" "),
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let o = match Command::new("bash").arg("-c").arg(&driver).output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("bash: {e}"),
    };
    assert!(o.status.success(), "{}", support::text(&o.stderr));
    Some(
        support::text(&o.stdout)
            .lines()
            .map(str::to_string)
            .filter(|l| !l.is_empty())
            .collect(),
    )
}

#[test]
fn bash_completes_subcommands_options_and_format_values() {
    let script = ok_stdout(&["completions", "bash"]);
    let Some(subcommands) = bash_complete(&script, &["modelgate", "va"]) else {
        eprintln!("no bash on PATH: skipped");
        return;
    };
    assert_eq!(subcommands, ["validate"]);
    let options = bash_complete(&script, &["modelgate", "validate", "--for"]).unwrap();
    assert_eq!(options, ["--format"]);
    // Every format, whatever others are added: completions come from the definitions.
    let values = bash_complete(&script, &["modelgate", "validate", "--format", ""]).unwrap();
    for format in ["human", "json", "github"] {
        assert!(values.iter().any(|v| v == format), "{values:?}");
    }
    assert!(values.iter().all(|v| !v.starts_with('-')), "{values:?}");
    let shells = bash_complete(&script, &["modelgate", "completions", "z"]).unwrap();
    assert_eq!(shells, ["zsh"]);
}

#[test]
fn zsh_fish_elvish_and_powershell_scripts() {
    let zsh = ok_stdout(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef modelgate\n"), "{zsh}");
    assert!(zsh.contains("'--format=["), "{zsh}");
    assert!(zsh.contains("validate"), "{zsh}");

    let fish = ok_stdout(&["completions", "fish"]);
    assert!(
        fish.contains(
            "complete -c modelgate -n \"__fish_modelgate_needs_command\" -f -a \"validate\""
        ),
        "{fish}"
    );
    assert!(fish.contains("-l format"), "{fish}");

    let elvish = ok_stdout(&["completions", "elvish"]);
    assert!(
        elvish.contains("set edit:completion:arg-completer[modelgate]"),
        "{elvish}"
    );
    assert!(elvish.contains("modelgate;validate"), "{elvish}");

    let powershell = ok_stdout(&["completions", "powershell"]);
    assert!(
        powershell.contains("Register-ArgumentCompleter -Native -CommandName 'modelgate'"),
        "{powershell}"
    );
    assert!(powershell.contains("'modelgate;validate'"), "{powershell}");
}

#[test]
fn an_unknown_shell_is_a_usage_error_listing_the_shells() {
    let o = modelgate(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = support::text(&o.stderr);
    assert!(
        err.contains("invalid value 'tcsh' for '<SHELL>'")
            && err.contains("[possible values: bash, elvish, fish, powershell, zsh]"),
        "{err}"
    );
    let o = modelgate(&["completions"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn man_page_is_roff_naming_every_subcommand() {
    let page = ok_stdout(&["man"]);
    let th = page.lines().find(|l| l.starts_with(".TH ")).unwrap();
    assert_eq!(
        th,
        concat!(
            ".TH modelgate 1  \"modelgate ",
            env!("CARGO_PKG_VERSION"),
            "\" "
        )
    );
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    for sub in [
        "validate",
        "models",
        "schema",
        "serve",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!("modelgate\\-{sub}(1)")),
            "no {sub} in {page}"
        );
    }
    // No page for clap's `help` subcommand.
    assert!(!page.contains("modelgate\\-help"), "{page}");
}

#[test]
fn man_page_of_validate_documents_its_options_and_exit_status() {
    let page = ok_stdout(&["man", "validate"]);
    assert!(page.contains(".TH modelgate-validate 1"), "{page}");
    assert!(page.contains("\\fBmodelgate validate\\fR"), "{page}");
    assert!(page.contains("\\fB\\-\\-format\\fR"), "{page}");
    assert!(page.contains("2 for usage errors"), "{page}");
}

#[test]
fn man_page_renders_with_man_when_available() {
    let page = ok_stdout(&["man", "validate"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("modelgate-validate.1");
    std::fs::write(&file, page).unwrap();
    let o = match Command::new("man")
        .args(["-l", "-P", "cat"])
        .arg(&file)
        .env("MANWIDTH", "100")
        .output()
    {
        Ok(o) if o.status.success() => o,
        _ => {
            eprintln!("no working man on PATH: skipped");
            return;
        }
    };
    // man justifies and hyphenates: compare with runs of whitespace made one space.
    let text = support::text(&o.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("NAME modelgate-validate - Check request payloads"),
        "{text}"
    );
    assert!(
        text.contains("SYNOPSIS modelgate validate [--format] [-q|--quiet] [--endpoint]"),
        "{text}"
    );
}

#[test]
fn man_dir_writes_one_page_per_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let listing = ok_stdout(&["man", "--dir", dir.path().to_str().unwrap()]);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "modelgate-catalog-update.1",
            "modelgate-catalog.1",
            "modelgate-chat.1",
            "modelgate-completions.1",
            "modelgate-image.1",
            "modelgate-man.1",
            "modelgate-models.1",
            "modelgate-schema.1",
            "modelgate-serve.1",
            "modelgate-validate.1",
            "modelgate-video.1",
            "modelgate.1",
        ]
    );
    assert_eq!(listing.lines().count(), names.len(), "{listing}");
    let validate = std::fs::read_to_string(dir.path().join("modelgate-validate.1")).unwrap();
    assert_eq!(validate, ok_stdout(&["man", "validate"]));
}

#[test]
fn man_of_an_unknown_subcommand_is_a_usage_error() {
    let o = modelgate(&["man", "lint"]);
    assert_eq!(o.status.code(), Some(2));
    let err = support::text(&o.stderr);
    assert!(
        err.starts_with("error: no subcommand `lint`; one of: validate, models,"),
        "{err}"
    );
    let o = modelgate(&["man", "validate", "--dir", "/tmp"]);
    assert_eq!(o.status.code(), Some(2), "--dir conflicts with COMMAND");
}
