//! 法定时限 — legal clocks as data (being written).
