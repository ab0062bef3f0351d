"""One timed soda-core scan of the benchmark's checks, in a fresh process.

    python bench/dq/soda_bench.py <parquet> <checks.yml>

Prints one JSON line: {engine, ms, peak_rss_mb, checks, failed}. The clock runs from the
scan's start to its end; the Parquet file is a DuckDB view, as for the other engines.
"""
import json
import resource
import sys
import time

import duckdb
from soda.scan import Scan


def main() -> None:
    parquet, checks = sys.argv[1], sys.argv[2]
    con = duckdb.connect()
    con.execute(f"CREATE VIEW orders AS SELECT * FROM read_parquet('{parquet}')")
    scan = Scan()
    scan.set_data_source_name("duckdb")
    scan.add_duckdb_connection(duckdb_connection=con, data_source_name="duckdb")
    with open(checks, encoding="utf-8") as f:
        scan.add_sodacl_yaml_str(f.read())
    t0 = time.perf_counter()
    scan.execute()
    ms = (time.perf_counter() - t0) * 1000
    results = scan.get_scan_results()
    failed = [c["name"] for c in results.get("checks", []) if c.get("outcome") != "pass"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"engine": "soda-core", "ms": round(ms), "peak_rss_mb": round(peak), "checks": len(results.get("checks", [])), "failed": failed, "errors": scan.has_error_logs()}))


if __name__ == "__main__":
    main()
