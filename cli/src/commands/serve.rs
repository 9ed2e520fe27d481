//! `modelgate serve`: runs the gateway emulator (crate `modelgate-emulator`) until Ctrl-C
//! or SIGTERM, logging one line per request to stderr.

use std::net::SocketAddr;
use std::path::PathBuf;

#[cfg(feature = "serve")]
pub use run::run;

/// `modelgate serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Emulator settings (YAML): accepted keys, pacing, job duration, fault rates.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not log a line per request.
    #[arg(long)]
    pub quiet: bool,
    /// Do not read the `[[models]]` declarations of `modelgate.toml` (found upward from
    /// the working directory), which the emulator otherwise serves and checks too.
    #[arg(long)]
    pub no_config: bool,
}

/// The command itself (feature `serve`).
#[cfg(feature = "serve")]
mod run {
    use std::io::Write;
    use std::net::SocketAddr;

    use modelgate_emulator::{Emulator, EmulatorConfig};

    use super::ServeArgs;

    /// Runs the emulator until Ctrl-C (or SIGTERM), then lets open requests finish within the
    /// shutdown grace period (`limits.shutdown_grace_seconds`, 5 s by default) and drops the rest.
    /// `color`: whether the log lines on stderr are coloured (`--color`, `NO_COLOR`).
    pub fn run(
        args: &ServeArgs,
        color: bool,
        out: &mut dyn Write,
    ) -> Result<(), Box<dyn std::error::Error>> {
        let mut config = match &args.config {
            Some(path) => EmulatorConfig::from_file(path)?,
            None => EmulatorConfig::default(),
        };
        // The models modelgate.toml declares are served as `validate` checks them.
        let cwd = std::env::current_dir().unwrap_or_default();
        if let Some(path) = (!args.no_config)
            .then(|| crate::config::find(&cwd))
            .flatten()
        {
            let declared = crate::config::load(&path)?.declared;
            for d in declared.iter() {
                if config
                    .declared_models
                    .iter()
                    .any(|m| m.id == d.declaration.id)
                {
                    return Err(format!(
                        "{}: `{}` is declared both there and in the emulator config; keep one",
                        d.declaration.origin.as_deref().unwrap_or("modelgate.toml"),
                        d.declaration.id
                    )
                    .into());
                }
                config.declared_models.push(d.declaration.clone());
            }
        }
        if !args.quiet {
            // Log lines go to stderr; a second subscriber (tests) is not an error.
            let _ = tracing_subscriber::fmt()
                .with_writer(std::io::stderr)
                .with_max_level(tracing::Level::INFO)
                .with_target(false)
                .with_ansi(color)
                .try_init();
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the async runtime: {e}"))?;
        // Connections are bounded by the open-file limit (limits.max_connections): take what
        // the system allows, as servers do, rather than the shell's usual 1024.
        if let Err(e) = modelgate_emulator::connections::raise_open_file_limit() {
            tracing::warn!("cannot raise the open-file limit: {e}");
        }
        runtime.block_on(async {
            let listener = listen(args.addr).map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
            let addr = listener.local_addr()?;
            writeln!(
                out,
                "modelgate emulator listening on http://{addr}\n  VertexKey: http://{addr}/v1\n  Vtrix:     http://{addr}\nCtrl-C stops it."
            )?;
            out.flush()?;
            Emulator::new(config).serve(listener, shutdown_signal()).await?;
            writeln!(out, "stopped")?;
            Ok(())
        })
    }

    /// The pending-connection queue asked of the system (Linux caps it at
    /// `net.core.somaxconn`, 4096 by default): a load test that opens thousands of connections
    /// at once is not made to retry its SYNs.
    const BACKLOG: u32 = 4096;

    /// A listener on `addr` with a [`BACKLOG`]-long queue.
    fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
        let socket = if addr.is_ipv4() {
            tokio::net::TcpSocket::new_v4()?
        } else {
            tokio::net::TcpSocket::new_v6()?
        };
        #[cfg(not(windows))]
        socket.set_reuseaddr(true)?;
        socket.bind(addr)?;
        socket.listen(BACKLOG)
    }

    /// Completes on Ctrl-C, or on SIGTERM on Unix.
    async fn shutdown_signal() {
        let ctrl_c = async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        #[cfg(unix)]
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {},
            () = terminate => {},
        }
    }
}
