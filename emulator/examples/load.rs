//! Load generator for the emulator: holds N concurrent streamed chat requests against a
//! running `modelgate serve` for a while, then reports errors, requests per second,
//! latency percentiles (whole stream and first byte) and, given the server's pid, the
//! server's peak memory (VmHWM from /proc). Run by `bench/emulator-load.sh`.
//!
//! ```text
//! load --url http://127.0.0.1:8080 [--concurrency 1000] [--seconds 20] [--server-pid PID]
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;

struct Args {
    url: String,
    concurrency: usize,
    seconds: f64,
    server_pid: Option<u32>,
    key: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        url: String::new(),
        concurrency: 1000,
        seconds: 20.0,
        server_pid: None,
        key: "modelgate-load".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => args.url = value()?.trim_end_matches('/').to_string(),
            "--concurrency" => {
                args.concurrency = value()?
                    .parse()
                    .map_err(|e| format!("--concurrency: {e}"))?
            }
            "--seconds" => {
                args.seconds = value()?.parse().map_err(|e| format!("--seconds: {e}"))?
            }
            "--server-pid" => {
                args.server_pid = Some(value()?.parse().map_err(|e| format!("--server-pid: {e}"))?)
            }
            "--key" => args.key = value()?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.url.is_empty() {
        return Err("--url is required".into());
    }
    Ok(args)
}

#[derive(Default)]
struct Sample {
    latencies: Vec<Duration>,
    first_bytes: Vec<Duration>,
    errors: Vec<String>,
    bytes: u64,
}

/// One streamed chat, read to the end; returns (time to first byte, whole time, bytes).
async fn one(
    client: &reqwest::Client,
    url: &str,
    key: &str,
    n: u64,
) -> Result<(Duration, Duration, u64), String> {
    let body = serde_json::json!({
        "model": "aws/claude-haiku-4-5",
        "stream": true,
        "max_tokens": 64,
        "messages": [{"role": "user", "content": format!("Load request number {}", n % 97)}],
    });
    let started = Instant::now();
    let response = client
        .post(format!("{url}/v1/chat/completions"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("send: {e}"))?;
    if response.status() != reqwest::StatusCode::OK {
        return Err(format!("status {}", response.status()));
    }
    let mut stream = response.bytes_stream();
    let mut first = None;
    let mut tail = Vec::new();
    let mut bytes = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| format!("body: {e}"))?;
        first.get_or_insert_with(|| started.elapsed());
        bytes += chunk.len() as u64;
        tail.extend_from_slice(&chunk);
        if tail.len() > 64 {
            tail.drain(..tail.len() - 64);
        }
    }
    if !tail.ends_with(b"data: [DONE]\n\n") {
        return Err("stream ended without [DONE]".into());
    }
    Ok((first.unwrap_or_default(), started.elapsed(), bytes))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("an HTTP client with default TLS settings");
    let counter = Arc::new(AtomicU64::new(0));
    let in_flight = Arc::new(AtomicU64::new(0));
    let peak_in_flight = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs_f64(args.seconds);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(args.concurrency);
    for _ in 0..args.concurrency {
        let (client, url, key) = (client.clone(), args.url.clone(), args.key.clone());
        let (counter, in_flight, peak) =
            (counter.clone(), in_flight.clone(), peak_in_flight.clone());
        tasks.push(tokio::spawn(async move {
            let mut sample = Sample::default();
            while Instant::now() < deadline {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let now = in_flight.fetch_add(1, Ordering::Relaxed) + 1;
                peak.fetch_max(now, Ordering::Relaxed);
                let result = one(&client, &url, &key, n).await;
                in_flight.fetch_sub(1, Ordering::Relaxed);
                match result {
                    Ok((first, whole, bytes)) => {
                        sample.first_bytes.push(first);
                        sample.latencies.push(whole);
                        sample.bytes += bytes;
                    }
                    Err(e) => sample.errors.push(e),
                }
            }
            sample
        }));
    }
    let mut all = Sample::default();
    for task in tasks {
        match task.await {
            Ok(s) => {
                all.latencies.extend(s.latencies);
                all.first_bytes.extend(s.first_bytes);
                all.errors.extend(s.errors);
                all.bytes += s.bytes;
            }
            Err(e) => all.errors.push(format!("task: {e}")),
        }
    }
    let elapsed = started.elapsed();
    all.latencies.sort();
    all.first_bytes.sort();
    let done = all.latencies.len();
    println!("concurrency       {}", args.concurrency);
    println!(
        "peak in flight    {}",
        peak_in_flight.load(Ordering::Relaxed)
    );
    println!("duration          {:.1} s", elapsed.as_secs_f64());
    println!("completed streams {done}");
    println!("errors            {}", all.errors.len());
    println!(
        "requests/s        {:.0}",
        done as f64 / elapsed.as_secs_f64()
    );
    println!(
        "MB/s received     {:.1}",
        all.bytes as f64 / 1e6 / elapsed.as_secs_f64()
    );
    println!(
        "latency ms        p50 {}  p90 {}  p99 {}  max {}",
        ms(percentile(&all.latencies, 0.5)),
        ms(percentile(&all.latencies, 0.9)),
        ms(percentile(&all.latencies, 0.99)),
        ms(percentile(&all.latencies, 1.0))
    );
    println!(
        "first byte ms     p50 {}  p99 {}",
        ms(percentile(&all.first_bytes, 0.5)),
        ms(percentile(&all.first_bytes, 0.99))
    );
    if let Some(pid) = args.server_pid {
        match vm_hwm_kib(pid) {
            Some(kib) => println!("server peak RSS   {:.1} MiB", kib as f64 / 1024.0),
            None => println!("server peak RSS   unknown (no /proc/{pid}/status)"),
        }
    }
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for e in &all.errors {
        match kinds.iter_mut().find(|(k, _)| k == e) {
            Some((_, n)) => *n += 1,
            None => kinds.push((e.clone(), 1)),
        }
    }
    for (kind, n) in kinds.iter().take(10) {
        println!("  error x{n}: {kind}");
    }
    if !all.errors.is_empty() {
        std::process::exit(1);
    }
}
