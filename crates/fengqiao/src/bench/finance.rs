//! `fengqiao bench finance`: a generated bank-loan batch (default 10,000 cases) validated,
//! computed and drafted in process, timed per phase; prints JSON. Computation alone is the
//! claim plus the acceptance fee per case (fengqiao-calc); drafting adds the standard wording
//! and a docx per case (the 判决书 always; all three drafts with `--all-drafts`).

use anyhow::bail;
use chrono::NaiveDate;
use fengqiao_finance::drafts::{self, Court};
use serde::Serialize;
use std::time::Instant;

#[derive(Debug, Serialize)]
pub struct FinanceReport {
    pub benchmark: &'static str,
    pub cases: usize,
    pub threads: usize,
    /// Row-by-row validation of the sheet (parties, dates, amounts).
    pub validate_seconds: f64,
    pub validate_cases_per_sec: f64,
    /// Claim + acceptance fee per case, one thread.
    pub compute_seconds: f64,
    pub compute_cases_per_sec: f64,
    /// The same over `threads` threads.
    pub compute_parallel_cases_per_sec: f64,
    /// Computation, wording and docx drafts per case, over `threads` threads.
    pub drafts_per_case: usize,
    pub draft_seconds: f64,
    pub draft_cases_per_sec: f64,
    pub docx_bytes_total: u64,
    /// Sum of the claims, fen (a check that every case was computed).
    pub total_claimed_fen: i64,
}

fn chunks<T>(items: &[T], threads: usize) -> impl Iterator<Item = &[T]> {
    items.chunks(items.len().div_ceil(threads).max(1))
}

pub fn run(cases: usize, threads: usize, all_drafts: bool) -> anyhow::Result<FinanceReport> {
    if cases == 0 || threads == 0 {
        bail!("cases and threads must be positive");
    }
    let compute_to = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap_or_default();
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
    let rows = crate::finance_demo::rows(cases, 0, 7, compute_to);
    let sheet = crate::finance_demo::sheet(&rows);

    let started = Instant::now();
    let parsed = fengqiao_finance::parse_sheet(&sheet, today)
        .map_err(|e| anyhow::anyhow!("generated batch refused: {e}"))?;
    let validate_seconds = started.elapsed().as_secs_f64();
    if !parsed.errors.is_empty() || parsed.rows.len() != cases {
        bail!("generated batch has bad rows: {:?}", parsed.errors.first());
    }
    let batch: Vec<_> = parsed.rows.iter().map(|r| r.case.clone()).collect();

    let started = Instant::now();
    let mut total_claimed_fen = 0i64;
    for case in &batch {
        let computed = fengqiao_finance::compute(case, None)?;
        total_claimed_fen += computed.figures.total_fen;
    }
    let compute_seconds = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let parallel_total: i64 = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks(&batch, threads)
            .map(|part| {
                scope.spawn(move || -> anyhow::Result<i64> {
                    let mut sum = 0;
                    for case in part {
                        sum += fengqiao_finance::compute(case, None)?.figures.total_fen;
                    }
                    Ok(sum)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| anyhow::anyhow!("thread panicked"))?)
            .sum::<anyhow::Result<i64>>()
    })?;
    let compute_parallel_seconds = started.elapsed().as_secs_f64();
    if parallel_total != total_claimed_fen {
        bail!("parallel computation disagrees: {parallel_total} vs {total_claimed_fen}");
    }

    let templates = if all_drafts {
        drafts::default_templates()
    } else {
        vec![drafts::judgment()]
    };
    let court = Court {
        name: "临江市江城区人民法院",
        appeal: "临江市中级人民法院",
        judge: "孙立群",
    };
    let started = Instant::now();
    let bytes: u64 = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks(&batch, threads)
            .map(|part| {
                let templates = &templates;
                let court = &court;
                scope.spawn(move || -> anyhow::Result<u64> {
                    let mut bytes = 0u64;
                    for (i, case) in part.iter().enumerate() {
                        let (_, wording) = fengqiao_finance::word_case(case, None)?;
                        let context = drafts::context(
                            case,
                            &wording,
                            court,
                            &format!("（2026）临0102民初{}号", i + 1),
                            today,
                            today,
                        );
                        for template in templates {
                            bytes += fengqiao_docs::render_docx(template, &context)?.len() as u64;
                        }
                    }
                    Ok(bytes)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| anyhow::anyhow!("thread panicked"))?)
            .sum::<anyhow::Result<u64>>()
    })?;
    let draft_seconds = started.elapsed().as_secs_f64();

    Ok(FinanceReport {
        benchmark: "finance",
        cases,
        threads,
        validate_seconds,
        validate_cases_per_sec: cases as f64 / validate_seconds,
        compute_seconds,
        compute_cases_per_sec: cases as f64 / compute_seconds,
        compute_parallel_cases_per_sec: cases as f64 / compute_parallel_seconds,
        drafts_per_case: templates.len(),
        draft_seconds,
        draft_cases_per_sec: cases as f64 / draft_seconds,
        docx_bytes_total: bytes,
        total_claimed_fen,
    })
}
