"""HttpCallOperator end to end against a local server (real hook)."""

from __future__ import annotations

import pytest

from dagwright_airflow._compat import AirflowException, AirflowFailException, TaskDeferred
from dagwright_airflow.operators.http import HttpCallOperator
from dagwright_airflow.retry import RetryPolicy
from tests.fakes import TOKEN, problem_doc
from tests.httpserver import JSON, PROBLEM, ScriptedServer


@pytest.fixture
def server(service_conn):
    with ScriptedServer() as srv:
        service_conn(srv.url, conn_ids=("webhook",))
        yield srv


def call(**kwargs):
    kwargs.setdefault("endpoint", "/hooks/done")
    return HttpCallOperator(task_id="notify", conn_id="webhook", **kwargs)


def test_json_response_is_the_xcom(server, context):
    server.route("POST", "/hooks/done", (201, JSON, {"ok": True}))
    result = call(method="post", json={"rows": 3}, headers={"X-Trace": "t1"}).execute(context)
    assert result == {"ok": True}
    seen = server.seen[0]
    assert seen.body == {"rows": 3}
    assert seen.headers["X-Trace"] == "t1"
    assert seen.headers["Authorization"] == f"Bearer {TOKEN}"


def test_text_response(server, context):
    server.route("GET", "/hooks/done", (200, {"Content-Type": "text/plain"}, "fine"))
    assert call().execute(context) == "fine"


def test_expected_status(server, context):
    server.route("GET", "/hooks/done", (404, JSON, {"missing": True}))
    assert call(expected_status=[404]).execute(context) == {"missing": True}
    server.route("GET", "/hooks/done", (200, JSON, {}))
    with pytest.raises(AirflowFailException) as err:
        call(expected_status=[404]).execute(context)
    assert "HTTP.200" in str(err.value)


def test_5xx_is_retryable_http_code(server, context):
    server.route("GET", "/hooks/done", (503, {"Retry-After": "20"}, "down"))
    policies = [RetryPolicy(on=["HTTP.503"], attempts=1, delay=5)]
    with pytest.raises(TaskDeferred) as deferred:
        call(retry_policies=policies).execute(context)
    assert deferred.value.kwargs == {"retries": {"0": 1}, "try_number": 1}
    assert deferred.value.method_name == "resume_after_delay"


def test_4xx_fails_and_5xx_uses_airflow_retries_in_map_form(server, context):
    server.route("GET", "/hooks/done", (400, {}, "bad"))
    with pytest.raises(AirflowFailException):
        call().execute(context)
    server.route("GET", "/hooks/done", (502, {}, "gateway"))
    with pytest.raises(AirflowException) as err:
        call().execute(context)
    assert not isinstance(err.value, AirflowFailException)
    assert "HTTP.502" in str(err.value)


def test_problem_json_gives_its_code(server, context):
    server.route(
        "GET", "/hooks/done", (409, PROBLEM, problem_doc("Bookmark.RunInProgress", 409, False))
    )
    policies = [RetryPolicy(on=["Bookmark"], attempts=1, delay=0)]
    with pytest.raises(AirflowFailException) as err:
        call(retry_policies=policies).execute(context)
    assert "Bookmark.RunInProgress" in str(err.value)
    assert len(server.seen) == 2  # delay 0: retried once in process, then exhausted


def test_not_deferrable_sleeps_and_retries(server, context, sleeps):
    server.route("GET", "/hooks/done", (429, {"Retry-After": "8"}, ""), (200, JSON, [1, 2]))
    policies = [RetryPolicy(on=["ALL"], attempts=3, delay=2)]
    assert call(retry_policies=policies, deferrable=False).execute(context) == [1, 2]
    assert sleeps == [8]


def test_non_get_calls_send_the_job_operators_idempotency_key_on_every_try(server, context):
    from dagwright_airflow.operators.base import idempotency_key

    server.route("POST", "/hooks/done", (503, {}, "down"))
    policies = [RetryPolicy(on=["HTTP.503"], attempts=1, delay=0)]
    with pytest.raises(AirflowFailException):
        call(method="POST", json={"rows": 3}, retry_policies=policies).execute(context)
    keys = [seen.headers.get("Idempotency-Key") for seen in server.seen]
    assert keys == [idempotency_key(context)] * 2


def test_get_sends_no_idempotency_key_and_a_users_own_key_wins(server, context):
    server.route("GET", "/hooks/done", (200, JSON, {}))
    call().execute(context)
    assert "Idempotency-Key" not in server.seen[0].headers
    server.route("PUT", "/hooks/done", (200, JSON, {}))
    call(method="PUT", headers={"idempotency-key": "mine"}).execute(context)
    sent = [(k, v) for k, v in server.seen[1].headers.items() if k.lower() == "idempotency-key"]
    assert sent == [("idempotency-key", "mine")]
