-- Editable document templates, asynchronous submissions (异步审理), and parties' legal representatives.

ALTER TABLE dispute_parties ADD COLUMN legal_representative TEXT;

CREATE TABLE document_templates (
    key           TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    template_json TEXT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE submissions (
    id             TEXT PRIMARY KEY,
    dispute_id     TEXT NOT NULL REFERENCES disputes(id),
    at             BIGINT NOT NULL,
    side           TEXT NOT NULL,
    author_user_id TEXT,
    text           TEXT NOT NULL,
    attachment_ids TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX submissions_case ON submissions(dispute_id, at);
