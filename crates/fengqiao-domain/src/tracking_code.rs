//! 解纷码 — the dispute tracking code (being written).
