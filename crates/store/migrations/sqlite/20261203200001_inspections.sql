-- Inspections (监督检查), 通报 and 整改 (issue 8): a supervising organ inspects one organ of its
-- subtree, or that organ and all organs below it; records the problems found, each for one organ
-- of the scope and optionally linked to a record of that organ; issues one 通报 with a
-- rectification deadline in working days; each organ answers its problems and the supervisor
-- closes or reopens them. 条例第四十七条 (监督检查), 第五十二、五十三条 (责令改正).
-- Dates are 'YYYY-MM-DD' text; instants RFC 3339 UTC text.

CREATE TABLE inspections (
    id              INTEGER PRIMARY KEY,
    -- The supervising organ (whose 监督员 opened it).
    organ_id        INTEGER NOT NULL REFERENCES organs (id),
    -- The inspected organ, in the supervising organ's subtree.
    scope_organ_id  INTEGER NOT NULL REFERENCES organs (id),
    -- 1: the inspected organ and every organ below it; 0: that organ only.
    include_below   INTEGER NOT NULL CHECK (include_below IN (0, 1)),
    title           TEXT    NOT NULL,
    -- What is inspected: timeliness, channels, accuracy, annual_report, applications, other.
    kind            TEXT    NOT NULL,
    subject         TEXT    NOT NULL DEFAULT '',
    opened_by       INTEGER NULL REFERENCES users (id),
    opened_at       TEXT    NOT NULL,
    -- The 通报, once issued (all NULL before); the document is frozen as typeset JSON.
    notice_doc_no   TEXT    NULL,
    notice_text     TEXT    NULL,
    issued_on       TEXT    NULL,
    deadline_days   INTEGER NULL,
    deadline_on     TEXT    NULL,
    notice_json     TEXT    NULL,
    issued_by       INTEGER NULL REFERENCES users (id),
    issued_at       TEXT    NULL
);

CREATE INDEX inspections_organ ON inspections (organ_id, id);

CREATE TABLE inspection_problems (
    id              INTEGER PRIMARY KEY,
    inspection_id   INTEGER NOT NULL REFERENCES inspections (id),
    -- The organ the problem was found at (in the inspection's scope).
    organ_id        INTEGER NOT NULL REFERENCES organs (id),
    description     TEXT    NOT NULL,
    -- Optional link to a record of that organ: item, application, challenge or report_cell.
    link_kind       TEXT    NULL,
    link_id         INTEGER NULL,
    link_year       INTEGER NULL,
    link_cell       TEXT    NULL,
    -- pending (待整改), answered (已反馈), closed (已销号), reopened (退回重新整改).
    state           TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'answered', 'closed', 'reopened')),
    -- The organ's latest answer (整改情况) and the date the rectification was done.
    rectification   TEXT    NOT NULL DEFAULT '',
    done_on         TEXT    NULL,
    answered_at     TEXT    NULL,
    -- The supervisor's latest comment (on reopening or closing).
    comment         TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX inspection_problems_inspection ON inspection_problems (inspection_id, id);
-- An organ's problems and the overdue count per organ.
CREATE INDEX inspection_problems_organ ON inspection_problems (organ_id, state);

-- The history of each problem: every answer, closing and reopening, in order.
CREATE TABLE inspection_problem_events (
    id          INTEGER PRIMARY KEY,
    problem_id  INTEGER NOT NULL REFERENCES inspection_problems (id),
    -- answer, close, reopen.
    kind        TEXT    NOT NULL,
    text        TEXT    NOT NULL DEFAULT '',
    done_on     TEXT    NULL,
    by_user     INTEGER NULL REFERENCES users (id),
    at          TEXT    NOT NULL
);

CREATE INDEX inspection_problem_events_problem ON inspection_problem_events (problem_id, id);
