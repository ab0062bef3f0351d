-- The limit: the benchmark's 20 rules as one DuckDB query written by hand.
-- Plain metrics in one aggregate; the frequency metrics (uniqueness, distinct values,
-- entropy, unique-value ratio) from one GROUP BY each (faster here than one GROUPING SETS
-- scan), the distinct countries as count(DISTINCT). `t` is NOT MATERIALIZED: a CTE used
-- more than once would otherwise be materialized whole (every column) before the scans.
-- {{file}} is the Parquet file, {{now}} the epoch seconds freshness is measured from.
WITH t AS NOT MATERIALIZED (SELECT * FROM read_parquet('{{file}}')),
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
id_groups AS (SELECT count(*) AS c FROM t WHERE id IS NOT NULL GROUP BY id),
customer_day_groups AS (SELECT count(*) AS c FROM t WHERE customer IS NOT NULL OR day IS NOT NULL GROUP BY customer, day),
customer_groups AS (SELECT count(*) AS c FROM t WHERE customer IS NOT NULL GROUP BY customer),
status_groups AS (SELECT count(*) AS c FROM t WHERE status IS NOT NULL GROUP BY status),
freq AS (
  SELECT
    (SELECT count(*) FILTER (WHERE c = 1) / sum(c) FROM id_groups) AS id_uniqueness,
    (SELECT count(*) FILTER (WHERE c = 1) / sum(c) FROM customer_day_groups) AS customer_day_uniqueness,
    (SELECT count(*) FILTER (WHERE c = 1) / count(*) FROM customer_groups) AS customer_unique_value_ratio,
    (SELECT count(DISTINCT country) FROM t) AS country_distinct,
    (SELECT ln(sum(c)) - sum(c * ln(c)) / sum(c) FROM status_groups) AS status_entropy
)
SELECT * FROM plain, freq
