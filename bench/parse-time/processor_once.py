"""Parse a DAG folder the way Airflow 2.10's DAG processor does: one forked process per file.

    python processor_once.py DAG_FOLDER EXPECTED_DAGS [--import-probe N]

Airflow 2.10's DagFileProcessorManager is a long-lived process. For each DAG file it first
imports, in itself, the `airflow.*` modules that the file imports ([scheduler]
parsing_pre_import_modules, on by default), then forks a DagFileProcessorProcess that runs
`DagBag(file_path, include_examples=False)`. So a module outside `airflow.*` that a DAG file
imports (dagwright_airflow, dagfactory, the pipelines' own code) is imported again in every
child, for every file, on every parse loop; an `airflow.*` module only once per manager.

This script does the same, sequentially: the parent imports what the manager process imports
(airflow.dag_processing.manager and .processor, hence DagBag, DAG, SerializedDagModel, ...);
then two passes over the
folder: for each file, pre-import its airflow.* modules in the parent, fork, DagBag(file) in the
child, wait. Pass 1 is a manager's first loop; pass 2 is every later loop (the pre-imports are
done): the steady state, repeated every min_file_process_interval (30 s by default).
Per pass: wall time, and CPU time of the parent plus all children (os.wait4's rusage).

With --import-probe N, after the passes (so in the steady state): for every module that the
DAG files import and that is not airflow.*, the time to import it in a freshly forked child
(median of N forks; wall and CPU time), the number of files that import it, and their product
(CPU): what that import costs on every parse loop.

Prints `PROCESSOR_RESULT {json}`; exits 1 on an import error or a DAG count other than
EXPECTED_DAGS.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

# What the DagFileProcessorManager process has imported before it forks its first child.
import airflow.dag_processing.manager  # noqa: F401
import airflow.dag_processing.processor  # noqa: F401
from airflow.models.dagbag import DagBag
from airflow.utils.file import iter_airflow_imports, list_py_file_paths


def one_pass(files: list[str]) -> dict[str, float | int]:
    t0, c0 = time.perf_counter(), time.process_time()
    children_cpu = 0.0
    dags = errors = 0
    for path in files:
        for module in iter_airflow_imports(path):
            try:
                importlib.import_module(module)
            except Exception:  # as Airflow does: the child reports the real error
                pass
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the DagFileProcessorProcess
            os.close(r)
            code = 0
            try:
                bag = DagBag(path, include_examples=False)
                os.write(w, f"{bag.size()} {len(bag.import_errors)}".encode())
                if bag.import_errors:
                    print(
                        f"import error in {path}: {bag.import_errors}",
                        file=sys.stderr,
                        flush=True,
                    )
            except BaseException as exc:  # noqa: BLE001
                print(f"{path}: {exc!r}", file=sys.stderr, flush=True)
                code = 1
            os._exit(code)
        os.close(w)
        with os.fdopen(r) as f:
            reply = f.read().split()
        _, status, usage = os.wait4(pid, 0)
        children_cpu += usage.ru_utime + usage.ru_stime
        if status != 0 or len(reply) != 2:
            errors += 1
            continue
        dags += int(reply[0])
        errors += int(reply[1])
    return {
        "wall_s": time.perf_counter() - t0,
        "cpu_s": (time.process_time() - c0) + children_cpu,
        "dags": dags,
        "errors": errors,
    }


def non_airflow_imports(path: str) -> set[str]:
    """Modules a DAG file imports at top level, outside airflow.* (with `from pkg import mod`
    counted as pkg.mod when mod is a module)."""
    out: set[str] = set()
    for st in ast.parse(Path(path).read_bytes()).body:
        names: list[str] = []
        if isinstance(st, ast.Import):
            names = [n.name for n in st.names]
        elif isinstance(st, ast.ImportFrom) and st.module and st.level == 0:
            names = [st.module]
            for alias in st.names:
                try:
                    if (
                        importlib.util.find_spec(f"{st.module}.{alias.name}")
                        is not None
                    ):
                        names.append(f"{st.module}.{alias.name}")
                except (ImportError, ValueError):
                    pass
        out.update(n for n in names if n != "airflow" and not n.startswith("airflow."))
    return out


def timed_import_in_child(module: str) -> tuple[float, float]:
    """(wall s, CPU s) of `import module` in a child forked from this parent."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001
            pass
        os.write(
            w, f"{time.perf_counter() - t0!r} {time.process_time() - c0!r}".encode()
        )
        os._exit(0)
    os.close(w)
    with os.fdopen(r) as f:
        wall, cpu = (float(x) for x in f.read().split())
    os.waitpid(pid, 0)
    return wall, cpu


def import_probe(files: list[str], repeats: int) -> list[dict[str, object]]:
    # find_spec("pkg.mod.Name") imports pkg.mod: look in a throwaway child, so this parent (the
    # one the timed children fork from) stays as a manager would be.
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        found: Counter[str] = Counter()
        for path in files:
            found.update(non_airflow_imports(path))
        with os.fdopen(w, "w") as f:
            json.dump(found, f)
        os._exit(0)
    os.close(w)
    with os.fdopen(r) as f:
        uses: Counter[str] = Counter(json.load(f))
    os.waitpid(pid, 0)
    rows = []
    for module, n in uses.items():
        times = [timed_import_in_child(module) for _ in range(repeats)]
        wall_ms = statistics.median(t[0] for t in times) * 1000
        cpu_ms = statistics.median(t[1] for t in times) * 1000
        rows.append(
            {
                "module": module,
                "files": n,
                "import_ms": round(wall_ms, 2),
                "import_cpu_ms": round(cpu_ms, 2),
                "per_loop_cpu_ms": round(cpu_ms * n, 1),
            }
        )
    return sorted(rows, key=lambda row: -float(row["per_loop_cpu_ms"]))  # type: ignore[arg-type]


def main() -> int:
    folder, expected = sys.argv[1], int(sys.argv[2])
    probe = (
        int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--import-probe" else 0
    )
    files = list_py_file_paths(folder, include_examples=False)
    first = one_pass(files)
    steady = one_pass(files)
    result = {"files": len(files), "first": first, "steady": steady}
    if probe:
        result["import_probe"] = import_probe(files, probe)
    print("PROCESSOR_RESULT " + json.dumps(result), flush=True)
    for p in (first, steady):
        if p["errors"] or p["dags"] != expected:
            print(f"expected {expected} DAGs and no errors, got {p}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
