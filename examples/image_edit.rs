//! Edit an image: a local PNG goes to the gateway as base64 (seed 004's JSON body), the
//! edited image comes back as a URL.
//!
//! `cargo run --example image_edit [IN.png]` (with `modelgate serve` running); without a
//! file, it first generates one to edit.

mod common;

use modelgate::media::ImageInput;
use modelgate::vertexkey::{image_edit_request, image_request};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::vertexkey()?;
    let model = "enterprise/image-2";
    let input = match std::env::args_os().nth(1) {
        Some(path) => ImageInput::from_path(path)?,
        None => {
            let generated = client
                .images()
                .generate(&image_request(model, "A red bicycle"))
                .await?;
            let url = generated
                .urls()
                .next()
                .map(str::to_string)
                .ok_or("no image to edit")?;
            ImageInput::Bytes {
                mime: "image/png".into(),
                data: client.download(&url).await?.to_vec(),
            }
        }
    };
    let edited = client
        .images()
        .edit(&image_edit_request(
            model,
            "Paint the bicycle blue",
            input.to_request_value(),
        ))
        .await?;
    let url = edited
        .urls()
        .next()
        .map(str::to_string)
        .ok_or("no edited image in the answer")?;
    let png = client.download(&url).await?;
    let path = std::env::temp_dir().join("modelgate-example-edited.png");
    std::fs::write(&path, &png)?;
    println!("edited: {url} -> {} ({} bytes)", path.display(), png.len());
    Ok(())
}
