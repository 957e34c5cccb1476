-- gongkai store, initial schema (SQLite).
-- Types: INTEGER and TEXT only (what sqlx's Any driver maps). Instants are fixed-width RFC 3339
-- UTC text ("2026-11-25T08:30:00.000000Z"), booleans INTEGER 0/1, JSON as TEXT.

CREATE TABLE organs (
    id           INTEGER PRIMARY KEY,
    parent_id    INTEGER NULL REFERENCES organs (id),
    name         TEXT    NOT NULL,
    credit_code  TEXT    NULL UNIQUE,
    kind         TEXT    NOT NULL
        CHECK (kind IN ('government', 'department', 'subdistrict', 'township', 'other')),
    address      TEXT    NULL,
    postal_code  TEXT    NULL,
    office_hours TEXT    NULL,
    phone        TEXT    NULL,
    fax          TEXT    NULL,
    email        TEXT    NULL,
    website      TEXT    NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX organs_parent ON organs (parent_id);

CREATE TABLE departments (
    id         INTEGER PRIMARY KEY,
    organ_id   INTEGER NOT NULL REFERENCES organs (id),
    name       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    UNIQUE (organ_id, name)
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    username            TEXT    NOT NULL UNIQUE CHECK (username = lower(username)),
    display_name        TEXT    NOT NULL,
    password_hash       TEXT    NOT NULL,
    organ_id            INTEGER NOT NULL REFERENCES organs (id),
    active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    password_changed_at TEXT    NOT NULL,
    created_at          TEXT    NOT NULL
);
CREATE INDEX users_organ ON users (organ_id);

CREATE TABLE user_roles (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    organ_id      INTEGER NOT NULL REFERENCES organs (id),
    role          TEXT    NOT NULL
        CHECK (role IN ('admin', 'officer', 'editor', 'reviewer', 'handler', 'supervisor')),
    department_id INTEGER NULL REFERENCES departments (id),
    granted_at    TEXT    NOT NULL
);
-- NULLs are distinct in UNIQUE constraints: fold "no department" to 0 for the uniqueness check.
CREATE UNIQUE INDEX user_roles_unique
    ON user_roles (user_id, organ_id, role, COALESCE(department_id, 0));
CREATE INDEX user_roles_organ ON user_roles (organ_id);

-- id = SHA-256 (hex) of the random session token; the token itself is never stored.
CREATE TABLE sessions (
    id           TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    csrf_token   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    last_seen_at TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    ip           TEXT    NULL,
    user_agent   TEXT    NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed-login counters, keyed 'user:<name>' or 'ip:<address>'.
CREATE TABLE login_attempts (
    key              TEXT    PRIMARY KEY,
    failures         INTEGER NOT NULL,
    first_failure_at TEXT    NOT NULL,
    locked_until     TEXT    NULL
);

-- The head of the audit hash chain: one row, locked by every append (serialises appends across
-- processes) and compared with the last entry by the verifier (detects a truncated tail).
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq           INTEGER PRIMARY KEY,
    at            TEXT    NOT NULL,
    actor_user_id INTEGER NULL,
    actor_ip      TEXT    NULL,
    action        TEXT    NOT NULL,
    entity        TEXT    NOT NULL,
    entity_id     TEXT    NOT NULL,
    organ_id      INTEGER NULL,
    before_json   TEXT    NULL,
    after_json    TEXT    NULL,
    prev_hash     TEXT    NOT NULL,
    hash          TEXT    NOT NULL
);
CREATE INDEX audit_log_organ ON audit_log (organ_id, seq);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, seq);
CREATE INDEX audit_log_at ON audit_log (at);

-- Append-only: the application never updates or deletes audit entries.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,
    payload_json TEXT    NOT NULL,
    run_at       TEXT    NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    locked_until TEXT    NULL,
    lock_token   TEXT    NULL,
    done_at      TEXT    NULL,
    dead_at      TEXT    NULL,
    last_error   TEXT    NULL,
    dedup_key    TEXT    NULL UNIQUE,
    created_at   TEXT    NOT NULL
);
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE done_at IS NULL AND dead_at IS NULL;
