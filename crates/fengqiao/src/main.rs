//! `fengqiao` — the one binary: HTTP server, migrations, demo city, accounts, import/export,
//! audit verification and the operator tools (calendar, frame decoder).

mod basedata_demo;
mod bench;
mod config;
mod demo_city;
mod demo_iot;
mod finance_demo;
mod grid_demo;
mod seed;
mod transfer;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use config::Config;
use fengqiao_domain::calendar::{self, OfficialCalendar};
use fengqiao_domain::role::Role;

use fengqiao_http::{AppState, Clock, SystemClock};
use fengqiao_store::db::ConnectOptions;
use fengqiao_store::users::NewUser;
use fengqiao_store::{AuditCtx, FieldCipher, Scope, Store};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "fengqiao",
    version,
    about = "枫桥 — 市域社会治理平台 (municipal social governance platform)"
)]
struct Cli {
    /// TOML configuration file (default: ./fengqiao.toml when present).
    #[arg(long, global = true, env = "FENGQIAO_CONFIG")]
    config: Option<PathBuf>,
    /// Database URL: sqlite:PATH or postgres://… (default: SQLite under ./fengqiao-data/).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (migrates first).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Seed the demo city when the database is empty, print the demo accounts, then serve.
    Demo(ServeArgs),
    /// Account administration.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Import regions, organisations or users from .xlsx or .json.
    Import {
        /// regions | organisations | users
        entity: String,
        file: PathBuf,
        /// Write the good rows even when some rows are bad (default: all or nothing).
        #[arg(long)]
        partial: bool,
    },
    /// Export regions, organisations or users to .xlsx or .json (identifiers masked).
    Export {
        /// regions | organisations | users
        entity: String,
        file: PathBuf,
    },
    /// The tamper-evident audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The official working-day calendar (法定节假日与调休).
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Benchmarks against the real server on loopback; prints JSON.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Legal calculators (金融智审): court fees, loan claims, private-lending caps.
    #[command(subcommand)]
    Calc(CalcCommand),
    /// Decode one GT06 or JT/T 808 frame given as hex.
    Decode {
        /// gt06 | jt808
        protocol: String,
        hex: String,
        /// Accept a bad checksum (the record is marked).
        #[arg(long)]
        lenient: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Clone)]
struct ServeArgs {
    /// Listen address (default 127.0.0.1:8080).
    #[arg(long, env = "FENGQIAO_LISTEN")]
    listen: Option<String>,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an account.
    CreateUser {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// Id of the organisation the account belongs to.
        #[arg(long)]
        org_id: String,
        /// Comma-separated role codes (admin, intake, mediator, judge, …).
        #[arg(long, value_delimiter = ',')]
        roles: Vec<String>,
        /// The password; read from FENGQIAO_NEW_PASSWORD when omitted.
        #[arg(long, env = "FENGQIAO_NEW_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long)]
        phone: Option<String>,
    },
}

#[derive(Subcommand)]
enum CalcCommand {
    /// Acceptance fee of a property case (诉讼费用交纳办法 art. 13), in yuan.
    Fee {
        amount: rust_decimal::Decimal,
        /// Simple procedure (halved once).
        #[arg(long)]
        simple: bool,
        /// Closed by mediation (halved once).
        #[arg(long)]
        mediated: bool,
        /// Withdrawn (halved once).
        #[arg(long)]
        withdrawn: bool,
        #[arg(long)]
        json: bool,
    },
    /// A financial-loan claim from a case file (JSON; see docs/CALC.md for the fields).
    Loan {
        #[arg(long)]
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// A private-lending claim with the LPR caps (JSON case file).
    Lending {
        #[arg(long)]
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Concurrent clients registering and routing disputes through the HTTP API.
    Intake {
        #[arg(long, default_value_t = 5000)]
        cases: usize,
        #[arg(long, default_value_t = 16)]
        clients: usize,
    },
    /// Simulated GT06 trackers over loopback TCP (and MQTT sightings) with storage on.
    Iot {
        /// Simulated trackers, one TCP connection each.
        #[arg(long, default_value_t = 1000)]
        devices: usize,
        /// Measured seconds (after a 2 s warm-up).
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Positions per second each tracker sends.
        #[arg(long, default_value_t = 60)]
        rate: u64,
        /// Also publish reader sightings through this broker (mqtt://127.0.0.1:1883).
        #[arg(long)]
        mqtt_url: Option<String>,
    },
    /// Point → grid placement: generated grid polygons, validation, index build and lookups on
    /// one thread (part 1); grid events reported through the API over the demo city (part 2,
    /// on FENGQIAO_DATABASE_URL or a temporary SQLite file).
    Grid {
        #[arg(long, default_value_t = 10_000)]
        grids: usize,
        /// Timed lookups (each API is timed over this many).
        #[arg(long, default_value_t = 5_000_000)]
        lookups: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Part 2: events reported through the API (0 skips part 2).
        #[arg(long, default_value_t = 4_000)]
        events: usize,
        /// Part 2: concurrent keep-alive clients.
        #[arg(long, default_value_t = 8)]
        clients: usize,
    },
    /// A generated bank-loan batch validated, computed and drafted in process (金融智审).
    Finance {
        #[arg(long, default_value_t = 10_000)]
        cases: usize,
        /// Threads for the parallel phases (default: the machine's cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Draft all three documents per case (起诉状、调解书、判决书), not only the 判决书.
        #[arg(long)]
        all_drafts: bool,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain; exit 1 naming the first bad entry.
    Verify,
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// One line per date: working or not, and why.
    Days {
        from: NaiveDate,
        to: NaiveDate,
        #[arg(long)]
        json: bool,
    },
    /// The deadline N days after START, with the rule applied.
    Deadline {
        start: NaiveDate,
        days: u32,
        #[arg(
            long,
            conflicts_with = "calendar",
            required_unless_present = "calendar"
        )]
        working: bool,
        #[arg(long)]
        calendar: bool,
        #[arg(long)]
        json: bool,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误 error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_logging(cfg: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("FENGQIAO_LOG")
        .unwrap_or_else(|_| "info".into());
    if cfg.log_format == "pretty" {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .init();
    }
}

async fn open_store(cfg: &Config) -> anyhow::Result<Store> {
    let url = cfg.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&cfg.data_dir)
            .with_context(|| format!("creating {}", cfg.data_dir.display()))?;
    }
    let store = Store::connect(&ConnectOptions::new(url.clone()))
        .await
        .with_context(|| format!("opening database {}", config::redact_url(&url)))?;
    store.migrate().await.context("applying migrations")?;
    let now = SystemClock.now();
    store
        .ensure_dispute_types(
            &AuditCtx::system(now),
            &fengqiao_store::disputes::DisputeTypeRow::defaults(now),
        )
        .await
        .context("seeding the dispute taxonomy")?;
    store
        .ensure_routing_rules(
            &AuditCtx::system(now),
            &fengqiao_domain::dispute::routing::default_routing_rules(),
        )
        .await
        .context("seeding the routing rules")?;
    store
        .ensure_grid_defaults(&AuditCtx::system(now))
        .await
        .context("seeding the grid event categories and dispatch rules")?;
    Ok(store)
}

fn cipher(cfg: &Config) -> anyhow::Result<FieldCipher> {
    Ok(FieldCipher::from_base64(&cfg.secret_key()?)?)
}

async fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    let mut cfg = Config::load(cli.config.as_deref())?;
    if let Some(url) = cli.database_url {
        cfg.database_url = Some(url);
    }
    let ok = std::process::ExitCode::SUCCESS;
    match cli.command {
        Command::Serve(args) => {
            init_logging(&cfg);
            serve(&cfg, args).await?;
        }
        Command::Demo(args) => {
            init_logging(&cfg);
            let store = open_store(&cfg).await?;
            if store.count_regions().await? == 0 {
                let summary = seed::seed_demo(&store, &cipher(&cfg)?, SystemClock.now()).await?;
                println!(
                    "已生成演示城市 临江市：{} 个区域、{} 个机构、{} 个账号",
                    summary.regions, summary.orgs, summary.users
                );
                let iot = demo_iot::seed(
                    &store,
                    &cipher(&cfg)?,
                    &demo_city::generate(),
                    SystemClock.now(),
                )
                .await?;
                println!(
                    "物联感知演示数据：{} 个读卡基站、{} 辆车、{} 个设备与标签，被盗布控车辆 {}",
                    iot.readers,
                    iot.vehicles,
                    iot.devices,
                    demo_iot::STOLEN_PLATE
                );
                let grid =
                    grid_demo::seed(&store, &demo_city::generate(), SystemClock.now()).await?;
                println!(
                    "网格事件演示数据：{} 件事件（各办理环节），{} 次街乡吹哨",
                    grid.events, grid.summonses
                );
                let base = basedata_demo::seed(
                    &store,
                    &cipher(&cfg)?,
                    &demo_city::generate(),
                    SystemClock.now(),
                )
                .await?;
                println!(
                    "一库与走访演示数据（{}）：{} 条基础数据，{} 次入户走访",
                    basedata_demo::STREET,
                    base.records,
                    base.visits
                );
            }
            // The demo listens for trackers on loopback unless configured otherwise.
            cfg.iot
                .gt06_listen
                .get_or_insert_with(|| "127.0.0.1:5023".into());
            cfg.iot
                .jt808_listen
                .get_or_insert_with(|| "127.0.0.1:6808".into());
            cfg.iot
                .webhook_token
                .get_or_insert_with(|| demo_iot::DEMO_WEBHOOK_TOKEN.into());
            if cfg.iot.default_region_path == "/" {
                cfg.iot.default_region_path = "/339900/".into();
            }
            println!(
                "物联感知：GT06 {}，JT/T 808 {}，视频事件 Webhook 令牌 {}",
                cfg.iot.gt06_listen.as_deref().unwrap_or("-"),
                cfg.iot.jt808_listen.as_deref().unwrap_or("-"),
                demo_iot::DEMO_WEBHOOK_TOKEN
            );
            DEMO_FEED.store(true, std::sync::atomic::Ordering::Relaxed);
            println!("演示账号（密码均为 {}）：", demo_city::DEMO_PASSWORD);
            for (user, what) in seed::DEMO_ACCOUNTS {
                println!("  {user:<20} {what}");
            }
            store.close().await;
            serve(&cfg, args).await?;
        }
        Command::Migrate => {
            let store = open_store(&cfg).await?;
            println!("migrations applied ({})", store.backend().name());
        }
        Command::Admin(AdminCommand::CreateUser {
            username,
            display_name,
            org_id,
            roles,
            password,
            phone,
        }) => {
            let store = open_store(&cfg).await?;
            let roles = roles
                .iter()
                .map(|r| r.parse::<Role>())
                .collect::<Result<Vec<_>, _>>()?;
            fengqiao_http::routes::auth::check_password_policy("password", &password)
                .map_err(|e| anyhow::anyhow!("password: {e:?}"))?;
            let mut problems = Vec::new();
            let (phone, _) = fengqiao_http::routes::users::parse_identifiers(
                phone.as_deref(),
                None,
                &mut problems,
            );
            if let Some(p) = problems.first() {
                bail!("{}: {}", p.field, p.message);
            }
            let hash = fengqiao_http::routes::auth::hash_password(&password)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let input = NewUser {
                username,
                display_name,
                org_id,
                roles,
                password_hash: hash,
                phone,
                id_number: None,
            };
            let id = uuid::Uuid::now_v7().to_string();
            let view = store
                .create_user(
                    &AuditCtx::system(SystemClock.now()),
                    &Scope::Everything,
                    &cipher(&cfg)?,
                    &id,
                    &input,
                )
                .await
                .map_err(describe_store_error)?;
            println!("created user {} ({})", view.username, view.id);
        }
        Command::Import {
            entity,
            file,
            partial,
        } => {
            let store = open_store(&cfg).await?;
            let mode = if partial {
                transfer::Mode::GoodRowsOnly
            } else {
                transfer::Mode::AllOrNothing
            };
            let report = transfer::import(
                &store,
                &cipher(&cfg)?,
                &AuditCtx::system(SystemClock.now()),
                &Scope::Everything,
                entity.parse()?,
                &file,
                mode,
            )
            .await?;
            println!("{}", report.render_zh());
            if !report.rejected.is_empty() {
                return Ok(std::process::ExitCode::from(2));
            }
        }
        Command::Export { entity, file } => {
            let store = open_store(&cfg).await?;
            let rows = transfer::export(&store, &Scope::Everything, entity.parse()?, &file).await?;
            println!("exported {rows} rows to {}", file.display());
        }
        Command::Audit(AuditCommand::Verify) => {
            let store = open_store(&cfg).await?;
            let report = store.audit_verify().await?;
            match report.broken_at {
                None => println!(
                    "audit chain intact: {} entries, head {}",
                    report.checked, report.last_hash
                ),
                Some(seq) => {
                    eprintln!(
                        "audit chain BROKEN at entry {seq}: {} ({} entries before it verified)",
                        report.problem.unwrap_or_default(),
                        report.checked
                    );
                    return Ok(std::process::ExitCode::FAILURE);
                }
            }
        }
        Command::Calendar(cmd) => calendar_command(cmd)?,
        Command::Calc(cmd) => calc_command(cmd)?,
        Command::Bench(BenchCommand::Iot {
            devices,
            seconds,
            rate,
            mqtt_url,
        }) => {
            let report =
                bench::iot::run(cfg.database_url.clone(), devices, seconds, rate, mqtt_url).await?;
            println!("{}", serde_json::to_string(&report)?);
        }
        Command::Bench(BenchCommand::Finance {
            cases,
            threads,
            all_drafts,
        }) => {
            let threads = threads.unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
            });
            let report = bench::finance::run(cases, threads, all_drafts)?;
            println!("{}", serde_json::to_string(&report)?);
        }
        Command::Bench(BenchCommand::Grid {
            grids,
            lookups,
            seed,
            events,
            clients,
        }) => {
            let report = bench::grid::run(
                &cfg,
                cfg.database_url.clone(),
                grids,
                lookups,
                seed,
                events,
                clients,
            )
            .await?;
            println!("{}", serde_json::to_string(&report)?);
        }
        Command::Bench(BenchCommand::Intake { cases, clients }) => {
            let report = bench::intake(&cfg, cfg.database_url.clone(), cases, clients).await?;
            println!("{}", serde_json::to_string(&report)?);
        }
        Command::Decode {
            protocol,
            hex,
            lenient,
            json,
        } => {
            let protocol: fengqiao_proto::Protocol = protocol
                .parse()
                .map_err(|e| anyhow::anyhow!("protocol: {e}"))?;
            let options = fengqiao_proto::report::ReportOptions {
                strictness: fengqiao_proto::Strictness::from_lenient(lenient),
                ..Default::default()
            };
            let report = fengqiao_proto::report::decode_hex_report(protocol, &hex, &options);
            let text = if json {
                serde_json::to_string(&report)?
            } else {
                serde_json::to_string_pretty(&report)?
            };
            println!("{text}");
            if !report.ok {
                return Ok(std::process::ExitCode::FAILURE);
            }
        }
    }
    Ok(ok)
}

fn describe_store_error(e: fengqiao_store::StoreError) -> anyhow::Error {
    match e {
        fengqiao_store::StoreError::Invalid(errs) => anyhow::anyhow!(
            "{}",
            errs.iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::anyhow!(other),
    }
}

fn calc_command(cmd: CalcCommand) -> anyhow::Result<()> {
    use fengqiao_calc::fee::Procedure;
    let read = |path: &PathBuf| {
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
    };
    let (text, json) = match cmd {
        CalcCommand::Fee {
            amount,
            simple,
            mediated,
            withdrawn,
            json,
        } => {
            let procedures: Vec<Procedure> = [
                (simple, Procedure::Simple),
                (mediated, Procedure::Mediated),
                (withdrawn, Procedure::Withdrawn),
            ]
            .into_iter()
            .filter_map(|(on, p)| on.then_some(p))
            .collect();
            let r = fengqiao_calc::fee::property_acceptance_fee(amount, &procedures)?;
            (
                r.render_zh(),
                if json {
                    Some(serde_json::to_string_pretty(&r)?)
                } else {
                    None
                },
            )
        }
        CalcCommand::Loan { file, json } => {
            let case: fengqiao_calc::LoanCase = serde_json::from_str(&read(&file)?)
                .with_context(|| format!("{} is not a valid loan case", file.display()))?;
            let r = fengqiao_calc::compute_loan(&case)?;
            (
                r.render_zh(),
                if json {
                    Some(serde_json::to_string_pretty(&r)?)
                } else {
                    None
                },
            )
        }
        CalcCommand::Lending { file, json } => {
            let case: fengqiao_calc::LendingCase = serde_json::from_str(&read(&file)?)
                .with_context(|| format!("{} is not a valid lending case", file.display()))?;
            let table = fengqiao_calc::LprTable::builtin()?;
            let r = fengqiao_calc::compute_lending(&case, &table)?;
            (
                r.render_zh(),
                if json {
                    Some(serde_json::to_string_pretty(&r)?)
                } else {
                    None
                },
            )
        }
    };
    println!("{}", json.unwrap_or(text));
    Ok(())
}

fn calendar_command(cmd: CalendarCommand) -> anyhow::Result<()> {
    let cal = OfficialCalendar::embedded().context("loading the embedded official calendar")?;
    match cmd {
        CalendarCommand::Days { from, to, json } => {
            let lines = calendar::days_report(&cal, from, to)?;
            if json {
                print!("{}", calendar::render_days_json_lines(&lines)?);
            } else {
                for l in &lines {
                    println!(
                        "{} {} {:<16} {}",
                        l.date,
                        if l.working { "上班" } else { "休息" },
                        l.kind.code(),
                        l.holiday.as_deref().unwrap_or("")
                    );
                }
            }
        }
        CalendarCommand::Deadline {
            start,
            days,
            working,
            calendar: _,
            json,
        } => {
            let deadline = if working {
                calendar::deadline_working_days(&cal, start, days)?
            } else {
                calendar::deadline_calendar_days(&cal, start, days)?
            };
            if json {
                println!("{}", calendar::render_deadline_json(&deadline)?);
            } else {
                println!("期限届满日 due: {}", deadline.due);
                for line in &deadline.explanation {
                    println!("  {line}");
                }
            }
        }
    }
    Ok(())
}

/// Set by `demo`: run the demo IoT feed beside the server.
static DEMO_FEED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Starts the IoT hub (always: the watchlist and the webhook need it) and the listeners and MQTT
/// subscriber that are configured. A listener that cannot bind is logged and skipped, so the rest
/// of the platform still serves.
async fn start_iot(
    cfg: &Config,
    store: &Store,
    cipher: &FieldCipher,
) -> anyhow::Result<(fengqiao_iot::Hub, Vec<tokio::task::JoinHandle<()>>)> {
    let clock = SystemClock;
    let now: fengqiao_iot::Now = Arc::new(move || clock.now());
    // JT/T 808 auth codes are keyed by a secret derived from the server key: stable across
    // restarts, unguessable without the key.
    let secret = cipher.blind_index("fengqiao iot jt808 auth codes");
    store
        .ensure_iot_partitions(SystemClock.now(), 3)
        .await
        .context("creating the position partitions")?;
    let hub = fengqiao_iot::Hub::start(store.clone(), cfg.iot.clone(), now, secret)
        .await
        .context("starting the IoT hub")?;
    let mut tasks = Vec::new();
    for (protocol, addr) in [
        (fengqiao_proto::Protocol::Gt06, &cfg.iot.gt06_listen),
        (fengqiao_proto::Protocol::Jt808, &cfg.iot.jt808_listen),
    ] {
        if let Some(addr) = addr {
            match fengqiao_iot::tcp::listen(hub.clone(), protocol, addr).await {
                Ok((local, task)) => {
                    println!("物联感知 {} listening on {local}", protocol.as_str());
                    tasks.push(task);
                }
                Err(e) => {
                    tracing::warn!(error = %e, %addr, protocol = protocol.as_str(), "IoT listener not started")
                }
            }
        }
    }
    if let Some(url) = cfg.iot.mqtt_url.clone() {
        let hub = hub.clone();
        tasks.push(tokio::spawn(async move {
            if let Err(e) = fengqiao_iot::mqtt::run(hub, url).await {
                tracing::error!(error = %e, "MQTT subscriber stopped");
            }
        }));
    }
    // Changes made by other processes (CLI imports) reach the matcher within a minute; months
    // ahead are partitioned once a day.
    let refresher = hub.clone();
    let store = store.clone();
    tasks.push(tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        let mut n: u64 = 0;
        loop {
            tick.tick().await;
            n += 1;
            if let Err(e) = refresher.refresh_all().await {
                tracing::warn!(error = %e, "IoT refresh failed");
            }
            if n.is_multiple_of(24 * 60)
                && let Err(e) = store.ensure_iot_partitions(SystemClock.now(), 3).await
            {
                tracing::warn!(error = %e, "creating position partitions failed");
            }
        }
    }));
    if DEMO_FEED.load(std::sync::atomic::Ordering::Relaxed) {
        tasks.push(demo_iot::spawn_feed(hub.clone(), &demo_city::generate()));
    }
    Ok((hub, tasks))
}

async fn serve(cfg: &Config, args: ServeArgs) -> anyhow::Result<()> {
    let listen = args.listen.unwrap_or_else(|| cfg.listen.clone());
    let store = open_store(cfg).await?;
    let cipher = cipher(cfg)?;
    let (hub, iot_tasks) = start_iot(cfg, &store, &cipher).await?;
    let state =
        AppState::new(store.clone(), cipher, Arc::new(SystemClock), cfg.auth()).with_iot(hub);
    // Timers (escalations, follow-up visits) and the notice outbox run beside the server.
    let worker = fengqiao_http::worker::spawn(
        state.clone(),
        Arc::new(fengqiao_http::worker::LogSender),
        std::time::Duration::from_secs(5),
    );
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    tracing::info!(listen = %listen, backend = store.backend().name(), "fengqiao serving");
    println!(
        "枫桥 listening on http://{listen} ({})",
        store.backend().name()
    );
    axum::serve(listener, fengqiao_http::app(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    worker.abort();
    for task in iot_tasks {
        task.abort();
    }
    store.close().await;
    Ok(())
}
