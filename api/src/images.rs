//! Image requests built from their required fields, and an answer's images read.

pub use crate::vertexkey::types::{ImageEditRequest, ImageGenerationRequest, ImagesResponse};

/// An image generation request with `model` and `prompt` set: the generated
/// [`ImageGenerationRequest::new`] and its `model` setter (the format makes `model`
/// optional; the gateways need it). The gateway fixes the size by model (seed 004).
///
/// ```
/// use std::num::NonZeroU64;
///
/// let r = modelgate_api::images::image_request("enterprise/image-2", "a fox").n(NonZeroU64::MIN);
/// assert_eq!((r.model.as_deref(), r.prompt.as_str()), (Some("enterprise/image-2"), "a fox"));
/// assert_eq!(r.n, Some(NonZeroU64::MIN));
/// ```
pub fn image_request(
    model: impl Into<String>,
    prompt: impl Into<String>,
) -> ImageGenerationRequest {
    ImageGenerationRequest::new(prompt).model(model)
}

/// An image edit request with `model`, `prompt` and `image` (base64, a data URL or a URL:
/// see modelgate's `media::ImageInput`) set.
pub fn image_edit_request(
    model: impl Into<String>,
    prompt: impl Into<String>,
    image: impl Into<String>,
) -> ImageEditRequest {
    ImageEditRequest::new(image, prompt).model(model)
}

impl ImagesResponse {
    /// The images given as URLs, in order.
    ///
    /// ```
    /// let r: modelgate_api::images::ImagesResponse =
    ///     serde_json::from_str(r#"{"data": [{"url": "https://x/1.png"}, {"b64_json": "iVBO"}]}"#).unwrap();
    /// assert_eq!(r.urls().collect::<Vec<_>>(), ["https://x/1.png"]);
    /// assert_eq!(r.b64_images().collect::<Vec<_>>(), ["iVBO"]);
    /// ```
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.data.iter().flatten().filter_map(|d| d.url.as_deref())
    }

    /// The images given as base64 (`response_format: b64_json`), in order.
    pub fn b64_images(&self) -> impl Iterator<Item = &str> {
        self.data
            .iter()
            .flatten()
            .filter_map(|d| d.b64_json.as_deref())
    }
}
