"""A task callable for the e2e suite: where the worker imported `http` and the operators from."""

import http
import sys
from http import HTTPStatus

import dagwright_airflow


def import_origins():
    return {
        "http": http.__file__,
        "http_ok": int(HTTPStatus.OK),
        "dagwright_airflow": dagwright_airflow.__file__,
        "stdlib": sys.base_prefix,
    }
