-- Grid spatial data: grid workers per grid (网格员) and every version of a grid's geometry.

CREATE TABLE grid_workers (
    grid_code   TEXT NOT NULL REFERENCES regions(code),
    user_id     TEXT NOT NULL REFERENCES users(id),
    assigned_at BIGINT NOT NULL,
    assigned_by TEXT REFERENCES users(id),
    PRIMARY KEY (grid_code, user_id)
);
CREATE INDEX grid_workers_user ON grid_workers(user_id);

-- One row per geometry a grid has had, numbered from 1; the newest is also in regions.geometry.
-- source: 'import', 'edit', or 'unrecorded' — a geometry written outside the grid API (the demo
-- seed, the regions API), recorded when a grid change replaces it.
CREATE TABLE grid_geometry_history (
    grid_code   TEXT NOT NULL REFERENCES regions(code),
    version     BIGINT NOT NULL,
    geometry    TEXT,
    source      TEXT NOT NULL,
    changed_at  BIGINT NOT NULL,
    changed_by  TEXT,
    request_id  TEXT,
    PRIMARY KEY (grid_code, version)
);
