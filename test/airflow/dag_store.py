"""For the run_*.py helper scripts: a folder's DAGs parsed and stored as the DAG processor stores
them, on every Airflow version (3.x keeps them per bundle; 3.1 moved the call)."""

from __future__ import annotations

from typing import Any


def airflow_version() -> tuple[int, int]:
    import airflow

    major, minor = airflow.__version__.split(".")[:2]
    return int(major), int(minor)


def store_dags(folder: str) -> Any:
    """Parses ``folder`` (failing on any import error) and stores its DAGs; returns the DagBag."""
    from airflow.models.dagbag import DagBag

    bag = DagBag(dag_folder=folder, include_examples=False)
    if bag.import_errors:
        raise SystemExit(f"import errors: {bag.import_errors}")
    version = airflow_version()
    if version >= (3, 0):
        from airflow.dag_processing.bundles.manager import DagBundlesManager

        DagBundlesManager().sync_bundles_to_db()
        if version >= (3, 1):
            from airflow.models.dagbag import sync_bag_to_db

            sync_bag_to_db(bag, "dags-folder", None)
        else:
            bag.sync_to_db("dags-folder", None)
    else:
        bag.sync_to_db()
    return bag
