-- What the steps of an application carry besides their clock event, and what the case file
-- needs around them.

-- Details the clock does not need but the letters and the case file do: what to correct
-- (Art 30), the fee decision (国办函〔2020〕109号), what was withheld and why (Art 37), whom was
-- consulted (Arts 32, 34). A JSON object, '{}' when there are none.
ALTER TABLE application_events ADD COLUMN details_json TEXT NOT NULL DEFAULT '{}';

-- 送达: how and when a document reached the applicant.
CREATE TABLE application_deliveries (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    document       TEXT    NOT NULL,
    method         TEXT    NOT NULL,
    delivered_on   TEXT    NOT NULL,
    note           TEXT    NOT NULL DEFAULT '',
    recorded_by    INTEGER NULL REFERENCES users (id),
    recorded_at    TEXT    NOT NULL
);
CREATE INDEX application_deliveries_application ON application_deliveries (application_id);

-- Files the applicant attached (a copy of the 身份证明, Art 29 ¶2(1)); contents live in uploads/.
CREATE TABLE application_attachments (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    file_name      TEXT    NOT NULL,
    media_type     TEXT    NOT NULL,
    sha256         TEXT    NOT NULL,
    size_bytes     INTEGER NOT NULL,
    created_at     TEXT    NOT NULL
);
CREATE INDEX application_attachments_application ON application_attachments (application_id);

-- The 科室's answer to an assigned case (承办意见): what it found, the outcome it proposes.
CREATE TABLE application_opinions (
    id               INTEGER PRIMARY KEY,
    application_id   INTEGER NOT NULL REFERENCES applications (id),
    department_id    INTEGER NULL REFERENCES departments (id),
    body             TEXT    NOT NULL,
    proposed_outcome TEXT    NULL,
    recorded_by      INTEGER NULL REFERENCES users (id),
    recorded_at      TEXT    NOT NULL
);
CREATE INDEX application_opinions_application ON application_opinions (application_id);

-- One applicant's applications to one organ: the month's count for 按件计收 (109号 Art 4) and
-- the earlier answered ones for 重复申请 (Art 36(6)).
CREATE INDEX applications_applicant ON applications (organ_id, id_kind, id_number, received_on);
