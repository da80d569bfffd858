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
    place_name       VARCHAR,                  -- where it happened (null: no place stated)
    place_country    VARCHAR,                  -- ISO-3 of the state the place belonged to that day
    place_adm1       VARCHAR,                  -- ISO 3166-2 subdivision code
    place_latitude   DOUBLE,
    place_longitude  DOUBLE,
    place_precision  VARCHAR,                  -- city | adm1 | country | none
    place_source     VARCHAR,                  -- clause | journey | target | statement | dateline
    plover_event     VARCHAR,                  -- PLOVER event type of cameo_code (null: CAMEO 01/02)
    plover_mode      VARCHAR,                  -- PLOVER mode that follows from cameo_code
    ingest_date      DATE NOT NULL
);

CREATE TABLE IF NOT EXISTS quarantine (
    file        VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    detail      VARCHAR,
    day         DATE,
    recorded_at TIMESTAMPTZ NOT NULL,
    article_id  VARCHAR,                       -- set when validation moved a whole article here
    expectation VARCHAR,                       -- the failed expectation(s)
    payload     VARCHAR,                       -- JSON: the article row and its events
    ingest_date DATE NOT NULL
);

-- The run ledger (contract: schemas.RUNS; written by pipeline.ledger). One row per run, written when the
-- run starts and updated as each stage ends. inputs = articles + duplicates + quarantined.
CREATE TABLE IF NOT EXISTS runs (
    run_id              VARCHAR PRIMARY KEY,
    day                 DATE NOT NULL,
    started_at          TIMESTAMPTZ NOT NULL,  -- wall clock
    finished_at         TIMESTAMPTZ,
    status              VARCHAR NOT NULL,      -- schemas.RUN_STATUSES: running | loaded | empty | ...
    trigger             VARCHAR,               -- cli | airflow
    landing             VARCHAR,               -- the folder or file ingested
    replace             BOOLEAN,               -- asked to replace the day even with fewer articles
    files               INTEGER,               -- landing entries seen, of every kind
    inputs              INTEGER,               -- one per file, per JSON item or line, per unreadable file
    articles            INTEGER,
    duplicates          INTEGER,
    quarantined         INTEGER,               -- at ingest and at validation
    rejected            INTEGER,               -- articles moved to quarantine by validation
    coding_errors       INTEGER,               -- articles the coder raised on
    events              INTEGER,
    validation_success  BOOLEAN,
    failed_expectations VARCHAR,               -- JSON list of failed expectation descriptions
    timings             VARCHAR,               -- JSON object: seconds per stage
    data_docs           VARCHAR,               -- path of the Data Docs index for this run
    report              VARCHAR,               -- path of the relations report
    lake_version        VARCHAR,               -- the day's published lake version (manifest)
    error               VARCHAR,               -- why the run failed, was refused or crashed
    host                VARCHAR,
    pid                 INTEGER                -- the process running the whole run (cli)
);
