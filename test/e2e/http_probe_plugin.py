"""A plugins-folder module for the e2e suite: which ``http`` a long-running Airflow process sees.

Airflow's plugins manager imports every ``.py`` file in the plugins folder as a top-level module
when a component starts (the scheduler loads them for its listeners). Once the whole folder is
loaded, this records, per process, where ``http`` comes from and that ``from http import
HTTPStatus`` works: a plugins.zip whose ``operators/http.py`` were imported as ``http`` would
show here. Each process writes ``http-probe-<pid>.json`` beside this file.
"""

import json
import os
import sys
import threading
import time


def _record() -> None:
    # Long enough for the plugins manager to have imported every file of the folder.
    time.sleep(10)
    try:
        import http
        from http import HTTPStatus

        found = {"http": getattr(http, "__file__", None), "ok": int(HTTPStatus.OK)}
    except Exception as error:  # noqa: BLE001 - what went wrong is the finding
        found = {"error": repr(error)}
    found |= {"argv": sys.argv, "stdlib": sys.base_prefix}
    path = os.path.join(os.path.dirname(__file__), f"http-probe-{os.getpid()}.json")
    with open(path, "w", encoding="utf-8") as out:
        json.dump(found, out)


threading.Thread(target=_record, name="http-probe", daemon=True).start()
