-- Open311 GeoReport v2 (§11): the API keys city administrators issue to client applications, and
-- what an Open311 request brings beyond the grid event it becomes (its token, media URL and the
-- client's contact fields). Forward-only; never edit after it lands.

-- Keys are stored only as their SHA-256 (hex): the key itself is shown once, when it is made.
CREATE TABLE open311_api_keys (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    owner       TEXT NOT NULL DEFAULT '',
    key_hash    TEXT NOT NULL UNIQUE,
    key_prefix  TEXT NOT NULL,
    created_by  TEXT REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    revoked_by  TEXT REFERENCES users(id),
    revoked_at  BIGINT
);

-- One row per request filed through Open311, keyed by the grid event it became. The row is
-- written just before the event (so a failed report leaves at most an unread row, never an event
-- without its token); readers always join grid_events. The e-mail address is ciphertext.
CREATE TABLE open311_requests (
    event_id    TEXT PRIMARY KEY,
    token       TEXT NOT NULL UNIQUE,
    api_key_id  TEXT NOT NULL REFERENCES open311_api_keys(id),
    media_url   TEXT,
    email_enc   TEXT,
    device_id   TEXT,
    account_id  TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX open311_requests_key ON open311_requests(api_key_id);

-- GET servicerequestupdates reads every event's public steps by time.
CREATE INDEX grid_event_steps_at ON grid_event_steps(at);
