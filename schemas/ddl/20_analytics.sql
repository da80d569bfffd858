-- envoy warehouse: the relations analytics layer (views and table macros over `events`).
-- Applied after 10_warehouse.sql by pipeline.load.ensure_schema, and by pipeline.analytics over an
-- in-memory DuckDB for the Parquet lake. Idempotent: every object is CREATE OR REPLACE.
-- Documented with examples in docs/analytics.md.
--
-- Vocabulary: a "dyad" is DIRECTED (source_actor -> target_actor); a "pair"/"relation" is the
-- UNORDERED couple {actor_a, actor_b} with actor_a < actor_b, both directions combined.
-- Every count below counts DEDUPLICATED events (see events_dedup), never raw article reports.

-- One row per real-world event: the same (event_date, source, target, CAMEO code) reported by
-- several articles (or several times in one article) collapses into one row.
CREATE OR REPLACE VIEW events_dedup AS
SELECT
    event_date,
    source_actor,
    target_actor,
    cameo_code,
    min(cameo_root)                                                       AS cameo_root,
    min(quad_class)                                                       AS quad_class,
    avg(goldstein)                                                        AS goldstein,
    len(list_distinct(list(article_id)))                                  AS n_articles,
    sum(mentions)                                                         AS n_mentions,
    count(*)                                                              AS n_reports,
    max(confidence)                                                       AS max_confidence,
    min(publication_date)                                                 AS first_reported,
    max(publication_date)                                                 AS last_reported,
    arg_min(event_id, (publication_date, article_id, sentence_index))     AS first_event_id,
    arg_min(article_id, (publication_date, article_id, sentence_index))   AS first_article_id,
    arg_min(evidence, (publication_date, article_id, sentence_index))     AS first_evidence,
    arg_min(trigger, (publication_date, article_id, sentence_index))      AS first_trigger,
    arg_min(source_name, (publication_date, article_id, sentence_index))  AS source_name,
    arg_min(target_name, (publication_date, article_id, sentence_index))  AS target_name,
    -- plain list() + list_distinct, not count(DISTINCT): DuckDB prunes unused plain aggregates, so
    -- queries that never read n_articles/article_ids skip this work (2x faster at 10M events).
    list_sort(list_distinct(list(article_id)))                            AS article_ids
FROM events
GROUP BY event_date, source_actor, target_actor, cameo_code;

-- The events in PLOVER terms (docs/plover.md): one row per report with a PLOVER type (CAMEO 01 and 02
-- have none and are left out), actors oriented as PLOVER orients them (CAMEO 043 "host a visit": the
-- visitor becomes the source), PLOVER's quad category and score. Rows loaded before the plover_* columns
-- existed get them from the mapping (plover_codes, 12_plover.sql).
CREATE OR REPLACE VIEW events_plover AS
SELECT
    e.event_id,
    e.article_id,
    e.source_file,
    e.sentence_index,
    e.publication_date,
    e.event_date,
    CASE WHEN m.swap_actors THEN e.target_actor ELSE e.source_actor END    AS source_actor,
    CASE WHEN m.swap_actors THEN e.source_actor ELSE e.target_actor END    AS target_actor,
    CASE WHEN m.swap_actors THEN e.target_name ELSE e.source_name END      AS source_name,
    CASE WHEN m.swap_actors THEN e.source_name ELSE e.target_name END      AS target_name,
    coalesce(m.swap_actors, false)                                         AS actors_swapped,
    e.cameo_code,
    t.plover_event,
    coalesce(e.plover_mode, m.plover_mode)                                 AS plover_mode,
    m.plover_context,
    t.plover_quad,
    t.plover_quad_class,
    t.plover_score,
    e.confidence,
    e.mentions,
    e.trigger,
    e.evidence,
    e.place_name,
    e.place_country,
    e.place_adm1,
    e.place_latitude,
    e.place_longitude,
    e.place_precision
FROM events AS e
LEFT JOIN plover_codes AS m ON m.cameo_code = e.cameo_code
JOIN plover_types AS t ON t.plover_event = coalesce(e.plover_event, m.plover_event);

-- One row per real-world event in PLOVER terms: the same (event_date, source, target, PLOVER type),
-- whatever CAMEO codes and articles reported it. Score and QuadClass are the type's.
CREATE OR REPLACE VIEW events_plover_dedup AS
SELECT
    event_date,
    source_actor,
    target_actor,
    plover_event,
    min(plover_quad_class)                                                AS quad_class,
    min(plover_score)                                                     AS goldstein,
    count(*)                                                              AS n_reports,
    sum(mentions)                                                         AS n_mentions
FROM events_plover
GROUP BY event_date, source_actor, target_actor, plover_event;

-- The deduplicated events a relations question counts, under a coding scheme: 'cameo' (events_dedup:
-- CAMEO QuadClass and Goldstein) or 'plover' (events_plover_dedup: PLOVER quad and score in the same
-- columns). The scheme is a constant in every call, so DuckDB reads only that scheme's branch.
CREATE OR REPLACE MACRO scored_events(scheme) AS TABLE
SELECT event_date, source_actor, target_actor, quad_class, goldstein
FROM events_dedup WHERE lower(scheme) = 'cameo'
UNION ALL
SELECT event_date, source_actor, target_actor, quad_class, goldstein
FROM events_plover_dedup WHERE lower(scheme) = 'plover';

-- Directed dyad timelines at any grain ('day' | 'week' | 'month' | 'quarter' | 'year'), one row per
-- (source_actor, target_actor, period_start). `events` = deduplicated events; q1..q4 = deduplicated events
-- per QuadClass (1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict);
-- n_articles = distinct articles reporting any of them; n_mentions = sum of mentions. Weeks are ISO weeks
-- (period_start = Monday). A filter on the dyad is pushed into both scans.
CREATE OR REPLACE MACRO dyad_periods(grain) AS TABLE
WITH ev AS (
    SELECT
        source_actor,
        target_actor,
        CAST(date_trunc(grain, event_date) AS DATE)    AS period_start,
        count(*)                                       AS events,
        count(*) FILTER (WHERE quad_class = 1)         AS q1,
        count(*) FILTER (WHERE quad_class = 2)         AS q2,
        count(*) FILTER (WHERE quad_class = 3)         AS q3,
        count(*) FILTER (WHERE quad_class = 4)         AS q4,
        sum(goldstein)                                 AS goldstein_sum,
        avg(goldstein)                                 AS goldstein_mean,
        sum(n_mentions)                                AS n_mentions
    FROM events_dedup
    GROUP BY ALL
), arts AS (
    -- straight from the reports: every report belongs to exactly one deduplicated event of the same
    -- day, so this is the number of articles behind the period's events, without carrying id lists
    SELECT
        source_actor,
        target_actor,
        CAST(date_trunc(grain, event_date) AS DATE)    AS period_start,
        count(DISTINCT article_id)                     AS n_articles
    FROM events
    GROUP BY ALL
)
SELECT
    ev.source_actor, ev.target_actor, ev.period_start, events, q1, q2, q3, q4,
    goldstein_sum, goldstein_mean, n_articles, n_mentions
FROM ev JOIN arts USING (source_actor, target_actor, period_start);

CREATE OR REPLACE VIEW dyad_daily AS SELECT * FROM dyad_periods('day');
CREATE OR REPLACE VIEW dyad_weekly AS SELECT * FROM dyad_periods('week');
CREATE OR REPLACE VIEW dyad_monthly AS SELECT * FROM dyad_periods('month');

-- Deduplicated events seen from the unordered pair: actor_a < actor_b, `a_to_b` says the direction.
-- Self-directed events (source = target, e.g. domestic) are not relations and are left out.
CREATE OR REPLACE VIEW pair_events AS
SELECT
    least(source_actor, target_actor)      AS actor_a,
    greatest(source_actor, target_actor)   AS actor_b,
    source_actor < target_actor            AS a_to_b,
    *
FROM events_dedup
WHERE source_actor <> target_actor;

-- "How are A and B doing", over all time: one row per unordered pair with both directions.
-- balance = mean Goldstein over both directions' deduplicated events (-10 hostile .. +10 friendly).
CREATE OR REPLACE VIEW relations AS
SELECT
    actor_a,
    actor_b,
    count(*)                                              AS events,
    count(*) FILTER (WHERE a_to_b)                        AS events_a_to_b,
    count(*) FILTER (WHERE NOT a_to_b)                    AS events_b_to_a,
    avg(goldstein) FILTER (WHERE a_to_b)                  AS goldstein_a_to_b,
    avg(goldstein) FILTER (WHERE NOT a_to_b)              AS goldstein_b_to_a,
    count(*) FILTER (WHERE quad_class IN (1, 2))          AS cooperation,
    count(*) FILTER (WHERE quad_class IN (3, 4))          AS conflict,
    avg(goldstein)                                        AS balance,
    sum(goldstein)                                        AS goldstein_sum,
    min(event_date)                                       AS first_event,
    max(event_date)                                       AS last_event
FROM pair_events
GROUP BY actor_a, actor_b;

-- The same per calendar month (period_start = first day of the month).
CREATE OR REPLACE VIEW relations_monthly AS
SELECT
    actor_a,
    actor_b,
    CAST(date_trunc('month', event_date) AS DATE)         AS period_start,
    count(*)                                              AS events,
    count(*) FILTER (WHERE a_to_b)                        AS events_a_to_b,
    count(*) FILTER (WHERE NOT a_to_b)                    AS events_b_to_a,
    avg(goldstein) FILTER (WHERE a_to_b)                  AS goldstein_a_to_b,
    avg(goldstein) FILTER (WHERE NOT a_to_b)              AS goldstein_b_to_a,
    count(*) FILTER (WHERE quad_class IN (1, 2))          AS cooperation,
    count(*) FILTER (WHERE quad_class IN (3, 4))          AS conflict,
    avg(goldstein)                                        AS balance,
    sum(goldstein)                                        AS goldstein_sum
FROM pair_events
GROUP BY ALL;

-- Directed timeline of a -> b at grain 'day' | 'week' | 'month' (| 'quarter' | 'year'), columns as
-- dyad_periods. Periods without events are absent (not zero rows). Codes are matched case-insensitively.
CREATE OR REPLACE MACRO dyad_timeline(a, b, grain := 'month') AS TABLE
SELECT * EXCLUDE (source_actor, target_actor)
FROM dyad_periods(grain)
WHERE source_actor = upper(a) AND target_actor = upper(b)
ORDER BY period_start;

-- Both directions of the pair {a, b} per period, oriented as asked (a first, whatever the
-- alphabetical order), optionally limited to [since, until] (inclusive, NULL = open). With
-- scheme := 'plover' the events are PLOVER's (events_plover_dedup) and the goldstein/balance columns
-- carry PLOVER scores, cooperation/conflict PLOVER's quad categories (the same for the two macros below).
CREATE OR REPLACE MACRO relations_timeline(a, b, grain := 'month', since := NULL, until := NULL,
    scheme := 'cameo') AS TABLE
SELECT
    CAST(date_trunc(grain, event_date) AS DATE)                            AS period_start,
    count(*)                                                               AS events,
    count(*) FILTER (WHERE source_actor = upper(a))                        AS events_a_to_b,
    count(*) FILTER (WHERE source_actor = upper(b))                        AS events_b_to_a,
    avg(goldstein) FILTER (WHERE source_actor = upper(a))                  AS goldstein_a_to_b,
    avg(goldstein) FILTER (WHERE source_actor = upper(b))                  AS goldstein_b_to_a,
    count(*) FILTER (WHERE quad_class IN (1, 2))                           AS cooperation,
    count(*) FILTER (WHERE quad_class IN (3, 4))                           AS conflict,
    avg(goldstein)                                                         AS balance
FROM scored_events(scheme)
WHERE ((source_actor = upper(a) AND target_actor = upper(b))
    OR (source_actor = upper(b) AND target_actor = upper(a)))
  AND upper(a) <> upper(b)
  AND event_date >= coalesce(CAST(since AS DATE), DATE '0001-01-01')
  AND event_date <= coalesce(CAST(until AS DATE), DATE '9999-12-31')
GROUP BY 1
ORDER BY 1;

-- One row for the pair {a, b} over [since, until], oriented as asked (the `relations` row, with dates).
CREATE OR REPLACE MACRO relation_summary(a, b, since := NULL, until := NULL, scheme := 'cameo') AS TABLE
SELECT upper(a) AS actor_a, upper(b) AS actor_b, s.*
FROM (
    SELECT
        count(*)                                                           AS events,
        count(*) FILTER (WHERE source_actor = upper(a))                    AS events_a_to_b,
        count(*) FILTER (WHERE source_actor = upper(b))                    AS events_b_to_a,
        avg(goldstein) FILTER (WHERE source_actor = upper(a))              AS goldstein_a_to_b,
        avg(goldstein) FILTER (WHERE source_actor = upper(b))              AS goldstein_b_to_a,
        count(*) FILTER (WHERE quad_class IN (1, 2))                       AS cooperation,
        count(*) FILTER (WHERE quad_class IN (3, 4))                       AS conflict,
        avg(goldstein)                                                     AS balance,
        min(event_date)                                                    AS first_event,
        max(event_date)                                                    AS last_event
    FROM scored_events(scheme)
    WHERE ((source_actor = upper(a) AND target_actor = upper(b))
        OR (source_actor = upper(b) AND target_actor = upper(a)))
      AND upper(a) <> upper(b)
      AND event_date >= coalesce(CAST(since AS DATE), DATE '0001-01-01')
      AND event_date <= coalesce(CAST(until AS DATE), DATE '9999-12-31')
) AS s;

-- Partners of `a` (events in either direction) in [since, until] (inclusive, NULL = open), with
-- cooperation (QuadClass 1-2) and conflict (3-4) counts and a rank by each (1 = most; NULL for a
-- partner with none of that kind).
CREATE OR REPLACE MACRO top_partners(a, since := NULL, until := NULL, scheme := 'cameo') AS TABLE
WITH mine AS (
    SELECT
        CASE WHEN source_actor = upper(a) THEN target_actor ELSE source_actor END AS partner,
        source_actor = upper(a) AS outgoing,
        quad_class,
        goldstein
    FROM scored_events(scheme)
    WHERE (source_actor = upper(a) OR target_actor = upper(a))
      AND source_actor <> target_actor
      AND event_date >= coalesce(CAST(since AS DATE), DATE '0001-01-01')
      AND event_date <= coalesce(CAST(until AS DATE), DATE '9999-12-31')
), per_partner AS (
    SELECT
        partner,
        count(*)                                       AS events,
        count(*) FILTER (WHERE outgoing)               AS outgoing,
        count(*) FILTER (WHERE NOT outgoing)           AS incoming,
        count(*) FILTER (WHERE quad_class IN (1, 2))   AS cooperation,
        count(*) FILTER (WHERE quad_class IN (3, 4))   AS conflict,
        sum(goldstein) FILTER (WHERE goldstein > 0)    AS goldstein_positive,
        sum(goldstein) FILTER (WHERE goldstein < 0)    AS goldstein_negative,
        avg(goldstein)                                 AS balance
    FROM mine
    GROUP BY partner
)
SELECT
    *,
    -- a partner with no cooperation (conflict) has no rank by it: NULL, not a last place
    CASE WHEN cooperation > 0
        THEN rank() OVER (ORDER BY cooperation DESC, balance DESC NULLS LAST) END AS cooperation_rank,
    CASE WHEN conflict > 0
        THEN rank() OVER (ORDER BY conflict DESC, balance ASC NULLS LAST) END     AS conflict_rank
FROM per_partner
ORDER BY events DESC, partner;

-- Directed dyads whose mean Goldstein changed most between period 1 and period 2 (inclusive
-- bounds). Only dyads with at least `min_events` deduplicated events in BOTH periods.
CREATE OR REPLACE MACRO goldstein_shifts(p1_start, p1_end, p2_start, p2_end, min_events := 1) AS TABLE
WITH periods AS (
    SELECT
        source_actor,
        target_actor,
        count(*) FILTER (WHERE event_date <= CAST(p1_end AS DATE) AND event_date >= CAST(p1_start AS DATE))
            AS events_1,
        avg(goldstein) FILTER (WHERE event_date <= CAST(p1_end AS DATE) AND event_date >= CAST(p1_start AS DATE))
            AS goldstein_1,
        count(*) FILTER (WHERE event_date <= CAST(p2_end AS DATE) AND event_date >= CAST(p2_start AS DATE))
            AS events_2,
        avg(goldstein) FILTER (WHERE event_date <= CAST(p2_end AS DATE) AND event_date >= CAST(p2_start AS DATE))
            AS goldstein_2
    FROM events_dedup
    WHERE source_actor <> target_actor
      AND ((event_date >= CAST(p1_start AS DATE) AND event_date <= CAST(p1_end AS DATE))
        OR (event_date >= CAST(p2_start AS DATE) AND event_date <= CAST(p2_end AS DATE)))
    GROUP BY source_actor, target_actor
)
SELECT
    source_actor,
    target_actor,
    events_1,
    goldstein_1,
    events_2,
    goldstein_2,
    goldstein_2 - goldstein_1 AS shift
FROM periods
WHERE events_1 >= min_events AND events_2 >= min_events
ORDER BY abs(goldstein_2 - goldstein_1) DESC, events_1 + events_2 DESC, source_actor, target_actor;

-- Every report (not deduplicated) of a -> b with its evidence sentence, newest first, optionally
-- only CAMEO codes starting with `code` (e.g. '04' = every CONSULT code) and both directions.
CREATE OR REPLACE MACRO dyad_evidence(a, b, code := NULL, both_directions := false) AS TABLE
SELECT
    e.event_date,
    e.source_actor,
    e.target_actor,
    e.cameo_code,
    e.quad_class,
    e.goldstein,
    e.confidence,
    e.trigger,
    -- where it happened: "Geneva, CHE" (NULL when no place is stated), then the place columns
    CASE WHEN e.place_name IS NOT NULL
        THEN e.place_name || coalesce(', ' || e.place_country, '') END    AS place,
    e.evidence,
    e.article_id,
    e.publication_date,
    e.source_file,
    e.event_id,
    e.place_name,
    e.place_country,
    e.place_adm1,
    e.place_latitude,
    e.place_longitude,
    e.place_precision,
    e.place_source
FROM events AS e
WHERE ((e.source_actor = upper(a) AND e.target_actor = upper(b))
    OR (both_directions AND e.source_actor = upper(b) AND e.target_actor = upper(a)))
  AND (code IS NULL OR starts_with(e.cameo_code, CAST(code AS VARCHAR)))
ORDER BY e.event_date DESC, e.publication_date DESC, e.article_id, e.sentence_index;
