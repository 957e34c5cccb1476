-- The supervision dashboard (监督保障, 条例第四十七条): the scoring (考核) weights each supervising
-- organ sets, one whole number per criterion as a JSON object by criterion key. (Applications closed in a period
-- per organ are counted with the index `applications_closed` of 20261203000001.)

CREATE TABLE supervision_weights (
    organ_id   INTEGER PRIMARY KEY REFERENCES organs (id),
    weights    TEXT    NOT NULL,
    updated_by INTEGER NULL REFERENCES users (id),
    updated_at TEXT    NOT NULL
);

