-- Foundation: regions, organisations, users, sessions, the audit chain. Forward-only; never edit after it lands.
-- Instants are BIGINT microseconds since the Unix epoch (UTC); money is BIGINT fen.

CREATE TABLE regions (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    level        TEXT NOT NULL,
    parent_code  TEXT REFERENCES regions(code),
    path         TEXT COLLATE "C" NOT NULL UNIQUE,
    grid_kind    TEXT,
    population   BIGINT,
    geometry     TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX regions_parent ON regions(parent_code);
CREATE INDEX regions_level ON regions(level);

CREATE TABLE organisations (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    region_code  TEXT NOT NULL REFERENCES regions(code),
    region_path  TEXT COLLATE "C" NOT NULL,
    specialty    TEXT,
    court_id     TEXT REFERENCES organisations(id),
    address      TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (region_code, name)
);
CREATE INDEX organisations_path ON organisations(region_path);
CREATE INDEX organisations_kind ON organisations(kind);

CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    username         TEXT NOT NULL UNIQUE,
    display_name     TEXT NOT NULL,
    org_id           TEXT NOT NULL REFERENCES organisations(id),
    roles            TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    phone_enc        TEXT,
    phone_index      TEXT,
    phone_masked     TEXT,
    id_number_enc    TEXT,
    id_number_index  TEXT,
    id_number_masked TEXT,
    active           BOOLEAN NOT NULL DEFAULT TRUE,
    failed_logins    BIGINT NOT NULL DEFAULT 0,
    locked_until     BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX users_org ON users(org_id);
CREATE INDEX users_phone_index ON users(phone_index);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
    seq           BIGINT PRIMARY KEY,
    at            BIGINT NOT NULL,
    actor_user_id TEXT,
    actor_org_id  TEXT,
    action        TEXT NOT NULL,
    entity_type   TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    before_json   TEXT,
    after_json    TEXT,
    request_id    TEXT,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity_type, entity_id);

-- The head of the chain: one row, locked by every append so entries are strictly sequential.
CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
