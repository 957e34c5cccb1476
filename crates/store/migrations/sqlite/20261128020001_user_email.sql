-- Staff e-mail addresses, for deadline reminders (条例 Art 33 reply periods). NULL = no address:
-- the reminder sweep skips the user and logs it. Stored trimmed, validated by the store.
ALTER TABLE users ADD COLUMN email TEXT NULL;
