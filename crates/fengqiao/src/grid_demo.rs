//! Demo grid events for 鼓楼街道: reports by its grid workers at their grids' centres, taken to
//! every point of the loop (waiting, dispatched, handled, closed, evaluated, one overdue) through
//! the same store commands the API uses, plus a street summons (街乡吹哨) half answered.

use crate::demo_city::DemoCity;
use anyhow::Context;
use fengqiao_domain::grid_event::{Actor, Command, dispatch};
use fengqiao_domain::region::{GridKind, RegionLevel};
use fengqiao_domain::time::Timestamp;
use fengqiao_store::grid_events::{NewGridEvent, NewPhoto, NewSummons, StepIssuer};
use fengqiao_store::{AuditCtx, Scope, Store};

/// The street whose grids carry the demo events.
const STREET: &str = "鼓楼街道";

/// (category, description, how far along the loop it gets, days ago it was reported).
const REPORTS: [(&str, &str, usize, i64); 16] = [
    ("clutter", "3幢楼道堆放纸箱、旧家具，堵塞通道", 7, 12),
    ("street_vending", "学校门口早晚有流动摊贩占道经营", 6, 10),
    ("exposed_garbage", "垃圾分类点满溢两天未清运，有异味", 8, 9),
    ("fire_hazard", "5幢一楼有电动车入户充电", 1, 8),
    ("facility_damage", "巷口路灯不亮，夜间出行不便", 5, 7),
    ("road_damage", "中山路人行道地砖松动塌陷", 4, 6),
    ("noise", "夜间装修施工噪声扰民", 3, 5),
    ("food_safety", "夜市摊点无证经营熟食", 2, 4),
    ("public_security", "空置店铺夜间有可疑人员聚集", 1, 3),
    ("pollution", "沿街餐馆油烟直排居民楼", 0, 2),
    ("clutter", "小区绿地被私自开垦种菜并堆放杂物", 9, 2),
    ("work_safety_hazard", "老旧小区燃气管道锈蚀", 0, 1),
    ("exposed_garbage", "河道边倾倒建筑垃圾", 3, 1),
    ("illegal_construction", "顶楼违章搭建阳光房", 2, 1),
    ("street_vending", "菜场外占道卖菜", 0, 0),
    ("fire_hazard", "消防通道被私家车占用", 0, 0),
];

/// A small generated picture standing in for a scene photo (the demo has no camera).
fn demo_photo(seed: usize) -> anyhow::Result<Vec<u8>> {
    let (w, h) = (160u32, 120u32);
    let mut data = Vec::with_capacity((w * h * 3) as usize);
    let tint = [
        (90u8, 140u8, 190u8),
        (120, 160, 90),
        (180, 140, 90),
        (150, 150, 160),
    ][seed % 4];
    for y in 0..h {
        for x in 0..w {
            // Sky above, ground below, a building block in the middle.
            let (r, g, b) = if (50..110).contains(&x) && (30..95).contains(&y) {
                (200, 190, 170)
            } else if y < 60 {
                tint
            } else {
                (110, 105, 95)
            };
            data.extend_from_slice(&[r, g, b]);
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&data)?;
    }
    Ok(out)
}

async fn user(store: &Store, name: &str) -> anyhow::Result<(String, String)> {
    store
        .find_user_by_username(name)
        .await?
        .map(|u| (u.id, u.org_id))
        .with_context(|| format!("demo user {name}"))
}

async fn photo(
    store: &Store,
    event_id: &str,
    i: usize,
    n: usize,
    at: Timestamp,
) -> anyhow::Result<()> {
    let bytes = demo_photo(i + n)?;
    let photo_id = crate::seed::demo_id(&format!("grid-photo:{i}:{n}"));
    store
        .add_grid_event_photo(
            &ctx_of(None, at),
            &NewPhoto {
                id: &photo_id,
                event_id,
                filename: "现场照片.png",
                content_type: "image/png",
                bytes: &bytes,
            },
        )
        .await?;
    Ok(())
}

pub struct GridDemoSummary {
    pub events: usize,
    pub summonses: usize,
}

struct People {
    centre: (String, String),
}

fn ctx_of(who: Option<&(String, String)>, at: Timestamp) -> AuditCtx {
    AuditCtx {
        actor_user_id: who.map(|w| w.0.clone()),
        actor_org_id: who.map(|w| w.1.clone()),
        request_id: None,
        at,
    }
}

/// Seeds the demo events; `now` is the demo's start, events are reported in the days before it.
pub async fn seed(
    store: &Store,
    city: &DemoCity,
    now: Timestamp,
) -> anyhow::Result<GridDemoSummary> {
    let street = city
        .regions
        .iter()
        .find(|r| r.level == RegionLevel::Street && r.name == STREET)
        .context("demo street")?;
    let grids: Vec<_> = city
        .regions
        .iter()
        .filter(|r| {
            r.level == RegionLevel::Grid
                && r.grid_kind == Some(GridKind::Territorial)
                && r.code.starts_with(&street.code)
        })
        .collect();
    anyhow::ensure!(!grids.is_empty(), "the demo street has no grids");
    let people = People {
        centre: user(store, "street_intake").await?,
    };
    let rules = store.active_dispatch_rules().await?;
    let departments = store.department_directory().await?;
    let centre = StepIssuer {
        user_id: Some(people.centre.0.clone()),
        org_id: Some(people.centre.1.clone()),
        actor_kind: "centre",
        actor: Actor {
            is_centre: true,
            ..Actor::default()
        },
    };
    let department = StepIssuer {
        user_id: None,
        org_id: None,
        actor_kind: "department",
        actor: Actor {
            is_department: true,
            ..Actor::default()
        },
    };
    let mut events = Vec::new();
    for (i, (category, description, stage, days_ago)) in REPORTS.iter().enumerate() {
        let grid = grids[(i * 7) % grids.len()];
        let region = store
            .get_region(&Scope::Everything, &grid.code)
            .await
            .with_context(|| format!("demo grid {}", grid.code))?;
        let worker = user(store, &format!("gw_{}", grid.code)).await?;
        let (lng, lat) = grid.centroid.unwrap_or_default();
        // Reported in the morning of the day, steps an hour or so apart.
        let mut at = now.plus_seconds(-days_ago * 86_400 - 6 * 3600 + (i as i64) * 600);
        let id = crate::seed::demo_id(&format!("grid-event:{i}"));
        let new = NewGridEvent {
            id: id.clone(),
            category: (*category).to_owned(),
            title: String::new(),
            description: (*description).to_owned(),
            source: "grid_worker".into(),
            lat: Some(lat),
            lng: Some(lng),
            address: format!("{}{}", grid.name, ["东侧", "北门", "中段", "西口"][i % 4]),
            grid_code: Some(grid.code.clone()),
            grid_codes: vec![grid.code.clone()],
            region_path: region.path.clone(),
            reporter_user_id: Some(worker.0.clone()),
            reporter_name: format!("网格员（{}）", grid.name),
            reporter_phone: None,
            external_id: None,
            idempotency_key: Some(format!("demo:{i}")),
            attributes: serde_json::json!({}),
            urgent: *category == "fire_hazard" || *category == "work_safety_hazard",
        };
        let mut new = new;
        let name = store
            .grid_categories()
            .await?
            .into_iter()
            .find(|c| c.code == *category)
            .map(|c| c.name_zh)
            .unwrap_or_default();
        new.title = format!("{name}：{}", new.address);
        store
            .report_grid_event(&ctx_of(Some(&worker), at), &new)
            .await
            .with_context(|| format!("demo event {i}"))?;
        photo(store, &id, i, 0, at).await?;
        let reporter = StepIssuer {
            user_id: Some(worker.0.clone()),
            org_id: Some(worker.1.clone()),
            actor_kind: "reporter",
            actor: Actor {
                is_reporter: true,
                is_grid_worker: true,
                ..Actor::default()
            },
        };
        // One event the worker solved on the spot, verified by the centre.
        if *stage == 9 {
            at = at.plus_seconds(1800);
            store
                .apply_grid_command(
                    &ctx_of(Some(&worker), at),
                    &reporter,
                    &id,
                    &Command::SolveOnSpot {
                        note: "已联系业主清理，恢复绿地".into(),
                    },
                    &serde_json::Value::Null,
                )
                .await?;
            at = at.plus_seconds(3600);
            store
                .apply_grid_command(
                    &ctx_of(Some(&people.centre), at),
                    &centre,
                    &id,
                    &Command::Verify {
                        approved: true,
                        note: "照片核实".into(),
                    },
                    &serde_json::Value::Null,
                )
                .await?;
            events.push(id);
            continue;
        }
        let choice = dispatch(&rules, category, &region.path, &departments).ok();
        let steps: Vec<(&StepIssuer, Command, bool)> = vec![
            (
                &centre,
                Command::Accept {
                    note: "情况属实".into(),
                },
                false,
            ),
            (
                &centre,
                Command::Dispatch {
                    department_org_id: choice
                        .as_ref()
                        .map(|c| c.org_id.clone())
                        .unwrap_or_default(),
                    reason: String::new(),
                },
                false,
            ),
            (&department, Command::Sign, false),
            (
                &department,
                Command::Feedback {
                    note: "已到场处置完毕".into(),
                },
                true,
            ),
            (
                &centre,
                Command::Verify {
                    approved: true,
                    note: "复核通过".into(),
                },
                false,
            ),
            (
                &reporter,
                Command::Evaluate {
                    satisfaction: 5,
                    comment: "处置及时".into(),
                },
                false,
            ),
        ];
        for (n, (issuer, command, needs_photo)) in steps.into_iter().take(*stage).enumerate() {
            at = at.plus_seconds(3600 + (n as i64) * 1200);
            if needs_photo {
                photo(store, &id, i, n + 1, at).await?;
                at = at.plus_seconds(60);
            }
            let extra = match &command {
                Command::Dispatch { .. } => {
                    serde_json::json!({ "suggestion": choice, "overridden": false })
                }
                _ => serde_json::Value::Null,
            };
            let who = match issuer.actor_kind {
                "centre" => Some(&people.centre),
                "reporter" => Some(&worker),
                _ => None,
            };
            let mut ctx = ctx_of(who, at);
            if issuer.actor_kind == "department" {
                ctx.actor_org_id = choice.as_ref().map(|c| c.org_id.clone());
            }
            store
                .apply_grid_command(&ctx, issuer, &id, &command, &extra)
                .await
                .with_context(|| format!("demo event {i} step {}", command.name()))?;
        }
        events.push(id);
    }
    // 街乡吹哨: the street summons urban management and market regulation to the night market.
    let summoned: Vec<String> = ["urban_management", "market_regulation", "police"]
        .iter()
        .filter_map(|s| {
            departments
                .iter()
                .filter(|d| d.specialty.map(|x| x.code()) == Some(*s))
                .filter(|d| {
                    street.code.starts_with(
                        d.region_path
                            .trim_end_matches('/')
                            .rsplit('/')
                            .next()
                            .unwrap_or("-"),
                    )
                })
                .map(|d| d.org_id.clone())
                .next()
        })
        .collect();
    let mut summonses = 0;
    if summoned.len() >= 2 {
        let street_region = store.get_region(&Scope::Everything, &street.code).await?;
        let at = now.plus_seconds(-2 * 86_400);
        let summons = store
            .raise_summons(
                &ctx_of(Some(&people.centre), at),
                &NewSummons {
                    id: crate::seed::demo_id("summons:night-market"),
                    region_code: street.code.clone(),
                    region_path: street_region.path,
                    title: "鼓楼夜市占道经营与食品安全联合整治".into(),
                    description: "夜市摊点占道、无证经营熟食、油烟扰民，涉及城管、市场监管、公安，请各部门报到并提出措施。".into(),
                    event_id: events.get(7).cloned(),
                    department_ids: summoned.clone(),
                },
            )
            .await?;
        let first = &summoned[0];
        store
            .answer_summons(
                &AuditCtx {
                    actor_org_id: Some(first.clone()),
                    ..ctx_of(None, at.plus_seconds(1800))
                },
                &summons.summons.id,
                first,
                &fengqiao_domain::grid_event::SummonsAnswer::Answer {
                    text: "已安排中队每晚巡查，规范摊点经营区域".into(),
                },
            )
            .await?;
        summonses = 1;
    }
    Ok(GridDemoSummary {
        events: events.len(),
        summonses,
    })
}
