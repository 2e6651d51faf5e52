-- Disputes: cases with their lifetime tracking code, parties, assignments, timeline, clocks,
-- attachments, routing rules and types as data, alerts, the notice outbox and persisted timers.

CREATE TABLE dispute_types (
    code        TEXT PRIMARY KEY,
    name_zh     TEXT NOT NULL,
    specialty   TEXT,
    legal_clock TEXT,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE routing_rules (
    id          TEXT PRIMARY KEY,
    version     BIGINT NOT NULL,
    priority    BIGINT NOT NULL,
    rule_json   TEXT NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE disputes (
    id                 TEXT PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE,
    secret_enc         TEXT NOT NULL,
    phone_last4_index  TEXT,
    title              TEXT NOT NULL,
    dispute_type       TEXT NOT NULL REFERENCES dispute_types(code),
    facts              TEXT NOT NULL,
    claims             TEXT NOT NULL,
    amount_fen         BIGINT NOT NULL,
    region_code        TEXT NOT NULL REFERENCES regions(code),
    region_path        TEXT NOT NULL,
    address            TEXT NOT NULL DEFAULT '',
    channel            TEXT NOT NULL,
    flags              TEXT NOT NULL DEFAULT ',',
    stage              TEXT NOT NULL,
    stage_before_merge TEXT,
    merged_into        TEXT REFERENCES disputes(id),
    group_key          TEXT,
    respondent_key     TEXT,
    routing_json       TEXT,
    idempotency_key    TEXT UNIQUE,
    created_by         TEXT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    closed_at          BIGINT
);
CREATE INDEX disputes_path ON disputes(region_path);
CREATE INDEX disputes_stage ON disputes(stage);
CREATE INDEX disputes_respondent ON disputes(respondent_key, created_at);
CREATE INDEX disputes_created ON disputes(created_at);

CREATE TABLE dispute_parties (
    id               TEXT PRIMARY KEY,
    dispute_id       TEXT NOT NULL REFERENCES disputes(id),
    seq              BIGINT NOT NULL,
    role             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    name             TEXT NOT NULL,
    id_number_enc    TEXT,
    id_number_index  TEXT,
    id_number_masked TEXT,
    credit_code      TEXT,
    phone_enc        TEXT,
    phone_index      TEXT,
    phone_masked     TEXT,
    address          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dispute_parties_case ON dispute_parties(dispute_id);
CREATE INDEX dispute_parties_id_index ON dispute_parties(id_number_index);
CREATE INDEX dispute_parties_phone_index ON dispute_parties(phone_index);

CREATE TABLE dispute_assignments (
    dispute_id  TEXT NOT NULL REFERENCES disputes(id),
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    kind        TEXT NOT NULL,
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (dispute_id, org_id, kind)
);
CREATE INDEX dispute_assignments_org ON dispute_assignments(org_id);

CREATE TABLE dispute_events (
    id            TEXT PRIMARY KEY,
    dispute_id    TEXT NOT NULL REFERENCES disputes(id),
    at            BIGINT NOT NULL,
    actor_user_id TEXT,
    actor_kind    TEXT NOT NULL,
    command       TEXT NOT NULL,
    from_stage    TEXT,
    to_stage      TEXT NOT NULL,
    detail_json   TEXT NOT NULL,
    public_note   TEXT NOT NULL
);
CREATE INDEX dispute_events_case ON dispute_events(dispute_id, at);

CREATE TABLE dispute_clocks (
    id          TEXT PRIMARY KEY,
    dispute_id  TEXT NOT NULL REFERENCES disputes(id),
    clock_id    TEXT NOT NULL,
    event       TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    paused_since BIGINT,
    pauses_json TEXT NOT NULL DEFAULT '[]',
    stopped_at  BIGINT
);
CREATE INDEX dispute_clocks_case ON dispute_clocks(dispute_id);
CREATE INDEX dispute_clocks_open ON dispute_clocks(stopped_at);

CREATE TABLE attachments (
    id           TEXT PRIMARY KEY,
    dispute_id   TEXT NOT NULL REFERENCES disputes(id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    uploaded_by  TEXT NOT NULL,
    uploaded_at  BIGINT NOT NULL
);
CREATE INDEX attachments_case ON attachments(dispute_id);

CREATE TABLE alerts (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    level         TEXT NOT NULL,
    group_key     TEXT NOT NULL,
    title         TEXT NOT NULL,
    detail_json   TEXT NOT NULL,
    case_count    BIGINT NOT NULL,
    claimant_count BIGINT NOT NULL,
    total_fen     BIGINT NOT NULL,
    status        TEXT NOT NULL,
    region_path   TEXT NOT NULL,
    owner_org_id  TEXT REFERENCES organisations(id),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX alerts_key ON alerts(kind, group_key, status);

CREATE TABLE outbox (
    id           TEXT PRIMARY KEY,
    created_at   BIGINT NOT NULL,
    dispute_id   TEXT,
    channel      TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    sent_at      BIGINT,
    attempts     BIGINT NOT NULL DEFAULT 0,
    last_error   TEXT
);
CREATE INDEX outbox_pending ON outbox(sent_at, created_at);

CREATE TABLE timers (
    id          TEXT PRIMARY KEY,
    due_at      BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    ref_id      TEXT NOT NULL,
    payload     TEXT NOT NULL DEFAULT '{}',
    fired_at    BIGINT,
    created_at  BIGINT NOT NULL,
    UNIQUE (kind, ref_id, due_at)
);
CREATE INDEX timers_due ON timers(fired_at, due_at);

CREATE TABLE party_access_failures (
    code       TEXT NOT NULL,
    at         BIGINT NOT NULL
);
CREATE INDEX party_access_failures_code ON party_access_failures(code, at);
