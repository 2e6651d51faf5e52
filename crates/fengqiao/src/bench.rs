//! `fengqiao bench …`: benchmarks that drive the real server over loopback and print JSON.

mod client;
pub mod finance;
pub mod grid;
pub mod grid_intake;
pub mod iot;

use crate::config::Config;
use anyhow::{Context, bail};
use client::Client;
use fengqiao_http::{AppState, Clock, SystemClock};
use fengqiao_store::db::ConnectOptions;
use fengqiao_store::{AuditCtx, FieldCipher, Store};
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Serialize)]
pub struct IntakeReport {
    pub benchmark: &'static str,
    pub backend: String,
    pub cases: usize,
    pub clients: usize,
    pub seconds: f64,
    pub cases_per_sec: f64,
    /// Per request (intake and routing each), milliseconds.
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub errors: usize,
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// The demo city in a fresh database (a temporary SQLite file, or a new schema of the
/// PostgreSQL URL given), served by the real router on a loopback port.
pub(crate) struct DemoServer {
    pub store: Store,
    pub addr: String,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    _dir: tempfile::TempDir,
}

impl DemoServer {
    pub(crate) async fn start(cfg: &Config, database_url: Option<String>) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let (url, schema) = match database_url {
            Some(u) if u.starts_with("postgres") => {
                (u, Some(format!("bench_{}", uuid::Uuid::now_v7().simple())))
            }
            Some(u) => (u, None),
            None => (
                format!("sqlite:{}", dir.path().join("bench.sqlite").display()),
                None,
            ),
        };
        let mut opts = ConnectOptions::new(url);
        opts.pg_schema = schema;
        opts.max_connections = 16;
        let store = Store::connect(&opts).await?;
        store.migrate().await?;
        let now = SystemClock.now();
        let ctx = AuditCtx::system(now);
        store
            .ensure_dispute_types(
                &ctx,
                &fengqiao_store::disputes::DisputeTypeRow::defaults(now),
            )
            .await?;
        store
            .ensure_routing_rules(
                &ctx,
                &fengqiao_domain::dispute::routing::default_routing_rules(),
            )
            .await?;
        store.ensure_grid_defaults(&ctx).await?;
        let cipher = FieldCipher::new(&[9u8; 32]);
        crate::seed::seed_demo(&store, &cipher, now).await?;
        let state = AppState::new(store.clone(), cipher, Arc::new(SystemClock), cfg.auth());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?.to_string();
        let server =
            tokio::spawn(async move { axum::serve(listener, fengqiao_http::app(state)).await });
        Ok(Self {
            store,
            addr,
            server,
            _dir: dir,
        })
    }

    /// Logs a demo account in and returns its bearer token.
    pub(crate) async fn login(&self, username: &str) -> anyhow::Result<String> {
        let mut client = Client::connect(&self.addr).await?;
        let body = serde_json::json!({ "username": username, "password": crate::demo_city::DEMO_PASSWORD }).to_string();
        let resp = client
            .request("POST", "/api/v1/auth/login", None, Some(&body))
            .await?;
        Ok(
            serde_json::from_slice::<serde_json::Value>(&resp.body)?["token"]
                .as_str()
                .context("login token")?
                .to_owned(),
        )
    }

    pub(crate) fn stop(&self) {
        self.server.abort();
    }
}

/// Seeds the demo city into a fresh database, serves it on a loopback port, and has `clients`
/// concurrent keep-alive clients register and route `cases` disputes through the API.
pub async fn intake(
    cfg: &Config,
    database_url: Option<String>,
    cases: usize,
    clients: usize,
) -> anyhow::Result<IntakeReport> {
    if clients == 0 || cases == 0 {
        bail!("cases and clients must be positive");
    }
    let demo = DemoServer::start(cfg, database_url).await?;
    let (store, addr) = (demo.store.clone(), demo.addr.clone());
    let token = demo.login("street_intake").await?;
    let community = "339902001001";

    let started = Instant::now();
    let per_client = cases.div_ceil(clients);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let addr = addr.clone();
        let token = token.clone();
        let n = per_client.min(cases.saturating_sub(c * per_client));
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(&addr).await?;
            let mut latencies = Vec::with_capacity(n * 2);
            let mut errors = 0usize;
            for i in 0..n {
                let k = c * per_client + i;
                let body = serde_json::json!({
                    "title": format!("邻里纠纷 {k}"), "dispute_type": if k.is_multiple_of(3) { "labour" } else { "neighbour" },
                    "facts": "楼上住户夜间噪音影响休息，多次沟通未果。", "claims": "停止噪音侵扰。",
                    "amount_fen": (k as i64 % 50) * 10_000, "region_code": community, "channel": "window",
                    "parties": [
                        { "role": "applicant", "kind": "person", "name": format!("申请人{k}"), "phone": format!("139{:08}", k) },
                        { "role": "respondent", "kind": "person", "name": format!("被申请人{}", k % 997) }
                    ],
                })
                .to_string();
                let t = Instant::now();
                let created = client.request("POST", "/api/v1/disputes", Some(&token), Some(&body)).await?;
                latencies.push(t.elapsed());
                if created.status != 201 {
                    errors += 1;
                    continue;
                }
                let v: serde_json::Value = serde_json::from_slice(&created.body)?;
                let id = v["dispute"]["id"].as_str().unwrap_or_default().to_owned();
                let orgs = v["routing"]["org_ids"].clone();
                let cmd = serde_json::json!({ "command": { "command": "route", "org_ids": orgs } }).to_string();
                let t = Instant::now();
                let routed = client.request("POST", &format!("/api/v1/disputes/{id}/commands"), Some(&token), Some(&cmd)).await?;
                latencies.push(t.elapsed());
                if routed.status != 200 {
                    errors += 1;
                }
            }
            anyhow::Ok((latencies, errors))
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await??;
        latencies.extend(l);
        errors += e;
    }
    let seconds = started.elapsed().as_secs_f64();
    demo.stop();
    latencies.sort_unstable();
    let report = IntakeReport {
        benchmark: "intake",
        backend: store.backend().name().to_owned(),
        cases,
        clients,
        seconds,
        cases_per_sec: cases as f64 / seconds,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        max_ms: latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
        errors,
    };
    store.close().await;
    Ok(report)
}
