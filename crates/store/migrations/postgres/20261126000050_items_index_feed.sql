-- The search indexer of every app server polls `items` for rows changed after its watermark,
-- ordered by (updated_at, id) (store items/index_feed.rs): an index keeps that poll from scanning
-- the whole table every few seconds.
CREATE INDEX items_changes ON items (updated_at, id);
