//! Request metrics in the Prometheus text format, hand-rolled: a count per (method, route,
//! status) and a latency histogram per (method, route). Twenty lines of counters are cheaper to
//! build and audit than an exporter crate, and `/metrics` needs nothing more yet.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct Latency {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<(String, String), Latency>,
}

/// The counters of one process.
#[derive(Default)]
pub struct Metrics(Mutex<Inner>);

impl Metrics {
    fn record(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        // A poisoned lock only means another request panicked while counting: keep counting.
        let mut inner = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *inner
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let lat = inner
            .latency
            .entry((method.to_owned(), route.to_owned()))
            .or_default();
        let secs = elapsed.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound
                && let Some(b) = lat.buckets.get_mut(i)
            {
                *b += 1;
            }
        }
        lat.count += 1;
        lat.sum += secs;
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let inner = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = String::new();
        out.push_str(
            "# HELP gongkai_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE gongkai_http_requests_total counter\n");
        for ((method, route, status), n) in &inner.requests {
            let _ = writeln!(
                out,
                "gongkai_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                escape(route)
            );
        }
        out.push_str("# HELP gongkai_http_request_duration_seconds HTTP request latency by method and route.\n");
        out.push_str("# TYPE gongkai_http_request_duration_seconds histogram\n");
        for ((method, route), lat) in &inner.latency {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            for (bound, n) in BUCKETS.iter().zip(lat.buckets.iter()) {
                let _ = writeln!(
                    out,
                    "gongkai_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "gongkai_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                lat.count
            );
            let _ = writeln!(
                out,
                "gongkai_http_request_duration_seconds_sum{{{labels}}} {}",
                lat.sum
            );
            let _ = writeln!(
                out,
                "gongkai_http_request_duration_seconds_count{{{labels}}} {}",
                lat.count
            );
        }
        out
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Middleware: counts and logs every request. The route label is the route pattern (never the
/// raw path, which would let clients create unbounded label values).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "<unmatched>".to_owned(), |m| m.as_str().to_owned());
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    state.metrics().record(&method, &route, status, elapsed);
    tracing::info!(
        method = %method,
        route = %route,
        path = %path,
        status,
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    response
}
