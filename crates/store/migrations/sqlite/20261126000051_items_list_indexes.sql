-- Indexes found by the load test of the public column (bench/load-items.sh, 100,000 items):
-- - the 政策解读 of a document (item page): without (interprets_item_id, state, published_on, id)
--   the planner preferred the published-date index and scanned every published item (≈1 s);
-- - the staff list of an organ's items, newest change first (back office).
DROP INDEX items_interprets;
CREATE INDEX items_interprets ON items (interprets_item_id, state, published_on, id);
CREATE INDEX items_work_recent ON items (organ_id, updated_at DESC, id DESC);
