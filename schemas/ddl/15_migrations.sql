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

-- issue 13: where an event happened, and its CAMEO code in PLOVER terms. Rows loaded before keep null
-- places (they were coded without them); their PLOVER columns are filled by the view events_plover from
-- the mapping (plover_codes, 12_plover.sql), so no row needs rewriting.
ALTER TABLE events ADD COLUMN IF NOT EXISTS place_name VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS place_country VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS place_adm1 VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS place_latitude DOUBLE;
ALTER TABLE events ADD COLUMN IF NOT EXISTS place_longitude DOUBLE;
ALTER TABLE events ADD COLUMN IF NOT EXISTS place_precision VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS place_source VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS plover_event VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS plover_mode VARCHAR;
