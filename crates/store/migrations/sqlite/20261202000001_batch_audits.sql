-- Batch audits (监督检查): a supervising organ uploads many published annual reports — also of
-- organs that do not use gongkai — and runs the auditor on them. The files are kept under the data
-- directory by their SHA-256 (so "re-run" can read them again); the audit result of each file is a
-- JSON document made by the web crate. Decisions on findings (confirmed / dismissed) are keyed by
-- the supervising organ, the report's organ and year, the check and its cells — not by batch or
-- file — so they survive re-running the audit and uploading the same report again.
-- Instants RFC 3339 UTC text.

CREATE TABLE audit_batches (
    id         INTEGER PRIMARY KEY,
    organ_id   INTEGER NOT NULL REFERENCES organs (id),
    name       TEXT    NOT NULL,
    created_by INTEGER NULL REFERENCES users (id),
    created_at TEXT    NOT NULL,
    -- When the files were last audited (the upload or the last re-run).
    audited_at TEXT    NOT NULL
);

CREATE INDEX audit_batches_organ ON audit_batches (organ_id, id);

CREATE TABLE audit_batch_files (
    id          INTEGER PRIMARY KEY,
    batch_id    INTEGER NOT NULL REFERENCES audit_batches (id),
    position    INTEGER NOT NULL,
    file_name   TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    size_bytes  INTEGER NOT NULL,
    result_json TEXT    NOT NULL,
    UNIQUE (batch_id, position)
);

CREATE TABLE audit_finding_decisions (
    id           INTEGER PRIMARY KEY,
    organ_id     INTEGER NOT NULL REFERENCES organs (id),
    report_organ TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    check_id     TEXT    NOT NULL,
    cells        TEXT    NOT NULL,
    decision     TEXT    NOT NULL CHECK (decision IN ('confirmed', 'dismissed')),
    comment      TEXT    NOT NULL DEFAULT '',
    decided_by   INTEGER NULL REFERENCES users (id),
    decided_at   TEXT    NOT NULL,
    UNIQUE (organ_id, report_organ, year, check_id, cells)
);
