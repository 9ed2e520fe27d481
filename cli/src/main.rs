//! The `modelgate` binary: parses arguments, runs the command, maps the result to an
//! exit status. All logic is in the `modelgate_cli` library.

use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match modelgate_cli::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = io::stderr();
    // A reader that went away before the last bytes were flushed does not change the
    // command's status (`validate ... | head` still exits 1 on an invalid payload).
    let result = modelgate_cli::run(&cli, &mut out, &mut err).and_then(|code| match out.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(code),
    });
    match result {
        Ok(code) => code,
        Err(e) if modelgate_cli::is_broken_pipe(e.as_ref()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = modelgate_cli::exit_status(e.as_ref());
            let mut message = format!("error: {e}");
            let mut source = e.source();
            while let Some(cause) = source {
                message.push_str(&format!("\n  caused by: {cause}"));
                source = cause.source();
            }
            // Errors quote servers (messages, bodies): no raw control characters.
            let _ = writeln!(err, "{}", modelgate_cli::escape::text(&message));
            ExitCode::from(code)
        }
    }
}
