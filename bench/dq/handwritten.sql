-- The limit: the benchmark's 20 rules as one DuckDB query written by hand.
-- Plain metrics in one aggregate; the frequency metrics (uniqueness, distinct values,
-- entropy, unique-value ratio) from one GROUPING SETS scan. {{file}} is the Parquet file,
-- {{now}} the epoch seconds freshness is measured from.
WITH t AS (SELECT * FROM read_parquet('{{file}}')),
plain AS (
  SELECT
    count(*) AS row_count,
    count(id) / count(*) AS id_completeness,
    count(customer) / count(*) AS customer_completeness,
    count(amount) FILTER (WHERE status = 'ok') / count(*) FILTER (WHERE status = 'ok') AS amount_completeness_ok,
    avg(amount) AS amount_mean,
    sum(amount) AS amount_sum,
    stddev_pop(amount) AS amount_stddev,
    count(*) FILTER (WHERE amount >= 0) / count(*) AS amount_nonnegative,
    count(*) FILTER (WHERE status IN ('ok', 'late', 'void', 'new')) / count(*) AS status_valid,
    count(*) FILTER (WHERE country IN ('US', 'CA', 'UK', 'DE', 'FR', 'JP')) / count(*) AS country_valid,
    max(length(coalesce(code, ''))) AS code_max_length,
    count(*) FILTER (WHERE regexp_full_match(code, '[A-Z]{2}-[0-9]+')) / count(*) AS code_pattern,
    corr(amount, qty) AS amount_qty_correlation,
    count(*) FILTER (WHERE round(({{now}} - epoch(created)) / 3600.0, 2) <= 87600) / count(*) AS created_fresh
  FROM t
),
groups AS (
  SELECT grouping_id(id, customer, day, country, status) AS gid, id, customer, day, country, status, count(*) AS c
  FROM t
  GROUP BY GROUPING SETS ((id), (customer, day), (customer), (country), (status))
),
freq AS (
  SELECT
    count(*) FILTER (WHERE gid = 15 AND id IS NOT NULL AND c = 1) / sum(c) FILTER (WHERE gid = 15 AND id IS NOT NULL) AS id_uniqueness,
    count(*) FILTER (WHERE gid = 19 AND NOT (customer IS NULL AND day IS NULL) AND c = 1)
      / sum(c) FILTER (WHERE gid = 19 AND NOT (customer IS NULL AND day IS NULL)) AS customer_day_uniqueness,
    count(*) FILTER (WHERE gid = 23 AND customer IS NOT NULL AND c = 1) / count(*) FILTER (WHERE gid = 23 AND customer IS NOT NULL) AS customer_unique_value_ratio,
    count(*) FILTER (WHERE gid = 29 AND country IS NOT NULL) AS country_distinct,
    ln(sum(c) FILTER (WHERE gid = 30 AND status IS NOT NULL))
      - sum(c * ln(c)) FILTER (WHERE gid = 30 AND status IS NOT NULL) / sum(c) FILTER (WHERE gid = 30 AND status IS NOT NULL) AS status_entropy
  FROM groups
)
SELECT * FROM plain, freq
