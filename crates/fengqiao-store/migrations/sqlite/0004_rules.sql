-- Rules admins change while the system runs: newly published calendar years, regional days off
-- or working days, overrides of the clock definitions; and extensions granted on running clocks.
CREATE TABLE calendar_years (
    year        BIGINT PRIMARY KEY,
    source_json TEXT NOT NULL,
    version     TEXT NOT NULL,
    added_by    TEXT,
    added_at    BIGINT NOT NULL
);

CREATE TABLE regional_days (
    region_code TEXT NOT NULL REFERENCES regions(code),
    day         TEXT NOT NULL,
    off         BOOLEAN NOT NULL,
    name        TEXT NOT NULL,
    updated_by  TEXT,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (region_code, day)
);

CREATE TABLE clock_definitions (
    id              TEXT PRIMARY KEY,
    definition_json TEXT NOT NULL,
    version         BIGINT NOT NULL,
    updated_by      TEXT,
    updated_at      BIGINT NOT NULL
);

ALTER TABLE dispute_clocks ADD COLUMN extensions_json TEXT NOT NULL DEFAULT '[]';
