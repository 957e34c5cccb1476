-- Secrets that every app server of one deployment must share (e.g. the key that signs login-form
-- tokens), generated once by whichever server starts first.
CREATE TABLE instance_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
