"""One timed Great Expectations run of the benchmark's checks on pandas, in a fresh process.

    python bench/dq/gx_bench.py <parquet>

Prints one JSON line: {engine, ms, peak_rss_mb, checks, failed}. The clock covers reading
the Parquet file into pandas and validating (GX validates a DataFrame in memory). Checks
that GX has no expectation for (entropy, correlation, freshness share) are computed with
pandas beside it.
"""
import json
import resource
import sys
import time

import great_expectations as gx
import great_expectations.expectations as gxe
import numpy as np
import pandas as pd


def expectations() -> list:
    return [
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
        gxe.ExpectColumnValuesToNotBeNull(column="id"),
        gxe.ExpectColumnValuesToBeUnique(column="id"),
        gxe.ExpectColumnValuesToNotBeNull(column="customer", mostly=0.95),
        gxe.ExpectColumnValuesToNotBeNull(column="amount", mostly=0.9, row_condition='status=="ok"', condition_parser="pandas"),
        gxe.ExpectColumnMeanToBeBetween(column="amount", min_value=0, max_value=1000, strict_min=True, strict_max=True),
        gxe.ExpectColumnSumToBeBetween(column="amount", min_value=0, strict_min=True),
        gxe.ExpectColumnStdevToBeBetween(column="amount", min_value=0, strict_min=True),
        gxe.ExpectColumnValuesToBeBetween(column="amount", min_value=0, mostly=0.9),
        gxe.ExpectColumnValuesToBeInSet(column="status", value_set=["ok", "late", "void", "new"]),
        gxe.ExpectColumnValuesToBeInSet(column="country", value_set=["US", "CA", "UK", "DE", "FR", "JP"], mostly=0.8),
        gxe.ExpectColumnValueLengthsToBeBetween(column="code", max_value=12),
        gxe.ExpectColumnValuesToMatchRegex(column="code", regex=r"^[A-Z]{2}-[0-9]+$", mostly=0.9),
        gxe.ExpectColumnUniqueValueCountToBeBetween(column="country", min_value=4),
        gxe.ExpectColumnProportionOfUniqueValuesToBeBetween(column="customer", min_value=0),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["customer", "day"], mostly=0.1),
    ]


def main() -> None:
    parquet = sys.argv[1]
    t0 = time.perf_counter()
    df = pd.read_parquet(parquet)
    context = gx.get_context(mode="ephemeral")
    batch = context.data_sources.add_pandas("bench").add_dataframe_asset("orders").add_batch_definition_whole_dataframe("all").get_batch(batch_parameters={"dataframe": df})
    suite = context.suites.add(gx.ExpectationSuite(name="orders", expectations=expectations()))
    result = batch.validate(suite)
    failed = [r.expectation_config.type for r in result.results if not r.success]
    # What GX cannot express: entropy, correlation, the freshness share, primary key = unique + complete.
    counts = df["status"].value_counts(dropna=True)
    p = counts / counts.sum()
    extra = {
        "status_entropy": float(-(p * np.log(p)).sum()),
        "amount_qty_correlation": float(df["amount"].corr(df["qty"])),
        "created_fresh": float(((pd.Timestamp("2026-06-01") - df["created"]).dt.total_seconds() / 3600 <= 87600).mean()),
    }
    if extra["status_entropy"] <= 0.5:
        failed.append("status_entropy")
    ms = (time.perf_counter() - t0) * 1000
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"engine": "great-expectations", "ms": round(ms), "peak_rss_mb": round(peak), "checks": len(result.results) + len(extra), "failed": failed}))


if __name__ == "__main__":
    main()
