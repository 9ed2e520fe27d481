//! Video jobs (VertexKey `POST /v1/videos`, `GET /v1/videos/{id}`) and media tasks (Vtrix
//! `POST /model/v1/generation`, `GET /model/v1/generation/task/{id}`) with a real
//! lifecycle: queued, in progress with progress, then completed (or failed when the
//! prompt contains `[fail]`) after the configured time. The finished file is served by
//! the emulator. At most `max_jobs` jobs are kept; the oldest are forgotten.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use modelgate::Endpoint;
use serde_json::{Value, json};

use crate::server::{AppState, CREATED, Shape, admit, error, json_response};

/// One job.
pub(crate) struct Job {
    model: String,
    seed: u64,
    started: Instant,
    fails: bool,
    image: bool,
    base: String,
}

/// Where a job stands, from its age.
enum Stage {
    Queued,
    Running(f64),
    Done,
    Failed,
}

impl Job {
    fn stage(&self, duration: Duration) -> Stage {
        let total = duration.as_secs_f64().max(1e-6);
        let t = self.started.elapsed().as_secs_f64() / total;
        match t {
            t if t < 0.1 => Stage::Queued,
            t if t < 1.0 => Stage::Running(t),
            _ if self.fails => Stage::Failed,
            _ => Stage::Done,
        }
    }
}

/// The job table, bounded.
pub(crate) struct Jobs {
    by_id: HashMap<String, Job>,
    order: VecDeque<String>,
    max: usize,
    /// Jobs ever added: part of each ID, so that no two jobs share one, even when the
    /// same request is sent twice or the table is full.
    added: u64,
}

impl Jobs {
    pub(crate) fn new(max: usize) -> Self {
        Jobs {
            by_id: HashMap::new(),
            order: VecDeque::new(),
            max: max.max(1),
            added: 0,
        }
    }

    /// Adds a job under a new ID (`prefix`, the request's seed, a serial number) and
    /// forgets the oldest beyond `max`.
    fn add(&mut self, prefix: &str, job: Job) -> String {
        let id = format!(
            "{prefix}{:012x}{:04x}",
            job.seed & 0xffff_ffff_ffff,
            self.added
        );
        self.added += 1;
        self.by_id.insert(id.clone(), job);
        self.order.push_back(id.clone());
        while self.order.len() > self.max {
            if let Some(old) = self.order.pop_front() {
                self.by_id.remove(&old);
            }
        }
        id
    }
}

fn new_job(
    state: &AppState,
    prefix: &str,
    admitted: &crate::server::Admitted,
    prompt: &str,
) -> String {
    let model = admitted
        .body
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let image = modelgate::catalog::find_model(&model)
        .is_some_and(|m| m.kind == Some(modelgate::catalog::ModelKind::Image));
    let job = Job {
        model,
        seed: admitted.seed,
        started: Instant::now(),
        fails: prompt.contains("[fail]"),
        image,
        base: admitted.base.clone(),
    };
    state
        .jobs
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .add(prefix, job)
}

fn file_url(job: &Job) -> String {
    if job.image {
        format!("{}/files/img-{:x}-16.png", job.base, job.seed)
    } else {
        format!("{}/files/vid-{:x}.mp4", job.base, job.seed)
    }
}

/// Admits a job request to `endpoint`, reads its prompt at `prompt_pointer` and adds the
/// job; its ID and the request's `model`.
async fn submit(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    endpoint: Endpoint,
    prompt_pointer: &str,
    prefix: &str,
) -> Result<(String, Value), Response> {
    let admitted = admit(state, headers, body, Shape::OpenAi, Some(endpoint)).await?;
    let prompt = admitted
        .body
        .pointer(prompt_pointer)
        .and_then(Value::as_str)
        .unwrap_or("");
    let id = new_job(state, prefix, &admitted, prompt);
    let model = admitted.body.get("model").cloned().unwrap_or(Value::Null);
    Ok((id, model))
}

/// What a status answer needs from a job, read under the lock.
struct Seen {
    stage: Stage,
    model: String,
    image: bool,
    seed: u64,
    url: String,
}

/// Admits a status request and finds job `id` (`what` names it in the 404).
async fn lookup(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    what: &str,
) -> Result<Seen, Response> {
    admit(state, headers, b"", Shape::OpenAi, None).await?;
    let jobs = state.jobs.lock().unwrap_or_else(|e| e.into_inner());
    let job = jobs.by_id.get(id).ok_or_else(|| {
        error(
            Shape::OpenAi,
            StatusCode::NOT_FOUND,
            "not_found_error",
            &format!("no {what} `{id}`"),
            json!({}),
        )
    })?;
    Ok(Seen {
        stage: job.stage(state.config.job_duration()),
        model: job.model.clone(),
        image: job.image,
        seed: job.seed,
        url: file_url(job),
    })
}

fn failure() -> Value {
    json!({"code": "generation_failed", "message": "the prompt asked for a failure ([fail])"})
}

pub(crate) async fn create_video(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let (id, model) = submit(
        &state,
        &headers,
        &body,
        Endpoint::VertexKeyVideos,
        "/prompt",
        "task_",
    )
    .await?;
    Ok(json_response(
        StatusCode::OK,
        &json!({"id": id, "object": "video", "status": "queued", "model": model, "progress": 0, "created_at": CREATED}),
    ))
}

pub(crate) async fn get_video(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let job = lookup(&state, &headers, &id, "video job").await?;
    let mut body = json!({"id": id, "object": "video", "model": job.model, "created_at": CREATED});
    match job.stage {
        Stage::Queued => body["status"] = json!("queued"),
        Stage::Running(t) => {
            body["status"] = json!("in_progress");
            body["progress"] = json!((t * 100.0).round());
        }
        Stage::Done => {
            body["status"] = json!("completed");
            body["progress"] = json!(100);
            body["video_url"] = json!(job.url);
        }
        Stage::Failed => {
            body["status"] = json!("failed");
            body["error"] = failure();
        }
    }
    Ok(json_response(StatusCode::OK, &body))
}

pub(crate) async fn submit_media(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let (id, model) = submit(
        &state,
        &headers,
        &body,
        Endpoint::VtrixMediaGeneration,
        "/input/0/params/prompt",
        "gen_",
    )
    .await?;
    Ok(json_response(
        StatusCode::OK,
        &json!({"id": id, "status": "pending", "model": model, "progress": 0, "created_at": CREATED}),
    ))
}

pub(crate) async fn get_media(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let job = lookup(&state, &headers, &id, "media task").await?;
    let mut body = json!({"id": id, "model": job.model, "created_at": CREATED});
    match job.stage {
        Stage::Queued => body["status"] = json!("pending"),
        Stage::Running(t) => {
            body["status"] = json!("in_progress");
            body["progress"] = json!((t * 100.0).round() / 100.0);
        }
        Stage::Done => {
            let kind = if job.image { "image" } else { "video" };
            body["status"] = json!("completed");
            body["progress"] = json!(1);
            body["output"] = json!([{"content": [{"type": kind, "url": job.url, "duration": 6}], "jobId": format!("emu-{:x}", job.seed)}]);
        }
        Stage::Failed => {
            body["status"] = json!("failed");
            body["error"] = failure();
        }
    }
    Ok(json_response(StatusCode::OK, &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(seed: u64) -> Job {
        Job {
            model: "m".into(),
            seed,
            started: Instant::now(),
            fails: false,
            image: false,
            base: String::new(),
        }
    }

    #[test]
    fn the_same_request_twice_gets_two_jobs_even_when_the_table_is_full() {
        let mut jobs = Jobs::new(2);
        let ids: Vec<String> = (0..5).map(|_| jobs.add("video_", job(7))).collect();
        let unique: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "no ID repeats: {ids:?}");
        // The two newest are kept, the older ones forgotten.
        assert_eq!(jobs.by_id.len(), 2);
        assert!(jobs.by_id.contains_key(&ids[4]) && jobs.by_id.contains_key(&ids[3]));
        assert!(!jobs.by_id.contains_key(&ids[0]));
    }
}
