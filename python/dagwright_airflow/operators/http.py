"""HttpCallOperator: one generic HTTP call (not a job), with retry policies."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dagwright_airflow._compat import Context
from dagwright_airflow.operators.base import DagwrightServiceOperator, idempotency_key
from dagwright_airflow.problem import ServiceProblem

# Methods a retry cannot repeat an effect of: no Idempotency-Key.
SAFE_METHODS = frozenset({"GET", "HEAD"})


class HttpCallOperator(DagwrightServiceOperator):
    """Call ``method endpoint`` on the connection's base URL; the XCom is the response body.

    The connection is read like a service's: base URL from host/port/schema, and the
    password (if any) sent as a bearer token. A status outside ``expected_status``
    (default: any 2xx) is a problem: a problem+json body gives its ``code``, anything else
    ``HTTP.<status>`` (retryable for 408, 429 and 5xx); a transport failure is
    ``Transport.Unavailable``. Problems then follow the retry policies like any service
    operator's.

    A call other than ``GET`` and ``HEAD`` carries the ``Idempotency-Key`` the job operators
    send (``<dag_id>/<task_id>/<run_id>/<map_index>``), the same on every retry, so an
    endpoint that honours it runs a retried ``POST`` once; an ``Idempotency-Key`` in
    ``headers`` wins.
    """

    template_fields: Sequence[str] = ("endpoint", "method", "json", "headers")
    template_fields_renderers = {"json": "json", "headers": "json"}
    ui_color = "#f1f3f4"

    def __init__(
        self,
        *,
        conn_id: str,
        endpoint: str,
        method: str = "GET",
        json: Any = None,
        headers: dict[str, str] | None = None,
        expected_status: list[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(conn_id=conn_id, **kwargs)
        self.endpoint = endpoint
        self.method = method
        self.json = json
        self.headers = headers
        self.expected_status = list(expected_status) if expected_status else None

    def attempt(self, context: Context, retries: dict[str, int]) -> Any:
        method = self.method.upper()
        self.log.info("%s %s", method, self.endpoint)
        headers = dict(self.headers or {})
        if method not in SAFE_METHODS and not any(k.lower() == "idempotency-key" for k in headers):
            headers["Idempotency-Key"] = idempotency_key(context)
        try:
            response = self.hook.request(
                method,
                self.endpoint,
                json=self.json,
                headers=headers or None,
                expected_status=self.expected_status,
            )
        except ServiceProblem as problem:
            return self.handle_problem(context, problem, retries)
        self.log.info("%s %s answered %s", method, self.endpoint, response.status)
        return response.body
