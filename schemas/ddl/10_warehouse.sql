-- envoy warehouse: base tables. Applied (idempotently) by pipeline.load.ensure_schema, in file-name order
-- with the other files of this folder. Columns mirror the Arrow contracts in schemas/__init__.py,
-- plus ingest_date: the landing day a row was loaded from (the unit of idempotent reloads).

CREATE TABLE IF NOT EXISTS articles (
    article_id       VARCHAR PRIMARY KEY,
    source_file      VARCHAR NOT NULL,
    publication_date DATE NOT NULL,
    title            VARCHAR,
    url              VARCHAR,
    source           VARCHAR,
    n_chars          BIGINT NOT NULL,
    ingested_at      TIMESTAMPTZ NOT NULL,
    ingest_date      DATE NOT NULL
);

CREATE TABLE IF NOT EXISTS events (
    event_id         VARCHAR PRIMARY KEY,
    article_id       VARCHAR NOT NULL,
    source_file      VARCHAR NOT NULL,
    sentence_index   INTEGER NOT NULL,
    publication_date DATE NOT NULL,
    event_date       DATE NOT NULL,
    date_precision   VARCHAR NOT NULL,
    source_actor     VARCHAR NOT NULL,
    source_name      VARCHAR,
    target_actor     VARCHAR NOT NULL,
    target_name      VARCHAR,
    cameo_code       VARCHAR NOT NULL,
    cameo_root       VARCHAR NOT NULL,
    quad_class       TINYINT NOT NULL,
    goldstein        DOUBLE NOT NULL,
    confidence       DOUBLE NOT NULL,
    evidence         VARCHAR NOT NULL,
    trigger          VARCHAR,
    mentions         INTEGER NOT NULL,
    source_agent     VARCHAR,
    target_agent     VARCHAR,
    ingest_date      DATE NOT NULL
);

CREATE TABLE IF NOT EXISTS quarantine (
    file        VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    detail      VARCHAR,
    day         DATE,
    recorded_at TIMESTAMPTZ NOT NULL,
    ingest_date DATE NOT NULL
);

CREATE TABLE IF NOT EXISTS runs (
    run_id              VARCHAR PRIMARY KEY,
    day                 DATE NOT NULL,
    started_at          TIMESTAMPTZ NOT NULL,
    finished_at         TIMESTAMPTZ,
    status              VARCHAR NOT NULL,      -- loaded | validation_failed | failed | empty
    trigger             VARCHAR,               -- cli | airflow
    files               INTEGER,
    articles            INTEGER,
    events              INTEGER,
    quarantined         INTEGER,
    duplicates          INTEGER,
    validation_success  BOOLEAN,
    failed_expectations VARCHAR,               -- JSON list of failed expectation descriptions
    timings             VARCHAR,               -- JSON object: seconds per stage
    data_docs           VARCHAR                -- path of the Data Docs index for this run
);
-- articles the coder could not code in this run (each logged with its file and skipped); added after
-- the first release, so older warehouses get it here
ALTER TABLE runs ADD COLUMN IF NOT EXISTS coding_failures INTEGER;
