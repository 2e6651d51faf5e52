//! One bank-loan case of a batch as stored (parties masked), the judge's adjustment, and its
//! computation: the claim by fengqiao-calc and the acceptance fee on the amount claimed.

use chrono::NaiveDate;
use fengqiao_calc::fee::{FeeAmount, FeeResult, Procedure};
use fengqiao_calc::loan::{Cost, CostKind};
use fengqiao_calc::{CalcError, LoanCase, LoanClaim, Yuan, compute_loan, property_acceptance_fee};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The plaintiff bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Lender {
    pub name: String,
    pub credit_code: String,
    pub representative: String,
    pub address: String,
}

/// The defendant borrower, as documents may show them: the ID number masked, sex and birth
/// date read from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Borrower {
    pub name: String,
    pub id_masked: String,
    /// 男 / 女
    pub sex: String,
    pub birth_date: NaiveDate,
    pub address: String,
    pub phone_masked: Option<String>,
}

/// One case of a batch: the parties, the loan as the calculator takes it, the procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BatchCase {
    pub reference: Option<String>,
    pub contract_no: String,
    pub lender: Lender,
    pub borrower: Borrower,
    #[schema(value_type = Object)]
    pub loan: LoanCase,
    /// 简易程序 (the acceptance fee is halved) rather than 普通程序.
    pub simple_procedure: bool,
}

/// What a judge may change before accepting the figures; the case is recomputed, so every
/// figure keeps its explanation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    /// The borrower raised the 24% cap at the hearing (法发〔2017〕22号 art. 2).
    #[serde(default)]
    pub borrower_raises_cap: Option<bool>,
    /// Whether compound interest is allowed at all.
    #[serde(default)]
    pub claim_compound: Option<bool>,
    /// A different 暂计至 date.
    #[serde(default)]
    pub compute_to: Option<NaiveDate>,
    /// A different penalty rate, percent a year (e.g. the court lowers an excessive one).
    #[serde(default, with = "rust_decimal::serde::str_option")]
    #[schema(value_type = Option<String>)]
    pub penalty_rate_percent: Option<Decimal>,
    /// A different lawyer's fee (0 to disallow it).
    #[serde(default, with = "rust_decimal::serde::str_option")]
    #[schema(value_type = Option<String>)]
    pub lawyer_fee: Option<Decimal>,
}

impl Adjustment {
    pub fn is_empty(&self) -> bool {
        self == &Adjustment::default()
    }

    /// The loan with the adjustment applied.
    pub fn apply(&self, loan: &LoanCase) -> LoanCase {
        let mut loan = loan.clone();
        if let Some(cap) = self.borrower_raises_cap {
            loan.borrower_raises_cap = cap;
        }
        if let Some(compound) = self.claim_compound {
            loan.claim_compound = compound;
        }
        if let Some(date) = self.compute_to {
            loan.compute_to = date;
        }
        if let Some(rate) = self.penalty_rate_percent {
            loan.penalty_rate_percent = Some(rate);
            loan.penalty_uplift_percent = None;
        }
        if let Some(fee) = self.lawyer_fee {
            loan.costs.retain(|c| c.kind != CostKind::LawyerFee);
            if fee > Decimal::ZERO {
                loan.costs.push(Cost {
                    kind: CostKind::LawyerFee,
                    date: None,
                    amount: fee,
                });
            }
        }
        loan
    }
}

/// The money figures of a case, in fen, as the batch list and the export show them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Figures {
    pub principal_fen: i64,
    pub interest_fen: i64,
    pub penalty_fen: i64,
    pub compound_fen: i64,
    pub costs_fen: i64,
    /// principal + interest + penalty + compound + costs: the amount claimed.
    pub total_fen: i64,
    /// The acceptance fee before halving.
    pub fee_full_fen: i64,
    /// The acceptance fee as charged (halved once for simple procedure).
    pub fee_fen: i64,
}

/// A case computed: the claim, the fee and the figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    pub loan: LoanCase,
    pub claim: LoanClaim,
    pub fee: FeeResult,
    pub figures: Figures,
}

/// Fen of a computed amount (always whole cents).
pub fn fen(yuan: Yuan) -> i64 {
    let value = yuan.value();
    // A `Yuan` keeps exactly two decimals, so its mantissa is the fen; the general product
    // is only the fallback.
    if value.scale() == 2 {
        return i64::try_from(value.mantissa()).unwrap_or(i64::MAX);
    }
    let cents = value * Decimal::ONE_HUNDRED;
    i64::try_from(cents.trunc()).unwrap_or(i64::MAX)
}

fn fee_fen(fee: FeeAmount) -> i64 {
    fee.exact().map_or(0, fen)
}

/// Computes one case (with the judge's adjustment, if any).
pub fn compute(case: &BatchCase, adjustment: Option<&Adjustment>) -> Result<Computed, CalcError> {
    let loan = match adjustment {
        Some(a) => a.apply(&case.loan),
        None => case.loan.clone(),
    };
    let claim = compute_loan(&loan)?;
    let procedures: &[Procedure] = if case.simple_procedure {
        &[Procedure::Simple]
    } else {
        &[]
    };
    let fee = property_acceptance_fee(claim.total.value(), procedures)?;
    let figures = Figures {
        principal_fen: fen(claim.principal),
        interest_fen: fen(claim.interest),
        penalty_fen: fen(claim.penalty),
        compound_fen: fen(claim.compound),
        costs_fen: fen(claim.costs),
        total_fen: fen(claim.total),
        fee_full_fen: fee_fen(fee.before_halving()),
        fee_fen: fee_fen(fee.fee),
    };
    Ok(Computed {
        loan,
        claim,
        fee,
        figures,
    })
}

/// The acceptance fee when the case ends by mediation (halved once, even under simple
/// procedure: 诉讼费用交纳办法 arts. 15–16).
pub fn mediation_fee(total: Yuan) -> Result<FeeResult, CalcError> {
    property_acceptance_fee(total.value(), &[Procedure::Simple, Procedure::Mediated])
}

/// The column a calculator complaint belongs to, for the row report.
pub fn column_of_calc_field(field: &str) -> &'static str {
    match field {
        "principal" => "principal",
        "start" => "start",
        "maturity" => "maturity",
        "annual_rate_percent" => "annual_rate",
        "penalty_rate_percent" | "penalty_uplift_percent" => "penalty_rate",
        "accelerated_on" => "accelerated_on",
        "repayments" => "repayments",
        "costs" => "lawyer_fee",
        "compute_to" => "compute_to",
        "day_basis" => "day_basis",
        "schedule" => "schedule",
        _ => "row",
    }
}

/// The field a calculator error names.
pub fn calc_error_field(error: &CalcError) -> &'static str {
    match error {
        CalcError::Invalid { field, .. }
        | CalcError::InvalidEntry { field, .. }
        | CalcError::Unsupported { field, .. }
        | CalcError::Lpr { field, .. } => field,
    }
}
