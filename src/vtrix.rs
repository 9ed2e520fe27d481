//! The Vtrix gateway (seeds 000-003, public-facts section 1): chat completions for its
//! language models and asynchronous media tasks for its image and video models.

use bytes::Bytes;

use crate::Endpoint;
use crate::chat::Chat;
use crate::error::Error;
use crate::http::{Operation, Runtime, decode_value};
use crate::media::{JobState, Poll, WaitOptions, job_error_message, wait};
use modelgate_api::vtrix::operations;

pub use crate::generated::vtrix::types::{
    MediaContent, MediaGenerationRequest, MediaInput, MediaOutput, MediaTask, MediaUsage,
};
pub use crate::types::MediaTaskStatus;

crate::http::gateway_client!(
    /// A Vtrix client. Cloning is cheap (the connection pool is shared).
    ///
    /// A request that breaks a documented limit is refused before anything is sent (this
    /// example makes no network call):
    ///
    /// ```
    /// use modelgate::chat::{request, user};
    /// use modelgate::{Config, Error, Provider, VtrixClient};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Error> {
    /// let client = VtrixClient::new(
    ///     Config::new(Provider::Vtrix).api_key("sk-test").base_url("http://127.0.0.1:9"),
    /// )?;
    /// // Claude 3 Haiku takes at most 4096 on Vtrix (seed 000).
    /// let req = request("vtrix-claude-3-haiku", [user("Hello")]).max_tokens(4097);
    /// match client.chat().create(&req).await {
    ///     Err(Error::Validation { errors, .. }) => assert_eq!(errors[0].pointer, "/max_tokens"),
    ///     other => panic!("expected a validation error, got {other:?}"),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// Against the gateway (or `modelgate serve`):
    ///
    /// ```no_run
    /// use modelgate::VtrixClient;
    /// use modelgate::chat::{request, user};
    ///
    /// # async fn ask() -> Result<(), modelgate::Error> {
    /// let client = VtrixClient::from_env()?; // VTRIX_API_KEY, VTRIX_BASE_URL
    /// let answer = client
    ///     .chat()
    ///     .create(&request("vtrix-deepseek-v3.1", vec![user("Why is the sky blue?")]))
    ///     .await?;
    /// println!("{}", answer.text().unwrap_or_default());
    /// # Ok(())
    /// # }
    /// ```
    VtrixClient,
    Vtrix,
    "VTRIX",
    vtrix,
    vtrix_client
);

impl VtrixClient {
    /// Chat completions (`POST /llm/chat/completions`).
    pub fn chat(&self) -> Chat<'_> {
        Chat::new(&self.runtime, Endpoint::VtrixChatCompletions)
    }

    /// Downloads a finished medium from its URL (the configured timeouts apply; the API
    /// key is not sent).
    pub async fn download(&self, url: &str) -> Result<Bytes, Error> {
        self.runtime.download(url).await
    }

    /// Media (image and video) tasks.
    pub fn media(&self) -> MediaTasks<'_> {
        MediaTasks {
            runtime: &self.runtime,
            validate: true,
        }
    }
}

/// Media tasks: submit (billed, never retried once it may have been received), poll, wait.
#[derive(Clone, Debug)]
pub struct MediaTasks<'c> {
    runtime: &'c Runtime,
    validate: bool,
}

impl MediaTasks<'_> {
    /// Turns validation off (or on) for requests made with this handle.
    pub fn validate(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }

    /// Submits a task (`POST /model/v1/generation`). The answer may already be complete.
    pub async fn submit(&self, request: &MediaGenerationRequest) -> Result<Poll<MediaTask>, Error> {
        let op = Operation::endpoint(Endpoint::VtrixMediaGeneration);
        let body = self.runtime.body_bytes(&op, request, self.validate)?;
        let (value, retry_after) = self.runtime.json_value(&op, Some(body)).await?;
        task_poll(value, retry_after, op.name)
    }

    /// Polls a task once (`GET /model/v1/generation/task/{id}`).
    pub async fn get(&self, id: &str) -> Result<Poll<MediaTask>, Error> {
        let op = Operation::call(&operations::GET_GENERATION_TASK, &[id])?;
        let (value, retry_after) = self.runtime.json_value(&op, None).await?;
        task_poll(value, retry_after, op.name)
    }

    /// Polls until the task ends; its `output` then holds the media URLs.
    pub async fn wait(
        &self,
        id: &str,
        options: WaitOptions,
        on_progress: impl FnMut(&Poll<MediaTask>),
    ) -> Result<MediaTask, Error> {
        wait(id, options, || self.get(id), on_progress).await
    }
}

/// Reads a task tolerantly: unwraps the `{"data": task, "status": {...}}` envelope one doc
/// page shows, keeps unknown statuses, accepts `error` as a string or an object.
fn task_poll(
    value: serde_json::Value,
    retry_after: Option<std::time::Duration>,
    operation: &str,
) -> Result<Poll<MediaTask>, Error> {
    let value = match value {
        serde_json::Value::Object(mut map)
            if !map.contains_key("id") && map.get("data").is_some_and(|d| d.is_object()) =>
        {
            map.remove("data").unwrap_or_default()
        }
        other => other,
    };
    let task: MediaTask = decode_value(value, operation)?;
    let error = task.error.as_ref().and_then(job_error_message);
    let state = match &task.status {
        Some(status) => JobState::from_status(status.as_str(), error),
        None if task.output.as_ref().is_some_and(|o| !o.is_empty()) => JobState::Succeeded,
        None => JobState::Unknown(String::new()),
    };
    Ok(Poll {
        progress: task.progress,
        state,
        job: task,
        retry_after,
    })
}

/// The URLs of a finished task's media, in order.
pub fn output_urls(task: &MediaTask) -> Vec<&str> {
    task.output
        .iter()
        .flatten()
        .flat_map(|o| o.content.iter().flatten())
        .filter_map(|c| c.url.as_deref())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tasks_decode_in_every_shape_public_facts_describes() {
        let plain = json!({"id": "t1", "status": "in_progress", "progress": 0.4});
        let p = task_poll(plain, None, "t").unwrap();
        assert_eq!((p.state, p.progress), (JobState::Running, Some(0.4)));

        let envelope = json!({"data": {"id": "t2", "status": "success", "output": [{"content": [{"type": "video", "url": "https://v/1.mp4"}]}]},
                              "status": {"code": 200, "message": "success"}});
        let p = task_poll(envelope, None, "t").unwrap();
        assert_eq!(p.state, JobState::Succeeded);
        assert_eq!(output_urls(&p.job), ["https://v/1.mp4"]);

        let failed_string = json!({"id": "t3", "status": "failed", "error": "content policy"});
        assert_eq!(
            task_poll(failed_string, None, "t").unwrap().state,
            JobState::Failed("content policy".into())
        );
        let failed_object = json!({"id": "t4", "status": "failed", "error": {"code": "E42", "message": "bad frame"}});
        assert_eq!(
            task_poll(failed_object, None, "t").unwrap().state,
            JobState::Failed("bad frame (code E42)".into())
        );

        let odd = json!({"id": "t5", "status": "rendering", "output": null, "metadata": null, "usage": null, "extra": true});
        let p = task_poll(odd, None, "t").unwrap();
        assert_eq!(p.state, JobState::Unknown("rendering".into()));
        assert_eq!(
            p.job.status,
            Some(MediaTaskStatus::Unknown("rendering".into()))
        );
    }
}
