//! The bank-loan batch template (批量金融借款案件导入模板): its columns, in order, with what each
//! holds. The console offers it for download as xlsx or csv; docs/CALC.md prints the same table.

use serde::Serialize;

/// One column of the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Stable key (field names in row errors and the API).
    pub key: &'static str,
    /// The header as written in the file.
    pub header: &'static str,
    pub required: bool,
    /// What the cell holds, in Chinese (shown in the template's notes sheet).
    pub note: &'static str,
    /// A filled-in example (the template's second row).
    pub example: &'static str,
}

const fn col(
    key: &'static str,
    header: &'static str,
    required: bool,
    note: &'static str,
    example: &'static str,
) -> Column {
    Column {
        key,
        header,
        required,
        note,
        example,
    }
}

/// The columns in template order. Headers are matched ignoring surrounding spaces; column order
/// in an uploaded file does not matter.
pub const COLUMNS: &[Column] = &[
    col(
        "reference",
        "序号",
        false,
        "银行内部编号，原样带入结果表",
        "1",
    ),
    col(
        "contract_no",
        "借款合同编号",
        true,
        "同一批次内不得重复",
        "JC2023-0001",
    ),
    col(
        "lender_name",
        "原告名称",
        true,
        "贷款银行（分行、支行）全称",
        "临江农商银行股份有限公司江城支行",
    ),
    col(
        "lender_credit_code",
        "原告统一社会信用代码",
        true,
        "18位，校验码须正确",
        "91339902MA2H0FQ96T",
    ),
    col(
        "lender_representative",
        "原告负责人",
        true,
        "法定代表人或负责人姓名",
        "陈立群",
    ),
    col(
        "lender_address",
        "原告住所地",
        true,
        "",
        "临江市江城区滨江路88号",
    ),
    col("borrower_name", "被告姓名", true, "借款人姓名", "张伟"),
    col(
        "borrower_id",
        "被告公民身份号码",
        true,
        "18位，出生日期与校验码须正确；文书中只显示遮盖后的号码",
        "339902198503150012",
    ),
    col(
        "borrower_address",
        "被告住址",
        true,
        "",
        "临江市江城区鼓楼街道解放路12号",
    ),
    col(
        "borrower_phone",
        "被告手机号码",
        false,
        "11位手机号码",
        "13800001234",
    ),
    col(
        "principal",
        "借款本金",
        true,
        "实际出借本金，单位元，最多两位小数",
        "100000.00",
    ),
    col("start", "放款日", true, "日期，如 2023-07-01", "2023-07-01"),
    col(
        "maturity",
        "到期日",
        true,
        "合同约定的最后一日，不早于放款日",
        "2024-06-30",
    ),
    col(
        "annual_rate",
        "合同年利率(%)",
        true,
        "如 6 表示年利率6%",
        "6",
    ),
    col(
        "penalty_rate",
        "罚息年利率(%)",
        true,
        "逾期罚息年利率，应为合同利率上浮30%至50%",
        "9",
    ),
    col(
        "schedule",
        "还款方式",
        true,
        "到期一次性还本付息 / 按月付息、到期还本 / 等额本金 / 等额本息",
        "到期一次性还本付息",
    ),
    col(
        "day_basis",
        "计息天数基数",
        false,
        "360 或 365，默认 360",
        "360",
    ),
    col(
        "accelerated_on",
        "宣布提前到期日",
        false,
        "银行宣布贷款提前到期的日期",
        "",
    ),
    col(
        "repayments",
        "已还款",
        false,
        "日期:金额，多笔以分号分隔，如 2024-01-20:1000;2024-02-20:1000",
        "",
    ),
    col(
        "lawyer_fee",
        "律师费",
        false,
        "合同约定由借款人承担的实现债权费用，单位元",
        "",
    ),
    col(
        "compute_to",
        "计算截止日",
        true,
        "利息、罚息、复利暂计至该日",
        "2024-12-31",
    ),
    col(
        "claim_compound",
        "主张复利",
        false,
        "是 / 否，默认 是",
        "是",
    ),
    col(
        "procedure",
        "审理程序",
        false,
        "简易程序 / 普通程序，默认 简易程序（受理费减半）",
        "简易程序",
    ),
];

/// The column with `key`.
pub fn column(key: &str) -> Option<&'static Column> {
    COLUMNS.iter().find(|c| c.key == key)
}

/// The header of the column with `key` (for messages), or the key itself.
pub fn header_of(key: &str) -> &str {
    column(key).map_or(key, |c| c.header)
}
