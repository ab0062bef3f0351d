"""Parsing problem documents and other failed responses into ServiceProblem."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from dagwright_airflow.problem import ServiceProblem, parse_retry_after

PROBLEM_JSON = {"Content-Type": "application/problem+json"}


def test_problem_json_gives_every_field():
    body = json.dumps(
        {
            "type": "https://dagwright.dev/problems/warehouse-unavailable",
            "title": "Warehouse unavailable",
            "status": 503,
            "code": "Redshift.UnavailableException",
            "detail": "cluster analytics is paused",
            "retryable": True,
            "errors": [{"path": "/table", "message": "bad"}],
        }
    ).encode()
    p = ServiceProblem.from_response(503, {**PROBLEM_JSON, "Retry-After": "30"}, body)
    assert (p.code, p.status, p.retryable, p.retry_after) == (
        "Redshift.UnavailableException",
        503,
        True,
        30.0,
    )
    assert p.title == "Warehouse unavailable"
    assert p.detail == "cluster analytics is paused"
    assert p.errors == [{"path": "/table", "message": "bad"}]
    assert "Redshift.UnavailableException" in str(p) and "cluster analytics is paused" in str(p)
    assert "/table: bad" in str(p)


PJ = PROBLEM_JSON
AJ = {"Content-Type": "application/json"}
HTML = {"Content-Type": "text/html"}
RULES_FAILED = {"code": "DQ.RulesFailed", "retryable": False}
CONFLICT = {"code": "Idempotency.Conflict", "retryable": False}

RESPONSES = [
    # name, status, headers, body, want (code, retryable)
    ("problem not retryable", 422, PJ, RULES_FAILED, ("DQ.RulesFailed", False)),
    ("problem without retryable: by status", 500, PJ, {"code": "Internal"}, ("Internal", True)),
    ("problem shape, plain json", 409, AJ, CONFLICT, ("Idempotency.Conflict", False)),
    ("foreign json with a code", 404, AJ, {"code": "NOPE"}, ("HTTP.404", False)),
    ("html 502", 502, HTML, "<h1>Bad gateway</h1>", ("HTTP.502", True)),
    ("empty 503", 503, {}, "", ("HTTP.503", True)),
    ("408", 408, {}, "", ("HTTP.408", True)),
    ("429", 429, {}, "slow down", ("HTTP.429", True)),
    ("400 text", 400, {}, "bad", ("HTTP.400", False)),
    ("401 bare", 401, {}, "", ("HTTP.401", False)),
    ("invalid json", 500, PJ, "{not json", ("HTTP.500", True)),
]


@pytest.mark.parametrize("name,status,headers,body,want", RESPONSES, ids=[r[0] for r in RESPONSES])
def test_from_response(name, status, headers, body, want):
    raw = json.dumps(body).encode() if isinstance(body, dict) else body.encode()
    p = ServiceProblem.from_response(status, headers, raw)
    assert (p.code, p.retryable) == want
    assert p.status == status


def test_plain_text_detail_is_trimmed():
    p = ServiceProblem.from_response(500, {}, ("x " * 1000).encode())
    assert len(p.detail) <= 200


RETRY_AFTER = [
    ("seconds", "120", 120.0),
    ("spaces", " 5 ", 5.0),
    ("absent", None, None),
    ("empty", "", None),
    ("garbage", "soon", None),
    ("negative", "-5", None),
    ("http date", "Thu, 26 Nov 2026 10:01:00 GMT", 60.0),
    ("http date in the past", "Thu, 26 Nov 2026 09:00:00 GMT", 0.0),
]


@pytest.mark.parametrize("name,value,want", RETRY_AFTER, ids=[r[0] for r in RETRY_AFTER])
def test_parse_retry_after(name, value, want):
    now = datetime(2026, 11, 26, 10, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after(value, now=now) == want


def test_retry_after_header_is_case_insensitive():
    p = ServiceProblem.from_response(429, {"retry-after": "9"}, b"")
    assert p.retry_after == 9.0


def test_round_trip_through_a_dict():
    p = ServiceProblem.from_response(
        503, {**PROBLEM_JSON, "Retry-After": "4"}, json.dumps({"code": "Service.Busy"}).encode()
    )
    q = ServiceProblem.from_dict(json.loads(json.dumps(p.to_dict())))
    assert q.to_dict() == p.to_dict()


def test_failed_job_error_without_status():
    p = ServiceProblem.from_dict(
        {"code": "Job.Interrupted", "retryable": True, "detail": "stopped"}
    )
    assert (p.code, p.status, p.retryable) == ("Job.Interrupted", None, True)


@pytest.mark.parametrize("doc", [None, "oops", 3, [], {}])
def test_malformed_problem(doc):
    p = ServiceProblem.from_dict(doc)
    assert p.code == "Problem.Malformed"
    assert p.retryable is False


def test_transport_problem():
    p = ServiceProblem.transport(ConnectionRefusedError("[Errno 111] Connection refused"))
    assert (p.code, p.retryable, p.status) == ("Transport.Unavailable", True, None)
    assert "ConnectionRefusedError" in p.detail


def test_pickles_with_every_field():
    import pickle

    p = ServiceProblem.from_response(
        503, {**PROBLEM_JSON, "Retry-After": "4"}, json.dumps({"code": "Service.Busy"}).encode()
    )
    q = pickle.loads(pickle.dumps(p))
    assert q.to_dict() == p.to_dict() and str(q) == str(p)
