//! Image requests built from their required fields, and an answer's images read.

pub use crate::vertexkey::types::{ImageEditRequest, ImageGenerationRequest, ImagesResponse};

/// An image generation request with only `model` and `prompt` set; fill in the rest with
/// struct update syntax. The gateway fixes the size by model (seed 004).
pub fn image_request(
    model: impl Into<String>,
    prompt: impl Into<String>,
) -> ImageGenerationRequest {
    ImageGenerationRequest {
        model: Some(model.into()),
        prompt: prompt.into(),
        background: None,
        moderation: None,
        n: None,
        output_compression: None,
        output_format: None,
        partial_images: None,
        quality: None,
        response_format: None,
        size: None,
        stream: None,
        style: None,
        user: None,
    }
}

/// An image edit request with only `model`, `prompt` and `image` (base64, a data URL or
/// a URL: see modelgate's `media::ImageInput`) set.
pub fn image_edit_request(
    model: impl Into<String>,
    prompt: impl Into<String>,
    image: impl Into<String>,
) -> ImageEditRequest {
    ImageEditRequest {
        model: Some(model.into()),
        prompt: prompt.into(),
        image: image.into(),
        background: None,
        input_fidelity: None,
        mask: None,
        n: None,
        output_compression: None,
        output_format: None,
        partial_images: None,
        quality: None,
        response_format: None,
        size: None,
        stream: None,
        user: None,
    }
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
