"""DagwrightServiceHook against a real local HTTP server."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from dagwright_airflow.hooks import service as service_module
from dagwright_airflow.hooks.service import DagwrightServiceHook, ServiceEndpoint
from dagwright_airflow.problem import ServiceProblem
from tests.fakes import TOKEN, job, problem_doc
from tests.httpserver import JSON, PROBLEM, ScriptedServer


@pytest.fixture
def server(service_conn):
    with ScriptedServer() as srv:
        service_conn(srv.url)
        yield srv


def test_submit_job_posts_with_key_and_token(server):
    server.route("POST", "/v1/loads", (202, {**JSON, "Location": "/v1/jobs/job_1"}, job("queued")))
    got = DagwrightServiceHook("dagwright_loader").submit_job(
        "/v1/loads", {"table": "orders"}, "orders/load/run/-1"
    )
    assert got["id"] == "job_1" and got["status"] == "queued"
    seen = server.seen[0]
    assert (seen.method, seen.path, seen.body) == ("POST", "/v1/loads", {"table": "orders"})
    assert seen.headers["Idempotency-Key"] == "orders/load/run/-1"
    assert seen.headers["Authorization"] == f"Bearer {TOKEN}"
    assert seen.headers["Content-Type"] == "application/json"


def test_replayed_final_job_with_200(server):
    server.route(
        "POST", "/v1/loads", (200, {**JSON, "Idempotent-Replayed": "true"}, job("succeeded"))
    )
    hook = DagwrightServiceHook("dagwright_loader")
    assert hook.submit_job("/v1/loads", {}, "k")["status"] == "succeeded"


def test_get_job_quotes_the_id(server):
    server.route("GET", "/v1/jobs/job%2F1", (200, JSON, job("running", job_id="job/1")))
    assert DagwrightServiceHook("dagwright_loader").get_job("job/1")["status"] == "running"


def test_problem_with_retry_after(server):
    server.route(
        "POST",
        "/v1/loads",
        (503, {**PROBLEM, "Retry-After": "17"}, problem_doc("Warehouse.Unavailable")),
    )
    with pytest.raises(ServiceProblem) as err:
        DagwrightServiceHook("dagwright_loader").submit_job("/v1/loads", {}, "k")
    p = err.value
    assert (p.code, p.status, p.retryable, p.retry_after) == (
        "Warehouse.Unavailable",
        503,
        True,
        17,
    )


def test_non_json_error(server):
    server.route("GET", "/v1/warehouses/w/availability", (502, {}, "<html>bad gateway</html>"))
    with pytest.raises(ServiceProblem) as err:
        DagwrightServiceHook("dagwright_loader").get("/v1/warehouses/w/availability")
    assert (err.value.code, err.value.retryable) == ("HTTP.502", True)


def test_a_body_that_is_not_a_job(server):
    server.route("POST", "/v1/loads", (202, JSON, {"hello": "world"}))
    with pytest.raises(ServiceProblem) as err:
        DagwrightServiceHook("dagwright_loader").submit_job("/v1/loads", {}, "k")
    assert err.value.code == "Response.Malformed"


def test_schema_is_a_path_prefix(server, monkeypatch):
    monkeypatch.setenv(
        "AIRFLOW_CONN_DAGWRIGHT_DQ", f"{server.url.replace('://', f'://:{TOKEN}@')}/dq"
    )
    server.route("GET", "/dq/v1/jobs/j", (200, JSON, job("succeeded", job_id="j")))
    assert DagwrightServiceHook("dagwright_dq").get_job("j")["id"] == "j"


@pytest.mark.parametrize("use_httpx", [True, False], ids=["httpx", "thread"])
def test_async_calls(server, monkeypatch, use_httpx):
    monkeypatch.setattr(service_module, "USE_HTTPX", use_httpx)
    server.route("GET", "/v1/jobs/job_1", (200, JSON, job("running")))
    server.route(
        "GET",
        "/v1/jobs/job_2",
        (429, {**PROBLEM, "Retry-After": "3"}, problem_doc("Service.Busy", 429)),
    )

    async def run():
        hook = DagwrightServiceHook("dagwright_loader")
        first = await hook.aget_job("job_1")
        client = hook._async_client
        with pytest.raises(ServiceProblem) as err:
            await hook.aget_job("job_2")
        assert hook._async_client is client  # one client per hook
        await hook.aclose()
        assert hook._async_client is None
        return first, err.value

    first, busy = asyncio.run(run())
    assert first["status"] == "running"
    assert (busy.code, busy.retry_after) == ("Service.Busy", 3)
    assert server.seen[0].headers["Authorization"] == f"Bearer {TOKEN}"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("use_httpx", [True, False], ids=["httpx", "thread"])
def test_transport_failure_and_the_token_stays_secret(
    service_conn, monkeypatch, caplog, capfd, use_httpx
):
    monkeypatch.setattr(service_module, "USE_HTTPX", use_httpx)
    service_conn(f"http://127.0.0.1:{_closed_port()}")
    caplog.set_level(logging.DEBUG)
    hook = DagwrightServiceHook("dagwright_loader")
    with pytest.raises(ServiceProblem) as sync_err:
        hook.submit_job("/v1/loads", {"table": "t"}, "k")

    async def poll():
        hook = DagwrightServiceHook("dagwright_loader")
        with pytest.raises(ServiceProblem) as err:
            await hook.aget_job("job_1")
        await hook.aclose()
        return err.value

    async_err = asyncio.run(poll())
    for p in (sync_err.value, async_err):
        assert (p.code, p.retryable) == ("Transport.Unavailable", True)
        assert TOKEN not in str(p) and TOKEN not in repr(p.to_dict())
    out, err = capfd.readouterr()
    assert TOKEN not in caplog.text + out + err
    assert TOKEN not in repr(hook.endpoint())


def test_token_never_in_problem_messages(server, caplog, capfd):
    server.route("POST", "/v1/loads", (401, PROBLEM, problem_doc("Auth.Unauthorized", 401, False)))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ServiceProblem) as err:
        DagwrightServiceHook("dagwright_loader").submit_job("/v1/loads", {}, "k")
    assert err.value.code == "Auth.Unauthorized"
    out, errout = capfd.readouterr()
    assert TOKEN not in str(err.value) + caplog.text + out + errout


class Conn:
    def __init__(self, host, conn_type="http", port=None, schema=None, password=None):
        self.conn_id, self.host, self.conn_type = "c", host, conn_type
        self.port, self.schema, self.password = port, schema, password


ENDPOINTS = [
    ("host only", Conn("loader.internal"), "http://loader.internal"),
    ("https conn type", Conn("loader.internal", conn_type="https"), "https://loader.internal"),
    ("scheme in host", Conn("https://loader.internal/"), "https://loader.internal"),
    ("port and prefix", Conn("loader", port=8080, schema="/api/"), "http://loader:8080/api"),
    ("other conn type", Conn("loader", conn_type="generic"), "http://loader"),
]


@pytest.mark.parametrize("name,conn,want", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_endpoint_from_connection(name, conn, want):
    assert ServiceEndpoint.from_connection(conn).base_url == want


def test_endpoint_url_join_and_token():
    ep = ServiceEndpoint.from_connection(Conn("h", port=1, schema="p", password=TOKEN))
    assert ep.url("/v1/loads") == "http://h:1/p/v1/loads"
    assert ep.token == TOKEN and TOKEN not in repr(ep)


def test_connection_without_host():
    with pytest.raises(ValueError):
        ServiceEndpoint.from_connection(Conn(""))


def test_airflow_masks_the_token_once_the_connection_is_loaded(service_conn):
    service_conn("http://127.0.0.1:9")
    DagwrightServiceHook("dagwright_loader").endpoint()
    masker = None
    for module in (
        "airflow.sdk.execution_time.secrets_masker",
        "airflow.sdk._shared.secrets_masker.secrets_masker",
        "airflow.utils.log.secrets_masker",
    ):
        try:
            masker = __import__(module, fromlist=["_secrets_masker"])._secrets_masker()
            break
        except (ImportError, AttributeError):
            continue
    if masker is None:
        pytest.skip("no known secrets masker module")
    assert masker.redact(f"token {TOKEN}") == "token ***"
