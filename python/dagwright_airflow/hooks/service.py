"""DagwrightServiceHook: talks to a dagwright service (bookmarks, dq, loader) over HTTP.

The Airflow connection (type ``http``) gives the base URL: ``host`` (with or without a
scheme), ``port`` and ``schema`` (a path prefix). Its ``password`` is the bearer token, which
is sent in ``Authorization`` and never logged or put into an error message.

Sync calls use ``requests``; the async calls (for triggers) use ``httpx`` when it is
installed, and otherwise run the sync call in a thread.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json as jsonlib
import os
import ssl
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests

from dagwright_airflow import __version__
from dagwright_airflow._compat import BaseHook, aget_connection, get_connection
from dagwright_airflow.problem import ServiceProblem

# httpx serves only the triggers' async path. It is imported there, not here: a DAG file
# imports this module while the scheduler parses it, and Airflow 2's processor re-imports
# non-airflow modules in every forked parse (bench/parse-time measured ~170 ms per file).
USE_HTTPX = importlib.util.find_spec("httpx") is not None
_SSL_CONTEXT: ssl.SSLContext | None = None
FINAL_JOB_STATUSES = frozenset({"succeeded", "failed"})
JOB_STATUSES = frozenset({"queued", "running"}) | FINAL_JOB_STATUSES


@dataclass(frozen=True)
class ServiceEndpoint:
    """Where a service is and how to authenticate; ``repr`` never shows the token."""

    base_url: str
    token: str | None = field(default=None, repr=False)

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    @classmethod
    def from_connection(cls, conn: Any) -> ServiceEndpoint:
        host = (conn.host or "").strip()
        if not host:
            raise ValueError(f"connection {conn.conn_id!r} has no host")
        if "://" in host:
            base = host.rstrip("/")
        else:
            scheme = conn.conn_type if conn.conn_type in ("http", "https") else "http"
            base = f"{scheme}://{host.rstrip('/')}"
        if conn.port:
            base += f":{conn.port}"
        prefix = (conn.schema or "").strip("/")
        if prefix:
            base += "/" + prefix
        return cls(base_url=base, token=conn.password or None)


@dataclass(frozen=True)
class ServiceResponse:
    status: int
    headers: Mapping[str, str]
    body: Any


def path_segment(value: str) -> str:
    """Quote one URL path segment (a bookmark name, a run id, a job id)."""
    return quote(str(value), safe="")


class DagwrightServiceHook(BaseHook):
    """Calls one dagwright service; problems are raised as :class:`ServiceProblem`."""

    conn_name_attr = "conn_id"
    default_conn_name = "dagwright_loader"
    conn_type = "http"
    hook_name = "dagwright service"

    def __init__(self, conn_id: str = default_conn_name, *, timeout: float = 30.0) -> None:
        super().__init__()
        self.conn_id = conn_id
        self.timeout = timeout
        self._endpoint: ServiceEndpoint | None = None
        self._async_client: Any = None

    # -- connection -------------------------------------------------------------------

    def _remember(self, conn: Any) -> ServiceEndpoint:
        # Airflow registers a connection's password with its log masker when it loads it.
        self._endpoint = ServiceEndpoint.from_connection(conn)
        return self._endpoint

    def endpoint(self) -> ServiceEndpoint:
        if self._endpoint is None:
            self._remember(get_connection(self.conn_id))
        assert self._endpoint is not None
        return self._endpoint

    async def aendpoint(self) -> ServiceEndpoint:
        if self._endpoint is None:
            self._remember(await aget_connection(self.conn_id))
        assert self._endpoint is not None
        return self._endpoint

    def get_conn(self) -> ServiceEndpoint:
        return self.endpoint()

    # -- raw requests -----------------------------------------------------------------

    def _headers(self, endpoint: ServiceEndpoint, extra: Mapping[str, str] | None) -> dict:
        headers = {"Accept": "application/json", "User-Agent": f"dagwright-airflow/{__version__}"}
        headers.update(extra or {})
        if endpoint.token:
            headers["Authorization"] = f"Bearer {endpoint.token}"
        return headers

    def _send(self, endpoint: ServiceEndpoint, method: str, path: str, json: Any, headers: dict):
        try:
            resp = requests.request(
                method,
                endpoint.url(path),
                json=json,
                headers=self._headers(endpoint, headers),
                timeout=self.timeout,
                allow_redirects=False,
            )
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema) as exc:
            raise _bad_connection(self.conn_id, exc) from None
        except requests.exceptions.RequestException as exc:
            raise ServiceProblem.transport(exc) from None
        return resp.status_code, dict(resp.headers), resp.content

    async def _asend(self, endpoint: ServiceEndpoint, method: str, path: str, json: Any, headers):
        if not USE_HTTPX:
            return await asyncio.to_thread(self._send, endpoint, method, path, json, headers)
        import httpx

        client = await self._aclient()
        try:
            resp = await client.request(
                method, endpoint.url(path), json=json, headers=self._headers(endpoint, headers)
            )
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise _bad_connection(self.conn_id, exc) from None
        except httpx.HTTPError as exc:
            raise ServiceProblem.transport(exc) from None
        return resp.status_code, dict(resp.headers), resp.content

    async def _aclient(self) -> Any:
        # Building an httpx client (its SSL context, first imports) blocks for up to ~0.2s:
        # do it once per hook, in a thread, so the triggerer's event loop never waits on it.
        if self._async_client is None:
            self._async_client = await asyncio.to_thread(_new_async_client, self.timeout)
        return self._async_client

    async def aclose(self) -> None:
        """Close the async client (triggers call this when they finish)."""
        client, self._async_client = self._async_client, None
        if client is not None:
            await client.aclose()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        expected_status: Collection[int] | None = None,
    ) -> ServiceResponse:
        """One HTTP call; an unexpected status raises :class:`ServiceProblem`."""
        endpoint = self.endpoint()
        self.log.debug("%s %s", method, endpoint.url(path))
        raw = self._send(endpoint, method, path, json, dict(headers or {}))
        return _response(*raw, expected_status)

    async def arequest(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        expected_status: Collection[int] | None = None,
    ) -> ServiceResponse:
        endpoint = await self.aendpoint()
        raw = await self._asend(endpoint, method, path, json, dict(headers or {}))
        return _response(*raw, expected_status)

    # -- the protocol -----------------------------------------------------------------

    def submit_job(self, path: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
        """``POST`` a job's input; returns the job (new, or replayed for the same key)."""
        self.log.info("POST %s (Idempotency-Key: %s)", path, idempotency_key)
        resp = self.request(
            "POST",
            path,
            json=dict(body),
            headers={"Idempotency-Key": idempotency_key},
            expected_status=(200, 201, 202),
        )
        return _job(resp)

    def get_job(self, job_id: str) -> dict:
        return _job(self.request("GET", f"/v1/jobs/{path_segment(job_id)}"))

    async def aget_job(self, job_id: str) -> dict:
        return _job(await self.arequest("GET", f"/v1/jobs/{path_segment(job_id)}"))

    def get(self, path: str) -> Any:
        return self.request("GET", path).body

    async def aget(self, path: str) -> Any:
        return (await self.arequest("GET", path)).body


def _ssl_context() -> ssl.SSLContext:
    """One SSL context for every async client; honours SSL_CERT_FILE / REQUESTS_CA_BUNDLE."""
    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        cafile = os.environ.get("SSL_CERT_FILE") or os.environ.get("REQUESTS_CA_BUNDLE")
        if not cafile:
            try:
                import certifi

                cafile = certifi.where()
            except ImportError:  # pragma: no cover - certifi ships with httpx
                cafile = None
        _SSL_CONTEXT = ssl.create_default_context(cafile=cafile)
    return _SSL_CONTEXT


def _new_async_client(timeout: float) -> Any:
    import httpx

    return httpx.AsyncClient(timeout=timeout, follow_redirects=False, verify=_ssl_context())


def _bad_connection(conn_id: str, exc: Exception) -> ServiceProblem:
    return ServiceProblem(
        "Connection.Invalid",
        title="Invalid connection",
        detail=f"connection {conn_id!r} does not give a usable URL ({type(exc).__name__})",
        retryable=False,
    )


def _response(
    status: int, headers: Mapping[str, str], content: bytes, expected: Collection[int] | None
) -> ServiceResponse:
    ok = status in expected if expected else 200 <= status < 300
    if not ok:
        raise ServiceProblem.from_response(status, headers, content)
    body: Any = None
    if content:
        text = content.decode("utf-8", "replace")
        try:
            body = jsonlib.loads(text)
        except ValueError:
            body = text
    return ServiceResponse(status=status, headers=headers, body=body)


def _job(resp: ServiceResponse) -> dict:
    job = resp.body
    if (
        not isinstance(job, dict)
        or not isinstance(job.get("id"), str)
        or job.get("status") not in JOB_STATUSES
    ):
        raise ServiceProblem(
            "Response.Malformed",
            status=resp.status,
            title="Malformed job",
            detail="the service did not answer with a job (id and status)",
            retryable=False,
        )
    return job
