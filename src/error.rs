//! The runtime's one error type. API errors carry the status, the gateway's error code and
//! message, the request id header and the raw body; decode errors carry the body they could
//! not decode. No error ever holds the API key.

use std::fmt;
use std::time::Duration;

use crate::validate::Finding;

/// What kind of API error a status means (the official SDKs' classes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApiErrorKind {
    /// 400: the request is malformed.
    BadRequest,
    /// 401: the key is missing or invalid.
    Authentication,
    /// 403: insufficient balance or permission denied.
    PermissionDenied,
    /// 404.
    NotFound,
    /// 409.
    Conflict,
    /// 422.
    UnprocessableEntity,
    /// 429: rate limited.
    RateLimited,
    /// 500 and above.
    Server,
    /// Any other status.
    Other,
}

impl ApiErrorKind {
    /// The kind for an HTTP status.
    pub fn from_status(status: u16) -> Self {
        match status {
            400 => Self::BadRequest,
            401 => Self::Authentication,
            403 => Self::PermissionDenied,
            404 => Self::NotFound,
            409 => Self::Conflict,
            422 => Self::UnprocessableEntity,
            429 => Self::RateLimited,
            500.. => Self::Server,
            _ => Self::Other,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::BadRequest => "bad request",
            Self::Authentication => "authentication failed",
            Self::PermissionDenied => "permission denied or insufficient balance",
            Self::NotFound => "not found",
            Self::Conflict => "conflict",
            Self::UnprocessableEntity => "unprocessable entity",
            Self::RateLimited => "rate limited",
            Self::Server => "server error",
            Self::Other => "unexpected status",
        }
    }
}

/// An error response from a gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// Its class.
    pub kind: ApiErrorKind,
    /// The HTTP status.
    pub status: u16,
    /// The gateway's error code (`error.code` or `error.type`), if it sent one.
    pub code: Option<String>,
    /// The gateway's message, or the start of the body when it sent none.
    pub message: String,
    /// The `x-request-id` (or `request-id`) header.
    pub request_id: Option<String>,
    /// The delay the gateway asked for (`retry-after-ms` / `retry-after`).
    pub retry_after: Option<Duration>,
    /// The response body as received: at most [`crate::http::MAX_ERROR_BODY`] bytes of
    /// it.
    pub body: String,
    /// Why `body` is not the whole body, when it is not: the read failed or timed out,
    /// or the body was longer than [`crate::http::MAX_ERROR_BODY`]. An empty `body` with
    /// no `body_error` is an empty body.
    pub body_error: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status,
            self.kind.describe(),
            self.message
        )?;
        if let Some(code) = &self.code {
            write!(f, " (code {code})")?;
        }
        if let Some(d) = self.retry_after {
            write!(f, " (retry after {:.1} s)", d.as_secs_f64())?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        if let Some(why) = &self.body_error
            && !self.message.starts_with("(no body")
        {
            write!(f, " ({why})")?;
        }
        Ok(())
    }
}

/// Everything a gateway call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request breaks a documented limit or a rule of its format (or something the
    /// client's policy denies); nothing was sent.
    #[error("the request was not sent: {} for {subject}:{}", count(.errors.len()), list(.errors))]
    Validation {
        /// The model (or endpoint) the request was checked against.
        subject: String,
        /// Every finding at deny level.
        errors: Vec<Finding>,
    },
    /// The gateway answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// No connection could be made, or it broke.
    #[error("connection to {url} failed: {message}")]
    Connection {
        /// Where to.
        url: String,
        /// Why (from the HTTP library; never holds the key).
        message: String,
    },
    /// A response broke one of the client's size caps ([`crate::sse::MAX_LINE`],
    /// [`crate::sse::MAX_EVENT`], [`crate::http::MAX_RESPONSE_BODY`],
    /// [`crate::http::MAX_DOWNLOAD`]); what it held is dropped and the response not read
    /// on.
    #[error("{what}: {message}")]
    TooLarge {
        /// The operation or endpoint.
        what: String,
        /// The name of the cap (`MAX_LINE`, ...).
        cap: &'static str,
        /// What was too large, and the cap's size.
        message: String,
    },
    /// The request, its response headers, a stream's wait for its next event, or a whole
    /// stream took longer than allowed.
    #[error("{what} timed out after {} s", .after.as_secs_f64())]
    Timeout {
        /// The request or stream that timed out.
        what: String,
        /// The limit.
        after: Duration,
    },
    /// A response could not be decoded.
    #[error(
        "could not decode the {status} response of {operation}: {message} (body starts with: {snippet})"
    )]
    Decode {
        /// The operation.
        operation: String,
        /// The HTTP status.
        status: u16,
        /// The decoder's message.
        message: String,
        /// The first bytes of the body.
        snippet: String,
        /// The whole body.
        body: String,
    },
    /// The gateway reported an error in the middle of a stream; what came before it was
    /// delivered.
    #[error("the stream reported an error: {message}{}", code.as_ref().map(|c| format!(" (code {c})")).unwrap_or_default())]
    Stream {
        /// The gateway's error type or code.
        code: Option<String>,
        /// Its message.
        message: String,
        /// The event's data as received.
        data: String,
    },
    /// A media job ended in failure.
    #[error("job {id} failed: {message}")]
    JobFailed {
        /// The job id.
        id: String,
        /// The gateway's error message.
        message: String,
    },
    /// A media job did not finish in time.
    #[error("job {id} did not finish within {} s (last status: {status})", .waited.as_secs_f64())]
    JobTimeout {
        /// The job id.
        id: String,
        /// The last status seen.
        status: String,
        /// How long was waited.
        waited: Duration,
    },
    /// The client is not set up to make the call (e.g. no API key).
    #[error("{0}")]
    Config(String),
    /// A local file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

fn list(findings: &[Finding]) -> String {
    findings.iter().map(|v| format!("\n  {v}")).collect()
}

fn count(errors: usize) -> String {
    match errors {
        1 => "1 error".into(),
        n => format!("{n} errors"),
    }
}

impl Error {
    /// The HTTP status, for API and decode errors.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The gateway's request id, for API errors.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The API error, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Whether trying again could succeed (the statuses and failures the SDKs retry).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => crate::retry::retryable_status(e.status),
            Error::Connection { .. } | Error::Timeout { .. } => true,
            _ => false,
        }
    }
}
