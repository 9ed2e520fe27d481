//! Client round-trip overhead (not a test; `bash bench/roundtrip.sh` runs it): the same
//! chat request, sent over and over on one kept-alive connection to the emulator running
//! in another process on loopback, through modelgate's VertexKey client (with and
//! without validation) and through async-openai's client. What is measured is this
//! process's CPU time (user + system, from getrusage) per request, so the emulator's
//! work is not counted, plus wall time per request.
//!
//! The clients take turns in blocks of `--per-block` requests for `--rounds` rounds, in
//! rotating order, and the report gives the median over rounds: drift of the shared
//! machine falls on all of them alike. Everything runs on one current-thread tokio
//! runtime.
//!
//!   cargo bench --bench roundtrip -- --url http://127.0.0.1:PORT [--rounds 15] [--per-block 400]

#[path = "common/median.rs"]
mod median;

use std::time::{Duration, Instant};

use async_openai::config::OpenAIConfig;
use async_openai::types::chat::{
    ChatCompletionRequestMessage, ChatCompletionRequestUserMessage, CreateChatCompletionRequest,
};
use median::median;
use modelgate::{Config, Provider, VertexKeyClient};

const MODEL: &str = "aws/claude-haiku-4-5";
const PROMPT: &str = "What does an AI gateway do? Answer in one sentence.";
const MAX_TOKENS: u32 = 64;
const KEY: &str = "modelgate-bench";

/// This process's CPU time so far, all threads.
fn cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a whole rusage into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

enum Client {
    Modelgate(VertexKeyClient, Box<modelgate::chat::ChatCompletionRequest>),
    AsyncOpenAi(
        async_openai::Client<OpenAIConfig>,
        Box<CreateChatCompletionRequest>,
    ),
}

impl Client {
    /// One request; the answer's text length, so that nothing is optimised away.
    async fn send(&self) -> usize {
        match self {
            Client::Modelgate(client, request) => {
                let answer = client
                    .chat()
                    .create(request.as_ref())
                    .await
                    .expect("modelgate chat");
                let choices = answer.choices.unwrap_or_default();
                choices[0]
                    .message
                    .as_ref()
                    .and_then(|m| m.content.as_ref())
                    .map_or(0, String::len)
            }
            Client::AsyncOpenAi(client, request) => {
                let answer = client
                    .chat()
                    .create(CreateChatCompletionRequest::clone(request))
                    .await
                    .expect("async-openai chat");
                answer.choices[0]
                    .message
                    .content
                    .as_ref()
                    .map_or(0, String::len)
            }
        }
    }
}

struct Args {
    url: String,
    rounds: usize,
    per_block: usize,
}

fn args() -> Args {
    let mut parsed = Args {
        url: String::new(),
        rounds: 15,
        per_block: 400,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().unwrap_or_else(|| panic!("{name} needs a value"));
        match arg.as_str() {
            "--url" => parsed.url = value("--url"),
            "--rounds" => parsed.rounds = value("--rounds").parse().expect("--rounds N"),
            "--per-block" => {
                parsed.per_block = value("--per-block").parse().expect("--per-block N")
            }
            // cargo bench passes --bench; nothing else is expected.
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(
        !parsed.url.is_empty(),
        "give the emulator's address: --url http://127.0.0.1:PORT (bench/roundtrip.sh starts one)"
    );
    parsed
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for a list; there is nothing to run here.
    }
    let args = args();
    let base = format!("{}/v1", args.url.trim_end_matches('/'));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");

    let modelgate_request = modelgate::chat::ChatCompletionRequest {
        max_tokens: Some(i64::from(MAX_TOKENS)),
        ..modelgate::chat::request(MODEL, vec![modelgate::chat::user(PROMPT)])
    };
    let modelgate_client = |validate: bool| {
        let config = Config::new(Provider::VertexKey)
            .base_url(base.clone())
            .api_key(KEY)
            .validate(validate);
        VertexKeyClient::new(config).expect("a modelgate client")
    };
    #[allow(deprecated)] // the gateways document max_tokens, not max_completion_tokens
    let openai_request = CreateChatCompletionRequest {
        model: MODEL.into(),
        messages: vec![ChatCompletionRequestMessage::User(
            ChatCompletionRequestUserMessage::from(PROMPT),
        )],
        max_tokens: Some(MAX_TOKENS),
        ..Default::default()
    };
    let openai = async_openai::Client::with_config(
        OpenAIConfig::new()
            .with_api_base(base.clone())
            .with_api_key(KEY),
    );
    let clients = [
        (
            "modelgate (validation on)",
            Client::Modelgate(modelgate_client(true), Box::new(modelgate_request.clone())),
        ),
        (
            "modelgate (validation off)",
            Client::Modelgate(modelgate_client(false), Box::new(modelgate_request)),
        ),
        (
            "async-openai 0.43",
            Client::AsyncOpenAi(openai, Box::new(openai_request)),
        ),
    ];

    runtime.block_on(async {
        // Warm-up: connections open, allocators and caches settled; same answers.
        let lengths: Vec<usize> = {
            let mut out = Vec::new();
            for (_, client) in &clients {
                let mut length = 0;
                for _ in 0..200 {
                    length = client.send().await;
                }
                out.push(length);
            }
            out
        };
        assert!(lengths.iter().all(|&l| l > 0), "every client got an answer");

        let mut cpu = vec![Vec::new(); clients.len()];
        let mut wall = vec![Vec::new(); clients.len()];
        for round in 0..args.rounds {
            for k in 0..clients.len() {
                let i = (round + k) % clients.len();
                let (started_cpu, started) = (cpu_time(), Instant::now());
                for _ in 0..args.per_block {
                    std::hint::black_box(clients[i].1.send().await);
                }
                let n = args.per_block as f64;
                cpu[i].push((cpu_time() - started_cpu).as_secs_f64() * 1e6 / n);
                wall[i].push(started.elapsed().as_secs_f64() * 1e6 / n);
            }
        }

        println!(
            "{} rounds x {} requests per client, interleaved; POST {base}/chat/completions, model {MODEL}, max_tokens {MAX_TOKENS}",
            args.rounds, args.per_block
        );
        println!("median per request over rounds (client process only; the emulator runs apart):");
        let reference = median(&cpu[clients.len() - 1]);
        for (i, (label, _)) in clients.iter().enumerate() {
            let c = median(&cpu[i]);
            println!(
                "  {label:28} CPU {c:7.1} us   wall {:7.1} us   CPU {:.2}x async-openai's",
                median(&wall[i]),
                c / reference
            );
        }
    });
}
