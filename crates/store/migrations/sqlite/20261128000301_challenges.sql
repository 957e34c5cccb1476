-- The register of 行政复议 and 行政诉讼 cases against disclosure decisions (条例第五十一条), the
-- source of table 四 of the annual report. kind = the table-四 block key (reconsideration,
-- litigation_direct, litigation_after_reconsideration); result = the column key (upheld,
-- corrected, other, pending). Dates are 'YYYY-MM-DD' text; instants RFC 3339 UTC text.

CREATE TABLE challenges (
    id                    INTEGER PRIMARY KEY,
    organ_id              INTEGER NOT NULL REFERENCES organs (id),
    -- The application whose handling is challenged, when there is one (same organ).
    application_id        INTEGER NULL REFERENCES applications (id),
    -- A litigation after reconsideration may name the reconsideration case it follows.
    follows_id            INTEGER NULL REFERENCES challenges (id),
    kind                  TEXT    NOT NULL,
    -- 案号, e.g. （2025）某行复字第12号.
    case_no               TEXT    NOT NULL,
    -- The 复议机关 or the court.
    authority             TEXT    NOT NULL,
    -- 申请人 / 原告: personal data, masked in lists.
    claimant_name         TEXT    NOT NULL,
    -- 申请复议 / 立案 date: the report year of the case.
    filed_on              TEXT    NOT NULL,
    result                TEXT    NOT NULL DEFAULT 'pending',
    decided_on            TEXT    NULL,
    -- 1: the organ is only the 复议机关 sued as co-defendant; it does not count the case.
    co_defendant_reviewer INTEGER NOT NULL DEFAULT 0 CHECK (co_defendant_reviewer IN (0, 1)),
    notes                 TEXT    NOT NULL DEFAULT '',
    created_at            TEXT    NOT NULL,
    updated_at            TEXT    NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1
);
-- The register of an organ by filing date, and the tally of one year.
CREATE INDEX challenges_organ ON challenges (organ_id, filed_on, id);
CREATE INDEX challenges_application ON challenges (application_id) WHERE application_id IS NOT NULL;
-- One 案号 once per organ and kind.
CREATE UNIQUE INDEX challenges_case_no ON challenges (organ_id, kind, case_no);
