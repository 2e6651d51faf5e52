//! 工作日历 — the official Chinese working-day calendar with 调休 (being written).
