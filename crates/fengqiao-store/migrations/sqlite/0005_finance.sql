-- The financial trial assistant (金融智审): the one-year LPR table (seeded from the bundled csv,
-- updatable by administrators), bank-loan batches, their cases and each case's outcome steps
-- (快立、快审、快执). Money is BIGINT fen; dates are TEXT YYYY-MM-DD.

CREATE TABLE lpr_rates (
    published     TEXT PRIMARY KEY,
    rate_percent  TEXT NOT NULL,
    date_verified BOOLEAN NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE finance_batches (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    filename     TEXT NOT NULL,
    region_path  TEXT NOT NULL,
    org_id       TEXT NOT NULL REFERENCES organisations(id),
    court_name   TEXT NOT NULL,
    appeal_court TEXT NOT NULL,
    created_by   TEXT,
    created_at   BIGINT NOT NULL,
    total_rows   BIGINT NOT NULL,
    case_count   BIGINT NOT NULL,
    error_count  BIGINT NOT NULL,
    errors_json  TEXT NOT NULL
);
CREATE INDEX finance_batches_scope ON finance_batches(region_path, created_at);

CREATE TABLE finance_cases (
    id                 TEXT PRIMARY KEY,
    batch_id           TEXT NOT NULL REFERENCES finance_batches(id),
    seq                BIGINT NOT NULL,
    row_no             BIGINT NOT NULL,
    contract_no        TEXT NOT NULL,
    borrower_name      TEXT NOT NULL,
    borrower_id_enc    TEXT NOT NULL,
    borrower_phone_enc TEXT,
    case_json          TEXT NOT NULL,
    adjustment_json    TEXT,
    principal_fen      BIGINT NOT NULL,
    interest_fen       BIGINT NOT NULL,
    penalty_fen        BIGINT NOT NULL,
    compound_fen       BIGINT NOT NULL,
    costs_fen          BIGINT NOT NULL,
    total_fen          BIGINT NOT NULL,
    fee_full_fen       BIGINT NOT NULL,
    fee_fen            BIGINT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'pending',
    reason             TEXT,
    decided_by         TEXT,
    decided_at         BIGINT,
    UNIQUE (batch_id, seq),
    UNIQUE (batch_id, contract_no)
);

CREATE TABLE finance_case_steps (
    case_id     TEXT NOT NULL REFERENCES finance_cases(id),
    step        TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    note        TEXT NOT NULL,
    recorded_by TEXT,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, step)
);
