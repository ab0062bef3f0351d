#!/usr/bin/env python3
"""Write N pipelines three equivalent ways for the DagBag parse-time benchmark.

    python gen.py --out WORK [--count 200] [--seed 1] [--dagwright "node bin/dagwright.js"]

WORK/specs/*.yaml             dagwright specs (apiVersion dagwright/v1)
WORK/generated/*.py           `dagwright generate WORK/specs -o WORK/generated --airflow 2.10`
WORK/handwritten/*.py         the same DAGs as minimal, plain Airflow 2.10 Python
WORK/dagfactory/*.yml         the same DAGs as dag-factory 1.x YAML, one file per DAG
WORK/dagfactory/load_dags.py  the loader dag-factory needs in the DAG folder
WORK/manifest.json            count, seed, dag_ids, task counts and type mix

Deterministic for a given seed: one random.Random per pipeline, seeded from (seed, index).
Needs PyYAML (run it with the Airflow venv's python). The three renderers share one pipeline
model (`make_pipeline`) and one resolution of effective task arguments (`resolve_task`), so what
differs between them is only how each tool spells the same DAG.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

CALLABLES = {
    "bench_tasks.ingest": ["extract", "snapshot", "fetch_delta", "list_partitions"],
    "bench_tasks.transform": [
        "clean",
        "dedupe",
        "enrich",
        "aggregate",
        "join_dimensions",
    ],
    "bench_tasks.publish": ["export", "refresh_dashboard", "write_report", "archive"],
}
DOMAINS = [
    "sales",
    "finance",
    "marketing",
    "ops",
    "growth",
    "supply",
    "support",
    "risk",
]
NOUNS = [
    "orders",
    "customers",
    "events",
    "invoices",
    "sessions",
    "payments",
    "inventory",
    "clicks",
    "shipments",
    "reviews",
    "refunds",
    "leads",
    "tickets",
    "products",
    "campaigns",
    "ledger",
]
VERBS = [
    "extract",
    "load",
    "transform",
    "validate",
    "publish",
    "compact",
    "dedupe",
    "enrich",
    "export",
    "refresh",
    "archive",
    "score",
]
OWNERS = ["data-eng", "analytics", "platform", "finance-data", "ml-team"]
TAGS = [
    "daily",
    "hourly",
    "core",
    "finance",
    "marketing",
    "pii",
    "s3",
    "api",
    "tier-1",
    "tier-2",
]
TIMEZONES = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC"]
POOLS = ["etl", "warehouse", "api_calls"]
TRIGGER_RULES = [
    "all_done",
    "none_failed",
    "one_success",
    "none_failed_min_one_success",
]
HTTP_CONNS = ["reporting_api", "crm_api", "ops_api"]


# --------------------------------------------------------------------------- durations


def spec_duration(seconds: int) -> str:
    """90 -> '1m30s', 3600 -> '1h' (the spec's duration syntax)."""
    out, rest = "", seconds
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if rest >= size:
            out += f"{rest // size}{unit}"
            rest %= size
    return out or "0s"


def td_parts(seconds: int) -> dict[str, int]:
    parts, rest = {}, seconds
    for unit, size in (
        ("days", 86400),
        ("hours", 3600),
        ("minutes", 60),
        ("seconds", 1),
    ):
        if rest >= size:
            parts[unit] = rest // size
            rest %= size
    return parts or {"seconds": 0}


def td_py(seconds: int | None) -> str:
    if seconds is None:
        return "None"
    return (
        "timedelta(" + ", ".join(f"{k}={v}" for k, v in td_parts(seconds).items()) + ")"
    )


def td_yaml(seconds: int | None) -> Any:
    """dag-factory 1.x builds objects from {__type__: dotted.path, **kwargs}."""
    if seconds is None:
        return None
    return {"__type__": "datetime.timedelta", **td_parts(seconds)}


# --------------------------------------------------------------------------- the pipeline model


class Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used = rng, set()

    def take(self, base: str) -> str:
        name, n = base, 2
        while name in self.used:
            name, n = f"{base}_{n}", n + 1
        self.used.add(name)
        return name


def make_leaf(
    rng: random.Random, names: Names, kind: str, noun: str, owner: str
) -> dict[str, Any]:
    t: dict[str, Any] = {"type": kind}
    if kind == "s3_sensor":
        t["id"] = names.take(f"wait_for_{noun}")
        t["bucket"] = f"raw-{noun}"
        if rng.random() < 0.15:
            t["key"] = f"{noun}/dt={{{{ ds }}}}/*.parquet"
            t["wildcard"] = True
        else:
            t["key"] = f"{noun}/dt={{{{ ds }}}}/_SUCCESS"
        if rng.random() < 0.2:
            t["aws_conn_id"] = "aws_data_lake"
        if rng.random() < 0.3:
            t["mode"] = "reschedule"
        if rng.random() < 0.4:
            t["poke_interval"] = rng.choice([60, 300, 600])
        if rng.random() < 0.5:
            t["timeout"] = rng.choice([3600, 7200, 10800])
    elif kind == "http":
        t["id"] = names.take(
            f"{rng.choice(['refresh', 'notify', 'publish', 'sync'])}_{noun}_api"
        )
        t["connection"] = rng.choice(HTTP_CONNS)
        t["endpoint"] = f"/v1/{noun}/{rng.choice(['refresh', 'sync', 'publish'])}"
        t["method"] = rng.choice(["GET", "POST", "POST"])
        if t["method"] == "POST" and rng.random() < 0.6:
            t["json"] = {"date": "{{ ds }}", "full": rng.random() < 0.3, "source": noun}
        if rng.random() < 0.3:
            t["headers"] = {"X-Team": owner}
    elif kind == "bash":
        t["id"] = names.take(f"{rng.choice(VERBS)}_{noun}")
        t["command"] = rng.choice(
            [
                f"python -m jobs.{noun} --date {{{{ ds }}}}",
                f"dbt run --select {noun} --vars '{{run_date: {{{{ ds }}}}}}'",
                f'echo "{noun} for {{{{ ds }}}}"',
                f"aws s3 sync s3://raw-{noun}/{{{{ ds }}}}/ /data/{noun}/",
            ]
        )
        if rng.random() < 0.3:
            t["env"] = {"TARGET": rng.choice(["prod", "staging"]), "TABLE": noun}
        if rng.random() < 0.1:
            t["cwd"] = "/opt/airflow/jobs"
    elif kind == "python":
        t["id"] = names.take(f"{rng.choice(VERBS)}_{noun}")
        module = rng.choice(sorted(CALLABLES))
        t["callable"] = f"{module}:{rng.choice(CALLABLES[module])}"
        if rng.random() < 0.5:
            t["kwargs"] = {
                "table": noun,
                "limit": rng.choice([100, 1000, 10000]),
                "dry_run": False,
            }
    elif kind == "empty":
        t["id"] = names.take(
            rng.choice(["start", "checkpoint", "done", "barrier"]) + f"_{noun}"
        )
    # Arguments every task type takes.
    if rng.random() < 0.15:
        t["doc"] = f"{kind} step for {noun}."
    if rng.random() < 0.08:
        t["pool"] = rng.choice(POOLS)
    if rng.random() < 0.05:
        t["pool_slots"] = 2
    if kind != "s3_sensor" and rng.random() < 0.15:
        t["timeout"] = rng.choice([600, 1800, 5400])
    if rng.random() < 0.15:
        t["retry"] = {"attempts": rng.choice([0, 1, 5])}
        if rng.random() < 0.5:
            t["retry"]["delay"] = rng.choice([30, 600])
    return t


def make_pipeline(seed: int, index: int) -> dict[str, Any]:
    rng = random.Random(f"{seed}:{index}")
    names = Names(rng)
    domain, main_noun = rng.choice(DOMAINS), rng.choice(NOUNS)
    p: dict[str, Any] = {"name": f"{domain}_{main_noun}_{index:03d}"}
    if rng.random() < 0.8:
        p["description"] = f"{domain.capitalize()} pipeline for {main_noun} ({index})"
    p["owner"] = rng.choice(OWNERS) if rng.random() < 0.85 else None
    p["tags"] = rng.sample(TAGS, rng.choice([0, 1, 2, 2, 3]))
    p["schedule"] = rng.choice(
        [
            ("preset", "@daily"),
            ("preset", "@hourly"),
            ("cron", f"{rng.randrange(60)} {rng.randrange(24)} * * *"),
            ("every", rng.choice([900, 1800, 7200])),
            ("none", None),
        ]
    )
    p["start_date"] = f"2026-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}"
    p["timezone"] = rng.choice(TIMEZONES) if rng.random() < 0.4 else None
    p["catchup"] = True if rng.random() < 0.1 else None
    p["max_active_runs"] = rng.choice([1, 2, 3]) if rng.random() < 0.4 else None
    p["max_active_tasks"] = rng.choice([4, 8]) if rng.random() < 0.15 else None
    retry: dict[str, int | str] = {
        "attempts": rng.choice([0, 1, 2, 3, 3]),
        "delay": rng.choice([30, 60, 120, 300]),
    }
    if rng.random() < 0.4:
        retry["backoff"] = "exponential"
        retry["max_delay"] = rng.choice([600, 1800])
    p["defaults"] = {"retry": retry}
    if rng.random() < 0.5:
        p["defaults"]["timeout"] = rng.choice([1800, 3600, 7200])
    if rng.random() < 0.25:
        p["defaults"]["pool"] = rng.choice(POOLS)

    # 5-15 leaf tasks; up to two groups of 2-4 of them.
    n = rng.randint(5, 15)
    group_sizes: list[int] = []
    for _ in range(rng.choices([0, 1, 2], weights=[55, 35, 10])[0]):
        size = rng.randint(2, 4)
        if n - sum(group_sizes) - size >= 2:
            group_sizes.append(size)
    top_leaves = n - sum(group_sizes)
    slots = ["leaf"] * (top_leaves - 1) + [f"group{k}" for k in range(len(group_sizes))]
    rng.shuffle(slots)
    slots = ["leaf", *slots]

    def leaf_kind(first: bool) -> str:
        if first and rng.random() < 0.35:
            return "s3_sensor"
        return rng.choices(
            ["bash", "python", "empty", "s3_sensor", "http"],
            weights=[28, 30, 10, 10, 12],
        )[0]

    nodes: list[dict[str, Any]] = []
    for i, slot in enumerate(slots):
        noun = main_noun if rng.random() < 0.4 else rng.choice(NOUNS)
        if slot == "leaf":
            node = make_leaf(
                rng, names, leaf_kind(i == 0), noun, p["owner"] or "airflow"
            )
        else:
            size = group_sizes[int(slot[5:])]
            node = {"type": "group", "id": names.take(f"stage_{noun}")}
            if rng.random() < 0.5:
                node["doc"] = f"All {noun} steps"
            children = []
            for j in range(size):
                child = make_leaf(
                    rng,
                    names,
                    rng.choices(
                        ["bash", "python", "empty", "http"], weights=[35, 40, 10, 15]
                    )[0],
                    noun,
                    p["owner"] or "airflow",
                )
                if j > 0 and rng.random() < 0.75:
                    child["after"] = [children[j - 1]["id"]]
                children.append(child)
            node["tasks"] = children
        # for_each: bash and python tasks only (dagwright v1 maps those two), ~15% of them.
        if node["type"] in ("bash", "python") and rng.random() < 0.18:
            sources = [
                m for m in nodes if m["type"] == "python" and "for_each" not in m
            ]
            if node["type"] == "python" and sources and rng.random() < 0.5:
                node["for_each"] = {"from": rng.choice(sources)["id"]}
                if rng.random() < 0.5:
                    node["for_each"]["max_parallel"] = rng.choice([2, 4])
            elif node["type"] == "python":
                node["for_each"] = rng.sample(
                    ["eu", "us", "apac", "latam", "mea"], rng.randint(2, 4)
                )
            else:
                node["for_each"] = rng.sample(NOUNS, rng.randint(2, 4))
        if i > 0:
            k = rng.choices([0, 1, 2], weights=[8, 70, 22])[0]
            earlier = [m["id"] for m in nodes]
            src = (
                node.get("for_each", {}).get("from")
                if isinstance(node.get("for_each"), dict)
                else None
            )
            after = [a for a in rng.sample(earlier, min(k, len(earlier))) if a != src]
            if after:
                node["after"] = after
            if (
                k > 0
                and node["type"] != "group"
                and "trigger_rule" not in node
                and rng.random() < 0.1
            ):
                node["trigger_rule"] = rng.choice(TRIGGER_RULES)
        nodes.append(node)
    p["nodes"] = nodes
    return p


def leaves(p: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """(task, group or None) in definition order."""
    out = []
    for node in p["nodes"]:
        if node["type"] == "group":
            out += [(child, node) for child in node["tasks"]]
        else:
            out.append((node, None))
    return out


# --------------------------------------------------------------------------- 1. dagwright spec


def spec_task(t: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": t["type"]}
    for key in (
        "doc",
        "after",
        "bucket",
        "key",
        "wildcard",
        "aws_conn_id",
        "mode",
        "connection",
        "endpoint",
        "method",
        "json",
        "headers",
        "command",
        "env",
        "cwd",
        "callable",
        "kwargs",
        "trigger_rule",
        "pool",
        "pool_slots",
    ):
        if key in t:
            out[key] = t[key]
    for key in ("poke_interval", "timeout"):
        if key in t:
            out[key] = spec_duration(t[key])
    if "retry" in t:
        out["retry"] = {
            "attempts": t["retry"]["attempts"],
            **(
                {"delay": spec_duration(t["retry"]["delay"])}
                if "delay" in t["retry"]
                else {}
            ),
        }
    if "for_each" in t:
        out["for_each"] = t["for_each"]
    if t["type"] == "group":
        out["tasks"] = {c["id"]: spec_task(c) for c in t["tasks"]}
    return out


def render_spec(p: dict[str, Any]) -> str:
    s: dict[str, Any] = {
        "apiVersion": "dagwright/v1",
        "kind": "Pipeline",
        "name": p["name"],
    }
    if "description" in p:
        s["description"] = p["description"]
    if p["owner"]:
        s["owner"] = p["owner"]
    if p["tags"]:
        s["tags"] = p["tags"]
    kind, value = p["schedule"]
    s["schedule"] = {"every": spec_duration(value)} if kind == "every" else value
    s["start_date"] = p["start_date"]
    if p["timezone"]:
        s["timezone"] = p["timezone"]
    if p["catchup"] is not None:
        s["catchup"] = p["catchup"]
    for key in ("max_active_runs", "max_active_tasks"):
        if p[key] is not None:
            s[key] = p[key]
    r = p["defaults"]["retry"]
    d: dict[str, Any] = {
        "retry": {"attempts": r["attempts"], "delay": spec_duration(r["delay"])}
    }
    if "backoff" in r:
        d["retry"]["backoff"] = r["backoff"]
        d["retry"]["max_delay"] = spec_duration(r["max_delay"])
    if "timeout" in p["defaults"]:
        d["timeout"] = spec_duration(p["defaults"]["timeout"])
    if "pool" in p["defaults"]:
        d["pool"] = p["defaults"]["pool"]
    s["defaults"] = d
    s["tasks"] = {t["id"]: spec_task(t) for t in p["nodes"]}
    return (
        "# Parse-time benchmark pipeline (bench/parse-time/gen.py).\n"
        + yaml.safe_dump(s, sort_keys=False, width=120)
    )


# --------------------------------------------------------------------------- effective arguments


def default_args(p: dict[str, Any]) -> list[tuple[str, Any]]:
    """(name, value) with durations as ('td', seconds)."""
    r, d = p["defaults"]["retry"], p["defaults"]
    out: list[tuple[str, Any]] = [
        ("owner", p["owner"] or "airflow"),
        ("retries", r["attempts"]),
        ("retry_delay", ("td", r["delay"])),
    ]
    if r.get("backoff") == "exponential":
        out += [
            ("retry_exponential_backoff", True),
            ("max_retry_delay", ("td", r["max_delay"])),
        ]
    if "timeout" in d:
        out.append(("execution_timeout", ("td", d["timeout"])))
    if "pool" in d:
        out.append(("pool", d["pool"]))
    return out


def resolve_task(p: dict[str, Any], t: dict[str, Any]) -> dict[str, Any]:
    """The operator, its arguments (only those that differ from default_args, as a careful
    hand-writer and dagwright both write them) and how it is mapped."""
    d = p["defaults"]
    kind = t["type"]
    args: list[tuple[str, Any]] = []
    mapped: tuple[str, Any] | None = None
    if kind == "s3_sensor":
        op = ("airflow.providers.amazon.aws.sensors.s3", "S3KeySensor")
        args += [("bucket_name", t["bucket"]), ("bucket_key", t["key"])]
        if t.get("wildcard"):
            args.append(("wildcard_match", True))
        if "aws_conn_id" in t:
            args.append(("aws_conn_id", t["aws_conn_id"]))
        args.append(
            ("mode", "reschedule")
            if t.get("mode") == "reschedule"
            else ("deferrable", True)
        )
        if "poke_interval" in t:
            args.append(("poke_interval", ("td", t["poke_interval"])))
        timeout = t.get("timeout", d.get("timeout"))
        if timeout is not None:
            args.append(("timeout", ("td", timeout)))
    elif kind == "http":
        op = ("airflow.providers.http.operators.http", "HttpOperator")
        args += [
            ("http_conn_id", t["connection"]),
            ("endpoint", t["endpoint"]),
            ("method", t["method"]),
        ]
        headers = dict(t.get("headers", {}))
        if "json" in t:
            args.append(("data", ("json", t["json"])))
            headers = {"Content-Type": "application/json", **headers}
        if headers:
            args.append(("headers", headers))
    elif kind == "bash":
        op = ("airflow.operators.bash", "BashOperator")
        args.append(("bash_command", t["command"]))
        if "cwd" in t:
            args.append(("cwd", t["cwd"]))
        fe = t.get("for_each")
        if fe is None:
            if "env" in t:
                args += [("env", t["env"]), ("append_env", True)]
        else:
            args.append(("append_env", True))
            mapped = ("env", [{**t.get("env", {}), "ITEM": v} for v in fe])
    elif kind == "python":
        op = ("airflow.operators.python", "PythonOperator")
        module, fn = t["callable"].split(":")
        args.append(("python_callable", ("callable", module, fn)))
        if "kwargs" in t:
            args.append(("op_kwargs", t["kwargs"]))
        fe = t.get("for_each")
        if isinstance(fe, list):
            mapped = ("op_args", [[v] for v in fe])
        elif isinstance(fe, dict):
            mapped = ("op_args", ("output_of", fe["from"]))
    elif kind == "empty":
        op = ("airflow.operators.empty", "EmptyOperator")
    else:
        raise ValueError(kind)
    # Common arguments, written where they differ from default_args.
    if "doc" in t:
        args.append(("doc_md", t["doc"]))
    if t.get("trigger_rule", "all_success") != "all_success":
        args.append(("trigger_rule", t["trigger_rule"]))
    if "pool" in t and t["pool"] != d.get("pool"):
        args.append(("pool", t["pool"]))
    if "pool_slots" in t:
        args.append(("pool_slots", t["pool_slots"]))
    if kind == "s3_sensor":
        if (
            "timeout" in d
        ):  # a sensor's time limit is `timeout`; it runs without execution_timeout
            args.append(("execution_timeout", ("td", None)))
    elif t.get("timeout", d.get("timeout")) != d.get("timeout"):
        args.append(("execution_timeout", ("td", t["timeout"])))
    if "retry" in t:
        if t["retry"]["attempts"] != d["retry"]["attempts"]:
            args.append(("retries", t["retry"]["attempts"]))
        if "delay" in t["retry"] and t["retry"]["delay"] != d["retry"]["delay"]:
            args.append(("retry_delay", ("td", t["retry"]["delay"])))
    if isinstance(t.get("for_each"), dict) and "max_parallel" in t["for_each"]:
        args.append(("max_active_tis_per_dagrun", t["for_each"]["max_parallel"]))
    return {"op": op, "args": args, "mapped": mapped}


# --------------------------------------------------------------------------- 2. hand-written Python


def py_value(v: Any) -> str:
    if isinstance(v, tuple):
        if v[0] == "td":
            return td_py(v[1])
        if v[0] == "json":
            return f"json.dumps({py_value(v[1])})"
        if v[0] == "callable":
            return f"{v[1].rsplit('.', 1)[1]}.{v[2]}"
        if v[0] == "output_of":
            return f"{v[1]}.output.map(as_args)"
        raise ValueError(v)
    if isinstance(v, dict):
        return (
            "{" + ", ".join(f"{py_value(k)}: {py_value(x)}" for k, x in v.items()) + "}"
        )
    if isinstance(v, list):
        return "[" + ", ".join(py_value(x) for x in v) + "]"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    return repr(v)


def render_handwritten(p: dict[str, Any]) -> str:
    resolved = {t["id"]: resolve_task(p, t) for t, _ in leaves(p)}
    ops = sorted({r["op"] for r in resolved.values()})
    modules = sorted(
        {t["callable"].split(":")[0] for t, _ in leaves(p) if t["type"] == "python"}
    )
    uses_json = any(
        isinstance(v, tuple) and v[0] == "json"
        for r in resolved.values()
        for _, v in r["args"]
    )
    uses_map = any(
        r["mapped"] and isinstance(r["mapped"][1], tuple) for r in resolved.values()
    )
    uses_td = True  # retry_delay is always in default_args
    has_groups = any(n["type"] == "group" for n in p["nodes"])
    lines = [
        f'"""{p["name"]}: hand-written Airflow 2.10 DAG (parse-time benchmark)."""',
        "",
    ]
    if uses_json:
        lines.append("import json")
    if uses_td:
        lines.append("from datetime import timedelta")
    lines += ["", "import pendulum", "from airflow import DAG"]
    for module, name in ops:
        lines.append(f"from {module} import {name}")
    if has_groups:
        lines.append("from airflow.utils.task_group import TaskGroup")
    for module in modules:
        package, leaf = module.rsplit(".", 1)
        lines.append(f"from {package} import {leaf}")
    lines.append("")
    if uses_map:
        lines += ["", "def as_args(item):", "    return [item]", ""]
    lines += ["", "default_args = {"]
    lines += [f'    "{k}": {py_value(v)},' for k, v in default_args(p)]
    lines += ["}", "", "with DAG("]
    lines.append(f'    dag_id="{p["name"]}",')
    if "description" in p:
        lines.append(f"    description={py_value(p['description'])},")
    kind, value = p["schedule"]
    sched = (
        "None"
        if kind == "none"
        else td_py(value)
        if kind == "every"
        else py_value(value)
    )
    lines.append(f"    schedule={sched},")
    y, m, dd = (int(x) for x in p["start_date"].split("-"))
    lines.append(
        f'    start_date=pendulum.datetime({y}, {m}, {dd}, tz="{p["timezone"] or "UTC"}"),'
    )
    lines.append(f"    catchup={bool(p['catchup'])},")
    for key in ("max_active_runs", "max_active_tasks"):
        if p[key] is not None:
            lines.append(f"    {key}={p[key]},")
    if p["tags"]:
        lines.append(f"    tags={py_value(p['tags'])},")
    lines += ["    default_args=default_args,", ") as dag:"]

    def task_lines(t: dict[str, Any], indent: str) -> list[str]:
        r = resolved[t["id"]]
        name = r["op"][1]
        kwargs = [("task_id", t["id"]), *r["args"]]
        if r["mapped"] is None:
            head = f"{indent}{t['id']} = {name}("
            out = (
                [head]
                + [f"{indent}    {k}={py_value(v)}," for k, v in kwargs]
                + [f"{indent})"]
            )
        else:
            field, values = r["mapped"]
            out = [f"{indent}{t['id']} = {name}.partial("]
            out += [f"{indent}    {k}={py_value(v)}," for k, v in kwargs]
            out += [f"{indent}).expand({field}={py_value(values)})"]
        return out

    def dep_lines(items: list[dict[str, Any]], indent: str) -> list[str]:
        out = []
        for item in items:
            after = item.get("after", [])
            if after:
                left = after[0] if len(after) == 1 else "[" + ", ".join(after) + "]"
                out.append(f"{indent}{left} >> {item['id']}")
        return out

    for node in p["nodes"]:
        if node["type"] == "group":
            tooltip = f", tooltip={py_value(node['doc'])}" if "doc" in node else ""
            lines.append(
                f'    with TaskGroup(group_id="{node["id"]}"{tooltip}) as {node["id"]}:'
            )
            for child in node["tasks"]:
                lines += task_lines(child, "        ")
            # Inside the group block, so `group >> x` later sees the group's real roots and leaves.
            lines += dep_lines(node["tasks"], "        ")
        else:
            lines += task_lines(node, "    ")
    deps = dep_lines(p["nodes"], "    ")
    if deps:
        lines += [""] + deps
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- 3. dag-factory YAML


def df_value(v: Any) -> Any:
    if isinstance(v, tuple):
        if v[0] == "td":
            return td_yaml(v[1])
        if v[0] == "json":
            return v[
                1
            ]  # dag-factory serialises `data` itself when Content-Type is application/json
        if v[0] == "callable":
            return f"{v[1]}.{v[2]}"
        if v[0] == "output_of":
            return f"{v[1]}.output"
        raise ValueError(v)
    return v


def render_dagfactory(p: dict[str, Any]) -> str:
    dag: dict[str, Any] = {"default_args": {k: df_value(v) for k, v in default_args(p)}}
    if "description" in p:
        dag["description"] = p["description"]
    kind, value = p["schedule"]
    dag["schedule"] = (
        "None" if kind == "none" else td_yaml(value) if kind == "every" else value
    )
    dag["start_date"] = p["start_date"]
    if p["timezone"]:
        dag["timezone"] = p["timezone"]
    dag["catchup"] = bool(
        p["catchup"]
    )  # dag-factory's default is Airflow's catchup_by_default (True)
    for key in ("max_active_runs", "max_active_tasks"):
        if p[key] is not None:
            dag[key] = p[key]
    if p["tags"]:
        dag["tags"] = list(p["tags"])
    groups = {}
    for node in p["nodes"]:
        if node["type"] == "group":
            g: dict[str, Any] = {}
            if "doc" in node:
                g["tooltip"] = node["doc"]
            if node.get("after"):
                g["dependencies"] = list(node["after"])
            groups[node["id"]] = g
    if groups:
        dag["task_groups"] = groups
    tasks = {}
    for t, group in leaves(p):
        r = resolve_task(p, t)
        task: dict[str, Any] = {"operator": f"{r['op'][0]}.{r['op'][1]}"}
        for k, v in r["args"]:
            task[k] = df_value(v)
        if r["mapped"] is not None:
            field, values = r["mapped"]
            task["expand"] = {field: df_value(values)}
        deps = list(t.get("after", []))
        if isinstance(t.get("for_each"), dict):
            # dag-factory resolves `src.output` only once src exists: it must be a dependency
            # so its topological sort builds src first (the XComArg adds the same edge anyway).
            deps.append(t["for_each"]["from"])
        if deps:
            task["dependencies"] = deps
        if group is not None:
            task["task_group_name"] = group["id"]
        tasks[t["id"]] = task
    dag["tasks"] = tasks
    return (
        "# Parse-time benchmark pipeline for dag-factory (bench/parse-time/gen.py).\n"
        + yaml.safe_dump({p["name"]: dag}, sort_keys=False, width=120)
    )


DF_LOADER = '''"""dag-factory loader: builds an Airflow DAG from every *.yml file next to this file.

The words airflow and DAG appear here so that DagBag's safe mode imports this file.
"""

from pathlib import Path

from dagfactory import load_yaml_dags

load_yaml_dags(globals_dict=globals(), dags_folder=str(Path(__file__).parent), suffix=[".yml"])
'''


# --------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--dagwright",
        default="node bin/dagwright.js",
        help="command that runs the dagwright CLI",
    )
    ap.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[2])
    args = ap.parse_args()

    out: Path = args.out
    for sub in ("specs", "generated", "handwritten", "dagfactory"):
        shutil.rmtree(out / sub, ignore_errors=True)
        (out / sub).mkdir(parents=True)
    pipelines = [make_pipeline(args.seed, i) for i in range(args.count)]
    types: Counter[str] = Counter()
    task_counts = []
    for p in pipelines:
        (out / "specs" / f"{p['name']}.yaml").write_text(render_spec(p))
        (out / "handwritten" / f"{p['name']}.py").write_text(render_handwritten(p))
        (out / "dagfactory" / f"{p['name']}.yml").write_text(render_dagfactory(p))
        task_counts.append(len(leaves(p)))
        for t, _ in leaves(p):
            fe = t.get("for_each")
            types[
                t["type"]
                + (
                    "[for_each list]"
                    if isinstance(fe, list)
                    else "[for_each from]"
                    if fe
                    else ""
                )
            ] += 1
        types["group"] += sum(1 for n in p["nodes"] if n["type"] == "group")
    (out / "dagfactory" / "load_dags.py").write_text(DF_LOADER)

    cmd = [
        *args.dagwright.split(),
        "generate",
        str(out / "specs"),
        "-o",
        str(out / "generated"),
        "--airflow",
        "2.10",
    ]
    proc = subprocess.run(cmd, cwd=args.repo, capture_output=True, text=True)
    sys.stderr.write(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        print(
            f"gen.py: {' '.join(cmd)} failed with exit code {proc.returncode}",
            file=sys.stderr,
        )
        return 1
    generated = sorted(out.joinpath("generated").glob("*.py"))
    if len(generated) != args.count:
        print(
            f"gen.py: dagwright wrote {len(generated)} DAG files, expected {args.count}",
            file=sys.stderr,
        )
        return 1
    manifest = {
        "count": args.count,
        "seed": args.seed,
        "dag_ids": [p["name"] for p in pipelines],
        "tasks_total": sum(task_counts),
        "tasks_per_dag": {"min": min(task_counts), "max": max(task_counts)},
        "task_types": dict(sorted(types.items())),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(
        f"gen.py: {args.count} pipelines ({sum(task_counts)} tasks) x 3 variants in {out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
