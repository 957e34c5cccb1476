-- The annual report (政府信息公开工作年度报告, 条例第四十九、五十条) of one organ and year: the draft
-- the officer edits (narrative sections 一–六, the table-二 figures from other systems with their
-- sources, explanations of the checks' warnings, last year's tables imported from a published file)
-- and its state draft → in_review → published. Publishing freezes a snapshot in
-- annual_report_versions; a revision (更正) publishes the next version with its reason.
-- JSON columns are TEXT; dates 'YYYY-MM-DD'; instants RFC 3339 UTC text.

CREATE TABLE annual_reports (
    id              INTEGER PRIMARY KEY,
    organ_id        INTEGER NOT NULL REFERENCES organs (id),
    year            INTEGER NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'in_review', 'published')),
    narrative       TEXT    NOT NULL DEFAULT '{}',
    figures         TEXT    NOT NULL DEFAULT '{}',
    explanations    TEXT    NOT NULL DEFAULT '{}',
    -- Last year's tables read from its published document, when gongkai holds no published
    -- report of that year (for the cross-year checks).
    previous_tables TEXT    NULL,
    previous_source TEXT    NOT NULL DEFAULT '',
    -- Why the published report is being revised; shown with the next version.
    revision_reason TEXT    NOT NULL DEFAULT '',
    submitted_by    INTEGER NULL REFERENCES users (id),
    submitted_at    TEXT    NULL,
    -- The reviewer's note when the report was sent back.
    review_note     TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (organ_id, year)
);

CREATE TABLE annual_report_versions (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES annual_reports (id),
    number       INTEGER NOT NULL,
    reason       TEXT    NOT NULL DEFAULT '',
    -- The frozen report: tables, text, the records behind each cell, findings, explanations.
    snapshot     TEXT    NOT NULL,
    published_on TEXT    NOT NULL,
    published_at TEXT    NOT NULL,
    submitted_by INTEGER NULL REFERENCES users (id),
    published_by INTEGER NULL REFERENCES users (id),
    UNIQUE (report_id, number)
);
