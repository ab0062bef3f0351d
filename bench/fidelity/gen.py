"""The edge-case dataset of bench/fidelity: deterministic (seeded), ~2,000 rows, one Parquet file.

    python gen.py OUT.parquet [ROWS]

Every column mixes ordinary values with the edge cases a DQDL evaluator must agree on: NULLs,
NaN, +-Infinity, -0.0 and 0.0, doubles near the limit (1e300, 1.7976931348623157e308), empty
and whitespace-only strings (spaces, tabs, newlines), unicode, dates that are not dates
("2024/01/05", "2024-02-30"), valid dates, booleans. The first rows hold every edge value once
(so they are there whatever ROWS is); the rest are drawn from random.Random(SEED).
"""

import datetime as dt
import math
import random
import sys

import pyarrow as pa
import pyarrow.parquet as pq

SEED = 20240105

SPECIAL_DOUBLES = [
    None,
    math.nan,
    math.inf,
    -math.inf,
    1e300,
    1.7976931348623157e308,
    -0.0,
    0.0,
]
SPECIAL_TEXT = [
    None,
    "",
    " ",
    "   ",
    "\t",
    "\n",
    " \t\n ",
    "café",
    "日本語",
    "😀",
    "naïve ",
    "Ünïcödé",
    "a\tb",
]
SPECIAL_DATES = [
    None,
    "",
    "2024/01/05",
    "2024-02-30",
    "2024-13-01",
    "not a date",
    "2024-01-05",
    "2023-12-31",
    "2024-02-29",
]
CODES = ["ABC-123", "XYZ-999", "abc-123", "AB-1234", "ABC123", "", None]
NUMERIC_TEXT = ["12", "-3", "3.5", "1e5", "abc", " 7 ", "", None, "NaN", "Infinity"]
CATEGORIES = ["red", "green", "blue", None]


def rows(n: int) -> dict[str, list]:
    rnd = random.Random(SEED)
    cols: dict[str, list] = {k: [] for k in SCHEMA.names}
    base = dt.date(2024, 1, 1)
    for i in range(n):

        def pick(values: list, i: int = i):
            """Edge value i for the first rows, a random one after."""
            return values[i] if i < len(values) else rnd.choice(values)

        cols["id"].append(i)
        # A few duplicates (every 97th row repeats the id before it) and a NULL.
        cols["id_dup"].append(None if i == 5 else (i - 1 if i % 97 == 0 and i > 0 else i))
        cols["category"].append(pick(CATEGORIES))
        # Finite, ordinary numbers with some NULLs: statistics must agree exactly.
        cols["amount"].append(None if i % 50 == 3 else round(rnd.uniform(-100.0, 1000.0), 4))
        cols["qty"].append(None if i % 40 == 7 else rnd.randint(0, 20))
        # Every special double first, then mostly ordinary values with specials now and then.
        if i < len(SPECIAL_DOUBLES):
            special = SPECIAL_DOUBLES[i]
        elif rnd.random() < 0.05:
            special = rnd.choice(SPECIAL_DOUBLES)
        else:
            special = round(rnd.gauss(10.0, 3.0), 3)
        cols["special"].append(special)
        # Only the zeros and NULLs: DistinctValuesCount of 0.0 / -0.0 / NULL.
        cols["zeros"].append(
            [0.0, -0.0, None, 1.0][i % 4] if i < 8 else rnd.choice([0.0, -0.0, None, 1.0])
        )
        # Large but finite: sums overflow to Infinity.
        cols["huge"].append(
            1.7976931348623157e308 if i % 500 == 1 else (1e300 if i % 3 == 0 else float(i))
        )
        cols["text"].append(
            pick(SPECIAL_TEXT)
            if i < len(SPECIAL_TEXT) or rnd.random() < 0.2
            else rnd.choice(["alpha", "beta", "gamma", "delta"])
        )
        cols["code"].append(
            pick(CODES)
            if i < len(CODES) or rnd.random() < 0.1
            else f"{rnd.choice(['ABC', 'XYZ', 'QRS'])}-{rnd.randint(100, 999)}"
        )
        if i < len(SPECIAL_DATES) or rnd.random() < 0.1:
            cols["date_text"].append(pick(SPECIAL_DATES))
        else:
            cols["date_text"].append((base + dt.timedelta(days=rnd.randint(0, 365))).isoformat())
        cols["day"].append(
            None if i % 60 == 11 else base + dt.timedelta(days=rnd.randint(-30, 400))
        )
        cols["ts"].append(
            dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=rnd.randint(0, 600000))
        )
        cols["flag"].append(None if i % 25 == 4 else rnd.random() < 0.7)
        cols["numeric_text"].append(
            pick(NUMERIC_TEXT)
            if i < len(NUMERIC_TEXT) or rnd.random() < 0.1
            else str(rnd.randint(0, 999))
        )
        # Correlated with amount, plus noise.
        a = cols["amount"][-1]
        cols["amount2"].append(None if a is None else round(a * 2.0 + rnd.gauss(0.0, 50.0), 4))
    return cols


SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("id_dup", pa.int64()),
        ("category", pa.string()),
        ("amount", pa.float64()),
        ("amount2", pa.float64()),
        ("qty", pa.int32()),
        ("special", pa.float64()),
        ("zeros", pa.float64()),
        ("huge", pa.float64()),
        ("text", pa.string()),
        ("code", pa.string()),
        ("date_text", pa.string()),
        ("day", pa.date32()),
        ("ts", pa.timestamp("us", tz="UTC")),
        ("flag", pa.bool_()),
        ("numeric_text", pa.string()),
    ]
)


def main() -> None:
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    table = pa.table(rows(n), schema=SCHEMA)
    pq.write_table(table, out, compression="snappy")
    print(f"{out}: {table.num_rows} rows, {table.num_columns} columns", file=sys.stderr)


if __name__ == "__main__":
    main()
