#!/usr/bin/env python3
"""Time DagBag over the three variants that gen.py wrote, each run in a fresh process.

    python bench.py --work WORK --airflow-python PY --dagfactory-python PY [--runs 5]
                    [--skip-verify] [--importtime-runs 3] [--processor-runs 3]

1. AIRFLOW_HOME=WORK/airflow-home, `airflow db migrate` once (kept while the Airflow venv is).
2. Equivalence: one fingerprint run per variant; compare.py checks that the generated and the
   dag-factory DAGs are the hand-written ones (same dag_ids, tasks, operators, effective
   arguments, groups and upstream ids) up to the known, explained differences. Stops otherwise.
3. One discarded warm-up run per variant (it also writes the __pycache__ of every DAG file).
4. --runs rounds; in each, every variant once, in a rotated order, each in a new interpreter
   running parse_once.py. The medians and their ratios to hand-written are printed and written
   to WORK/results.json and WORK/results.md.
5. With --importtime-runs > 0: `python -X importtime` runs of each variant, summing, per
   module imported while DagBag parses the folder, its own import time (median over the runs),
   to show which imports make the difference.
6. With --processor-runs > 0: processor_once.py, the fork-per-file model of Airflow 2.10's DAG
   processor (airflow.* pre-imported in the parent, everything else re-imported per file), and
   its probe of what each non-airflow import costs per parse loop.

Only the standard library is needed (it drives the venvs' interpreters).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
VARIANTS = ("handwritten", "generated", "dagfactory")
LABELS = {
    "handwritten": "hand-written Python",
    "generated": "dagwright generated",
    "dagfactory": "dag-factory YAML",
}
GOAL = 1.1

sys.path.insert(0, str(HERE))
import compare  # noqa: E402


def child_env(work: Path, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(
        {
            "AIRFLOW_HOME": str(work / "airflow-home"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_FOLDER": str(folder),
            # dag-factory builds all 200 DAGs from one loader file; DagBag's per-file timeout
            # (30 s by default) must not cut it short. Same setting for every variant.
            "AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT": "600",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            # dag-factory telemetry stays off (it only reports on DAG runs, but no network here).
            "AIRFLOW__DAG_FACTORY__ENABLE_TELEMETRY": "False",
            "DO_NOT_TRACK": "True",
            "SCARF_NO_ANALYTICS": "True",
            "PYTHONPATH": os.pathsep.join([str(REPO / "python"), str(HERE / "lib")]),
        }
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def python_for(variant: str, args: argparse.Namespace) -> str:
    return args.dagfactory_python if variant == "dagfactory" else args.airflow_python


def run_once(
    variant: str,
    args: argparse.Namespace,
    extra: list[str] | None = None,
    flags: list[str] | None = None,
) -> tuple[dict[str, Any], float, str]:
    folder = args.work / variant
    cmd = [
        python_for(variant, args),
        *(flags or []),
        str(HERE / "parse_once.py"),
        str(folder),
        str(args.count),
        *(extra or []),
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(
        cmd,
        env=child_env(args.work, folder),
        capture_output=True,
        text=True,
        cwd=args.work,
    )
    wall = time.perf_counter() - t0
    line = next(
        (ln for ln in proc.stdout.splitlines() if ln.startswith("PARSE_TIME_RESULT ")),
        None,
    )
    if proc.returncode != 0 or line is None:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(
            f"bench.py: {variant}: parse_once.py failed (exit {proc.returncode})"
        )
    return json.loads(line.split(" ", 1)[1]), wall, proc.stderr


def run_processor(
    variant: str, args: argparse.Namespace, probe: int = 0
) -> dict[str, Any]:
    folder = args.work / variant
    cmd = [
        python_for(variant, args),
        str(HERE / "processor_once.py"),
        str(folder),
        str(args.count),
    ]
    if probe:
        cmd += ["--import-probe", str(probe)]
    proc = subprocess.run(
        cmd,
        env=child_env(args.work, folder),
        capture_output=True,
        text=True,
        cwd=args.work,
    )
    line = next(
        (ln for ln in proc.stdout.splitlines() if ln.startswith("PROCESSOR_RESULT ")),
        None,
    )
    if proc.returncode != 0 or line is None:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(
            f"bench.py: {variant}: processor_once.py failed (exit {proc.returncode})"
        )
    return json.loads(line.split(" ", 1)[1])


def processor_mode(args: argparse.Namespace) -> dict[str, Any]:
    """Airflow 2.10's DAG processor model: a fork per file, airflow.* pre-imported (processor_once.py)."""
    samples: dict[str, list[dict[str, Any]]] = {v: [] for v in VARIANTS}
    for r in range(args.processor_runs):
        order = VARIANTS[r % 3 :] + VARIANTS[: r % 3]
        for variant in order:
            # The last run of each variant also probes which imports cost on every loop.
            samples[variant].append(
                run_processor(
                    variant, args, probe=5 if r == args.processor_runs - 1 else 0
                )
            )
        log(
            f"processor round {r + 1}/{args.processor_runs}: "
            + ", ".join(
                f"{v} steady {samples[v][-1]['steady']['wall_s']:.1f}s (cpu {samples[v][-1]['steady']['cpu_s']:.1f}s)"
                for v in VARIANTS
            )
        )
    out: dict[str, Any] = {}
    for v in VARIANTS:
        out[v] = {
            "files": samples[v][0]["files"],
            "steady_wall_median_s": statistics.median(
                s["steady"]["wall_s"] for s in samples[v]
            ),
            "steady_cpu_median_s": statistics.median(
                s["steady"]["cpu_s"] for s in samples[v]
            ),
            "first_wall_median_s": statistics.median(
                s["first"]["wall_s"] for s in samples[v]
            ),
            "first_cpu_median_s": statistics.median(
                s["first"]["cpu_s"] for s in samples[v]
            ),
            "import_probe": samples[v][-1].get("import_probe", []),
            "samples": samples[v],
        }
    return out


def fmt_processor_table(stats: dict[str, Any]) -> str:
    hand = stats["handwritten"]
    rows = [
        "| variant | files (forks) | steady loop wall median (s) | wall ratio | steady loop CPU median (s) | CPU ratio | first loop wall / CPU (s) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for v in VARIANTS:
        s = stats[v]
        rows.append(
            f"| {LABELS[v]} | {s['files']} | {s['steady_wall_median_s']:.2f} | {s['steady_wall_median_s'] / hand['steady_wall_median_s']:.2f}× | "
            f"{s['steady_cpu_median_s']:.2f} | {s['steady_cpu_median_s'] / hand['steady_cpu_median_s']:.2f}× | "
            f"{s['first_wall_median_s']:.2f} / {s['first_cpu_median_s']:.2f} |"
        )
    return "\n".join(rows)


def ensure_airflow_home(args: argparse.Namespace) -> None:
    home = args.work / "airflow-home"
    marker = home / ".migrated"
    stamp = str(Path(args.airflow_python).resolve().parent.parent)
    if marker.exists() and marker.read_text() == stamp:
        return
    home.mkdir(parents=True, exist_ok=True)
    airflow = Path(args.airflow_python).parent / "airflow"
    log(f"airflow db migrate (AIRFLOW_HOME={home})")
    proc = subprocess.run(
        [str(airflow), "db", "migrate"],
        env=child_env(args.work, args.work / "handwritten"),
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit("bench.py: airflow db migrate failed")
    marker.write_text(stamp)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def verify(args: argparse.Namespace) -> dict[str, Any]:
    fps = {}
    for variant in VARIANTS:
        out = args.work / f"fingerprint-{variant}.json"
        run_once(variant, args, ["--fingerprint", str(out)])
        fps[variant] = out
    reports = {}
    for variant in ("generated", "dagfactory"):
        r = compare.report(str(fps["handwritten"]), str(fps[variant]), variant)
        reports[variant] = r
        log(
            f"equivalence {variant} vs hand-written: {r['dags']} DAGs, {r['tasks']} tasks, "
            f"{sum(r['expected'].values())} known differences, {len(r['unexpected'])} unexpected"
        )
        for why, n in r["expected"].items():
            log(f"  {n:5d} x {why}")
        for d in r["unexpected"][:10]:
            log(f"  UNEXPECTED {json.dumps(d)[:400]}")
    if any(r["unexpected"] for r in reports.values()):
        raise SystemExit(
            "bench.py: the variants are not equivalent (see UNEXPECTED above); fix gen.py"
        )
    return {
        v: {"expected": r["expected"], "dags": r["dags"], "tasks": r["tasks"]}
        for v, r in reports.items()
    }


IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)\s*$")


def importtime(args: argparse.Namespace) -> dict[str, Any]:
    """Per variant: the modules imported during DagBag(...) (after parse_once.py's own
    `from airflow.models.dagbag import DagBag`), with self and cumulative microseconds."""
    result: dict[str, Any] = {}
    for variant in VARIANTS:
        runs: list[dict[str, tuple[int, int, int]]] = []
        for _ in range(args.importtime_runs):
            _, _, stderr = run_once(variant, args, flags=["-X", "importtime"])
            mods: dict[str, tuple[int, int, int]] = {}
            seen_dagbag = False
            for line in stderr.splitlines():
                m = IMPORT_LINE.match(line)
                if not m:
                    continue
                name = m.group(4)
                if not seen_dagbag:
                    # -X importtime prints a module when its import finishes: everything up to
                    # and including airflow.models.dagbag is parse_once.py's preamble.
                    if name == "airflow.models.dagbag":
                        seen_dagbag = True
                    continue
                depth = (len(m.group(3)) - 1) // 2
                mods[name] = (int(m.group(1)), int(m.group(2)), depth)
            runs.append(mods)
        names = set().union(*runs)
        med = {}
        for name in names:
            selfs = [r[name][0] for r in runs if name in r]
            cums = [r[name][1] for r in runs if name in r]
            depth = min(r[name][2] for r in runs if name in r)
            med[name] = {
                "self_us": statistics.median(selfs),
                "cum_us": statistics.median(cums),
                "depth": depth,
            }
        result[variant] = med
    return result


def package_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "airflow" and len(parts) > 2 and parts[1] == "providers":
        return (
            ".".join(parts[:4])
            if parts[2] in ("common",) and len(parts) > 3
            else ".".join(parts[:3])
        )
    if parts[0] == "airflow":
        return "airflow (core)"
    return parts[0]


def summarize_imports(imp: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for variant, mods in imp.items():
        by_pkg: dict[str, float] = defaultdict(float)
        for name, m in mods.items():
            by_pkg[package_of(name)] += m["self_us"]
        top = [(n, m["cum_us"]) for n, m in mods.items() if m["depth"] == 0]
        out[variant] = {
            "total_self_ms": sum(m["self_us"] for m in mods.values()) / 1000,
            "modules": len(mods),
            "by_package_ms": {
                k: round(v / 1000, 1)
                for k, v in sorted(by_pkg.items(), key=lambda kv: -kv[1])
            },
            "top_level_imports_cum_ms": {
                n: round(c / 1000, 1) for n, c in sorted(top, key=lambda kv: -kv[1])
            },
        }
    gen, hand = imp.get("generated", {}), imp.get("handwritten", {})
    only_gen = {n: m for n, m in gen.items() if n not in hand}
    only_hand = {n: m for n, m in hand.items() if n not in gen}
    out["only_in_generated"] = {
        "modules": len(only_gen),
        "self_ms": round(sum(m["self_us"] for m in only_gen.values()) / 1000, 1),
        "by_package_ms": _by_pkg(only_gen),
    }
    out["only_in_handwritten"] = {
        "modules": len(only_hand),
        "self_ms": round(sum(m["self_us"] for m in only_hand.values()) / 1000, 1),
        "by_package_ms": _by_pkg(only_hand),
    }
    return out


def _by_pkg(mods: dict[str, Any]) -> dict[str, float]:
    by: dict[str, float] = defaultdict(float)
    for name, m in mods.items():
        by[package_of(name)] += m["self_us"]
    return {k: round(v / 1000, 1) for k, v in sorted(by.items(), key=lambda kv: -kv[1])}


def fmt_table(stats: dict[str, Any]) -> str:
    hand = stats["handwritten"]
    rows = [
        "| variant | DagBag wall median (s) | wall min–max (s) | wall ratio | DagBag CPU median (s) | CPU ratio | per-file median (ms) | whole process median (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for v in VARIANTS:
        s = stats[v]
        per_file = (
            f"{s['file_median_ms']:.2f}"
            if s["files"] > 1
            else f"— ({s['files']} loader file)"
        )
        rows.append(
            f"| {LABELS[v]} | {s['dagbag_median_s']:.3f} | {s['dagbag_min_s']:.3f}–{s['dagbag_max_s']:.3f} | "
            f"{s['dagbag_median_s'] / hand['dagbag_median_s']:.2f}× | {s['cpu_median_s']:.3f} | "
            f"{s['cpu_median_s'] / hand['cpu_median_s']:.2f}× | {per_file} | {s['wall_median_s']:.3f} |"
        )
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--airflow-python", required=True)
    ap.add_argument("--dagfactory-python", required=True)
    ap.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", "5")))
    ap.add_argument("--skip-verify", action="store_true")
    ap.add_argument("--importtime-runs", type=int, default=3)
    ap.add_argument(
        "--processor-runs",
        type=int,
        default=int(os.environ.get("PROCESSOR_RUNS", "3")),
        help="runs of the fork-per-file DAG processor emulation (0 skips it)",
    )
    args = ap.parse_args()
    args.work = args.work.resolve()
    manifest = json.loads((args.work / "manifest.json").read_text())
    args.count = manifest["count"]

    load_start = os.getloadavg()
    ensure_airflow_home(args)
    equivalence = None if args.skip_verify else verify(args)

    log("warm-up run per variant (discarded)")
    for variant in VARIANTS:
        run_once(variant, args)

    samples: dict[str, list[dict[str, Any]]] = {v: [] for v in VARIANTS}
    for r in range(args.runs):
        order = VARIANTS[r % 3 :] + VARIANTS[: r % 3]
        for variant in order:
            res, wall, _ = run_once(variant, args)
            res["wall_s"] = wall
            samples[variant].append(res)
        log(
            f"round {r + 1}/{args.runs}: "
            + ", ".join(
                f"{v} {samples[v][-1]['dagbag_s']:.3f}s (cpu {samples[v][-1]['dagbag_cpu_s']:.3f}s)"
                for v in VARIANTS
            )
        )

    stats: dict[str, Any] = {}
    for v in VARIANTS:
        xs = [s["dagbag_s"] for s in samples[v]]
        stats[v] = {
            "dagbag_median_s": statistics.median(xs),
            "dagbag_min_s": min(xs),
            "dagbag_max_s": max(xs),
            "dagbag_samples_s": xs,
            "cpu_median_s": statistics.median(s["dagbag_cpu_s"] for s in samples[v]),
            "cpu_samples_s": [s["dagbag_cpu_s"] for s in samples[v]],
            "wall_median_s": statistics.median(s["wall_s"] for s in samples[v]),
            "import_dagbag_median_s": statistics.median(
                s["import_dagbag_s"] for s in samples[v]
            ),
            "file_median_ms": statistics.median(s["file_s_median"] for s in samples[v])
            * 1000,
            "first_file_max_ms": statistics.median(s["file_s_max"] for s in samples[v])
            * 1000,
            "files": samples[v][0]["files"],
            "dags": samples[v][0]["dags"],
            "tasks": samples[v][0]["tasks"],
        }
    hand = stats["handwritten"]["dagbag_median_s"]
    ratio_gen = stats["generated"]["dagbag_median_s"] / hand
    ratio_df = stats["dagfactory"]["dagbag_median_s"] / hand
    hand_cpu = stats["handwritten"]["cpu_median_s"]
    cpu_ratio_gen = stats["generated"]["cpu_median_s"] / hand_cpu
    cpu_ratio_df = stats["dagfactory"]["cpu_median_s"] / hand_cpu
    wall_min_ratio_gen = (
        stats["generated"]["dagbag_min_s"] / stats["handwritten"]["dagbag_min_s"]
    )
    # On a shared machine the wall clock follows everybody's load; the process's CPU time much
    # less. The goal is judged on the CPU-time medians; the wall-clock ones are reported beside.
    met = cpu_ratio_gen <= GOAL

    imports = summarize_imports(importtime(args)) if args.importtime_runs > 0 else None
    processor = processor_mode(args) if args.processor_runs > 0 else None
    load_end = os.getloadavg()

    table = fmt_table(stats)
    verdict = (
        f"Goal generated ≤ {GOAL}× hand-written (DagBag CPU-time medians): {'MET' if met else 'NOT MET'} ({cpu_ratio_gen:.2f}×). "
        f"Wall-clock medians: {ratio_gen:.2f}× ({'within' if ratio_gen <= GOAL else 'NOT within'} {GOAL}×), "
        f"best-of-{args.runs} wall: {wall_min_ratio_gen:.2f}×. "
        f"dag-factory: {cpu_ratio_df:.2f}× hand-written in CPU time, {ratio_df:.2f}× wall-clock."
    )
    header = (
        f"{manifest['count']} DAGs, {manifest['tasks_total']} tasks ({manifest['tasks_per_dag']['min']}–{manifest['tasks_per_dag']['max']} per DAG), "
        f"seed {manifest['seed']}; N={args.runs} fresh-process runs per variant after one warm-up; medians. "
        f"Python {platform.python_version()}, Airflow 2.10.3, {os.cpu_count()} CPUs, "
        f"load average {load_start[0]:.1f} at the start and {load_end[0]:.1f} at the end."
    )
    print()
    print(header)
    print()
    print(table)
    print()
    print(verdict)
    if imports:
        print()
        print(
            "Imports during DagBag(...) (python -X importtime, median self time of "
            f"{args.importtime_runs} runs; importtime itself slows imports down):"
        )
        for v in VARIANTS:
            i = imports[v]
            print(
                f"  {LABELS[v]}: {i['modules']} modules, {i['total_self_ms']:.0f} ms; top: "
                + ", ".join(
                    f"{k} {ms:.0f}" for k, ms in list(i["by_package_ms"].items())[:6]
                )
            )
        g, h = imports["only_in_generated"], imports["only_in_handwritten"]
        print(
            f"  only imported by generated DAGs: {g['modules']} modules, {g['self_ms']:.0f} ms: "
            + ", ".join(
                f"{k} {ms:.0f}" for k, ms in list(g["by_package_ms"].items())[:8]
            )
        )
        print(
            f"  only imported by hand-written DAGs: {h['modules']} modules, {h['self_ms']:.0f} ms: "
            + ", ".join(
                f"{k} {ms:.0f}" for k, ms in list(h["by_package_ms"].items())[:8]
            )
        )
        for v in ("generated", "handwritten"):
            tops = list(imports[v]["top_level_imports_cum_ms"].items())[:8]
            print(
                f"  {LABELS[v]}, direct imports by cumulative ms: "
                + ", ".join(f"{k} {ms:.0f}" for k, ms in tops)
            )

    processor_text = ""
    if processor:
        ptable = fmt_processor_table(processor)
        lines = [
            f"Airflow 2.10 DAG-processor model (processor_once.py: fork per file, airflow.* pre-imported in the parent; "
            f"median of {args.processor_runs} runs; 'steady' = every parse loop after the first):",
            "",
            ptable,
            "",
            f"DAG-processor model, steady loop: generated {processor['generated']['steady_cpu_median_s'] / processor['handwritten']['steady_cpu_median_s']:.2f}× "
            f"hand-written in CPU time ({processor['generated']['steady_wall_median_s'] / processor['handwritten']['steady_wall_median_s']:.2f}× wall): "
            f"{'within' if processor['generated']['steady_cpu_median_s'] / processor['handwritten']['steady_cpu_median_s'] <= GOAL else 'NOT within'} the {GOAL}× goal.",
            "",
            "Imports outside airflow.* re-imported in every forked child (steady state, last run, median of 5 forks; "
            "CPU ms per import x files importing it = CPU per parse loop):",
        ]
        for v in ("generated", "handwritten", "dagfactory"):
            top = processor[v]["import_probe"][:4]
            lines.append(
                f"  {LABELS[v]}: "
                + ", ".join(
                    f"{r['module']} {r['import_cpu_ms']:.1f} ms x {r['files']} = {r['per_loop_cpu_ms'] / 1000:.2f} s"
                    for r in top
                )
            )
        processor_text = "\n".join(lines)
        print()
        print(processor_text)

    results = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "runs": args.runs,
        "manifest": {k: v for k, v in manifest.items() if k != "dag_ids"},
        "stats": stats,
        "ratio_generated_to_handwritten": ratio_gen,
        "ratio_dagfactory_to_handwritten": ratio_df,
        "cpu_ratio_generated_to_handwritten": cpu_ratio_gen,
        "cpu_ratio_dagfactory_to_handwritten": cpu_ratio_df,
        "loadavg_start": load_start,
        "loadavg_end": load_end,
        "goal": GOAL,
        "goal_met": met,
        "goal_judged_on": "DagBag CPU-time medians",
        "wall_min_ratio_generated_to_handwritten": wall_min_ratio_gen,
        "equivalence": equivalence,
        "imports": imports,
        "processor": processor,
        "samples": samples,
    }
    (args.work / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    (args.work / "results.md").write_text(
        f"{header}\n\n{table}\n\n{verdict}\n"
        + (f"\n{processor_text}\n" if processor_text else "")
    )
    log(f"wrote {args.work / 'results.json'} and results.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
