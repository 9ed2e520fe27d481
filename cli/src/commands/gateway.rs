//! The commands that call a gateway: `chat`, `image`, `video` and `models --remote`, and
//! the options they share (base URL, key, retries, timeout). Which gateway a model is on
//! comes from the catalog; for a model the catalog does not know, from `--provider`.
//! With `--offline`, or when no key is set at all, they answer from the built-in emulator
//! (crate `modelgate-emulator`), started in-process on a free loopback port.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use futures_util::StreamExt;
use modelgate::chat::{ChatCompletion, ChatCompletionRequest, request, system, user};
use modelgate::media::{ImageInput, JobState, Poll, WaitOptions};
use modelgate::vertexkey::{VideoCreateRequest, image_edit_request, image_request};
use modelgate::{Config, ModelId, Provider, VertexKeyClient, VtrixClient};

use crate::escape;
use crate::lint::LintArgs;

/// How to reach the gateway; every option also has an environment variable.
#[derive(Debug, Clone, clap::Args)]
pub struct GatewayArgs {
    /// Base URL of the gateway (default: the catalog's, or VTRIX_BASE_URL / VERTEXKEY_BASE_URL).
    #[arg(long, global = true)]
    pub base_url: Option<String>,
    /// API key (default: VTRIX_API_KEY or VERTEXKEY_API_KEY).
    #[arg(long, global = true, hide_env_values = true)]
    pub api_key: Option<String>,
    /// Retries after a failed attempt (0 disables them).
    #[arg(long, global = true)]
    pub max_retries: Option<u32>,
    /// Seconds allowed per request: for a streamed answer, to its first byte, between
    /// two events with data, and for the whole stream (above 0, at most a day; default
    /// 600, a whole stream 3600).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = crate::parse_timeout)]
    pub timeout: Option<Duration>,
    /// The gateway, for a model the catalog does not know.
    #[arg(long, global = true, value_parser = crate::parse_provider)]
    pub provider: Option<Provider>,
    /// Answer from the built-in emulator instead of the gateway (the default when
    /// neither a key nor a base URL is set). MODELGATE_OFFLINE takes 1/0, true/false,
    /// yes/no or on/off.
    #[arg(long, global = true, env = "MODELGATE_OFFLINE",
          value_parser = clap::builder::BoolishValueParser::new())]
    pub offline: bool,
}

/// Where a command's requests go.
pub struct Connection {
    /// The client configuration.
    pub config: Config,
    /// Whether the built-in emulator answers.
    pub offline: bool,
}

impl GatewayArgs {
    /// The configuration for `provider`: the environment, then these options.
    pub fn config(&self, provider: Provider) -> Config {
        let mut config = Config::from_env(provider);
        if let Some(url) = &self.base_url {
            config = config.base_url(url);
        }
        if let Some(key) = &self.api_key {
            config = config.api_key(key);
        }
        if let Some(n) = self.max_retries {
            config = config.max_retries(n);
        }
        if let Some(t) = self.timeout {
            config = config
                .request_timeout(t)
                .stream_idle_timeout(t)
                .stream_timeout(t);
        }
        config
    }

    /// The configuration for `provider`, or, offline, for the built-in emulator, which
    /// this starts on the current tokio runtime. Going offline because no key is set is
    /// said on `err`.
    pub async fn connect(
        &self,
        provider: Provider,
        err: &mut dyn Write,
    ) -> Result<Connection, Box<dyn std::error::Error>> {
        let config = self.config(provider);
        let configured = config.has_api_key() || config.base_url_str() != provider.info().base_url;
        if configured && !self.offline {
            return Ok(Connection {
                config,
                offline: false,
            });
        }
        if !self.offline {
            writeln!(
                err,
                "note: no API key ({} or --api-key), so the built-in emulator answers \
                 (synthetic content); set a key to call {}",
                Config::api_key_variable(provider),
                provider.info().base_url
            )?;
        }
        let emulator = modelgate_emulator::Emulator::new(modelgate_emulator::EmulatorConfig {
            job_seconds: 2.0,
            ..Default::default()
        });
        let addr = emulator
            .spawn_local()
            .await
            .map_err(|e| format!("cannot start the built-in emulator: {e}"))?;
        let base = match provider {
            Provider::VertexKey => format!("http://{addr}/v1"),
            Provider::Vtrix => format!("http://{addr}"),
        };
        let config = if config.has_api_key() {
            config.base_url(base)
        } else {
            config.base_url(base).api_key("offline")
        };
        Ok(Connection {
            config,
            offline: true,
        })
    }

    /// The gateway a model is on.
    pub fn provider_of(&self, model: &str) -> Result<Provider, modelgate::Error> {
        if let Some(info) = ModelId::from_id(model).map(ModelId::info) {
            return Ok(info.provider);
        }
        self.provider.ok_or_else(|| {
            let hint = modelgate::suggest::closest(model, ModelId::ALL.iter().map(|m| m.as_str()))
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            modelgate::Error::Config(format!("model `{model}` is not in the catalog: {hint}give --provider vtrix|vertexkey to use it anyway"))
        })
    }
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, modelgate::Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| modelgate::Error::Config(format!("cannot start the async runtime: {e}")))
}

/// `modelgate chat`.
#[derive(Debug, clap::Args)]
pub struct ChatArgs {
    /// The model, e.g. `aws/claude-sonnet-4-6` or `vtrix-deepseek-r1` (with --body: the
    /// body's `model`).
    #[arg(long, required_unless_present = "body")]
    pub model: Option<String>,
    /// A system message.
    #[arg(long, conflicts_with = "body")]
    pub system: Option<String>,
    /// Maximum tokens to generate.
    #[arg(long, conflicts_with = "body")]
    pub max_tokens: Option<i64>,
    /// Send this JSON request body (a file, or `-` for standard input) as it is: a
    /// tool-calling loop, say. Its `stream` decides whether the answer streams.
    #[arg(long, value_name = "FILE", conflicts_with = "prompt")]
    pub body: Option<PathBuf>,
    /// Wait for the whole answer instead of printing tokens as they arrive.
    #[arg(long)]
    pub no_stream: bool,
    /// Print the response as JSON (one chunk a line when streaming).
    #[arg(long)]
    pub json: bool,
    /// Lint levels for the check before sending: only errors stop the request.
    #[command(flatten)]
    pub lint: LintArgs,
    /// The prompt.
    #[arg(required_unless_present = "body")]
    pub prompt: Option<String>,
}

/// The request `chat` sends: built from the options, or read from --body.
fn chat_body(args: &ChatArgs) -> Result<(String, serde_json::Value), Box<dyn std::error::Error>> {
    if let Some(path) = &args.body {
        let text = read_body(path)?;
        let mut body: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let model = body
            .get("model")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| format!("{}: the body has no `model` string", path.display()))?
            .to_string();
        if args.no_stream
            && let Some(map) = body.as_object_mut()
        {
            map.remove("stream");
        }
        return Ok((model, body));
    }
    let model = args.model.clone().unwrap_or_default();
    let mut messages = Vec::new();
    if let Some(s) = &args.system {
        messages.push(system(s));
    }
    messages.push(user(args.prompt.as_deref().unwrap_or_default()));
    let req = ChatCompletionRequest {
        max_tokens: args.max_tokens,
        stream: (!args.no_stream).then_some(true),
        ..request(&model, messages)
    };
    Ok((model, serde_json::to_value(req)?))
}

/// A request body from a file or standard input (`-`), at most
/// [`MAX_PAYLOAD_BYTES`](crate::inputs::MAX_PAYLOAD_BYTES) (the emulator takes no more
/// either); a leading byte order mark is dropped, as `validate` drops it.
fn read_body(path: &std::path::Path) -> Result<String, Box<dyn std::error::Error>> {
    use crate::inputs::MAX_PAYLOAD_BYTES;
    let shown = path.display();
    let source: Box<dyn std::io::Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).map_err(|e| format!("{shown}: {e}"))?)
    };
    let bytes = modelgate_io::read::read_capped(source, MAX_PAYLOAD_BYTES, "the body")
        .map_err(|e| format!("{shown}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| format!("{shown}: not UTF-8: {e}"))?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// Runs `chat`: tokens go to `out` as they arrive.
pub fn chat(
    gateway: &GatewayArgs,
    args: &ChatArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let policy = policy(&args.lint)?;
    let (model, req) = chat_body(args)?;
    let provider = gateway.provider_of(&model)?;
    let streamed = req.get("stream").and_then(serde_json::Value::as_bool) == Some(true);
    runtime()?.block_on(async {
        let config = gateway.connect(provider, err).await?.config.policy(policy);
        let (vtrix, vertexkey);
        let chat = match provider {
            Provider::Vtrix => {
                vtrix = VtrixClient::new(config)?;
                vtrix.chat()
            }
            Provider::VertexKey => {
                vertexkey = VertexKeyClient::new(config)?;
                vertexkey.chat()
            }
        };
        if !streamed {
            let answer = chat.create(&req).await?;
            if args.json {
                serde_json::to_writer_pretty(&mut *out, &answer)?;
            } else {
                write_answer(out, &answer)?;
            }
            writeln!(out)?;
            return Ok(());
        }
        let mut stream = chat.create_stream(&req).await?;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            if args.json {
                serde_json::to_writer(&mut *out, &chunk)?;
                writeln!(out)?;
            } else {
                for choice in chunk.choices.iter().flatten() {
                    if let Some(text) = choice.delta.as_ref().and_then(|d| d.content.as_deref()) {
                        write!(out, "{}", escape::text(text))?;
                    }
                }
            }
            out.flush()?;
        }
        if !args.json {
            writeln!(out)?;
        }
        Ok(())
    })
}

/// The text of an answer, or its tool calls (`name(arguments)`, one a line) when it
/// has no text.
fn write_answer(out: &mut dyn Write, answer: &ChatCompletion) -> std::io::Result<()> {
    let Some(message) = answer
        .choices
        .iter()
        .flatten()
        .find_map(|c| c.message.as_ref())
    else {
        return Ok(());
    };
    if let Some(text) = message.content.as_deref().filter(|t| !t.is_empty()) {
        return write!(out, "{}", escape::text(text));
    }
    let calls: Vec<String> = message
        .tool_calls
        .iter()
        .flatten()
        .filter_map(|c| c.function.as_ref())
        .map(|f| {
            format!(
                "tool call: {}({})",
                escape::line(f.name.as_deref().unwrap_or("?")),
                escape::text(f.arguments.as_deref().unwrap_or(""))
            )
        })
        .collect();
    write!(out, "{}", calls.join("\n"))
}

/// The policy a gateway command checks its request with: the config file, then the flags.
fn policy(lint: &LintArgs) -> Result<modelgate::Policy, Box<dyn std::error::Error>> {
    let cwd = std::env::current_dir().unwrap_or_default();
    Ok(lint.settings(&cwd)?.policy)
}

/// `modelgate image`.
#[derive(Debug, clap::Args)]
pub struct ImageArgs {
    /// An image model, e.g. `enterprise/gemini-3.1-flash-image-preview-2k`.
    #[arg(long)]
    pub model: String,
    /// Edit this image (a file, sent as base64, or a URL) instead of generating one.
    #[arg(long, value_name = "FILE|URL")]
    pub image: Option<String>,
    /// Where to write the image.
    #[arg(long)]
    pub out: PathBuf,
    /// Lint levels for the check before sending: only errors stop the request.
    #[command(flatten)]
    pub lint: LintArgs,
    /// What to draw (or how to edit).
    pub prompt: String,
}

/// Runs `image`: generates or edits, then writes the image to `--out`.
pub fn image(
    gateway: &GatewayArgs,
    args: &ImageArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let provider = gateway.provider_of(&args.model)?;
    if provider != Provider::VertexKey {
        return Err(format!(
            "`{}` is not a VertexKey image model; use `modelgate video` for Vtrix media tasks",
            args.model
        )
        .into());
    }
    let policy = policy(&args.lint)?;
    runtime()?.block_on(async {
        let client =
            VertexKeyClient::new(gateway.connect(provider, err).await?.config.policy(policy))?;
        let answer = match &args.image {
            Some(image) => {
                let image = ImageInput::from_arg(image)?.to_request_value();
                let req = image_edit_request(&args.model, &args.prompt, image);
                client.images().edit(&req).await?
            }
            None => {
                let req = image_request(&args.model, &args.prompt);
                client.images().generate(&req).await?
            }
        };
        let first = answer
            .data
            .iter()
            .flatten()
            .next()
            .ok_or("the gateway returned no image")?;
        let bytes = match (&first.b64_json, &first.url) {
            (Some(b64), _) => base64::engine::general_purpose::STANDARD.decode(b64)?,
            (None, Some(url)) => client.download(url).await?.to_vec(),
            (None, None) => return Err("the image has neither a URL nor base64 data".into()),
        };
        std::fs::write(&args.out, &bytes).map_err(|e| format!("{}: {e}", args.out.display()))?;
        writeln!(out, "wrote {} ({} bytes)", args.out.display(), bytes.len())?;
        Ok(())
    })
}

/// `modelgate video`.
#[derive(Debug, clap::Args)]
pub struct VideoArgs {
    /// A video model: `enterprise/seedance-1-5-pro` (VertexKey) or a Vtrix media model
    /// such as `minimax_hailuo_23_i2v`.
    #[arg(long)]
    pub model: String,
    /// The first frame (a file, sent as base64, or a URL), for image-to-video models.
    #[arg(long, value_name = "FILE|URL")]
    pub image: Option<String>,
    /// Download the finished video here (else its URL is printed).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seconds between polls (default: the gateway's advice, 10 s VertexKey, 5 s Vtrix;
    /// above 0, at most an hour).
    #[arg(long, value_name = "SECONDS", value_parser = crate::parse_interval)]
    pub interval: Option<Duration>,
    /// Lint levels for the check before sending: only errors stop the request.
    #[command(flatten)]
    pub lint: LintArgs,
    /// What to film.
    pub prompt: String,
}

/// Runs `video`: submits the job, shows a progress bar while polling, then prints the
/// URL or downloads the file.
pub fn video(
    gateway: &GatewayArgs,
    args: &VideoArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let provider = gateway.provider_of(&args.model)?;
    let bar = indicatif::ProgressBar::new(100);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {elapsed_precise} [{bar:30}] {pos}% {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let show = |state: &JobState, progress: Option<f64>| {
        if let Some(p) = progress {
            bar.set_position((p * 100.0).round().clamp(0.0, 100.0) as u64);
        }
        bar.set_message(match state {
            JobState::Unknown(s) => escape::line(s).into_owned(),
            other => format!("{other:?}").to_lowercase(),
        });
        bar.tick();
    };
    let interval = args.interval;
    let policy = policy(&args.lint)?;
    let mut offline = false;
    let (url, video) = runtime()?.block_on(async {
        let connection = gateway.connect(provider, err).await?;
        offline = connection.offline;
        // The built-in emulator finishes jobs in seconds; poll it often.
        let interval = interval.or(connection.offline.then(|| Duration::from_millis(250)));
        let config = connection.config.policy(policy);
        match provider {
            Provider::VertexKey => {
                if args.image.is_some() {
                    return Err(format!(
                        "{} takes no image: seed 004 documents only model and prompt for videos",
                        args.model
                    )
                    .into());
                }
                let client = VertexKeyClient::new(config)?;
                let job = client
                    .videos()
                    .create(&VideoCreateRequest {
                        model: args.model.clone(),
                        prompt: args.prompt.clone(),
                    })
                    .await?;
                let id = job.id.ok_or("the gateway returned a job without an id")?;
                let mut options = WaitOptions::VERTEXKEY_VIDEO;
                options.interval = interval.unwrap_or(options.interval);
                let done = client
                    .videos()
                    .wait(&id, options, |p| show(&p.state, p.progress))
                    .await?;
                let url = done.video_url.ok_or("the finished job has no video_url")?;
                let video = match &args.out {
                    Some(_) => Some(client.download(&url).await?),
                    None => None,
                };
                Ok::<_, Box<dyn std::error::Error>>((url, video))
            }
            Provider::Vtrix => {
                let client = VtrixClient::new(config)?;
                let mut params = serde_json::Map::new();
                params.insert("prompt".into(), args.prompt.clone().into());
                if let Some(image) = &args.image {
                    params.insert(
                        "first_frame_image".into(),
                        ImageInput::from_arg(image)?.to_request_value().into(),
                    );
                }
                let req = modelgate::vtrix::MediaGenerationRequest {
                    model: args.model.clone(),
                    input: vec![modelgate::vtrix::MediaInput { params }],
                };
                let submitted: Poll<_> = client.media().submit(&req).await?;
                show(&submitted.state, submitted.progress);
                let task = if submitted.state == JobState::Succeeded {
                    submitted.job
                } else {
                    let id = submitted
                        .job
                        .id
                        .clone()
                        .ok_or("the gateway returned a task without an id")?;
                    let mut options = WaitOptions::VTRIX_MEDIA;
                    options.interval = interval.unwrap_or(options.interval);
                    client
                        .media()
                        .wait(&id, options, |p| show(&p.state, p.progress))
                        .await?
                };
                let url = modelgate::vtrix::output_urls(&task)
                    .first()
                    .map(|u| u.to_string())
                    .ok_or("the finished task has no output URL")?;
                let video = match &args.out {
                    Some(_) => Some(client.download(&url).await?),
                    None => None,
                };
                Ok((url, video))
            }
        }
    })?;
    bar.finish_and_clear();
    match (&args.out, video) {
        (Some(path), Some(bytes)) => {
            std::fs::write(path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            writeln!(
                out,
                "wrote {} ({} bytes) from {}",
                path.display(),
                bytes.len(),
                escape::line(&url)
            )?;
        }
        _ => {
            writeln!(out, "{}", escape::line(&url))?;
            if offline {
                writeln!(
                    err,
                    "note: the built-in emulator served this URL and stopped with this command; \
                     give --out to keep the file"
                )?;
            }
        }
    }
    Ok(())
}

/// `modelgate models --remote`: the gateway's list against the catalog.
pub fn remote_models(
    gateway: &GatewayArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<bool, Box<dyn std::error::Error>> {
    let provider = gateway.provider.unwrap_or(Provider::VertexKey);
    if provider != Provider::VertexKey {
        return Err(
            "only VertexKey lists its models (GET /v1/models); Vtrix documents no such endpoint"
                .into(),
        );
    }
    let runtime = runtime()?;
    let (client, list) = runtime.block_on(async {
        let client = VertexKeyClient::new(gateway.connect(provider, err).await?.config)?;
        let list = client.models().await?;
        Ok::<_, Box<dyn std::error::Error>>((client, list))
    })?;
    let remote: std::collections::BTreeSet<String> =
        list.data.iter().flatten().map(|m| m.id.clone()).collect();
    let catalog: std::collections::BTreeSet<String> = modelgate::catalog::MODELS
        .iter()
        .filter(|m| m.provider == provider)
        .filter_map(|m| m.id.map(str::to_string))
        .collect();
    // Models the catalog already marks as no longer listed are not a difference.
    let marked: std::collections::BTreeSet<String> = modelgate::catalog::MODELS
        .iter()
        .filter(|m| m.provider == provider && m.not_listed.is_some())
        .filter_map(|m| m.id.map(str::to_string))
        .collect();
    let missing: Vec<&String> = remote.difference(&catalog).collect();
    let gone: Vec<&String> = catalog
        .difference(&remote)
        .filter(|id| !marked.contains(*id))
        .collect();
    writeln!(
        out,
        "{} models listed by {}:",
        remote.len(),
        client.runtime().config().base_url_str()
    )?;
    for id in &remote {
        let mark = if catalog.contains(id) { " " } else { "+" };
        writeln!(out, "  {mark} {}", escape::line(id))?;
    }
    let relisted: Vec<&String> = remote.intersection(&marked).collect();
    if !relisted.is_empty() {
        writeln!(
            out,
            "listed again, though the catalog marks them not listed ({}): {}",
            relisted.len(),
            join(&relisted)
        )?;
    }
    if missing.is_empty() && gone.is_empty() && relisted.is_empty() {
        writeln!(out, "the catalog matches the gateway")?;
        return Ok(true);
    }
    if !missing.is_empty() {
        writeln!(
            out,
            "not in the catalog ({}): {}",
            missing.len(),
            join(&missing)
        )?;
    }
    if !gone.is_empty() {
        writeln!(
            out,
            "in the catalog but no longer listed ({}): {}",
            gone.len(),
            join(&gone)
        )?;
    }
    writeln!(
        out,
        "run `modelgate catalog update` to write the difference into spec/ (see README)"
    )?;
    Ok(false)
}

fn join(ids: &[&String]) -> String {
    ids.iter()
        .map(|s| escape::line(s))
        .collect::<Vec<_>>()
        .join(", ")
}
