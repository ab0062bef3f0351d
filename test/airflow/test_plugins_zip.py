"""dagwright's plugins.zip, loaded as MWAA loads it, shadows nothing (issues 9 and 10).

MWAA unzips plugins.zip into $AIRFLOW_HOME/plugins, and Airflow's plugins manager imports
every .py file below the plugins folder that .airflowignore does not exclude, as a top-level
module named after the file: dagwright_airflow/operators/http.py would become `http` and
shadow the standard library in every Airflow process. The zip is built by the same function
`dagwright deploy --plugins` uses, and loaded by Airflow's own plugins manager in a fresh
interpreter, with the package importable only from the plugins folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from airflow_target import GOLDEN_DIR, REPO_ROOT

TSX = REPO_ROOT / "node_modules" / ".bin" / "tsx"


def build_plugins_zip(out: Path) -> Path:
    """plugins.zip from src/deploy/artifacts.ts buildPluginsZip(), as deploy publishes it."""
    if not TSX.exists():
        pytest.fail(f"{TSX} is missing: run npm ci")
    here = Path(__file__).with_name("build_plugins_zip.ts")
    done = subprocess.run(
        [str(TSX), str(here), str(out)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return out


def dags_importing_operators(folder: Path) -> Path:
    """This version's golden DAGs that import dagwright_airflow, copied into `folder`."""
    folder.mkdir()
    for dag in sorted(GOLDEN_DIR.glob("*.py")):
        if "from dagwright_airflow" in dag.read_text():
            shutil.copy(dag, folder / dag.name)
    assert any(folder.iterdir()), (
        f"no golden DAG in {GOLDEN_DIR} imports dagwright_airflow"
    )
    return folder


def without_repo_python(pythonpath: str) -> str:
    """PYTHONPATH minus the repo's python/: the package must come from the plugins folder."""
    repo_python = (REPO_ROOT / "python").resolve()
    kept = [
        p
        for p in pythonpath.split(os.pathsep)
        if p and Path(p).resolve() != repo_python
    ]
    return os.pathsep.join(kept)


@pytest.mark.parametrize("ignore_syntax", ["regexp", "glob"])
def test_plugins_zip_loads_without_shadowing_modules(
    tmp_path: Path, ignore_syntax: str
) -> None:
    plugins = tmp_path / "plugins"
    with zipfile.ZipFile(build_plugins_zip(tmp_path / "plugins.zip")) as archive:
        archive.extractall(plugins)
    dags = dags_importing_operators(tmp_path / "dags")
    env = {
        **os.environ,
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(plugins),
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
        # MWAA lets users pick either syntax; it also applies to the plugins folder.
        "AIRFLOW__CORE__DAG_IGNORE_FILE_SYNTAX": ignore_syntax,
        "AIRFLOW__CORE__LAZY_LOAD_PLUGINS": "False",
        "PYTHONPATH": without_repo_python(os.environ.get("PYTHONPATH", "")),
    }
    done = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("run_plugins_load.py")),
            str(dags),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=tmp_path,
    )
    marker = "PLUGINS_LOAD_OUTCOME "
    lines = [line for line in done.stdout.splitlines() if line.startswith(marker)]
    assert lines, (
        f"exit {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    got = json.loads(lines[-1].removeprefix(marker))
    everything = json.dumps(got, indent=1)
    assert got["plugins_folder_on_sys_path"], everything
    assert got["plugin_import_errors"] == {}, everything
    # Before the .airflowignore: ['__init__', '_compat', ..., 'http', ..., 'warehouse'].
    shadowing = got["top_level_modules_from_plugins"]
    assert shadowing == [], (
        f"imported from the plugins folder as top-level: {shadowing}"
    )
    assert got["http_status_ok"] == 200, everything
    assert got["http_is_stdlib"], everything
    assert got["dag_import_errors"] == {}, everything
    assert got["dag_ids"], everything
    assert got["dagwright_airflow_from_plugins"], everything
