-- The table-三 row (国办公开办函〔2021〕30号, 三、本年度办理结果) of a case closed by a closing event,
-- cached beside `closed_on` when the reply or withdrawal is recorded: the annual report then reads
-- one row per closed case instead of replaying its whole timeline (issue 7: a district of 1,000
-- organs in < 5 s). NULL while the case is open, for a case abandoned without its filing event (the
-- report evaluates those), and for cases closed before this column existed (evaluated as before).
ALTER TABLE applications ADD COLUMN result_row TEXT NULL;

-- The report's read of closed cases by organ and closing date.
CREATE INDEX applications_closed ON applications (organ_id, closed_on) WHERE closed_on IS NOT NULL;
