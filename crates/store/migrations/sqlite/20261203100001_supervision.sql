-- The supervision dashboard (监督保障, 条例第四十七条): the scoring (考核) weights each supervising
-- organ sets, one whole number per criterion as a JSON object by criterion key; and an index for
-- counting applications closed in a period per organ (the dashboard groups by organ over
-- `organ_id IN (…)` with `closed_on` in the period).

CREATE TABLE supervision_weights (
    organ_id   INTEGER PRIMARY KEY REFERENCES organs (id),
    weights    TEXT    NOT NULL,
    updated_by INTEGER NULL REFERENCES users (id),
    updated_at TEXT    NOT NULL
);

CREATE INDEX applications_closed ON applications (organ_id, closed_on) WHERE closed_on IS NOT NULL;
