"""Runs bench/fidelity's rules through Amazon deequ (PySpark 3.5, local[2]) and prints JSON.

    python deequ_eval.py DATA.parquet RULES.dqdl JARS_DIR DAGWRIGHT.json OUT.json TIMED.dqdl

For every rule of RULES.dqdl (one rule a line, inside `Rules = [ ... ]`):

1. deequ's DQDL parser (`software.amazon.glue:dqdl` 1.0.0, the only version on Maven Central)
   parses the rule alone. A rule it rejects is `unparsed`; if ANALYZER_FALLBACKS has it, its
   metric is computed with the deequ analyzer named there and judged by the same condition
   (`how: analyzers`), else it has no deequ outcome (`how: unparsed`).
2. `com.amazon.deequ.dqdl.EvaluateDataQuality.process` runs each parsed rule ALONE (`how:
   dqdl`): deequ folds every rule of a ruleset into one Spark aggregation, so one rule whose SQL
   does not analyse (say `flag IN ('true')` on a boolean column) fails every rule of the run
   with that rule's exception. Run alone, each rule answers for itself.
3. The timed run: the rules that parsed and did not fail with an exception alone, and that
   dagwright did not reject (DAGWRIGHT.json, from dagwright_eval.py), as one ruleset (written
   to TIMED.dqdl so that dagwright is timed on the same text), processed TIMED_RUNS times in
   the same warm Spark session.

Each result keeps deequ's own status (`Passed`, `Failed`, or `exception` when process() itself
threw) and reason; compare.py maps them to PASS / FAIL / ERROR.
"""

import json
import math
import os
import re
import sys
import time

from outcomes import is_exception
from py4j.protocol import Py4JJavaError
from pyspark.errors.exceptions.captured import CapturedException
from pyspark.sql import DataFrame, SparkSession
from rulesfile import read_rules, write_rules

# A Java exception as py4j raises it, or as PySpark converts it (IllegalArgumentException, ...).
JAVA_ERRORS = (Py4JJavaError, CapturedException)
TIMED_RUNS = int(os.environ.get("TIMED_RUNS", "3"))

# Rules deequ's DQDL evaluator cannot run because dqdl 1.0.0 does not parse them, computed
# with deequ's analyzers directly: rule text -> (analyzer, columns, metric name).
ANALYZER_FALLBACKS = {
    'Uniqueness "category" "qty" > 0.1': (
        "Uniqueness",
        ["category", "qty"],
        "Multicolumn.category,qty.Uniqueness",
    ),
    'Variance "amount" > 0': ("Variance", ["amount"], "Column.amount.Variance"),
}


def number(v: float) -> float | str:
    """JSON has no NaN/Infinity: they travel as the strings dagwright uses."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def judge(value: float, condition: str) -> bool:
    """The numeric conditions ANALYZER_FALLBACKS uses: `op number` or `between a and b`."""
    m = re.fullmatch(r"between\s+(\S+)\s+and\s+(\S+)", condition)
    if m:
        return float(m.group(1)) < value < float(m.group(2))
    m = re.fullmatch(r"(>=|<=|!=|=|>|<)\s*(\S+)", condition)
    if not m:
        raise ValueError(f"cannot judge {condition!r}")
    op, x = m.group(1), float(m.group(2))
    return {
        ">": value > x,
        ">=": value >= x,
        "<": value < x,
        "<=": value <= x,
        "=": value == x,
        "!=": value != x,
    }[op]


def main() -> None:
    data, rules_path, jars_dir, dagwright_path, out, timed_path = sys.argv[1:7]
    with open(dagwright_path, encoding="utf-8") as f:
        dagwright = json.load(f)
    jars = ",".join(
        os.path.join(jars_dir, j) for j in sorted(os.listdir(jars_dir)) if j.endswith(".jar")
    )
    t0 = time.perf_counter()
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("dagwright-bench-fidelity")
        .config("spark.jars", jars)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    jvm = spark._jvm
    df = spark.read.parquet(data)
    df.cache().count()
    startup_s = time.perf_counter() - t0

    parser = jvm.com.amazon.deequ.dqdl.util.DefaultDQDLParser
    edq = jvm.com.amazon.deequ.dqdl.EvaluateDataQuality
    none = jvm.scala.Option.empty()

    def process(rules: list[str]) -> list:
        jdf = edq.process(df._jdf, "Rules = [\n    " + ",\n    ".join(rules) + "\n]")
        return DataFrame(jdf, spark).collect()

    results = []
    for rule in read_rules(rules_path):
        entry: dict = {"rule": rule}
        try:
            parser.parse(f"Rules = [ {rule} ]")
        except JAVA_ERRORS as e:  # the parser's InvalidDataQualityRulesetException
            entry["parse_error"] = str(e).splitlines()[0][-300:]
            fb = ANALYZER_FALLBACKS.get(rule)
            if fb is None:
                entry.update(how="unparsed", status=None, metrics={})
            else:
                kind, cols, name = fb
                if kind == "Uniqueness":
                    seq = (
                        jvm.scala.collection.JavaConverters.asScalaBufferConverter(cols)
                        .asScala()
                        .toSeq()
                    )
                    analyzer = jvm.com.amazon.deequ.analyzers.Uniqueness(seq, none, none)
                else:
                    analyzer = getattr(jvm.com.amazon.deequ.analyzers, kind)(cols[0], none)
                metric = analyzer.calculate(df._jdf, none, none, none)
                tried = metric.value()
                if tried.isSuccess():
                    v = float(tried.get())
                    condition = rule.split(" ".join(f'"{c}"' for c in cols), 1)[1].strip()
                    entry.update(
                        how="analyzers",
                        analyzer=f"com.amazon.deequ.analyzers.{kind}",
                        status="Passed" if judge(v, condition) else "Failed",
                        metrics={name: number(v)},
                    )
                else:
                    entry.update(
                        how="analyzers",
                        analyzer=f"com.amazon.deequ.analyzers.{kind}",
                        status="Failed",
                        reason=str(tried.failed().get().getMessage()),
                        metrics={},
                    )
            results.append(entry)
            continue
        try:
            rows = process([rule])
        except JAVA_ERRORS as e:
            entry.update(
                how="dqdl",
                status="exception",
                reason=str(e).splitlines()[0][:300],
                metrics={},
            )
            results.append(entry)
            continue
        row = rows[0]
        entry.update(
            how="dqdl",
            canonical=row["Rule"],
            status=row["Outcome"],
            reason=row["FailureReason"],
            metrics={k: number(v) for k, v in sorted((row["EvaluatedMetrics"] or {}).items())},
        )
        results.append(entry)

    timed = [
        r["rule"]
        for r in results
        if r["how"] == "dqdl"
        and r["status"] != "exception"
        and not is_exception(r.get("reason"))
        and not (dagwright[r["rule"]].get("message") or "").startswith("ruleset rejected: ")
    ]
    write_rules(timed_path, timed)
    runs_ms = []
    for _ in range(TIMED_RUNS):
        t = time.perf_counter()
        process(timed)
        runs_ms.append(round((time.perf_counter() - t) * 1000))
    spark.stop()
    with open(out, "w", encoding="utf-8") as f:
        json.dump(
            {
                "engine": "deequ",
                "startup_ms": round(startup_s * 1000),
                "timed_rules": len(timed),
                "runs_ms": runs_ms,
                "results": results,
            },
            f,
            indent=1,
            ensure_ascii=False,
        )


if __name__ == "__main__":
    main()
