//! 网格事件 — grid events: the status machine of the dispatch → handle → feedback → close loop,
//! the categories, dispatch rules as data, and the street summons (街乡吹哨).
//!
//! Every status change goes through [`decide`], which checks the actor's standing for that step
//! and says which clock starts; the store applies the decision and writes one audit entry.

mod category;
mod dispatch;
mod machine;
mod status;
mod summons;

pub use category::{CategoryAttribute, EventCategory, default_categories};
pub use dispatch::{
    DepartmentEntry, DispatchChoice, DispatchError, DispatchRule, default_dispatch_rules, dispatch,
    validate_rule,
};
pub use machine::{Actor, Command, Decision, EventState, GridEventError, decide};
pub use status::{EventSource, EventStatus};
pub use summons::{SUMMONS_CLOCK, SummonsAnswer, SummonsError, check_summons};

#[cfg(test)]
mod tests;
