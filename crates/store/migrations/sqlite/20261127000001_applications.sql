-- Disclosure applications (依申请公开, 条例 Arts 27–35): the case with the applicant's Art 29
-- content, and its clock events (Arts 30–34). The event list is the truth; state, due_on,
-- closed_on and outcome are caches of `gongkai_law::evaluate` over it, rewritten by every step.
-- Dates are 'YYYY-MM-DD' text; instants RFC 3339 UTC text.

CREATE TABLE applications (
    id               INTEGER PRIMARY KEY,
    organ_id         INTEGER NOT NULL REFERENCES organs (id),
    -- What the applicant quotes: 'YSQ' + year + 6 characters without 0/O/1/I.
    tracking_no      TEXT    NOT NULL UNIQUE,
    -- SHA-256 hex of the applicant's secret; the secret itself is never stored.
    secret_hash      TEXT    NOT NULL,
    -- Art 29 ¶2(1): name, 身份证明, 联系方式.
    applicant_type   TEXT    NOT NULL,
    applicant_name   TEXT    NOT NULL,
    id_kind          TEXT    NOT NULL,
    id_number        TEXT    NOT NULL,
    phone            TEXT    NOT NULL DEFAULT '',
    email            TEXT    NOT NULL DEFAULT '',
    address          TEXT    NOT NULL DEFAULT '',
    -- Art 29 ¶2(2): 申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述.
    description      TEXT    NOT NULL,
    -- Art 29 ¶2(3): 申请公开的政府信息的形式要求，包括获取信息的方式、途径.
    provision_form   TEXT    NOT NULL,
    delivery         TEXT    NOT NULL DEFAULT '',
    -- Art 31: the channel fixes which day counts as received.
    channel          TEXT    NOT NULL,
    received_on      TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    due_on           TEXT    NULL,
    closed_on        TEXT    NULL,
    department_id    INTEGER NULL REFERENCES departments (id),
    internal_due_on  TEXT    NULL,
    outcome          TEXT    NULL,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
-- The open-cases list of an organ, earliest due first.
CREATE INDEX applications_open ON applications (organ_id, due_on, id) WHERE closed_on IS NULL;
CREATE INDEX applications_organ ON applications (organ_id, received_on);

CREATE TABLE application_events (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    seq            INTEGER NOT NULL,
    kind           TEXT    NOT NULL,
    payload_json   TEXT    NOT NULL,
    occurred_on    TEXT    NOT NULL,
    recorded_by    INTEGER NULL REFERENCES users (id),
    recorded_at    TEXT    NOT NULL,
    -- Two steps recorded at once cannot both take the same place in the timeline.
    UNIQUE (application_id, seq)
);
