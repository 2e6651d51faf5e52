-- Base data registry (一库), patrols and visits (走访), and the grid index's manual assessment items
-- (网格指数). Forward-only; never edit after it lands.

-- One table for every kind of record (person, housing, enterprise, organisation, component): the
-- searchable fields are columns, the kind-specific rest is JSON. Personal identifiers are stored as
-- ciphertext + blind index + masked form, like users'. Deleted records stay (deleted_at) so their
-- history and the visits that name them keep their meaning.
CREATE TABLE base_records (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    grid_code        TEXT NOT NULL REFERENCES regions(code),
    region_path      TEXT NOT NULL,
    name             TEXT NOT NULL,
    address          TEXT NOT NULL DEFAULT '',
    category         TEXT,
    tags             TEXT NOT NULL DEFAULT ',',
    notes            TEXT NOT NULL DEFAULT '',
    id_number_enc    TEXT,
    id_number_index  TEXT,
    id_number_masked TEXT,
    phone_enc        TEXT,
    phone_index      TEXT,
    phone_masked     TEXT,
    credit_code      TEXT,
    housing_id       TEXT REFERENCES base_records(id),
    lat              REAL,
    lng              REAL,
    details_json     TEXT NOT NULL DEFAULT '{}',
    complete         BOOLEAN NOT NULL DEFAULT FALSE,
    version          BIGINT NOT NULL,
    created_by       TEXT,
    created_at       BIGINT NOT NULL,
    updated_by       TEXT,
    updated_at       BIGINT NOT NULL,
    deleted_at       BIGINT
);
CREATE INDEX base_records_path ON base_records(region_path, kind);
CREATE INDEX base_records_grid ON base_records(grid_code, kind);
CREATE INDEX base_records_id_index ON base_records(id_number_index);
CREATE INDEX base_records_phone_index ON base_records(phone_index);
CREATE INDEX base_records_housing ON base_records(housing_id);
-- One live person per ID number, one live record per credit code and kind.
CREATE UNIQUE INDEX base_records_unique_person ON base_records(kind, id_number_index)
    WHERE deleted_at IS NULL AND id_number_index IS NOT NULL;
CREATE UNIQUE INDEX base_records_unique_credit ON base_records(kind, credit_code)
    WHERE deleted_at IS NULL AND credit_code IS NOT NULL;

-- Every create, update and delete of a record with its before/after (masked views: no plaintext).
CREATE TABLE base_record_history (
    id            TEXT PRIMARY KEY,
    record_id     TEXT NOT NULL REFERENCES base_records(id),
    version       BIGINT NOT NULL,
    action        TEXT NOT NULL,
    grid_code     TEXT NOT NULL,
    region_path   TEXT NOT NULL,
    at            BIGINT NOT NULL,
    actor_user_id TEXT,
    reason        TEXT NOT NULL DEFAULT '',
    before_json   TEXT,
    after_json    TEXT,
    UNIQUE (record_id, version)
);
CREATE INDEX base_record_history_grid ON base_record_history(grid_code, at);
CREATE INDEX base_record_history_path ON base_record_history(region_path, at);

-- 走访活动: a campaign over a region and a date range (China dates, inclusive).
CREATE TABLE visit_campaigns (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    region_code  TEXT NOT NULL REFERENCES regions(code),
    region_path  TEXT NOT NULL,
    starts_on    TEXT NOT NULL,
    ends_on      TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    created_by   TEXT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX visit_campaigns_path ON visit_campaigns(region_path);

-- One household visit (入户走访) or patrol stop by a grid worker.
CREATE TABLE visits (
    id             TEXT PRIMARY KEY,
    grid_code      TEXT NOT NULL REFERENCES regions(code),
    region_path    TEXT NOT NULL,
    worker_user_id TEXT NOT NULL REFERENCES users(id),
    campaign_id    TEXT REFERENCES visit_campaigns(id),
    visited_at     BIGINT NOT NULL,
    housing_id     TEXT REFERENCES base_records(id),
    household      TEXT NOT NULL DEFAULT '',
    household_key  TEXT NOT NULL,
    people_seen    BIGINT NOT NULL DEFAULT 0,
    person_ids     TEXT NOT NULL DEFAULT '[]',
    notes          TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL
);
CREATE INDEX visits_grid ON visits(grid_code, visited_at);
CREATE INDEX visits_path ON visits(region_path, visited_at);
CREATE INDEX visits_campaign ON visits(campaign_id);
CREATE INDEX visits_worker ON visits(worker_user_id, visited_at);

-- Issues residents raised during a visit; an issue may be followed as a grid event.
CREATE TABLE visit_issues (
    visit_id       TEXT NOT NULL REFERENCES visits(id),
    seq            BIGINT NOT NULL,
    description    TEXT NOT NULL,
    solved_on_spot BOOLEAN NOT NULL DEFAULT FALSE,
    grid_event_id  TEXT REFERENCES grid_events(id),
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (visit_id, seq)
);
CREATE INDEX visit_issues_event ON visit_issues(grid_event_id);

-- 人工考核项: bonus or deduction on one duty of one grid's month, recorded with a reason.
CREATE TABLE grid_assessments (
    id            TEXT PRIMARY KEY,
    grid_code     TEXT NOT NULL REFERENCES regions(code),
    region_path   TEXT NOT NULL,
    month         TEXT NOT NULL,
    duty          TEXT NOT NULL,
    points        REAL NOT NULL,
    reason        TEXT NOT NULL,
    recorded_by   TEXT NOT NULL REFERENCES users(id),
    recorded_org  TEXT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX grid_assessments_month ON grid_assessments(month, region_path);
