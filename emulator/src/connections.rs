//! Connections: the accept loop and each connection's life, served by hyper (HTTP/1.1,
//! keep-alive).
//!
//! What a client may hold is bounded by the machine, not by a small count:
//! - **Slots.** At most `max_connections` connections are served at once; by default that
//!   is the process's open-file limit less [`RESERVED_FILES`], so `accept` never fails for
//!   want of a descriptor (see [`default_max_connections`]).
//! - **Idle connections make room.** A connection waiting for its next request is idle.
//!   When a client connects and every slot is taken, the connection idle the longest is
//!   asked to make room (`IdleConnections`): it closes at once if it has been idle for
//!   [`IDLE_GRACE`], or else its next answer carries `Connection: close` (so its client,
//!   which may be about to reuse it, is told rather than cut) and it closes after that
//!   answer, or when it reaches [`IDLE_GRACE`] of idleness, whichever comes first. The
//!   waiting client asks again every [`ASK_AGAIN`] until a slot frees. Connections with a
//!   request in progress are never cut.
//! - **Time.** A request head (or the next one on a kept-alive connection) must arrive
//!   within `header_timeout_seconds`, so a silent or half-sent head (slowloris) is dropped.
//! - **Memory.** A connection's read buffer is at most [`MAX_BUFFER`] bytes; request bodies
//!   and answers take their bytes from the shared budget (`budget`).
//! - **Shutdown.** After `shutdown`, no connection is accepted; open requests get
//!   `shutdown_grace_seconds`, then the connections still open are dropped.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{HeaderValue, Request, header};
use axum::response::Response;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

use crate::budget::HeldBody;
use crate::config::{self, Limits};

/// Open files kept for everything but connections (the listener, logs, config, stdio) and
/// for the one client accepted while it waits for a slot.
pub const RESERVED_FILES: u64 = 64;

/// The most connections served at once when the config leaves it open, whatever the
/// open-file limit: each costs at most about [`MAX_BUFFER`] bytes of buffers.
pub const MAX_DEFAULT_CONNECTIONS: u64 = 65_536;

/// The largest read buffer of a connection, in bytes: a request head must fit in it (real
/// ones are a few hundred bytes; larger heads are answered 431), and bodies are read
/// through it in pieces of at most this size.
pub const MAX_BUFFER: usize = 64 * 1024;

/// How long a connection asked to make room may stay idle before it is closed: a client
/// that reuses its connection sooner gets `Connection: close` on that answer instead of
/// a connection closed under its request.
pub const IDLE_GRACE: Duration = Duration::from_secs(1);

/// How often a client waiting for a slot asks another connection to make room.
pub const ASK_AGAIN: Duration = Duration::from_millis(250);

/// The shortest timeout applied, so that a zero from a config built in code does not
/// drop every connection at once.
pub(crate) const MIN_TIMEOUT: Duration = Duration::from_millis(1);

/// `max_connections` when the config does not set it: the open-file limit of the process
/// less [`RESERVED_FILES`], at most [`MAX_DEFAULT_CONNECTIONS`], at least 1.
pub fn default_max_connections() -> usize {
    let limit = open_file_limit().saturating_sub(RESERVED_FILES);
    limit.clamp(1, MAX_DEFAULT_CONNECTIONS) as usize
}

/// The process's open-file limit (the soft one, which `accept` runs into).
fn open_file_limit() -> u64 {
    #[cfg(unix)]
    {
        rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
    }
    #[cfg(not(unix))]
    {
        // Windows sockets are not counted against a per-process file limit.
        MAX_DEFAULT_CONNECTIONS
    }
}

/// Raises the process's open-file limit to its hard limit (what Go's runtime and most
/// servers do at start), so that the default `max_connections` follows what the system
/// allows rather than the shell's usual 1024. Returns the limit now in force.
pub fn raise_open_file_limit() -> std::io::Result<u64> {
    #[cfg(unix)]
    {
        rlimit::increase_nofile_limit(u64::MAX)
    }
    #[cfg(not(unix))]
    {
        Ok(MAX_DEFAULT_CONNECTIONS)
    }
}

/// A connection's state as the idle queue sees it: a counter bumped at every change
/// between idle (even) and busy (odd), when it last became idle, and whether it was asked
/// to make room (with the signal that tells its task).
#[derive(Default)]
struct ConnectionState {
    turn: AtomicU64,
    /// Milliseconds from [`IdleConnections::epoch`] to the end of its last answer (or to
    /// its opening).
    idle_since: AtomicU64,
    closing: AtomicBool,
    close: Notify,
}

impl ConnectionState {
    fn is_idle(&self) -> bool {
        self.turn.load(Ordering::Acquire).is_multiple_of(2)
    }
}

/// Connections waiting for their next request, oldest first: entries `(connection, turn)`
/// pushed when a connection becomes idle. An entry whose connection has ended or changed
/// turn since is stale and skipped; stale entries are swept out when they outnumber the
/// live connections, so the queue stays within twice their number (and each push costs
/// O(1) amortized).
struct IdleConnections {
    queue: Mutex<VecDeque<(Weak<ConnectionState>, u64)>>,
    live: AtomicUsize,
    epoch: Instant,
}

impl IdleConnections {
    fn new() -> Self {
        IdleConnections {
            queue: Mutex::default(),
            live: AtomicUsize::new(0),
            epoch: Instant::now(),
        }
    }

    fn now(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// A new connection, idle until its first request.
    fn open(&self) -> Arc<ConnectionState> {
        let state = Arc::new(ConnectionState::default());
        state.idle_since.store(self.now(), Ordering::Relaxed);
        self.live.fetch_add(1, Ordering::Relaxed);
        self.push(&state, 0);
        state
    }

    fn push(&self, state: &Arc<ConnectionState>, turn: u64) {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        queue.push_back((Arc::downgrade(state), turn));
        let live = self.live.load(Ordering::Relaxed);
        if queue.len() > 2 * live + 16 {
            queue.retain(|(conn, turn)| is_current(conn, *turn));
        }
    }

    /// A request begins on `state`'s connection.
    fn busy(&self, state: &ConnectionState) {
        state.turn.fetch_add(1, Ordering::AcqRel);
    }

    /// `state`'s connection finished writing an answer and waits for the next request.
    fn idle(&self, state: &Arc<ConnectionState>) {
        state.idle_since.store(self.now(), Ordering::Relaxed);
        let turn = state.turn.fetch_add(1, Ordering::AcqRel) + 1;
        self.push(state, turn);
    }

    /// How long `state`'s connection has been idle; `None` while it is busy.
    fn idle_for(&self, state: &ConnectionState) -> Option<Duration> {
        let since = state.idle_since.load(Ordering::Relaxed);
        state
            .is_idle()
            .then(|| Duration::from_millis(self.now().saturating_sub(since)))
    }

    fn closed(&self) {
        self.live.fetch_sub(1, Ordering::Relaxed);
    }

    /// Asks the connection idle the longest (and not asked before) to make room; the one
    /// asked, if there was one.
    fn ask_longest_idle_to_close(&self) -> Option<Weak<ConnectionState>> {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        while let Some((conn, turn)) = queue.pop_front() {
            if let Some(state) = conn.upgrade()
                && state.turn.load(Ordering::Acquire) == turn
                && !state.closing.swap(true, Ordering::AcqRel)
            {
                state.close.notify_one();
                return Some(conn);
            }
        }
        None
    }

    #[cfg(test)]
    fn queued(&self) -> usize {
        self.queue.lock().unwrap().len()
    }
}

fn is_current(conn: &Weak<ConnectionState>, turn: u64) -> bool {
    conn.upgrade()
        .is_some_and(|state| state.turn.load(Ordering::Acquire) == turn)
}

/// Marks its connection idle again when dropped, which is when its answer has been
/// written (it travels in the answer's body, see [`HeldBody`]).
struct BusyMark {
    idle: Arc<IdleConnections>,
    state: Arc<ConnectionState>,
}

impl Drop for BusyMark {
    fn drop(&mut self) {
        self.idle.idle(&self.state);
    }
}

/// Serves `router` on `listener` within `limits` until `shutdown` completes.
pub(crate) async fn serve(
    router: Router,
    limits: &Limits,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let max = limits
        .max_connections
        .unwrap_or_else(default_max_connections);
    let slots = Arc::new(Semaphore::new(max.max(1)));
    let idle = Arc::new(IdleConnections::new());
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let header_timeout = config::duration(limits.header_timeout_seconds).max(MIN_TIMEOUT);
    let mut connections = tokio::task::JoinSet::new();
    let mut warned = false;
    tokio::pin!(shutdown);
    'accept: loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was
                    // accepted: wait a little rather than spin.
                    tracing::warn!(target: "modelgate_emulator", "accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // Every slot taken: the longest-idle connection is asked to make room. Every
        // ASK_AGAIN, unless one asked is idle (it closes within IDLE_GRACE), the next is
        // asked, until a slot frees (when all are busy, the first request to end frees one).
        let mut asked: Vec<Weak<ConnectionState>> = Vec::new();
        let slot = loop {
            if let Ok(slot) = slots.clone().try_acquire_owned() {
                break slot;
            }
            asked.retain(|conn| conn.strong_count() > 0);
            let one_closes = asked
                .iter()
                .any(|conn| conn.upgrade().is_some_and(|state| state.is_idle()));
            if !one_closes {
                match idle.ask_longest_idle_to_close() {
                    Some(conn) => asked.push(conn),
                    None if !warned => {
                        warned = true;
                        tracing::warn!(
                            target: "modelgate_emulator",
                            "{max} connections busy (limits.max_connections); new clients wait for one to finish"
                        );
                    }
                    None => {}
                }
            }
            tokio::select! {
                () = &mut shutdown => break 'accept,
                slot = slots.clone().acquire_owned() => match slot {
                    Ok(slot) => break slot,
                    Err(_) => break 'accept,
                },
                () = tokio::time::sleep(ASK_AGAIN) => {}
            }
        };
        while connections.try_join_next().is_some() {}
        connections.spawn(connection(
            stream,
            router.clone(),
            header_timeout,
            stopping.clone(),
            idle.clone(),
            slot,
        ));
    }
    drop(listener);
    let _ = stop.send(true);
    let grace = config::duration(limits.shutdown_grace_seconds);
    let finished = tokio::time::timeout(grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if finished.is_err() {
        tracing::warn!(
            target: "modelgate_emulator",
            "{} connections still open after the {} s shutdown grace period; dropping them",
            connections.len(),
            grace.as_secs_f64()
        );
        connections.shutdown().await;
    }
    Ok(())
}

/// Serves one connection until it closes, `stopping` turns true, or it is asked to make
/// room and has been idle for [`IDLE_GRACE`] (an answer given meanwhile carries
/// `Connection: close`, after which hyper closes it); on `stopping`, the request in
/// progress (if any) finishes first.
/// `_slot` is the connection's place under `max_connections`, freed when it ends.
async fn connection(
    stream: tokio::net::TcpStream,
    router: Router,
    header_timeout: Duration,
    mut stopping: tokio::sync::watch::Receiver<bool>,
    idle: Arc<IdleConnections>,
    _slot: OwnedSemaphorePermit,
) {
    // Stream events are small writes; do not hold them back waiting for ACKs.
    let _ = stream.set_nodelay(true);
    let state = idle.open();
    // Each request marks the connection busy; its answer's body marks it idle again when
    // it has been written.
    let service = hyper::service::service_fn({
        let (idle, state) = (idle.clone(), state.clone());
        move |request: Request<hyper::body::Incoming>| {
            idle.busy(&state);
            let mark = BusyMark {
                idle: idle.clone(),
                state: state.clone(),
            };
            let answer = router.clone().oneshot(request);
            async move {
                let mut response: Response = answer.await?;
                if mark.state.closing.load(Ordering::Acquire) {
                    // Asked to make room: the client learns it now, not by a closed socket.
                    response
                        .headers_mut()
                        .insert(header::CONNECTION, HeaderValue::from_static("close"));
                }
                Ok::<_, std::convert::Infallible>(response.map(|body| HeldBody::wrap(body, mark)))
            }
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(header_timeout)
        .max_buf_size(MAX_BUFFER)
        .keep_alive(true);
    let conn = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
    tokio::pin!(conn);
    // When asked to make room: the next moment to look whether it has been idle enough.
    let mut look_at: Option<tokio::time::Instant> = None;
    let result = loop {
        let look = async {
            match look_at {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            result = conn.as_mut() => break Some(result),
            _ = stopping.wait_for(|stop| *stop) => break None,
            () = state.close.notified() => look_at = Some(tokio::time::Instant::now()),
            () = look => match idle.idle_for(&state) {
                Some(idle_for) if idle_for >= IDLE_GRACE => break None,
                Some(idle_for) => look_at = Some(tokio::time::Instant::now() + (IDLE_GRACE - idle_for)),
                // Busy: its answer carries `Connection: close`; look again in case it is long.
                None => look_at = Some(tokio::time::Instant::now() + IDLE_GRACE),
            },
        }
    };
    let result = match result {
        Some(result) => result,
        None => {
            // Closes at once when idle; otherwise after the answer in progress.
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };
    idle.closed();
    if let Err(e) = result {
        tracing::debug!(target: "modelgate_emulator", "connection closed: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_idle_connection_is_asked_first_each_once_and_busy_ones_never() {
        let idle = IdleConnections::new();
        let (a, b, c) = (idle.open(), idle.open(), idle.open());
        // a takes a request (busy), b goes idle again after one, c stays idle from the start.
        idle.busy(&a);
        idle.busy(&b);
        idle.idle(&b);
        // c has been idle the longest (since it opened), then b; a is busy.
        assert!(idle.ask_longest_idle_to_close().is_some());
        assert!(futures_ready(&c.close) && c.closing.load(Ordering::Relaxed));
        assert!(idle.ask_longest_idle_to_close().is_some());
        assert!(futures_ready(&b.close));
        assert!(idle.ask_longest_idle_to_close().is_none(), "a is busy");
        assert!(!futures_ready(&a.close) && !a.closing.load(Ordering::Relaxed));
        // b answers another request and is idle again: asked already, not asked twice.
        idle.busy(&b);
        idle.idle(&b);
        assert!(idle.ask_longest_idle_to_close().is_none());
        assert_eq!(idle.idle_for(&a), None, "busy");
        assert!(idle.idle_for(&b).is_some());
    }

    #[test]
    fn stale_entries_are_swept_so_the_queue_stays_linear_in_the_connections() {
        let idle = IdleConnections::new();
        let conn = idle.open();
        for _ in 0..10_000 {
            idle.busy(&conn);
            idle.idle(&conn);
        }
        assert!(idle.queued() <= 2 + 16, "{} entries", idle.queued());
        drop(conn);
        idle.closed();
        assert!(
            idle.ask_longest_idle_to_close().is_none(),
            "a closed connection is not idle"
        );
    }

    #[test]
    fn the_default_connection_count_follows_the_open_file_limit() {
        let limit = open_file_limit();
        let expected = limit
            .saturating_sub(RESERVED_FILES)
            .clamp(1, MAX_DEFAULT_CONNECTIONS);
        assert_eq!(default_max_connections() as u64, expected);
    }

    /// Whether a `notify_one` is waiting on `notify` (consumes it).
    fn futures_ready(notify: &Notify) -> bool {
        let notified = notify.notified();
        tokio::pin!(notified);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        notified.as_mut().poll(&mut cx).is_ready()
    }
}
