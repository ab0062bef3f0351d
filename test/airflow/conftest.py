"""Shared pytest fixtures for dagwright's Airflow tests (test/airflow).

scripts/test-all.sh runs these tests once per pinned Airflow venv (2.10.3, 3.0.6, 3.1.x) with
a fresh, migrated AIRFLOW_HOME and the services' addresses in the environment. Kept small on
purpose: fixtures read the environment and the repo layout, nothing more.

    def test_x(moto_endpoint, airflow_version, generated_dags_dir): ...

    @pytest.mark.airflow(">=3.1")          # skipped on other Airflow versions
    def test_deadline_alerts(): ...
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# The example pipelines' python tasks import example_tasks (examples/python), as an MWAA
# environment would from its plugins; DAG runs in subprocesses need it too.
_EXAMPLES_PYTHON = str(REPO / "examples" / "python")
if _EXAMPLES_PYTHON not in sys.path:
    sys.path.insert(0, _EXAMPLES_PYTHON)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [_EXAMPLES_PYTHON, os.environ.get("PYTHONPATH")])
    )


def _installed_airflow_version() -> tuple[int, int, int] | None:
    try:
        import airflow
    except ImportError:
        return None
    from packaging.version import Version

    v = Version(airflow.__version__)
    return (v.major, v.minor, v.micro)


def _env_or_skip(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.skip(f"{name} is not set (run the tests through scripts/test-all.sh)")
    return value


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "airflow(spec): run only when the installed Airflow matches the PEP 440 "
        "specifier, e.g. @pytest.mark.airflow('>=3.1') or ('<3')",
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("airflow")
    if marker is None:
        return
    from packaging.specifiers import SpecifierSet

    spec = SpecifierSet(marker.args[0])
    installed = _installed_airflow_version()
    if installed is None:
        pytest.skip("Airflow is not installed")
    version = ".".join(map(str, installed))
    if version not in spec:
        pytest.skip(f"needs Airflow {spec}, have {version}")


@pytest.fixture(scope="session")
def airflow_version() -> tuple[int, int, int]:
    """The installed Airflow version as (major, minor, micro); compare with tuples: >= (3, 1)."""
    installed = _installed_airflow_version()
    if installed is None:
        pytest.skip("Airflow is not installed")
    return installed


@pytest.fixture(scope="session")
def moto_endpoint() -> str:
    """The moto server's endpoint URL (S3, SNS, ... all on one port), from DAGWRIGHT_S3_ENDPOINT."""
    return _env_or_skip("DAGWRIGHT_S3_ENDPOINT")


@pytest.fixture(scope="session")
def pg_url() -> str:
    """postgres://postgres@127.0.0.1:5433/dagwright (trust auth), from DAGWRIGHT_PG_URL."""
    return _env_or_skip("DAGWRIGHT_PG_URL")


@pytest.fixture(scope="session")
def generated_dags_dir(airflow_version: tuple[int, int, int]) -> Path:
    """examples/dags/airflow-<major>.<minor>: the committed DAGs generated for this Airflow.

    Returned whether or not it exists yet; a test that needs it fails on the missing path.
    """
    major, minor, _ = airflow_version
    return REPO / "examples" / "dags" / f"airflow-{major}.{minor}"
