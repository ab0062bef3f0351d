"""Retry policies: which problem codes to retry, how often, and how long to wait.

A spec's list-form ``retry: [{on: [...], attempts, delay, backoff}]`` becomes a list of
:class:`RetryPolicy`. :func:`decide` resolves one problem against that list; it is a pure
function so the whole retry behaviour can be tested without Airflow.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

ALL = "ALL"
BACKOFFS = ("fixed", "exponential")
RETRY_DELAY_SCALE_ENV = "DAGWRIGHT_RETRY_DELAY_SCALE"


def retry_delay_scale(environ: Mapping[str, str] = os.environ) -> float:
    """The factor every wait of dagwright's operators is multiplied by (1 unless set).

    ``DAGWRIGHT_RETRY_DELAY_SCALE`` (a number in ``(0, 1]``) shortens the spec's delays where
    waiting them out would only slow a test down (``dagwright local up --retry-delay-scale``):
    retry-policy delays and the operators' Airflow ``retry_delay`` and ``max_retry_delay``.
    A service's ``Retry-After`` is its backpressure and is never shortened. The generated DAG
    is not changed.
    """
    raw = environ.get(RETRY_DELAY_SCALE_ENV, "")
    if raw == "":
        return 1.0
    try:
        scale = float(raw)
    except ValueError:
        scale = float("nan")
    if not 0 < scale <= 1:
        raise ValueError(f"{RETRY_DELAY_SCALE_ENV} must be a number in (0, 1], not {raw!r}")
    return scale


def code_matches(pattern: str, code: str, retryable: bool) -> bool:
    """Match one ``on`` entry against a problem code.

    ``ALL`` matches every retryable code; otherwise the pattern matches the code exactly or
    as a dotted prefix (``Warehouse`` matches ``Warehouse.Unavailable`` but not
    ``WarehouseX``).
    """
    if pattern == ALL:
        return retryable
    return code == pattern or code.startswith(pattern + ".")


@dataclass(frozen=True)
class RetryPolicy:
    """Retry the codes in ``on`` up to ``attempts`` more times, ``delay`` seconds apart.

    With ``backoff="exponential"`` the n-th retry (n from 0) waits ``delay * 2**n``,
    capped by ``max_delay`` when given.
    """

    on: Sequence[str]
    attempts: int
    delay: float
    backoff: str = "fixed"
    max_delay: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.on, str):
            object.__setattr__(self, "on", (self.on,))
        object.__setattr__(self, "on", tuple(self.on))
        if not self.on:
            raise ValueError("RetryPolicy.on needs at least one code")
        if self.attempts < 0:
            raise ValueError("RetryPolicy.attempts must be >= 0")
        if self.delay < 0:
            raise ValueError("RetryPolicy.delay must be >= 0")
        if self.backoff not in BACKOFFS:
            raise ValueError(f"RetryPolicy.backoff must be one of {BACKOFFS}")
        if self.max_delay is not None and self.max_delay < 0:
            raise ValueError("RetryPolicy.max_delay must be >= 0")

    def matches(self, code: str, retryable: bool = True) -> bool:
        return any(code_matches(pattern, code, retryable) for pattern in self.on)

    def delay_for(self, retry_index: int) -> float:
        """Seconds to wait before retry number ``retry_index`` (0 for the first retry)."""
        delay = float(self.delay)
        if self.backoff == "exponential":
            # Cap the exponent so a huge attempt count cannot overflow a float.
            delay = delay * (2 ** min(retry_index, 62))
        if self.max_delay is not None:
            delay = min(delay, float(self.max_delay))
        return delay


# A service's own backpressure (429, or 503 while it shuts down) is waited out even when a
# task's retry list does not name it; a job whose service process stopped is retried by Airflow.
BACKPRESSURE_CODES = frozenset({"Service.Busy", "Service.ShuttingDown"})
BACKPRESSURE_KEY = "backpressure"
BACKPRESSURE_ATTEMPTS = 60
BACKPRESSURE_MIN_DELAY = 1.0
INTERRUPTED_CODES = frozenset({"Job.Interrupted"})


@dataclass(frozen=True)
class RetryDecision:
    """What to do about one problem.

    ``action`` is ``"retry"`` (wait ``delay`` seconds, then submit again with the counters
    in ``retries``), ``"fail"`` (fail the task at once, no Airflow retry) or
    ``"airflow_retry"`` (raise an ordinary error so Airflow's own retries apply).
    """

    action: str
    reason: str
    delay: float = 0.0
    retries: dict[str, int] = field(default_factory=dict)


def decide(
    policies: Sequence[RetryPolicy] | None,
    code: str,
    retryable: bool,
    retry_after: float | None,
    retries: Mapping[str, int] | None = None,
    scale: float = 1.0,
) -> RetryDecision:
    """Resolve one problem against the task's retry policies.

    ``retries`` counts the retries already done, per policy index (as a string, so it
    survives a deferral's JSON round trip). The policy's delay is multiplied by ``scale``
    (:func:`retry_delay_scale`); the service's ``retry_after`` is a floor either way.
    """
    retries = dict(retries or {})
    if policies is None:
        if retryable:
            return RetryDecision("airflow_retry", f"{code} is retryable", retries=retries)
        return RetryDecision("fail", f"{code} is not retryable", retries=retries)

    for index, policy in enumerate(policies):
        if not policy.matches(code, retryable):
            continue
        key = str(index)
        done = int(retries.get(key, 0))
        if done >= policy.attempts:
            return RetryDecision(
                "fail",
                f"{code}: retry policy {index} exhausted after {done} of {policy.attempts} retries",
                retries=retries,
            )
        delay = max(policy.delay_for(done) * scale, float(retry_after or 0))
        retries[key] = done + 1
        return RetryDecision(
            "retry",
            f"{code}: retry {done + 1} of {policy.attempts} (policy {index}) in {delay:g}s",
            delay=delay,
            retries=retries,
        )
    if code in BACKPRESSURE_CODES and retryable:
        # The service is busy or restarting, not failing: its Retry-After is honoured whatever
        # the list names, up to BACKPRESSURE_ATTEMPTS waits (and the task's deadline).
        done = int(retries.get(BACKPRESSURE_KEY, 0))
        if done < BACKPRESSURE_ATTEMPTS:
            retries[BACKPRESSURE_KEY] = done + 1
            delay = max(float(retry_after or 0), BACKPRESSURE_MIN_DELAY)
            return RetryDecision(
                "retry",
                f"{code}: backpressure, wait {done + 1} of {BACKPRESSURE_ATTEMPTS} in {delay:g}s",
                delay=delay,
                retries=retries,
            )
    if code in INTERRUPTED_CODES:
        # The service's process ended mid-job (a crash, a deploy): an infrastructure failure,
        # which Airflow's own retries cover; the retry posts again under the same key.
        return RetryDecision(
            "airflow_retry", f"{code}: the service stopped mid-job", retries=retries
        )
    return RetryDecision("fail", f"{code} matches no retry policy", retries=retries)
