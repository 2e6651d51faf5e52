-- The command centre's alert loop (DOMAIN §6): where an alert came from, its place, evidence and
-- the rule that raised it; one timeline step per move; risk rules as versioned data; fraud
-- reports with their scores and the dissuasion tasks they produce.

-- NULL source: derived from the kind for rows written before this migration and by writers that
-- predate it (mass_involvement → risk_rule, iot kinds → iot).
ALTER TABLE alerts ADD COLUMN source TEXT;
ALTER TABLE alerts ADD COLUMN rule_id TEXT;
ALTER TABLE alerts ADD COLUMN rule_version BIGINT;
ALTER TABLE alerts ADD COLUMN subject_kind TEXT;
ALTER TABLE alerts ADD COLUMN subject_id TEXT;
ALTER TABLE alerts ADD COLUMN place_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE alerts ADD COLUMN evidence_json TEXT NOT NULL DEFAULT '[]';
-- When the alert entered its current status (the start of the running clock); NULL = created_at.
ALTER TABLE alerts ADD COLUMN step_started_at BIGINT;
ALTER TABLE alerts ADD COLUMN closed_at BIGINT;
CREATE INDEX alerts_status ON alerts(status, updated_at);
CREATE INDEX alerts_updated ON alerts(updated_at);

CREATE TABLE alert_steps (
    id           TEXT PRIMARY KEY,
    alert_id     TEXT NOT NULL REFERENCES alerts(id),
    seq          BIGINT NOT NULL,
    action       TEXT NOT NULL,
    from_status  TEXT NOT NULL,
    to_status    TEXT NOT NULL,
    actor_id     TEXT NOT NULL,
    actor_name   TEXT NOT NULL,
    note         TEXT NOT NULL,
    detail_json  TEXT NOT NULL DEFAULT '{}',
    at           BIGINT NOT NULL,
    UNIQUE (alert_id, seq)
);

CREATE TABLE risk_rules (
    id           TEXT PRIMARY KEY,
    version      BIGINT NOT NULL,
    kind         TEXT NOT NULL,
    name_zh      TEXT NOT NULL,
    enabled      BOOLEAN NOT NULL DEFAULT TRUE,
    params_json  TEXT NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT NOT NULL
);

CREATE TABLE risk_rule_versions (
    rule_id      TEXT NOT NULL REFERENCES risk_rules(id),
    version      BIGINT NOT NULL,
    enabled      BOOLEAN NOT NULL,
    params_json  TEXT NOT NULL,
    changed_at   BIGINT NOT NULL,
    changed_by   TEXT NOT NULL,
    PRIMARY KEY (rule_id, version)
);

CREATE TABLE fraud_reports (
    id              TEXT PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    received_via    TEXT NOT NULL,
    victim_name     TEXT NOT NULL,
    victim_phone_enc TEXT,
    victim_phone_index TEXT,
    victim_age      BIGINT,
    region_path     TEXT NOT NULL,
    grid_code       TEXT,
    lat             DOUBLE PRECISION,
    lng             DOUBLE PRECISION,
    address         TEXT NOT NULL,
    narrative       TEXT NOT NULL,
    features_json   TEXT NOT NULL,
    amount_fen      BIGINT NOT NULL,
    scores_json     TEXT NOT NULL,
    level           TEXT,
    alert_id        TEXT REFERENCES alerts(id),
    reported_by     TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX fraud_reports_region ON fraud_reports(region_path, created_at);

CREATE TABLE dissuasion_tasks (
    id              TEXT PRIMARY KEY,
    fraud_report_id TEXT NOT NULL REFERENCES fraud_reports(id),
    alert_id        TEXT NOT NULL REFERENCES alerts(id),
    target          TEXT NOT NULL,
    region_path     TEXT NOT NULL,
    grid_code       TEXT,
    status          TEXT NOT NULL,
    outcome         TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    done_at         BIGINT,
    done_by         TEXT
);
CREATE INDEX dissuasion_open ON dissuasion_tasks(status, region_path);
