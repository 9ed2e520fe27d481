//! Whether to write ANSI colours: `--color auto|always|never` (global), where `auto`
//! colours a terminal unless `NO_COLOR` is set to a non-empty value
//! (<https://no-color.org>) or `TERM` is `dumb`. Every command that colours (`validate`'s
//! human output, `serve`'s log lines) asks here.

use std::ffi::OsString;

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour a terminal, unless `NO_COLOR` is set or `TERM=dumb`.
    #[default]
    Auto,
    /// Always colour, even into a pipe or file.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (`is_terminal`) or is not a terminal, under
    /// this process's environment.
    pub fn enabled(self, is_terminal: bool) -> bool {
        self.decide(
            is_terminal,
            std::env::var_os("NO_COLOR"),
            std::env::var_os("TERM"),
        )
    }

    /// [`ColorChoice::enabled`] with the environment given.
    ///
    /// ```
    /// use modelgate_cli::color::ColorChoice;
    /// assert!(ColorChoice::Auto.decide(true, None, Some("xterm".into())));
    /// assert!(!ColorChoice::Auto.decide(true, Some("1".into()), None));
    /// assert!(ColorChoice::Auto.decide(true, Some("".into()), None)); // empty: not set
    /// assert!(!ColorChoice::Auto.decide(false, None, None));
    /// assert!(!ColorChoice::Auto.decide(true, None, Some("dumb".into())));
    /// assert!(ColorChoice::Always.decide(false, Some("1".into()), None));
    /// assert!(!ColorChoice::Never.decide(true, None, None));
    /// ```
    pub fn decide(
        self,
        is_terminal: bool,
        no_color: Option<OsString>,
        term: Option<OsString>,
    ) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal
                    && no_color.is_none_or(|v| v.is_empty())
                    && term.is_none_or(|t| t != "dumb")
            }
        }
    }
}
