"""A stand-in dagwright loader on loopback, scripted per test: it speaks the job protocol
(docs/service-protocol.md) and fails the way a real warehouse does when told to."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def make_batch() -> dict[str, Any]:
    """The upstream task of specs/service_load.yaml: a one-object batch."""
    return {
        "batch": {
            "objects": [{"key": "orders/dt=2026-01-01/part-0.parquet", "size": 10}],
            "total_bytes": 10,
        }
    }


class ServiceDouble:
    """Answers POST /v1/loads with the scripted responses in order, then with a job; a
    bookmark's begin with a one-object batch of its source (none for a bookmark named
    ``*.empty``), and its commit with a job (both recorded in ``bookmark_posts``)."""

    def __init__(
        self, failures: list[tuple[int, dict[str, Any], dict[str, str]]]
    ) -> None:
        self.failures = list(failures)
        self.posts: list[dict[str, Any]] = []
        self.bookmark_posts: list[str] = []
        self.jobs: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def handle(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], Any]:
        with self.lock:
            if headers.get("authorization") != "Bearer test-token":
                return 401, {}, _problem(401, "Auth.Unauthorized", False)
            if method == "POST" and path == "/v1/loads":
                self.posts.append(
                    {"key": headers.get("idempotency-key"), "body": json.loads(body)}
                )
                if self.failures:
                    status, problem, extra = self.failures.pop(0)
                    return status, extra, problem
                job_id = f"job_{len(self.jobs) + 1}"
                self.jobs[job_id] = {
                    "id": job_id,
                    "kind": "load",
                    "status": "succeeded",
                    "attempt": 1,
                    "result": {
                        "rows_loaded": 42,
                        "rows_inserted": 42,
                        "rows_updated": 0,
                        "rows_deleted": 0,
                    },
                }
                return 202, {"Location": f"/v1/jobs/{job_id}"}, self.jobs[job_id]
            if method == "POST" and path.startswith("/v1/bookmarks/"):
                self.bookmark_posts.append(path)
                if path.endswith("/commit"):
                    return self._job("bookmark", {"committed": True})
                # A run of the begun source; a bookmark whose name ends in ".empty" has
                # nothing new.
                source = json.loads(body).get("source", "s3://raw-orders/orders/")
                empty = {"batch": {"objects": [], "total_bytes": 0}}
                found = empty if path.endswith(".empty/runs") else make_batch()
                return self._job("bookmark", {"source": source, **found})
            if method == "GET" and path.startswith("/v1/jobs/"):
                job = self.jobs.get(path.rsplit("/", 1)[-1])
                return (
                    (200, {}, job)
                    if job
                    else (404, {}, _problem(404, "Resource.NotFound", False))
                )
            return 404, {}, _problem(404, "Resource.NotFound", False)

    def _job(
        self, kind: str, result: dict[str, Any]
    ) -> tuple[int, dict[str, str], Any]:
        job_id = f"job_{len(self.jobs) + 1}"
        job = {"id": job_id, "kind": kind, "status": "succeeded", "attempt": 1}
        self.jobs[job_id] = {**job, "result": result}
        return 202, {"Location": f"/v1/jobs/{job_id}"}, self.jobs[job_id]


def _problem(
    status: int, code: str, retryable: bool, detail: str = ""
) -> dict[str, Any]:
    return {
        "type": "about:blank",
        "title": code,
        "status": status,
        "code": code,
        "detail": detail,
        "retryable": retryable,
    }


def unavailable() -> tuple[int, dict[str, Any], dict[str, str]]:
    problem = _problem(503, "Warehouse.Unavailable", True, "connection refused")
    return 503, problem, {"Retry-After": "1"}


def data_error() -> tuple[int, dict[str, Any], dict[str, str]]:
    return 422, _problem(422, "DataError", False, "row 7: amount is not a number"), {}


@contextmanager
def serve(double: ServiceDouble) -> Iterator[str]:
    """Runs the double on 127.0.0.1; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def _respond(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, payload = double.handle(
                self.command, self.path, headers, body
            )
            data = json.dumps(payload).encode()
            self.send_response(status)
            content_type = (
                "application/problem+json" if status >= 400 else "application/json"
            )
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = _respond
        do_POST = _respond

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
