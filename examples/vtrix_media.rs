//! A Vtrix media task (image to video with `minimax_hailuo_23_i2v`): submit, poll the
//! task until it finishes, print the output URL.
//!
//! `cargo run --example vtrix_media` (with `modelgate serve` running).

mod common;

use std::time::Duration;

use modelgate::media::{ImageInput, WaitOptions};
use modelgate::vtrix::{MediaGenerationRequest, MediaInput, output_urls};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::vtrix()?;
    let mut params = serde_json::Map::new();
    params.insert("prompt".into(), "The waves roll in slowly".into());
    params.insert(
        "first_frame_image".into(),
        ImageInput::Url("https://example.com/beach.jpg".into())
            .to_request_value()
            .into(),
    );
    let req = MediaGenerationRequest::new("minimax_hailuo_23_i2v", [MediaInput::new(params)]);
    // Checked against the catalog before sending, like every request.
    let submitted = client.media().submit(&req).await?;
    let id = submitted.job.id.clone().ok_or("the task has no id")?;
    println!("task {id}: {:?}", submitted.state);
    let options = WaitOptions::VTRIX_MEDIA.interval(Duration::from_millis(500));
    let task = client
        .media()
        .wait(&id, options, |poll| println!("  {:?}", poll.state))
        .await?;
    let urls = output_urls(&task);
    let url = urls.first().ok_or("the finished task has no output")?;
    let bytes = client.download(url).await?;
    println!("output {url} ({} bytes)", bytes.len());
    Ok(())
}
