//! The gateway commands themselves (feature `gateway`): `chat`, `image`, `video`,
//! `models --remote`, and how [`GatewayArgs`] reach a gateway or the built-in emulator.

use std::io::Write;
use std::time::Duration;

use base64::Engine;
use futures_util::StreamExt;
use modelgate::chat::{ChatCompletion, request, system, user};
use modelgate::gateway::GatewayClient;
use modelgate::media::{ImageInput, JobState, Poll, WaitOptions};
use modelgate::vertexkey::{VideoCreateRequest, image_edit_request, image_request};
use modelgate::{Config, ModelId, Provider, VertexKeyClient, VtrixClient};

use super::{ChatArgs, GatewayArgs, ImageArgs, VideoArgs};
use crate::escape;
use crate::lint::LintArgs;

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
    /// `settings` (the config file and the flags) give the levels its checks use and the
    /// models it declares, which the built-in emulator serves too.
    pub async fn connect(
        &self,
        provider: Provider,
        settings: &crate::config::Config,
        err: &mut dyn Write,
    ) -> Result<Connection, Box<dyn std::error::Error>> {
        let config = self
            .config(provider)
            .policy(settings.policy.clone())
            .declare(&settings.declared);
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
            declared_models: settings
                .declared
                .iter()
                .map(|d| d.declaration.clone())
                .collect(),
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
    pub fn provider_of(
        &self,
        model: &str,
        declared: &modelgate::validate::Declarations,
    ) -> Result<Provider, modelgate::Error> {
        if let Some(d) = declared.find(model) {
            return Ok(d.info.provider);
        }
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
    let mut req = request(&model, messages);
    if let Some(max_tokens) = args.max_tokens {
        req = req.max_tokens(max_tokens);
    }
    if !args.no_stream {
        req = req.stream(true);
    }
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
    let settings = settings(&args.lint)?;
    let (model, req) = chat_body(args)?;
    let provider = gateway.provider_of(&model, &settings.declared)?;
    let streamed = req.get("stream").and_then(serde_json::Value::as_bool) == Some(true);
    runtime()?.block_on(async {
        let client = GatewayClient::new(gateway.connect(provider, &settings, err).await?.config)?;
        let chat = client.chat();
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

/// What a gateway command checks its request with: the config file (its levels and
/// declared models), then the flags.
fn settings(lint: &LintArgs) -> Result<crate::config::Config, Box<dyn std::error::Error>> {
    let cwd = std::env::current_dir().unwrap_or_default();
    Ok(lint.settings(&cwd)?)
}

/// Runs `image`: generates or edits, then writes the image to `--out`.
pub fn image(
    gateway: &GatewayArgs,
    args: &ImageArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let settings = settings(&args.lint)?;
    let provider = gateway.provider_of(&args.model, &settings.declared)?;
    if provider != Provider::VertexKey {
        return Err(format!(
            "`{}` is not a VertexKey image model; use `modelgate video` for Vtrix media tasks",
            args.model
        )
        .into());
    }
    runtime()?.block_on(async {
        let client = VertexKeyClient::new(gateway.connect(provider, &settings, err).await?.config)?;
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

/// Runs `video`: submits the job, shows a progress bar while polling, then prints the
/// URL or downloads the file.
pub fn video(
    gateway: &GatewayArgs,
    args: &VideoArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let settings = settings(&args.lint)?;
    let provider = gateway.provider_of(&args.model, &settings.declared)?;
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
    let mut offline = false;
    let (url, video) = runtime()?.block_on(async {
        let connection = gateway.connect(provider, &settings, err).await?;
        offline = connection.offline;
        // The built-in emulator finishes jobs in seconds; poll it often.
        let interval = interval.or(connection.offline.then(|| Duration::from_millis(250)));
        let config = connection.config;
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
                    .create(&VideoCreateRequest::new(&args.model, &args.prompt))
                    .await?;
                let id = job.id.ok_or("the gateway returned a job without an id")?;
                let mut options = WaitOptions::VERTEXKEY_VIDEO;
                if let Some(interval) = interval {
                    options = options.interval(interval);
                }
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
                let req = modelgate::vtrix::MediaGenerationRequest::new(
                    &args.model,
                    [modelgate::vtrix::MediaInput::new(params)],
                );
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
    // Without a key the comparison would be with the built-in emulator, whose list is
    // the catalog: it would always agree. Only --offline asks for that.
    if !gateway.offline && !gateway.config(provider).has_api_key() {
        return Err(modelgate::Error::Config(format!(
            "models --remote compares the catalog with {}'s list, which needs a key: set {} or \
             --api-key (--offline compares with the built-in emulator, whose list is the catalog)",
            provider.info().name,
            Config::api_key_variable(provider)
        ))
        .into());
    }
    let runtime = runtime()?;
    let (client, list) = runtime.block_on(async {
        let client = VertexKeyClient::new(
            gateway
                .connect(provider, &crate::config::Config::default(), err)
                .await?
                .config,
        )?;
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
