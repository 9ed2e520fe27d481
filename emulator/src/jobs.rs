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

use crate::server::{AppState, Shape, admit, error, json_response};

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
        .is_some_and(|m| m.kind == modelgate::catalog::ModelKind::Image);
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

pub(crate) async fn create_video(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let admitted = match admit(
        &state,
        &headers,
        &body,
        Shape::OpenAi,
        Some(Endpoint::VertexKeyVideos),
    )
    .await
    {
        Ok(a) => a,
        Err(r) => return r,
    };
    let prompt = admitted
        .body
        .get("prompt")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let id = new_job(&state, "task_", &admitted, &prompt);
    let model = admitted.body.get("model").cloned().unwrap_or(Value::Null);
    json_response(
        StatusCode::OK,
        &json!({"id": id, "object": "video", "status": "queued", "model": model, "progress": 0, "created_at": 1_763_683_200}),
    )
}

pub(crate) async fn get_video(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = admit(&state, &headers, b"", Shape::OpenAi, None).await {
        return r;
    }
    let jobs = state.jobs.lock().unwrap_or_else(|e| e.into_inner());
    let Some(job) = jobs.by_id.get(&id) else {
        return error(
            Shape::OpenAi,
            StatusCode::NOT_FOUND,
            "not_found_error",
            &format!("no video job `{id}`"),
            json!({}),
        );
    };
    let mut body =
        json!({"id": id, "object": "video", "model": job.model, "created_at": 1_763_683_200});
    match job.stage(state.config.job_duration()) {
        Stage::Queued => body["status"] = json!("queued"),
        Stage::Running(t) => {
            body["status"] = json!("in_progress");
            body["progress"] = json!((t * 100.0).round());
        }
        Stage::Done => {
            body["status"] = json!("completed");
            body["progress"] = json!(100);
            body["video_url"] = json!(file_url(job));
        }
        Stage::Failed => {
            body["status"] = json!("failed");
            body["error"] = json!({"code": "generation_failed", "message": "the prompt asked for a failure ([fail])"});
        }
    }
    json_response(StatusCode::OK, &body)
}

pub(crate) async fn submit_media(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let admitted = match admit(
        &state,
        &headers,
        &body,
        Shape::OpenAi,
        Some(Endpoint::VtrixMediaGeneration),
    )
    .await
    {
        Ok(a) => a,
        Err(r) => return r,
    };
    let prompt = admitted
        .body
        .pointer("/input/0/params/prompt")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let id = new_job(&state, "gen_", &admitted, &prompt);
    let model = admitted.body.get("model").cloned().unwrap_or(Value::Null);
    json_response(
        StatusCode::OK,
        &json!({"id": id, "status": "pending", "model": model, "progress": 0, "created_at": 1_763_683_200}),
    )
}

pub(crate) async fn get_media(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = admit(&state, &headers, b"", Shape::OpenAi, None).await {
        return r;
    }
    let jobs = state.jobs.lock().unwrap_or_else(|e| e.into_inner());
    let Some(job) = jobs.by_id.get(&id) else {
        return error(
            Shape::OpenAi,
            StatusCode::NOT_FOUND,
            "not_found_error",
            &format!("no media task `{id}`"),
            json!({}),
        );
    };
    let mut body = json!({"id": id, "model": job.model, "created_at": 1_763_683_200});
    match job.stage(state.config.job_duration()) {
        Stage::Queued => body["status"] = json!("pending"),
        Stage::Running(t) => {
            body["status"] = json!("in_progress");
            body["progress"] = json!((t * 100.0).round() / 100.0);
        }
        Stage::Done => {
            let kind = if job.image { "image" } else { "video" };
            body["status"] = json!("completed");
            body["progress"] = json!(1);
            body["output"] = json!([{"content": [{"type": kind, "url": file_url(job), "duration": 6}], "jobId": format!("emu-{:x}", job.seed)}]);
        }
        Stage::Failed => {
            body["status"] = json!("failed");
            body["error"] = json!({"code": "generation_failed", "message": "the prompt asked for a failure ([fail])"});
        }
    }
    json_response(StatusCode::OK, &body)
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
