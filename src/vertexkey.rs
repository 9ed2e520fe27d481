//! The VertexKey gateway (seed 004): chat in the OpenAI and Anthropic formats, image
//! generation and edits, video jobs, and the model list.
//!
//! ```no_run
//! # async fn demo() -> Result<(), modelgate::Error> {
//! use modelgate::chat::{request, user};
//! use modelgate::VertexKeyClient;
//!
//! let client = VertexKeyClient::from_env()?; // VERTEXKEY_API_KEY
//! let answer = client.chat().create(&request("aws/claude-sonnet-4-6", vec![user("Hello!")])).await?;
//! println!("{:?}", answer.choices);
//! # Ok(()) }
//! ```

use bytes::Bytes;

use crate::Endpoint;
use crate::chat::Chat;
use crate::error::Error;
use crate::http::{Operation, Runtime, decode_value};
use crate::media::{JobState, Poll, WaitOptions, wait};
use crate::messages::Messages;
use modelgate_api::vertexkey::operations;

pub use crate::generated::vertexkey::types::{
    ImageData, ImageEditRequest, ImageEditRequestResponseFormat, ImageGenerationRequest,
    ImageGenerationRequestResponseFormat, ImagesResponse, ModelList, ModelObject,
    VideoCreateRequest, VideoJob,
};
pub use crate::types::VideoStatus;
pub use modelgate_api::images::{image_edit_request, image_request};

crate::http::gateway_client!(
    /// A VertexKey client. Cloning is cheap (the connection pool is shared). This example
    /// needs the gateway (or `modelgate serve` and `VERTEXKEY_BASE_URL`):
    ///
    /// ```no_run
    /// use modelgate::VertexKeyClient;
    /// use modelgate::{ModelId, chat, messages};
    ///
    /// # async fn ask() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = VertexKeyClient::from_env()?; // VERTEXKEY_API_KEY
    /// // OpenAI format.
    /// let req = chat::request(ModelId::AwsClaudeSonnet4_6, [chat::user("Hello!")]).max_tokens(200);
    /// let answer = client.chat().create(&req).await?;
    /// println!("{:?}: {}", answer.finish_reason(), answer.text().unwrap_or_default());
    /// // Anthropic format, on /messages.
    /// let req = messages::request(ModelId::AwsClaudeHaiku4_5, [messages::user("Hello!")], 200)
    ///     .system("Answer in one line.");
    /// let message = client.messages().create(&req).await?;
    /// println!("{}", message.text());
    /// # Ok(())
    /// # }
    /// ```
    VertexKeyClient,
    VertexKey,
    "VERTEXKEY",
    vertexkey,
    vertexkey_client
);

impl VertexKeyClient {
    /// Chat completions (OpenAI format, `POST /chat/completions`).
    pub fn chat(&self) -> Chat<'_> {
        Chat::new(&self.runtime, Endpoint::VertexKeyChatCompletions)
    }

    /// Messages (Anthropic format, `POST /messages`).
    pub fn messages(&self) -> Messages<'_> {
        Messages::new(&self.runtime)
    }

    /// Image generation and edits.
    pub fn images(&self) -> Images<'_> {
        Images {
            runtime: &self.runtime,
            validate: true,
        }
    }

    /// Video jobs.
    pub fn videos(&self) -> Videos<'_> {
        Videos {
            runtime: &self.runtime,
            validate: true,
        }
    }

    /// Downloads a finished image or video from its URL (the configured timeouts apply;
    /// the API key is not sent, media URLs are signed links to other hosts).
    pub async fn download(&self, url: &str) -> Result<Bytes, Error> {
        self.runtime.download(url).await
    }

    /// The models the gateway lists (`GET /models`).
    pub async fn models(&self) -> Result<ModelList, Error> {
        self.runtime
            .get_json(&Operation::call(&operations::LIST_MODELS, &[])?)
            .await
    }
}

/// Image generation and edits; each request has a fixed price, so a request that may
/// have reached the gateway is never retried.
#[derive(Clone, Debug)]
pub struct Images<'c> {
    runtime: &'c Runtime,
    validate: bool,
}

impl Images<'_> {
    /// Turns validation off (or on) for requests made with this handle.
    pub fn validate(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }

    /// Generates images (`POST /images/generations`).
    pub async fn generate(
        &self,
        request: &ImageGenerationRequest,
    ) -> Result<ImagesResponse, Error> {
        let op = Operation::endpoint(Endpoint::VertexKeyImagesGenerations);
        self.runtime.post_json(&op, request, self.validate).await
    }

    /// Edits an image (`POST /images/edits`, JSON body with `image` as base64 or a URL;
    /// see [`crate::media::ImageInput`]).
    pub async fn edit(&self, request: &ImageEditRequest) -> Result<ImagesResponse, Error> {
        let op = Operation::endpoint(Endpoint::VertexKeyImagesEdits);
        self.runtime.post_json(&op, request, self.validate).await
    }
}

/// Video jobs: create (billed, never retried once it may have been received), poll, wait.
#[derive(Clone, Debug)]
pub struct Videos<'c> {
    runtime: &'c Runtime,
    validate: bool,
}

impl Videos<'_> {
    /// Turns validation off (or on) for requests made with this handle.
    pub fn validate(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }

    /// Creates a job (`POST /videos`); the answer is usually `{"id", "status": "queued"}`.
    pub async fn create(&self, request: &VideoCreateRequest) -> Result<VideoJob, Error> {
        let op = Operation::endpoint(Endpoint::VertexKeyVideos);
        self.runtime.post_json(&op, request, self.validate).await
    }

    /// Polls a job once (`GET /videos/{id}`).
    pub async fn get(&self, id: &str) -> Result<Poll<VideoJob>, Error> {
        let op = Operation::call(&operations::GET_VIDEO, &[id])?;
        let (value, retry_after) = self.runtime.json_value(&op, None).await?;
        let job: VideoJob = decode_value(value, op.name)?;
        let error = job
            .error
            .as_ref()
            .and_then(|e| e.message.clone().or_else(|| e.code.clone()));
        let state = job
            .status
            .as_ref()
            .map_or(JobState::Unknown(String::new()), |s| {
                JobState::from_status(s.as_str(), error)
            });
        // OpenAI's video object counts progress in percent; others from 0 to 1.
        let progress = job.progress.map(|p| if p > 1.0 { p / 100.0 } else { p });
        Ok(Poll {
            job,
            state,
            progress,
            retry_after,
        })
    }

    /// Polls until the job ends. A finished job carries `video_url`.
    pub async fn wait(
        &self,
        id: &str,
        options: WaitOptions,
        on_progress: impl FnMut(&Poll<VideoJob>),
    ) -> Result<VideoJob, Error> {
        wait(id, options, || self.get(id), on_progress).await
    }
}
