//! The memory budget: one count of bytes, shared by every connection, that request bodies
//! take as they arrive and whole answers take until they are written. A request that
//! cannot get room within a wait is answered 503 (overloaded, with `Retry-After`) instead
//! of growing the process: memory is bounded by the budget, not by refusing connections.
//!
//! [`HeldBody`] is the one way something is kept alive for as long as an answer is being
//! written (a reservation here, a connection's busy mark in `connections`).

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use bytes::Bytes;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The shared count of bytes that request bodies and whole answers may hold at once.
#[derive(Clone)]
pub(crate) struct MemoryBudget {
    room: Arc<Semaphore>,
    total: usize,
}

/// Bytes taken from a [`MemoryBudget`]; given back when dropped.
#[derive(Default)]
pub(crate) struct Reservation(Option<OwnedSemaphorePermit>);

/// The budget had no room for a request within the wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Exhausted;

impl MemoryBudget {
    /// A budget of `total` bytes.
    pub(crate) fn new(total: usize) -> Self {
        // A semaphore holds at most `Semaphore::MAX_PERMITS` (usize::MAX >> 3).
        let total = total.clamp(1, Semaphore::MAX_PERMITS);
        MemoryBudget {
            room: Arc::new(Semaphore::new(total)),
            total,
        }
    }

    /// Takes `bytes`, waiting at most `wait` for others to give room back. More than the
    /// whole budget is [`Exhausted`] at once.
    pub(crate) async fn reserve(
        &self,
        bytes: usize,
        wait: Duration,
    ) -> Result<Reservation, Exhausted> {
        if bytes == 0 {
            return Ok(Reservation::default());
        }
        // One acquisition takes at most u32::MAX permits; bodies are at most 1 GiB.
        let n = u32::try_from(bytes).map_err(|_| Exhausted)?;
        if bytes > self.total {
            return Err(Exhausted);
        }
        if let Ok(permit) = self.room.clone().try_acquire_many_owned(n) {
            return Ok(Reservation(Some(permit)));
        }
        match tokio::time::timeout(wait, self.room.clone().acquire_many_owned(n)).await {
            Ok(Ok(permit)) => Ok(Reservation(Some(permit))),
            _ => Err(Exhausted),
        }
    }

    /// Bytes not reserved now.
    #[cfg(test)]
    pub(crate) fn available(&self) -> usize {
        self.room.available_permits()
    }
}

impl Reservation {
    /// Adds `other` to this reservation (both given back together).
    pub(crate) fn merge(&mut self, other: Reservation) {
        match (&mut self.0, other.0) {
            (Some(mine), Some(theirs)) => mine.merge(theirs),
            (mine @ None, theirs) => *mine = theirs,
            (Some(_), None) => {}
        }
    }
}

/// A response body that keeps `T` alive until the body is finished or dropped, which is
/// when hyper has written it (or the client went away).
pub(crate) struct HeldBody<T> {
    inner: Body,
    held: Option<T>,
}

impl<T: Send + Unpin + 'static> HeldBody<T> {
    /// `inner`, keeping `held` until it is written.
    pub(crate) fn wrap(inner: Body, held: T) -> Body {
        Body::new(HeldBody {
            inner,
            held: Some(held),
        })
    }
}

impl<T: Unpin> http_body::Body for HeldBody<T> {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(None) = polled {
            // Written: give back what was held now rather than when hyper drops the body.
            self.held = None;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reservations_wait_for_room_and_give_it_back_when_dropped() {
        let budget = MemoryBudget::new(100);
        let first = budget.reserve(60, Duration::ZERO).await.unwrap();
        assert_eq!(budget.available(), 40);
        // No room, no wait: exhausted at once.
        assert_eq!(
            budget.reserve(50, Duration::ZERO).await.err(),
            Some(Exhausted)
        );
        // Room given back while a reservation waits: it gets it.
        let waiting = tokio::spawn({
            let budget = budget.clone();
            async move { budget.reserve(50, Duration::from_secs(5)).await.is_ok() }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(first);
        assert!(waiting.await.unwrap());
        assert_eq!(budget.available(), 100);
        // More than the whole budget never fits.
        assert_eq!(
            budget.reserve(101, Duration::from_secs(5)).await.err(),
            Some(Exhausted)
        );
    }

    #[tokio::test]
    async fn merged_reservations_are_given_back_together() {
        let budget = MemoryBudget::new(100);
        let mut held = Reservation::default();
        held.merge(budget.reserve(30, Duration::ZERO).await.unwrap());
        held.merge(budget.reserve(30, Duration::ZERO).await.unwrap());
        assert_eq!(budget.available(), 40);
        drop(held);
        assert_eq!(budget.available(), 100);
    }

    #[tokio::test]
    async fn a_held_body_keeps_its_value_until_it_is_written() {
        use http_body_util::BodyExt;
        let budget = MemoryBudget::new(100);
        let held = budget.reserve(10, Duration::ZERO).await.unwrap();
        let body = HeldBody::wrap(Body::from("answer"), held);
        assert_eq!(budget.available(), 90);
        let bytes = body.collect().await.unwrap().to_bytes();
        assert_eq!(&bytes[..], b"answer");
        assert_eq!(budget.available(), 100);
    }
}
