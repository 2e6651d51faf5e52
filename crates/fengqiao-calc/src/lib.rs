//! Fengqiao's legal calculators for the financial trial assistant (金融智审): exact decimal
//! arithmetic, no floats, no I/O, no clock. Every result carries an itemised explanation as
//! structured data ([`explain::ExplainItem`]) that renders to Chinese judgment text on demand.
//!
//! Money is rounded half-up to 0.01 yuan once per case, at the end; day basis (360/365) and
//! whether the first and last day of a period accrue are inputs ([`daycount`]).
//!
//! Legal sources, by module:
//!
//! * [`loan`] — 《民法典》第五百六十一条 (costs → interest → principal), 第六百七十条 (principal
//!   actually lent); 中国人民银行《人民币利率管理规定》(银发〔1999〕77号) 第二十条、第二十一条
//!   (compound interest at the contract rate in term, the penalty rate after default);
//!   《关于人民币贷款利率有关问题的通知》(银发〔2003〕251号) 第三条 (penalty rate +30%–50%);
//!   最高人民法院《关于进一步加强金融审判工作的若干意见》(法发〔2017〕22号) 第二条 (24% total).
//! * [`lending`] — 《民法典》第六百七十九条、第六百八十条; 最高人民法院《关于审理民间借贷案件
//!   适用法律若干问题的规定》(法释〔2020〕17号) 第二十四条、第二十五条、第二十八条、第二十九条、
//!   第三十一条, and for interest before 2020-08-20 its 2015 version (法释〔2015〕18号) 第二十六条、
//!   第二十九条、第三十条.
//! * [`lpr`] — 中国人民银行公告〔2019〕第15号 (the reformed LPR from 2019-08-20, published on the
//!   20th of each month).
//! * [`fee`] — 《诉讼费用交纳办法》(国务院令第481号) 第十三条 (acceptance fee bands, non-property,
//!   labour and administrative cases), 第十四条 (enforcement, preservation, payment order),
//!   第十五条、第十六条 (halving for mediation, withdrawal and simple procedure — once).
//! * [`late`] — 《民事诉讼法》第二百六十四条; 最高人民法院《关于执行程序中计算迟延履行期间的
//!   债务利息适用法律若干问题的解释》(法释〔2014〕8号) 第一条、第二条、第四条 (0.0175% a day).
//! * [`labour`] — 《劳动合同法》第四十七条、第八十五条、第八十七条、第九十七条; 《劳动合同法
//!   实施条例》第二十五条、第二十七条; 《劳动法》第四十四条; 劳社部发〔2008〕3号 (21.75 days).

pub mod daycount;
pub mod error;
pub mod explain;
pub mod fee;
pub mod labour;
pub mod late;
mod ledger;
pub mod lending;
pub mod loan;
pub mod lpr;
pub mod money;

pub use daycount::{DayBasis, DayCounting};
pub use error::CalcError;
pub use explain::ExplainItem;
pub use fee::{
    CaseFeeKind, FeeAmount, FeeResult, Procedure, acceptance_fee, enforcement_fee,
    payment_order_fee, preservation_fee, property_acceptance_fee,
};
pub use labour::{
    OvertimeCase, SeveranceCase, SeveranceKind, extra_compensation, overtime_pay, severance,
};
pub use late::{LateCase, LateResult, late_interest};
pub use lending::{LendingCase, LendingClaim, RateAgreement, compute_lending, lending_caps};
pub use loan::{LoanCase, LoanClaim, ScheduleKind, compute_loan};
pub use lpr::{LprError, LprTable};
pub use money::{Repayment, Yuan, round_half_up};
