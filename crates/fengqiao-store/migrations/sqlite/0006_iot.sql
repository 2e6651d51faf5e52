-- IoT and video (物联感知, DOMAIN §7): the registry (owners → vehicles → devices/tags, readers),
-- positions and raw messages, last known positions, the stolen-vehicle watchlist (a flag on the
-- vehicle), electronic fences and the video-event rules.
--
-- Positions on SQLite are one table with a (device, time) index: SQLite has no partitioning, and
-- the embedded backend serves small deployments and the demo. PostgreSQL (production) partitions
-- the same tables by month (see the postgres migration).

CREATE TABLE iot_owners (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    phone_enc        TEXT,
    phone_index      TEXT,
    phone_masked     TEXT,
    id_number_enc    TEXT,
    id_number_index  TEXT,
    id_number_masked TEXT,
    region_path      TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX iot_owners_phone ON iot_owners (phone_index);
CREATE INDEX iot_owners_id_number ON iot_owners (id_number_index);

CREATE TABLE iot_vehicles (
    id           TEXT PRIMARY KEY,
    plate        TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    owner_id     TEXT REFERENCES iot_owners (id),
    region_path  TEXT NOT NULL,
    stolen       BOOLEAN NOT NULL DEFAULT FALSE,
    stolen_at    BIGINT,
    stolen_note  TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX iot_vehicles_region ON iot_vehicles (region_path);

-- A tracker (GT06 IMEI, JT/T 808 terminal phone) or an RFID tag; `identifier` is what the
-- device puts on the wire, unique across protocols. role: vehicle | owner_tag.
CREATE TABLE iot_devices (
    id           TEXT PRIMARY KEY,
    identifier   TEXT NOT NULL UNIQUE,
    protocol     TEXT NOT NULL,
    role         TEXT NOT NULL,
    vehicle_id   TEXT REFERENCES iot_vehicles (id),
    region_path  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX iot_devices_vehicle ON iot_devices (vehicle_id);

CREATE TABLE iot_readers (
    id           TEXT PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    lat_e6       BIGINT NOT NULL,
    lon_e6       BIGINT NOT NULL,
    radius_m     BIGINT NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    region_path  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

-- One row per position (device time `at`), with the raw frame it was decoded from.
CREATE TABLE iot_positions (
    device_key     TEXT NOT NULL,
    at             BIGINT NOT NULL,
    received_at    BIGINT NOT NULL,
    lat_e6         BIGINT NOT NULL,
    lon_e6         BIGINT NOT NULL,
    speed_kmh_x10  BIGINT,
    course         BIGINT,
    source         TEXT NOT NULL,
    reader_code    TEXT,
    signal         BIGINT,
    checksum_ok    BOOLEAN NOT NULL,
    raw            BLOB NOT NULL
);
CREATE INDEX iot_positions_device_at ON iot_positions (device_key, at);

-- Every other frame or message (logins, heartbeats, alarms, registrations, video events), raw
-- bytes with the decoded record as JSON.
CREATE TABLE iot_messages (
    received_at   BIGINT NOT NULL,
    source        TEXT NOT NULL,
    kind          TEXT NOT NULL,
    device_key    TEXT,
    checksum_ok   BOOLEAN NOT NULL,
    decoded_json  TEXT NOT NULL,
    raw           BLOB NOT NULL
);
CREATE INDEX iot_messages_device ON iot_messages (device_key, received_at);
CREATE INDEX iot_messages_received ON iot_messages (received_at);

CREATE TABLE iot_last_positions (
    device_key     TEXT PRIMARY KEY,
    at             BIGINT NOT NULL,
    received_at    BIGINT NOT NULL,
    lat_e6         BIGINT NOT NULL,
    lon_e6         BIGINT NOT NULL,
    speed_kmh_x10  BIGINT,
    source         TEXT NOT NULL,
    reader_code    TEXT
);
CREATE INDEX iot_last_positions_at ON iot_last_positions (at);

-- Electronic fences: polygon [[lon,lat],…] and a weekly schedule in China time
-- ([{"days":[1,2,3,4,5],"from":"08:00","to":"18:00"}]; empty = always active).
CREATE TABLE iot_fences (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    polygon_json   TEXT NOT NULL,
    schedule_json  TEXT NOT NULL,
    trigger_on     TEXT NOT NULL,
    level          TEXT NOT NULL,
    region_path    TEXT NOT NULL,
    active         BOOLEAN NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

-- Which video-analytics events become alerts, from what confidence, at what level.
CREATE TABLE iot_video_rules (
    id                  TEXT PRIMARY KEY,
    event_kind          TEXT NOT NULL UNIQUE,
    min_confidence_pct  BIGINT NOT NULL,
    min_duration_secs   BIGINT NOT NULL,
    level               TEXT NOT NULL,
    active              BOOLEAN NOT NULL,
    updated_at          BIGINT NOT NULL
);
INSERT INTO iot_video_rules VALUES
    ('rule-face-match', 'face_match', 85, 0, 'orange', TRUE, 0),
    ('rule-fence-crossing', 'fence_crossing', 70, 0, 'yellow', TRUE, 0),
    ('rule-crowd-gathering', 'crowd_gathering', 60, 600, 'orange', TRUE, 0),
    ('rule-plate-hit', 'plate_hit', 80, 0, 'red', TRUE, 0);
