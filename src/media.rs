//! Images, video jobs and media tasks: what they have in common. An input image is a
//! file (sent as a base64 data URL) or a URL; an asynchronous job is polled by one
//! [`wait`] helper with an interval, a total timeout, a progress callback and the
//! server's `Retry-After`; and job statuses are read tolerantly (public-facts section 1):
//! `queued`, `pending`, `in_queue`, `processing`, `in_progress`, `completed`, `success`,
//! `failed`, and anything else kept as unknown.

use std::future::Future;
use std::path::Path;
use std::time::Duration;

use tokio::time::Instant;

use base64::Engine;

use crate::error::Error;

/// An image given to an edit or an image-to-video model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageInput {
    /// An `https://` (or `data:`) URL, sent as is.
    Url(String),
    /// Image bytes and their MIME type, sent as a base64 data URL.
    Bytes {
        /// `image/png`, `image/jpeg`, ...
        mime: String,
        /// The image.
        data: Vec<u8>,
    },
}

impl ImageInput {
    /// Reads an image file; its type comes from the extension (png, jpg/jpeg, webp, gif).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let data = std::fs::read(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let mime = match ext.as_deref() {
            Some("png") => "image/png",
            Some("jpg" | "jpeg") => "image/jpeg",
            Some("webp") => "image/webp",
            Some("gif") => "image/gif",
            _ => {
                return Err(Error::Config(format!(
                    "{}: unknown image type (expected .png, .jpg, .jpeg, .webp or .gif)",
                    path.display()
                )));
            }
        };
        Ok(ImageInput::Bytes {
            mime: mime.into(),
            data,
        })
    }

    /// A file path or a URL, as a command line gives it.
    pub fn from_arg(arg: &str) -> Result<Self, Error> {
        if arg.starts_with("http://") || arg.starts_with("https://") || arg.starts_with("data:") {
            Ok(ImageInput::Url(arg.to_string()))
        } else {
            Self::from_path(arg)
        }
    }

    /// The value to send: the URL, or `data:<mime>;base64,<data>`.
    pub fn to_request_value(&self) -> String {
        match self {
            ImageInput::Url(url) => url.clone(),
            ImageInput::Bytes { mime, data } => {
                format!(
                    "data:{mime};base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(data)
                )
            }
        }
    }
}

/// Where a job stands, whatever words the gateway uses.
#[derive(Clone, Debug, PartialEq)]
pub enum JobState {
    /// Accepted, not started (`queued`, `pending`, `in_queue`).
    Queued,
    /// Running (`processing`, `in_progress`).
    Running,
    /// Done (`completed`, `success`).
    Succeeded,
    /// Failed (`failed`), with the gateway's message.
    Failed(String),
    /// A status this crate does not know, kept as sent; polling goes on.
    Unknown(String),
}

impl JobState {
    /// Reads a status word.
    pub fn from_status(status: &str, error: Option<String>) -> Self {
        match status.to_ascii_lowercase().as_str() {
            "queued" | "pending" | "in_queue" | "submitted" => JobState::Queued,
            "processing" | "in_progress" | "running" => JobState::Running,
            "completed" | "success" | "succeeded" => JobState::Succeeded,
            "failed" | "failure" | "error" | "cancelled" => {
                JobState::Failed(error.unwrap_or_else(|| status.to_string()))
            }
            other => JobState::Unknown(other.to_string()),
        }
    }

    /// Whether the job has ended.
    pub fn is_terminal(&self) -> bool {
        matches!(self, JobState::Succeeded | JobState::Failed(_))
    }
}

/// The gateway's error in a job: a string, or an object with `message` (or
/// `error_message`) and `code`.
pub fn job_error_message(error: &serde_json::Value) -> Option<String> {
    match error {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => {
            let (code, message) = crate::http::error_fields(&other.to_string());
            match (code, message) {
                (Some(c), Some(m)) => Some(format!("{m} (code {c})")),
                (None, Some(m)) => Some(m),
                (Some(c), None) => Some(format!("code {c}")),
                (None, None) => Some(other.to_string()),
            }
        }
    }
}

/// One poll of a job: its state, progress (0 to 1, when known), and how long the server
/// asked to wait before the next poll.
#[derive(Clone, Debug)]
pub struct Poll<T> {
    /// The job as the gateway described it.
    pub job: T,
    /// Where it stands.
    pub state: JobState,
    /// From 0 to 1, when the gateway says.
    pub progress: Option<f64>,
    /// `Retry-After` (or `retry-after-ms`) on the poll response.
    pub retry_after: Option<Duration>,
}

/// How to wait for a job.
#[derive(Clone, Copy, Debug)]
pub struct WaitOptions {
    /// Time between polls, unless the server asks for another.
    pub interval: Duration,
    /// Give up after this long.
    pub timeout: Duration,
}

impl WaitOptions {
    /// Seed 004's advice for VertexKey videos: every 10 s, about 60-120 s in all (600 s
    /// allowed).
    pub const VERTEXKEY_VIDEO: WaitOptions = WaitOptions {
        interval: Duration::from_secs(10),
        timeout: Duration::from_secs(600),
    };
    /// Vtrix's own CLI: every 5 s, 600 s in all (public-facts section 1).
    pub const VTRIX_MEDIA: WaitOptions = WaitOptions {
        interval: Duration::from_secs(5),
        timeout: Duration::from_secs(600),
    };

    /// These options with another time between polls.
    ///
    /// ```
    /// use std::time::Duration;
    /// use modelgate::media::WaitOptions;
    ///
    /// let quick = WaitOptions::VTRIX_MEDIA.interval(Duration::from_millis(500));
    /// assert_eq!((quick.interval, quick.timeout), (Duration::from_millis(500), Duration::from_secs(600)));
    /// ```
    pub const fn interval(self, interval: Duration) -> Self {
        WaitOptions { interval, ..self }
    }

    /// These options with another time to give up after.
    pub const fn timeout(self, timeout: Duration) -> Self {
        WaitOptions { timeout, ..self }
    }
}

/// Polls a job until it ends: `poll` fetches it once; `on_progress` sees every poll. A
/// failed job is [`Error::JobFailed`]; running out of time is [`Error::JobTimeout`].
pub async fn wait<T, F, Fut>(
    id: &str,
    options: WaitOptions,
    mut poll: F,
    mut on_progress: impl FnMut(&Poll<T>),
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Poll<T>, Error>>,
{
    let started = Instant::now();
    loop {
        let p = poll().await?;
        on_progress(&p);
        match &p.state {
            JobState::Succeeded => return Ok(p.job),
            JobState::Failed(message) => {
                return Err(Error::JobFailed {
                    id: id.to_string(),
                    message: message.clone(),
                });
            }
            _ => {}
        }
        let delay = p.retry_after.unwrap_or(options.interval);
        let waited = started.elapsed();
        if waited + delay > options.timeout {
            let status = match &p.state {
                JobState::Unknown(s) => s.clone(),
                other => format!("{other:?}").to_lowercase(),
            };
            return Err(Error::JobTimeout {
                id: id.to_string(),
                status,
                waited,
            });
        }
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_word_of_public_facts_section_1() {
        for (word, state) in [
            ("queued", JobState::Queued),
            ("pending", JobState::Queued),
            ("in_queue", JobState::Queued),
            ("processing", JobState::Running),
            ("in_progress", JobState::Running),
            ("IN_PROGRESS", JobState::Running),
            ("completed", JobState::Succeeded),
            ("success", JobState::Succeeded),
            ("failed", JobState::Failed("failed".into())),
            ("teleporting", JobState::Unknown("teleporting".into())),
        ] {
            assert_eq!(JobState::from_status(word, None), state, "{word}");
        }
        assert_eq!(
            JobState::from_status("failed", Some("bad frame".into())),
            JobState::Failed("bad frame".into())
        );
    }

    #[test]
    fn job_errors_as_string_or_object() {
        use serde_json::json;
        assert_eq!(job_error_message(&json!("boom")), Some("boom".into()));
        assert_eq!(
            job_error_message(&json!({"code": "E1", "message": "bad frame"})),
            Some("bad frame (code E1)".into())
        );
        assert_eq!(
            job_error_message(&json!({"code": 7, "error_message": "nsfw"})),
            Some("nsfw (code 7)".into())
        );
        assert_eq!(job_error_message(&json!(null)), None);
    }

    #[test]
    fn images_from_files_become_data_urls() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dot.PNG");
        std::fs::write(&path, [0x89, b'P', b'N', b'G']).unwrap();
        let input = ImageInput::from_arg(path.to_str().unwrap()).unwrap();
        assert_eq!(input.to_request_value(), "data:image/png;base64,iVBORw==");
        assert_eq!(
            ImageInput::from_arg("https://x/y.png").unwrap(),
            ImageInput::Url("https://x/y.png".into())
        );
        let err = ImageInput::from_path(dir.path().join("notes.txt")).unwrap_err();
        assert!(err.to_string().contains("notes.txt"), "{err}");
    }

    #[tokio::test(start_paused = true)]
    async fn wait_polls_until_done_and_reports_progress() {
        let mut states = vec![
            ("queued", None),
            ("in_progress", Some(0.5)),
            ("teleporting", None),
            ("success", Some(1.0)),
        ]
        .into_iter();
        let mut seen = Vec::new();
        let started = tokio::time::Instant::now();
        let done = wait(
            "job-1",
            WaitOptions {
                interval: Duration::from_secs(5),
                timeout: Duration::from_secs(60),
            },
            || {
                let (status, progress) = states.next().unwrap();
                let retry_after = (status == "in_progress").then(|| Duration::from_secs(1));
                async move {
                    Ok(Poll {
                        job: status.to_string(),
                        state: JobState::from_status(status, None),
                        progress,
                        retry_after,
                    })
                }
            },
            |p| seen.push((p.job.clone(), p.progress)),
        )
        .await
        .unwrap();
        assert_eq!(done, "success");
        assert_eq!(seen.len(), 4);
        // 5 s + 1 s (Retry-After) + 5 s between the four polls.
        assert_eq!(started.elapsed(), Duration::from_secs(11));
    }

    #[tokio::test(start_paused = true)]
    async fn wait_gives_up_and_names_the_last_status() {
        let err = wait(
            "job-2",
            WaitOptions {
                interval: Duration::from_secs(10),
                timeout: Duration::from_secs(25),
            },
            || async {
                Ok(Poll {
                    job: (),
                    state: JobState::Running,
                    progress: None,
                    retry_after: None,
                })
            },
            |_| {},
        )
        .await
        .unwrap_err();
        assert!(
            matches!(&err, Error::JobTimeout { id, status, .. } if id == "job-2" && status == "running"),
            "{err}"
        );
        let err = wait(
            "job-3",
            WaitOptions {
                interval: Duration::from_secs(1),
                timeout: Duration::from_secs(5),
            },
            || async {
                Ok(Poll {
                    job: (),
                    state: JobState::Failed("bad prompt".into()),
                    progress: None,
                    retry_after: None,
                })
            },
            |_| {},
        )
        .await
        .unwrap_err();
        assert_eq!(err.to_string(), "job job-3 failed: bad prompt");
    }
}
