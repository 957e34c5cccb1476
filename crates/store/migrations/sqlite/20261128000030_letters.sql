-- Letters to applicants (告知书): the templates an organ edited (the defaults ship with the
-- program, crates/letters), and the letters issued for a case as rendered at the time — a later
-- template edit never changes a letter already sent.

CREATE TABLE letter_templates (
    id          INTEGER PRIMARY KEY,
    organ_id    INTEGER NOT NULL REFERENCES organs (id),
    -- A `gongkai_letters::Template` key, e.g. 'reply_partial'.
    template    TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    updated_by  INTEGER NULL REFERENCES users (id),
    updated_at  TEXT    NOT NULL,
    UNIQUE (organ_id, template)
);

CREATE TABLE application_letters (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    -- A `gongkai_letters::LetterKind` as JSON, e.g. {"kind":"reply","outcome":"granted"}.
    kind_json      TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    -- The rendered text (the letters crate's text convention turns it into DOCX and PDF).
    body_text      TEXT    NOT NULL,
    created_by     INTEGER NULL REFERENCES users (id),
    created_at     TEXT    NOT NULL
);
CREATE INDEX application_letters_application ON application_letters (application_id);
