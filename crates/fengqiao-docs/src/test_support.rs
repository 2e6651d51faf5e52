//! Test helpers: the installed fonts (or a clear skip/fail), and a context with many parties.

use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::defaults::sample_context;
use crate::fonts::FontSet;

/// The discovered fonts, loaded once per test binary. Without them the PDF tests fail under
/// `CI=true` with the discovery error (the CI machine must run scripts/install-system-deps.sh)
/// and are skipped with a printed notice elsewhere.
pub(crate) fn fonts_or_skip(test: &str) -> Option<&'static FontSet> {
    static FONTS: OnceLock<Result<FontSet, String>> = OnceLock::new();
    match FONTS.get_or_init(|| FontSet::discover().map_err(|error| error.to_string())) {
        Ok(fonts) => Some(fonts),
        Err(message) if std::env::var("CI").is_ok_and(|value| value == "true") => {
            panic!("{test}: {message}")
        }
        Err(message) => {
            eprintln!("SKIPPED {test}: {message}");
            None
        }
    }
}

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
];
const GIVEN: [&str; 10] = [
    "建国", "秀英", "志强", "桂兰", "海涛", "丽华", "文斌", "春梅", "国平", "晓燕",
];

/// The sample context with `count` applicants (a group wage claim like the Chun'an case).
pub(crate) fn context_with_applicants(count: usize) -> Value {
    let mut context = sample_context();
    let applicants: Vec<Value> = (0..count)
        .map(|n| {
            let name = format!(
                "{}{}",
                SURNAMES.get(n % SURNAMES.len()).copied().unwrap_or("王"),
                GIVEN.get(n / SURNAMES.len() % GIVEN.len()).copied().unwrap_or("某")
            );
            json!({
                "name": name, "gender": if n % 2 == 0 { "男" } else { "女" },
                "birth_date": format!("19{}年{}月{}日", 70 + n % 25, 1 + n % 12, 1 + n % 28),
                "address": format!("浙江省淳安县千岛湖镇新安东路{}号", 10 + n),
                "id_number": format!("330127********{:04}", 1000 + n), "phone": format!("13{}****{:04}", n % 10, 2000 + n),
                "legal_representative": null, "credit_code": null
            })
        })
        .collect();
    context["applicants"] = Value::Array(applicants);
    context
}
