//! The batch path end to end on hand-made rows: validation reports, the DOMAIN §8 worked example
//! through a csv row, the judgment wording and the three drafts.

use chrono::NaiveDate;
use fengqiao_docs::render;

use crate::columns::COLUMNS;
use crate::drafts::{self, Court};
use crate::sheet::read_csv;
use crate::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2025, 3, 1)
}

/// A csv with the template header and the given rows (each a full list of cells).
fn csv(rows: &[Vec<String>]) -> String {
    let mut out = COLUMNS
        .iter()
        .map(|c| c.header)
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for row in rows {
        out.push_str(
            &row.iter()
                .map(|c| crate::sheet::csv_field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

/// The template's example row with some cells replaced.
fn example(changes: &[(&str, &str)]) -> Vec<String> {
    COLUMNS
        .iter()
        .map(|c| {
            changes
                .iter()
                .find(|(k, _)| *k == c.key)
                .map_or(c.example, |(_, v)| *v)
                .to_owned()
        })
        .collect()
}

#[test]
fn the_template_example_row_is_valid_and_is_the_domain_worked_example() {
    let parsed = parse_sheet(&read_csv(&csv(&[example(&[])])), today()).unwrap();
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let (rows, errors, total) = prepare(parsed);
    assert!(errors.is_empty());
    assert_eq!(total, 1);
    let figures = rows[0].computed.figures;
    // DOMAIN §8: interest 6,100.00, penalty 4,600.00, compound 280.60, total 110,980.60.
    assert_eq!(figures.principal_fen, 10_000_000);
    assert_eq!(figures.interest_fen, 610_000);
    assert_eq!(figures.penalty_fen, 460_000);
    assert_eq!(figures.compound_fen, 28_060);
    assert_eq!(figures.total_fen, 11_098_060);
    // Fee on 110,980.60: 50 + (100,000 − 10,000) × 2.5% + 10,980.60 × 2% = 50 + 2,250 + 219.612
    // = 2,519.612 → 2,519.61; simple procedure halves it once: 1,259.806 → 1,259.81.
    assert_eq!(figures.fee_full_fen, 251_961);
    assert_eq!(figures.fee_fen, 125_981);
    let row = &rows[0].parsed;
    assert_eq!(row.row, 2);
    assert_eq!(row.case.borrower.sex, "男");
    assert!(!row.case.borrower.id_masked.contains("19850315"));
}

#[test]
fn bad_cells_are_reported_by_row_column_and_reason_and_good_rows_kept() {
    let rows = vec![
        example(&[("contract_no", "A-1")]),
        example(&[
            ("contract_no", "A-2"),
            ("borrower_id", "339902198503150013"),
            ("principal", "abc"),
        ]),
        example(&[("contract_no", "A-1")]),
        example(&[
            ("contract_no", "A-4"),
            ("start", "2023-13-01"),
            ("lender_credit_code", "91339902MA2H0FQ91X"),
        ]),
        example(&[("contract_no", "A-5"), ("repayments", "2025-01-20:100")]),
        example(&[
            ("contract_no", "A-6"),
            ("schedule", "随便还"),
            ("compute_to", ""),
        ]),
    ];
    let parsed = parse_sheet(&read_csv(&csv(&rows)), today()).unwrap();
    assert_eq!(parsed.total_rows, 6);
    let (good, errors, _) = prepare(parsed);
    assert_eq!(
        good.iter().map(|r| r.parsed.row).collect::<Vec<_>>(),
        vec![2]
    );
    let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (3, "borrower_id"),
            (3, "principal"),
            (4, "contract_no"),
            (5, "lender_credit_code"),
            (5, "start"),
            (6, "repayments"),
            (7, "schedule"),
            (7, "compute_to"),
        ]
    );
    assert!(errors[0].reason.contains("校验码"));
    assert_eq!(errors[0].header, "被告公民身份号码");
    assert!(errors[2].reason.contains("重复"));
    assert!(
        errors[5].reason.contains("无法计算"),
        "{}",
        errors[5].reason
    );
    assert_eq!(errors[7].reason, "必填，不能为空");
}

#[test]
fn a_missing_required_column_refuses_the_file() {
    let text = "借款合同编号,原告名称\nX,Y\n";
    match parse_sheet(&read_csv(text), today()) {
        Err(BatchError::MissingColumns(missing)) => {
            assert!(missing.contains(&"借款本金".to_owned()));
            assert!(!missing.contains(&"原告名称".to_owned()));
        }
        other => panic!("expected missing columns, got {other:?}"),
    }
}

#[test]
fn judgment_items_use_the_standard_wording() {
    let parsed = parse_sheet(
        &read_csv(&csv(&[example(&[("lawyer_fee", "3000")])])),
        today(),
    )
    .unwrap();
    let case = &parsed.rows[0].case;
    let (computed, text) = word_case(case, None).unwrap();
    assert_eq!(computed.figures.costs_fen, 300_000);
    assert_eq!(
        text.judgment_items[0],
        "被告张伟于本判决发生法律效力之日起十日内归还原告临江农商银行股份有限公司江城支行借款本金100,000.00元；"
    );
    assert_eq!(
        text.judgment_items[1],
        "被告张伟于本判决发生法律效力之日起十日内支付原告临江农商银行股份有限公司江城支行利息、罚息、复利\
         （暂计至2024年12月31日，利息6,100.00元、罚息4,600.00元、复利280.60元，合计10,980.60元；\
         自2025年1月1日起，以逾期本金100,000.00元为基数，按年利率9%计收罚息，至实际清偿之日止；\
         自2025年1月1日起，以欠付利息6,100.00元为基数，按年利率9%计收复利，至实际清偿之日止）；"
    );
    assert_eq!(
        text.judgment_items[2],
        "被告张伟于本判决发生法律效力之日起十日内支付原告临江农商银行股份有限公司江城支行律师费3,000.00元。"
    );
    assert!(text.late_performance.contains("第二百六十四条"));
    assert!(
        text.late_performance
            .contains("加倍支付迟延履行期间的债务利息")
    );
    // 113,980.60: 50 + 2,250 + 13,980.60 × 2% = 2,579.612 → 2,579.61; halved 1,289.81.
    assert_eq!(
        text.judgment_costs,
        "案件受理费2,579.61元，减半收取计1,289.81元，由被告张伟负担。"
    );
    // Mediation halves once even under simple procedure.
    assert_eq!(
        text.mediation_costs,
        "案件受理费2,579.61元，调解结案减半收取计1,289.81元，由被告张伟负担。"
    );
    assert_eq!(text.claims.last().unwrap(), "本案诉讼费用由被告承担。");
}

#[test]
fn an_adjustment_recomputes_with_the_cap() {
    let parsed = parse_sheet(
        &read_csv(&csv(&[example(&[
            ("penalty_rate", "18"),
            ("annual_rate", "12"),
        ])])),
        today(),
    )
    .unwrap();
    let case = &parsed.rows[0].case;
    let plain = compute(case, None).unwrap();
    let capped = compute(
        case,
        Some(&Adjustment {
            borrower_raises_cap: Some(true),
            ..Adjustment::default()
        }),
    )
    .unwrap();
    assert!(capped.claim.cap.is_some());
    assert!(capped.figures.total_fen <= plain.figures.total_fen);
    let interest_total =
        capped.figures.interest_fen + capped.figures.penalty_fen + capped.figures.compound_fen;
    // 24% a year on 100,000 over 2023-07-01..=2024-12-31 (550 days, 360 basis) = 36,666.67.
    assert!(interest_total <= 3_666_667, "{interest_total}");
}

#[test]
fn the_three_drafts_render_with_the_case() {
    let parsed = parse_sheet(&read_csv(&csv(&[example(&[])])), today()).unwrap();
    let case = &parsed.rows[0].case;
    let (_, text) = word_case(case, None).unwrap();
    let court = Court {
        name: "临江市江城区人民法院",
        appeal: "临江市中级人民法院",
        judge: "林静",
    };
    let context = drafts::context(
        case,
        &text,
        &court,
        "（2025）临0102民初1号",
        d(2025, 1, 6),
        d(2025, 2, 10),
    );
    for template in drafts::default_templates() {
        template.check().unwrap();
        let doc = render(&template, &context).unwrap();
        let plain = doc.plain_text();
        assert!(
            plain.contains("临江农商银行股份有限公司江城支行"),
            "{}",
            template.key
        );
        assert!(
            plain.contains("339902********0012") || plain.contains("3399"),
            "{plain}"
        );
    }
    let judgment = render(&drafts::judgment(), &context).unwrap().plain_text();
    for expected in [
        "临江市江城区人民法院",
        "民事判决书",
        "（2025）临0102民初1号",
        "一、被告张伟于本判决发生法律效力之日起十日内归还原告",
        "二、被告张伟",
        "暂计至2024年12月31日",
        "第二百六十四条",
        "案件受理费2,519.61元，减半收取计1,259.81元，由被告张伟负担。",
        "上诉于临江市中级人民法院",
        "审判员　林静",
        "2025年2月10日",
    ] {
        assert!(
            judgment.contains(expected),
            "missing {expected}\n{judgment}"
        );
    }
    let docx = fengqiao_docs::render_docx(&drafts::judgment(), &context).unwrap();
    assert!(docx.starts_with(b"PK"));
}

#[test]
fn the_downloadable_templates_read_back_as_the_columns() {
    let xlsx = workbook::template_xlsx().unwrap();
    let parsed = parse_upload("模板.xlsx", &xlsx, today()).unwrap();
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert_eq!(parsed.rows.len(), 1);
    let csv = workbook::template_csv();
    let parsed = parse_upload("模板.csv", csv.as_bytes(), today()).unwrap();
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert_eq!(parsed.rows[0].case.contract_no, "JC2023-0001");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Cell values a clerk might type, good and bad.
    fn cell_value() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("abc".to_owned()),
            Just("-5".to_owned()),
            Just("2024-02-30".to_owned()),
            Just("12.345".to_owned()),
            "[0-9]{1,7}(\\.[0-9]{1,2})?",
            "20[12][0-9]-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])",
            "\\PC{0,8}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever the cells hold, every row ends up either imported or reported — never both,
        /// never neither — and an imported row's figures add up to its claim.
        #[test]
        fn every_row_is_imported_or_reported(
            edits in proptest::collection::vec((0usize..COLUMNS.len(), cell_value()), 0..6),
            rows in 1usize..5,
        ) {
            let mut all = Vec::new();
            for r in 0..rows {
                let contract = format!("P-{r}");
                let mut row = example(&[("contract_no", contract.as_str())]);
                for (col, value) in edits.iter().filter(|(c, _)| (c + r) % 2 == 0) {
                    if COLUMNS[*col].key != "contract_no" {
                        row[*col] = value.clone();
                    }
                }
                all.push(row);
            }
            let parsed = parse_sheet(&read_csv(&csv(&all)), today()).unwrap();
            let (good, errors, total) = prepare(parsed);
            prop_assert_eq!(total, rows);
            for line in 2..rows + 2 {
                let imported = good.iter().any(|g| g.parsed.row == line);
                let reported = errors.iter().any(|e| e.row == line);
                prop_assert!(imported != reported, "line {} imported={} reported={}", line, imported, reported);
            }
            for g in &good {
                let f = g.computed.figures;
                prop_assert_eq!(
                    f.total_fen,
                    f.principal_fen + f.interest_fen + f.penalty_fen + f.compound_fen + f.costs_fen
                );
                prop_assert!(f.fee_fen <= f.fee_full_fen);
            }
        }
    }
}
