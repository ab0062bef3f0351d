"""Which golden DAG folder the running Airflow version reads."""

from __future__ import annotations

from pathlib import Path

import airflow

REPO_ROOT = Path(__file__).resolve().parents[2]
VERSION = tuple(int(part) for part in airflow.__version__.split(".")[:2])
TARGET = f"{VERSION[0]}.{VERSION[1]}"
GOLDEN_DIR = REPO_ROOT / "examples" / "dags" / f"airflow-{TARGET}"
IS_AIRFLOW_3 = VERSION[0] >= 3
