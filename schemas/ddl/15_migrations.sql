-- Columns added after a warehouse may already exist: a no-op on one created from 10_warehouse.sql.
-- Applied in file-name order by pipeline.load.ensure_schema, before the views in 20_analytics.sql.

ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS article_id VARCHAR;
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS expectation VARCHAR;
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS payload VARCHAR;

ALTER TABLE runs ADD COLUMN IF NOT EXISTS landing VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS replace BOOLEAN;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS inputs INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS rejected INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS coding_errors INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS report VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS lake_version VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS error VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS host VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS pid INTEGER;
