-- Grid events (网格事件): categories, dispatch rules as data, events with their timeline, photos and
-- clocks (the dispute engine's clock definitions and calendar), and the street summons (街乡吹哨).

CREATE TABLE grid_event_categories (
    code              TEXT PRIMARY KEY,
    name_zh           TEXT NOT NULL,
    group_zh          TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    dispute_type      TEXT REFERENCES dispute_types(code),
    attributes_json   TEXT NOT NULL DEFAULT '[]',
    keywords          TEXT NOT NULL DEFAULT '',
    public            BOOLEAN NOT NULL DEFAULT TRUE,
    active            BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at        BIGINT NOT NULL
);

CREATE TABLE grid_dispatch_rules (
    id          TEXT PRIMARY KEY,
    version     BIGINT NOT NULL,
    priority    BIGINT NOT NULL,
    rule_json   TEXT NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE grid_events (
    id                TEXT PRIMARY KEY,
    number            TEXT NOT NULL UNIQUE,
    category          TEXT NOT NULL REFERENCES grid_event_categories(code),
    title             TEXT NOT NULL,
    description       TEXT NOT NULL,
    source            TEXT NOT NULL,
    status            TEXT NOT NULL,
    lat               DOUBLE PRECISION,
    lng               DOUBLE PRECISION,
    address           TEXT NOT NULL DEFAULT '',
    grid_code         TEXT REFERENCES regions(code),
    grid_codes        TEXT NOT NULL DEFAULT '[]',
    region_path       TEXT COLLATE "C" NOT NULL,
    reporter_user_id  TEXT REFERENCES users(id),
    reporter_name     TEXT NOT NULL DEFAULT '',
    reporter_phone_enc    TEXT,
    reporter_phone_index  TEXT,
    reporter_phone_masked TEXT,
    external_id       TEXT,
    dedup_key         TEXT,
    idempotency_key   TEXT UNIQUE,
    department_org_id TEXT REFERENCES organisations(id),
    dispatch_json     TEXT,
    dispute_id        TEXT REFERENCES disputes(id),
    attributes_json   TEXT NOT NULL DEFAULT '{}',
    urgent            BOOLEAN NOT NULL DEFAULT FALSE,
    evaluation_score  BIGINT,
    evaluation_comment TEXT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    closed_at         BIGINT
);
CREATE INDEX grid_events_path ON grid_events(region_path);
CREATE INDEX grid_events_status ON grid_events(status, created_at);
CREATE INDEX grid_events_grid ON grid_events(grid_code, created_at);
CREATE INDEX grid_events_dept ON grid_events(department_org_id, status);
CREATE INDEX grid_events_dedup ON grid_events(dedup_key);
CREATE INDEX grid_events_external ON grid_events(source, external_id);
CREATE INDEX grid_events_created ON grid_events(created_at);

CREATE TABLE grid_event_steps (
    id            TEXT PRIMARY KEY,
    event_id      TEXT NOT NULL REFERENCES grid_events(id),
    at            BIGINT NOT NULL,
    actor_user_id TEXT,
    actor_org_id  TEXT,
    actor_kind    TEXT NOT NULL,
    action        TEXT NOT NULL,
    from_status   TEXT,
    to_status     TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    detail_json   TEXT NOT NULL DEFAULT '{}',
    public        BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX grid_event_steps_event ON grid_event_steps(event_id, at);

CREATE TABLE grid_event_photos (
    id           TEXT PRIMARY KEY,
    event_id     TEXT NOT NULL REFERENCES grid_events(id),
    step_id      TEXT,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         BYTEA NOT NULL,
    uploaded_by  TEXT,
    uploaded_at  BIGINT NOT NULL
);
CREATE INDEX grid_event_photos_event ON grid_event_photos(event_id);

CREATE TABLE grid_event_clocks (
    id              TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL REFERENCES grid_events(id),
    clock_id        TEXT NOT NULL,
    step            TEXT NOT NULL,
    started_at      BIGINT NOT NULL,
    stopped_at      BIGINT,
    pauses_json     TEXT NOT NULL DEFAULT '[]',
    extensions_json TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX grid_event_clocks_event ON grid_event_clocks(event_id);
CREATE INDEX grid_event_clocks_open ON grid_event_clocks(stopped_at);

CREATE TABLE summons (
    id               TEXT PRIMARY KEY,
    region_code      TEXT NOT NULL REFERENCES regions(code),
    region_path      TEXT COLLATE "C" NOT NULL,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL,
    event_id         TEXT REFERENCES grid_events(id),
    raised_by        TEXT REFERENCES users(id),
    raised_by_org_id TEXT REFERENCES organisations(id),
    clock_id         TEXT NOT NULL,
    status           TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    closed_at        BIGINT
);
CREATE INDEX summons_path ON summons(region_path);

CREATE TABLE summons_departments (
    summons_id   TEXT NOT NULL REFERENCES summons(id),
    org_id       TEXT NOT NULL REFERENCES organisations(id),
    status       TEXT NOT NULL,
    reported_at  BIGINT,
    reported_by  TEXT REFERENCES users(id),
    answer       TEXT NOT NULL DEFAULT '',
    answered_at  BIGINT,
    PRIMARY KEY (summons_id, org_id)
);

-- Event numbers (20261122-00001) count per China-time day; the row lock serialises writers.
CREATE TABLE grid_event_counters (
    day  TEXT PRIMARY KEY,
    last BIGINT NOT NULL
);
