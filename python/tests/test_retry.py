"""Retry policies: code matching, backoff, and the decision for one problem."""

from __future__ import annotations

import pytest

from dagwright_airflow.retry import RetryPolicy, code_matches, decide, retry_delay_scale

MATCHES = [
    # name, pattern, code, retryable, want
    ("exact", "Warehouse.Unavailable", "Warehouse.Unavailable", True, True),
    ("exact non-retryable", "DataError", "DataError", False, True),
    ("dotted prefix", "Warehouse", "Warehouse.Unavailable", True, True),
    ("deeper prefix", "Redshift", "Redshift.UnavailableException", True, True),
    ("prefix of prefix", "Warehouse", "Warehouse.Pool.Exhausted", True, True),
    ("not a dotted prefix", "Warehouse", "WarehouseX.Unavailable", True, False),
    ("longer pattern", "Warehouse.Unavailable.Soon", "Warehouse.Unavailable", True, False),
    ("different code", "Service.Busy", "Warehouse.Throttled", True, False),
    ("case sensitive", "warehouse", "Warehouse.Unavailable", True, False),
    ("ALL retryable", "ALL", "Service.Busy", True, True),
    ("ALL transport", "ALL", "Transport.Unavailable", True, True),
    ("ALL not retryable", "ALL", "DQ.RulesFailed", False, False),
    ("ALL is not a prefix", "ALL", "ALL.Something", False, False),
]


@pytest.mark.parametrize("name,pattern,code,retryable,want", MATCHES, ids=[m[0] for m in MATCHES])
def test_code_matches(name, pattern, code, retryable, want):
    assert code_matches(pattern, code, retryable) is want


BACKOFF = [
    # name, policy kwargs, retry index, want seconds
    ("fixed first", dict(delay=30), 0, 30),
    ("fixed third", dict(delay=30), 2, 30),
    ("exponential first", dict(delay=10, backoff="exponential"), 0, 10),
    ("exponential second", dict(delay=10, backoff="exponential"), 1, 20),
    ("exponential fourth", dict(delay=10, backoff="exponential"), 3, 80),
    ("capped", dict(delay=10, backoff="exponential", max_delay=45), 3, 45),
    ("cap above", dict(delay=10, backoff="exponential", max_delay=450), 3, 80),
    ("fixed capped", dict(delay=100, max_delay=60), 0, 60),
    ("huge index", dict(delay=1, backoff="exponential", max_delay=600), 10_000, 600),
]


@pytest.mark.parametrize("name,kwargs,index,want", BACKOFF, ids=[b[0] for b in BACKOFF])
def test_delay_for(name, kwargs, index, want):
    assert RetryPolicy(on=["ALL"], attempts=5, **kwargs).delay_for(index) == want


WAREHOUSE = RetryPolicy(on=["Warehouse", "Redshift"], attempts=3, delay=60)
BUSY = RetryPolicy(on=["Service.Busy"], attempts=2, delay=5, backoff="exponential")
EVERYTHING = RetryPolicy(on=["ALL"], attempts=1, delay=1)
NEVER = RetryPolicy(on=["ALL"], attempts=0, delay=1)

WH = [WAREHOUSE]
BE = [BUSY, EVERYTHING]

DECIDE = [
    # name, policies, code, retryable, retry_after, retries, want (action, delay, retries)
    ("map form retryable", None, "Service.Busy", True, 7, {}, ("airflow_retry", 0, {})),
    ("map form not retryable", None, "DataError", False, None, {}, ("fail", 0, {})),
    ("empty list", [], "Internal", True, None, {}, ("fail", 0, {})),
    # Backpressure and a stopped service are not the data's fault: never failed at once.
    ("busy, unlisted", WH, "Service.Busy", True, 7, {}, ("retry", 7, {"backpressure": 1})),
    ("busy, no wait given", [], "Service.Busy", True, None, {}, ("retry", 1, {"backpressure": 1})),
    ("shutting down", WH, "Service.ShuttingDown", True, 5, {}, ("retry", 5, {"backpressure": 1})),
    (
        "busy, waited out",
        WH,
        "Service.Busy",
        True,
        2,
        {"backpressure": 60},
        ("fail", 0, {"backpressure": 60}),
    ),
    ("interrupted, unlisted", WH, "Job.Interrupted", True, 5, {}, ("airflow_retry", 0, {})),
    ("unmatched", WH, "TableNotFound", False, None, {}, ("fail", 0, {})),
    ("first retry", WH, "Warehouse.Unavailable", True, None, {}, ("retry", 60, {"0": 1})),
    ("retry-after wins", WH, "Warehouse.Throttled", True, 120, {}, ("retry", 120, {"0": 1})),
    ("delay wins", WH, "Warehouse.Throttled", True, 3, {}, ("retry", 60, {"0": 1})),
    ("last retry", WH, "Redshift.Unavailable", True, None, {"0": 2}, ("retry", 60, {"0": 3})),
    ("exhausted", WH, "Warehouse.Unavailable", True, None, {"0": 3}, ("fail", 0, {"0": 3})),
    ("first matching policy", BE, "Service.Busy", True, None, {}, ("retry", 5, {"0": 1})),
    ("backoff grows", BE, "Service.Busy", True, None, {"0": 1}, ("retry", 10, {"0": 2})),
    ("falls to ALL", BE, "Internal", True, None, {"0": 2}, ("retry", 1, {"0": 2, "1": 1})),
    ("ALL skips non-retryable", BE, "DQ.RulesFailed", False, None, {}, ("fail", 0, {})),
    ("zero attempts", [NEVER], "Internal", True, None, {}, ("fail", 0, {})),
]


@pytest.mark.parametrize(
    "name,policies,code,retryable,retry_after,retries,want", DECIDE, ids=[d[0] for d in DECIDE]
)
def test_decide(name, policies, code, retryable, retry_after, retries, want):
    decision = decide(policies, code, retryable, retry_after, retries)
    assert (decision.action, decision.delay, decision.retries) == want
    assert code in decision.reason


def test_decide_does_not_mutate_the_counters():
    retries = {"0": 1}
    decide([WAREHOUSE], "Warehouse.Unavailable", True, None, retries)
    assert retries == {"0": 1}


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(on=[], attempts=1, delay=1),
        dict(on=["ALL"], attempts=-1, delay=1),
        dict(on=["ALL"], attempts=1, delay=-1),
        dict(on=["ALL"], attempts=1, delay=1, backoff="linear"),
        dict(on=["ALL"], attempts=1, delay=1, max_delay=-5),
    ],
)
def test_invalid_policies(kwargs):
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)


def test_policy_accepts_a_single_code_string():
    assert RetryPolicy(on="Service.Busy", attempts=1, delay=1).on == ("Service.Busy",)


def test_decide_scales_the_policy_delay_but_never_the_services_retry_after():
    policies = [RetryPolicy(on=["Warehouse"], attempts=3, delay=60, backoff="exponential")]
    assert decide(policies, "Warehouse.Unavailable", True, None, {"0": 1}, scale=0.01).delay == 1.2
    # Retry-After is the service's backpressure: a floor, whatever the scale.
    assert decide(policies, "Warehouse.Unavailable", True, 30, None, scale=0.01).delay == 30.0


@pytest.mark.parametrize("raw,want", [(None, 1.0), ("", 1.0), ("0.05", 0.05), ("1", 1.0)])
def test_retry_delay_scale_from_the_environment(raw, want):
    environ = {} if raw is None else {"DAGWRIGHT_RETRY_DELAY_SCALE": raw}
    assert retry_delay_scale(environ) == want


@pytest.mark.parametrize("raw", ["0", "-1", "2", "fast"])
def test_retry_delay_scale_refuses_what_is_not_a_fraction(raw):
    with pytest.raises(ValueError, match="DAGWRIGHT_RETRY_DELAY_SCALE"):
        retry_delay_scale({"DAGWRIGHT_RETRY_DELAY_SCALE": raw})
