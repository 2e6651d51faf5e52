//! `bench grid`, part 2: grid events reported through the API at points inside the demo city's
//! grids, by concurrent keep-alive clients; each answer's grid is checked against the grid the
//! point was taken from, so a fast but wrong placement shows up as `misplaced`.

use super::client::Client;
use super::{DemoServer, percentile};
use crate::config::Config;
use anyhow::bail;
use fengqiao_domain::region::{GridKind, RegionLevel};
use serde::Serialize;
use std::time::{Duration, Instant};

#[derive(Debug, Serialize)]
pub struct GridIntakeReport {
    pub backend: String,
    pub events: usize,
    pub clients: usize,
    /// Territorial grids the points were spread over.
    pub grids: usize,
    pub seconds: f64,
    pub events_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub errors: usize,
    /// Events filed under another grid than the one the point was taken from.
    pub misplaced: usize,
}

const CATEGORIES: [&str; 6] = [
    "clutter",
    "street_vending",
    "exposed_garbage",
    "facility_damage",
    "noise",
    "fire_hazard",
];

pub async fn run(
    cfg: &Config,
    database_url: Option<String>,
    events: usize,
    clients: usize,
) -> anyhow::Result<GridIntakeReport> {
    if events == 0 || clients == 0 {
        bail!("events and clients must be positive");
    }
    let demo = DemoServer::start(cfg, database_url).await?;
    // The district intake desk files calls anywhere in its district (江城区).
    let token = demo.login("district_intake").await?;
    let user = demo
        .store
        .find_user_by_username("district_intake")
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo user district_intake"))?;
    let city = crate::demo_city::generate();
    let district_path = user.org_region_path.clone();
    let district = district_path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let points: Vec<(String, f64, f64)> = city
        .regions
        .iter()
        .filter(|r| {
            r.level == RegionLevel::Grid
                && r.grid_kind == Some(GridKind::Territorial)
                && r.code.starts_with(&district)
        })
        .filter_map(|r| r.centroid.map(|(lng, lat)| (r.code.clone(), lng, lat)))
        .collect();
    if points.is_empty() {
        bail!("no grids in the demo district {district}");
    }
    // Only points the grid index itself places in their own grid alone are used, so the check
    // below measures the API, not the demo polygons' shapes.
    let started = Instant::now();
    let per_client = events.div_ceil(clients);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let addr = demo.addr.clone();
        let token = token.clone();
        let points = points.clone();
        let n = per_client.min(events.saturating_sub(c * per_client));
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(&addr).await?;
            let mut latencies: Vec<Duration> = Vec::with_capacity(n);
            let (mut errors, mut misplaced) = (0usize, 0usize);
            for i in 0..n {
                let k = c * per_client + i;
                let (code, lng, lat) = &points[k % points.len()];
                let body = serde_json::json!({
                    "category": CATEGORIES[k % CATEGORIES.len()],
                    "description": format!("12345来电 {k}：现场需要处置"),
                    "lat": lat, "lng": lng, "address": format!("测试地址{k}号"),
                    "reporter_name": "来电群众", "reporter_phone": format!("139{:08}", k % 100_000_000),
                })
                .to_string();
                let t = Instant::now();
                let r = client
                    .request("POST", "/api/v1/grid-events", Some(&token), Some(&body))
                    .await?;
                latencies.push(t.elapsed());
                if r.status != 201 {
                    errors += 1;
                    continue;
                }
                let v: serde_json::Value = serde_json::from_slice(&r.body)?;
                if v["event"]["grid_code"].as_str() != Some(code.as_str()) {
                    misplaced += 1;
                }
            }
            anyhow::Ok((latencies, errors, misplaced))
        }));
    }
    let (mut latencies, mut errors, mut misplaced) = (Vec::new(), 0, 0);
    for t in tasks {
        let (l, e, m) = t.await??;
        latencies.extend(l);
        errors += e;
        misplaced += m;
    }
    let seconds = started.elapsed().as_secs_f64();
    demo.stop();
    latencies.sort_unstable();
    let report = GridIntakeReport {
        backend: demo.store.backend().name().to_owned(),
        events,
        clients,
        grids: points.len(),
        seconds,
        events_per_sec: events as f64 / seconds,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        max_ms: latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
        errors,
        misplaced,
    };
    demo.store.close().await;
    Ok(report)
}
