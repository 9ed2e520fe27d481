//! A VertexKey video job: submit, follow its progress until it finishes, download it.
//!
//! `cargo run --example video_job` (with `modelgate serve` running; the emulator's jobs
//! take a few seconds, real ones minutes).

mod common;

use std::time::Duration;

use modelgate::media::{JobState, WaitOptions};
use modelgate::vertexkey::VideoCreateRequest;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::vertexkey()?;
    let job = client
        .videos()
        .create(&VideoCreateRequest::new(
            "enterprise/seedance-1-5-pro",
            "A paper boat drifting down a rainy street",
        ))
        .await?;
    let id = job.id.ok_or("the job has no id")?;
    println!("job {id}: {:?}", job.status);
    // The gateway's advice is 10 s between polls; the emulator is quicker.
    let options = WaitOptions::VERTEXKEY_VIDEO.interval(Duration::from_millis(500));
    let mut last = None;
    let done = client
        .videos()
        .wait(&id, options, |poll| {
            let seen = (
                poll.state.clone(),
                poll.progress.map(|p| (p * 100.0).round()),
            );
            if last.as_ref() != Some(&seen) {
                println!(
                    "  {:?} {}",
                    seen.0,
                    seen.1.map_or(String::new(), |p| format!("{p}%"))
                );
                last = Some(seen);
            }
        })
        .await?;
    if last.map(|(state, _)| state) != Some(JobState::Succeeded) {
        return Err("the job did not succeed".into());
    }
    let url = done.video_url.ok_or("the finished job has no video_url")?;
    let video = client.download(&url).await?;
    let path = std::env::temp_dir().join("modelgate-example-video.mp4");
    std::fs::write(&path, &video)?;
    println!("{url} -> {} ({} bytes)", path.display(), video.len());
    Ok(())
}
