-- PostgreSQL twin of migrations/sqlite/20261203100001_supervision.sql.
-- The supervision dashboard (监督保障, 条例第四十七条): the scoring (考核) weights each supervising
-- organ sets, one whole number per criterion as a JSON object by criterion key. (Applications closed in a period
-- per organ are counted with the index `applications_closed` of 20261203000001.)

CREATE TABLE supervision_weights (
    organ_id   BIGINT PRIMARY KEY REFERENCES organs (id),
    weights    TEXT   NOT NULL,
    updated_by BIGINT NULL REFERENCES users (id),
    updated_at TEXT COLLATE "C" NOT NULL
);

