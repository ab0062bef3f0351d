"""Loads plugins as an MWAA environment does, in this fresh process, and prints the outcome.

The test unzips dagwright's plugins.zip into a plugins folder and points
AIRFLOW__CORE__PLUGINS_FOLDER at it; this script then lets Airflow's own plugins manager load
that folder, checks that no standard-library module was shadowed, and parses DAGs that import
dagwright_airflow with a DagBag (the package importable only from the plugins folder, which
Airflow puts on sys.path, as on MWAA).

    python run_plugins_load.py <dag_folder>
"""

from __future__ import annotations

import json
import sys
import sysconfig
from pathlib import Path


def _file_of(name: str) -> str | None:
    module = sys.modules.get(name)
    return getattr(module, "__file__", None) if module is not None else None


def main(dag_folder: str) -> None:
    outcome: dict = {}
    import airflow  # settings.initialize() puts the plugins folder on sys.path
    from airflow import plugins_manager, settings

    plugins_folder = Path(settings.PLUGINS_FOLDER).resolve()
    outcome["plugins_folder_on_sys_path"] = settings.PLUGINS_FOLDER in sys.path
    plugins_manager.ensure_plugins_loaded()
    outcome["plugin_import_errors"] = dict(plugins_manager.import_errors)
    outcome["plugins"] = [p.name for p in plugins_manager.plugins or []]

    # Every module whose file is in the plugins folder must be dagwright_airflow's own.
    outcome["top_level_modules_from_plugins"] = sorted(
        name
        for name in list(sys.modules)
        if (path := _file_of(name))
        and Path(path).resolve().is_relative_to(plugins_folder)
        and name.split(".")[0] != "dagwright_airflow"
    )
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    try:
        from http import HTTPStatus

        outcome["http_status_ok"] = int(HTTPStatus.OK)
    except ImportError as error:  # `http` is then a module from the plugins folder
        outcome["http_status_ok"] = repr(error)
    http_file = _file_of("http")
    outcome["http_is_stdlib"] = bool(http_file) and Path(
        http_file
    ).resolve().is_relative_to(stdlib)

    from airflow.models.dagbag import DagBag

    bag = DagBag(dag_folder=dag_folder, include_examples=False)
    outcome["dag_import_errors"] = dict(bag.import_errors)
    outcome["dag_ids"] = sorted(bag.dag_ids)
    # The triggers the operators defer to: the triggerer imports them by classpath.
    import dagwright_airflow
    import dagwright_airflow.triggers.job
    import dagwright_airflow.triggers.warehouse

    outcome["dagwright_airflow_from_plugins"] = (
        Path(dagwright_airflow.__file__).resolve().is_relative_to(plugins_folder)
    )
    outcome["airflow_version"] = airflow.__version__
    print("PLUGINS_LOAD_OUTCOME " + json.dumps(outcome, default=str))


if __name__ == "__main__":
    main(sys.argv[1])
