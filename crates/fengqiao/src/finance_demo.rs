//! The demo's bank-loan batch (金融智审): a deterministic spreadsheet of generated 金融借款 cases
//! in the documented template, imported through the same path as an upload — and the same
//! generator feeds `fengqiao bench finance`.

use anyhow::Context;
use chrono::{Datelike, Months, NaiveDate};
use fengqiao_domain::time::Timestamp;
use fengqiao_finance::columns::COLUMNS;
use fengqiao_finance::sheet::{Cell, Sheet, SheetRow};
use fengqiao_store::finance::NewBatch;
use fengqiao_store::{AuditCtx, FieldCipher, Scope, Store};

/// Cases in the demo batch, and rows the demo bank got wrong (shown in the row report).
pub const DEMO_CASES: usize = 200;
pub const DEMO_BAD_ROWS: usize = 3;

/// SplitMix64: small, fast and the same on every machine (the demo must be reproducible).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// In `low..high`.
    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low).max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "郑", "梁", "谢", "宋",
];
const GIVEN: [&str; 32] = [
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "军", "杰", "建华", "秀英", "志强", "丽娟",
    "海燕", "晓东", "国庆", "文静", "春梅", "建国", "玉兰", "明亮", "红霞", "志明", "小龙", "雪梅",
    "永刚", "淑珍", "立新", "桂英", "德胜", "晓燕",
];
const STREETS: [&str; 8] = [
    "解放路",
    "滨江路",
    "鼓楼巷",
    "望江东路",
    "清波街",
    "湖滨路",
    "中山北路",
    "江城大道",
];

/// Demo lenders: name, organisation code (8 characters before its check), responsible person.
const LENDERS: [(&str, &str, &str, &str); 3] = [
    (
        "临江农商银行股份有限公司江城支行",
        "MA2H0FQ9",
        "陈立群",
        "临江市江城区滨江路88号",
    ),
    (
        "临江银行股份有限公司江城支行",
        "MA27Y5QX",
        "周建平",
        "临江市江城区中山北路210号",
    ),
    (
        "华夏示范银行股份有限公司临江分行",
        "MA5UKN3B",
        "刘晓梅",
        "临江市江城区江城大道1号",
    ),
];

/// The 18th character of a resident ID (GB 11643).
fn resident_check(first17: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

/// A unified social credit code (GB 32100) for `region` and an 8-character organisation code.
fn credit_code(region: &str, org8: &str) -> String {
    const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let value = |c: char| c.to_digit(10).unwrap_or_else(|| c as u32 - 55);
    let org_sum: u32 = org8
        .chars()
        .zip(ORG_WEIGHTS)
        .map(|(c, w)| value(c) * w)
        .sum();
    let org_check = match 11 - org_sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).unwrap_or('0'),
    };
    let body = format!("91{region}{org8}{org_check}");
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| ALPHABET.iter().position(|a| *a == b).unwrap_or(0) as u32 * w)
        .sum();
    let check = (31 - sum % 31) % 31;
    format!("{body}{}", ALPHABET[check as usize] as char)
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `n` generated cases (plus `bad` rows with one mistake each) in template column order, all
/// computed to `compute_to`. Deterministic for a given seed.
pub fn rows(n: usize, bad: usize, seed: u64, compute_to: NaiveDate) -> Vec<Vec<String>> {
    let mut rng = Rng(seed);
    let mut out = Vec::with_capacity(n + bad);
    let earliest = compute_to
        .checked_sub_months(Months::new(42))
        .unwrap_or(compute_to);
    for i in 0..n + bad {
        let (lender, org8, head, address) = *rng.pick(&LENDERS);
        let name = format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN));
        let birth = NaiveDate::from_ymd_opt(
            rng.range(1962, 2000) as i32,
            rng.range(1, 13) as u32,
            rng.range(1, 29) as u32,
        )
        .unwrap_or(earliest);
        let id17 = format!("339902{}{:03}", birth.format("%Y%m%d"), rng.range(1, 999));
        let id = format!("{id17}{}", resident_check(&id17));
        let principal = rng.range(20, 501) * 1000;
        let rate = *rng.pick(&["4.35", "4.8", "5.5", "6", "7.2", "8"]);
        let penalty = match rate {
            "4.35" => "6.525",
            "4.8" => "7.2",
            "5.5" => "8.25",
            "6" => "9",
            "7.2" => "10.8",
            _ => "12",
        };
        let months = *rng.pick(&[12u32, 24, 36]);
        let start = earliest
            .checked_add_days(chrono::Days::new(rng.range(0, 540)))
            .unwrap_or(earliest);
        let maturity = start
            .checked_add_months(Months::new(months))
            .and_then(|d| d.pred_opt())
            .unwrap_or(start);
        let schedule = *rng.pick(&[
            "到期一次性还本付息",
            "按月付息、到期还本",
            "等额本息",
            "等额本金",
        ]);
        // A loan not yet due by the compute-to date was called in after missed payments.
        let accelerated = (maturity > compute_to).then(|| {
            let after = rng.range(4, u64::from(months.min(18)));
            start
                .checked_add_months(Months::new(after as u32))
                .unwrap_or(start)
                .min(compute_to)
        });
        let repayments = if rng.range(0, 3) == 0 {
            let day = start
                .checked_add_days(chrono::Days::new(rng.range(30, 120)))
                .unwrap_or(start)
                .min(compute_to);
            format!(
                "{}:{}",
                date(day),
                rng.range(1, (principal / 20_000).max(2)) * 500
            )
        } else {
            String::new()
        };
        let lawyer_fee = if rng.range(0, 4) == 0 {
            (rng.range(2, 9) * 1000).to_string()
        } else {
            String::new()
        };
        let phone = format!("1{}{:09}", rng.range(3, 10), rng.range(0, 1_000_000_000));
        let mut row: Vec<String> = COLUMNS
            .iter()
            .map(|c| match c.key {
                "reference" => (i + 1).to_string(),
                "contract_no" => format!("LJ{}-{:05}", start.year(), i + 1),
                "lender_name" => lender.to_owned(),
                "lender_credit_code" => credit_code("339902", org8),
                "lender_representative" => head.to_owned(),
                "lender_address" => address.to_owned(),
                "borrower_name" => name.clone(),
                "borrower_id" => id.clone(),
                "borrower_address" => {
                    format!("临江市江城区{}{}号", rng.pick(&STREETS), rng.range(1, 300))
                }
                "borrower_phone" => phone.clone(),
                "principal" => format!("{principal}.00"),
                "start" => date(start),
                "maturity" => date(maturity),
                "annual_rate" => rate.to_owned(),
                "penalty_rate" => penalty.to_owned(),
                "schedule" => schedule.to_owned(),
                "day_basis" => "360".to_owned(),
                "accelerated_on" => accelerated.map(date).unwrap_or_default(),
                "repayments" => repayments.clone(),
                "lawyer_fee" => lawyer_fee.clone(),
                "compute_to" => date(compute_to),
                "claim_compound" => "是".to_owned(),
                "procedure" => "简易程序".to_owned(),
                _ => String::new(),
            })
            .collect();
        if i >= n {
            // The mistakes banks really make: a mistyped ID, a missing amount, a date typo.
            let (key, value) = match i - n {
                0 => (
                    "borrower_id",
                    format!("{id17}{}", if id.ends_with('0') { '1' } else { '0' }),
                ),
                1 => ("principal", String::new()),
                _ => ("start", format!("{}-02-30", start.year())),
            };
            if let Some(at) = COLUMNS.iter().position(|c| c.key == key) {
                row[at] = value;
            }
        }
        out.push(row);
    }
    out
}

/// The rows as a sheet (what reading the bank's file yields), for the benchmark.
pub fn sheet(rows: &[Vec<String>]) -> Sheet {
    Sheet {
        headers: COLUMNS.iter().map(|c| c.header.to_owned()).collect(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, row)| SheetRow {
                line: i + 2,
                cells: row
                    .iter()
                    .map(|v| {
                        if v.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(v.clone())
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The rows as the bank's xlsx file.
pub fn xlsx(rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("案件")?;
    for (col, column) in COLUMNS.iter().enumerate() {
        sheet.write_string(0, col as u16, column.header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, value) in row.iter().enumerate() {
            if !value.is_empty() {
                sheet.write_string(r as u32 + 1, col as u16, value)?;
            }
        }
    }
    Ok(book.save_to_buffer()?)
}

/// Imports the demo batch for the court `org_id` through the upload path (xlsx → validation →
/// computation → one stored batch), as the system.
pub async fn seed_batch(
    store: &Store,
    cipher: &FieldCipher,
    at: Timestamp,
    org_id: &str,
) -> anyhow::Result<usize> {
    let today = at.china_date();
    // Interest to the end of last month, as a bank's filing does.
    let compute_to = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(today);
    let bytes = xlsx(&rows(DEMO_CASES, DEMO_BAD_ROWS, 20_260_101, compute_to))?;
    let parsed = fengqiao_finance::parse_upload("临江农商银行批量起诉.xlsx", &bytes, today)
        .map_err(|e| anyhow::anyhow!("demo batch: {e}"))?;
    let (prepared, errors, total) = fengqiao_finance::prepare(parsed);
    let mut n = 0u64;
    let cases = fengqiao_http::routes::finance::to_new_cases(&prepared, || {
        n += 1;
        crate::seed::demo_id(&format!("finance-case:{n}"))
    })
    .map_err(|e| anyhow::anyhow!("demo batch: {e}"))?;
    let org = store.get_org(&Scope::Everything, org_id).await?;
    let city = org
        .region_path
        .trim_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let appeal = match store.get_region(&Scope::Everything, &city).await {
        Ok(region) => format!("{}中级人民法院", region.name),
        Err(_) => "上一级人民法院".to_owned(),
    };
    store
        .create_finance_batch(
            &AuditCtx::system(at),
            cipher,
            &NewBatch {
                id: &crate::seed::demo_id("finance-batch:1"),
                name: "临江农商银行等 金融借款批量起诉（演示）",
                filename: "临江农商银行批量起诉.xlsx",
                org_id,
                court_name: &org.name,
                appeal_court: &appeal,
                total_rows: total as i64,
                errors_json: &serde_json::to_string(&errors)?,
            },
            &cases,
        )
        .await
        .context("storing the demo batch")?;
    Ok(cases.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_rows_import_except_the_deliberate_mistakes() {
        let compute_to = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        let rows = rows(DEMO_CASES, DEMO_BAD_ROWS, 20_260_101, compute_to);
        assert_eq!(rows.len(), 203);
        let bytes = xlsx(&rows).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let parsed = fengqiao_finance::parse_upload("demo.xlsx", &bytes, today).unwrap();
        let (prepared, errors, total) = fengqiao_finance::prepare(parsed);
        assert_eq!(total, 203);
        assert_eq!(prepared.len(), DEMO_CASES, "{errors:?}");
        let columns: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(columns, vec!["borrower_id", "principal", "start"]);
        assert_eq!(
            errors.iter().map(|e| e.row).collect::<Vec<_>>(),
            vec![202, 203, 204]
        );
        // Every schedule kind appears, and the sheet path reads the same cases.
        let kinds: std::collections::BTreeSet<_> = prepared
            .iter()
            .map(|r| r.parsed.case.loan.schedule.zh())
            .collect();
        assert_eq!(kinds.len(), 4);
        let from_sheet = fengqiao_finance::parse_sheet(&sheet(&rows), today).unwrap();
        assert_eq!(from_sheet.rows.len(), DEMO_CASES);
        // Deterministic.
        assert_eq!(
            rows,
            super::rows(DEMO_CASES, DEMO_BAD_ROWS, 20_260_101, compute_to)
        );
    }

    #[test]
    fn generated_identifiers_pass_the_domain_validators() {
        assert_eq!(credit_code("339902", "MA2H0FQ9"), "91339902MA2H0FQ96T");
        assert_eq!(resident_check("33990219850315001"), '2');
        for (_, org8, _, _) in LENDERS {
            fengqiao_domain::identifiers::CreditCode::parse(&credit_code("339902", org8)).unwrap();
        }
    }
}
