-- PostgreSQL twin of migrations/sqlite/20261203000001_application_result_row.sql.
-- The table-三 row (国办公开办函〔2021〕30号, 三、本年度办理结果) of a case closed by a closing event,
-- cached beside `closed_on` when the reply or withdrawal is recorded: the annual report then reads
-- one index entry per closed case instead of replaying its whole timeline (issue 7: a district of
-- 1,000 organs in < 5 s). NULL exactly when `closed_on` is NULL: while the case is open, and for a
-- case abandoned by the lapse of the applicant's period before the officer filed it (the report
-- replays those, the clock decides when they closed).
ALTER TABLE applications ADD COLUMN result_row TEXT NULL;

-- The cases closed before this column existed, from their cached outcome by the rule of
-- `gongkai_law::Outcome::table3_row` (an outcome's key is its row's key except 已主动公开 →
-- 予以公开 and 非本机关负责公开 → 本机关不掌握; crates/store/tests/applications.rs runs this statement
-- for every outcome), and a withdrawal (no outcome) → 其他 (the clock's rule for 撤回).
UPDATE applications SET result_row = CASE
    WHEN outcome IS NULL THEN 'other_other'
    WHEN outcome = 'already_public' THEN 'granted'
    WHEN outcome = 'not_this_organ' THEN 'unable_not_held'
    ELSE outcome END
WHERE closed_on IS NOT NULL AND result_row IS NULL;

-- The report's two reads: the closed cases of a year from the index alone (no table row), and the
-- cases without a closing event with their timelines. The supervision dashboard counts from the
-- same closed-cases index (closed / replied / replied late in a period: `state`, `due_on`) and
-- from `applications_organ`, widened so that "open at the end of the period" and "overdue then"
-- are counted from the index alone as well.
CREATE INDEX applications_closed ON applications (organ_id, closed_on, received_on, applicant_type, result_row, state, due_on) WHERE closed_on IS NOT NULL;
CREATE INDEX applications_unclosed ON applications (organ_id, received_on) WHERE closed_on IS NULL;
DROP INDEX applications_organ;
CREATE INDEX applications_organ ON applications (organ_id, received_on, closed_on, due_on);

-- Section 六's fees paid in a year (the 缴费 events of the year, not every event of every case).
CREATE INDEX application_events_fee_paid ON application_events (occurred_on, application_id) WHERE kind = 'fee_paid';
