//! Generate an image, once as a URL (downloaded) and once as base64, and write both.
//!
//! `cargo run --example image [OUT_DIR]` (with `modelgate serve` running).

mod common;

use base64::Engine;
use modelgate::vertexkey::{ImageGenerationRequestResponseFormat, image_request};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args_os()
        .nth(1)
        .map_or_else(std::env::temp_dir, Into::into);
    let client = common::vertexkey()?;
    let model = "enterprise/gemini-3-pro-image-preview-1k";
    let info = modelgate::ModelId::from_id(model)
        .ok_or("unknown model")?
        .info();
    println!("{model}: fixed size {:?}", info.fixed_size);
    let req = image_request(model, "A lighthouse at dusk, watercolour");
    let answer = client.images().generate(&req).await?;
    let url = answer
        .urls()
        .next()
        .map(str::to_string)
        .ok_or("no image URL in the answer")?;
    let png = client.download(&url).await?;
    let path = out.join("modelgate-example-image.png");
    std::fs::write(&path, &png)?;
    println!("{url} -> {} ({} bytes)", path.display(), png.len());

    let req = req.response_format(ImageGenerationRequestResponseFormat::B64Json);
    let answer = client.images().generate(&req).await?;
    let b64 = answer
        .b64_images()
        .next()
        .ok_or("no base64 image in the answer")?;
    let png = base64::engine::general_purpose::STANDARD.decode(b64)?;
    if !png.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err("the base64 image is not a PNG".into());
    }
    let path = out.join("modelgate-example-image-b64.png");
    std::fs::write(&path, &png)?;
    println!("base64 -> {} ({} bytes)", path.display(), png.len());
    Ok(())
}
