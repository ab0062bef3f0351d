"""Test doubles: a task context, and a scripted service at the hook boundary."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from dagwright_airflow.hooks.service import DagwrightServiceHook, ServiceResponse
from dagwright_airflow.problem import ServiceProblem

TOKEN = "s3cr3t-t0ken"
DAG_ID = "orders"
RUN_ID = "scheduled__2026-11-26T10:00:00+00:00"


@dataclass
class FakeTI:
    dag_id: str = DAG_ID
    task_id: str = "load_orders"
    run_id: str = RUN_ID
    map_index: int = -1
    try_number: int = 1
    xcoms: dict[tuple[str, str], Any] = field(default_factory=dict)
    # The return values of mapped upstream copies, by (task_id, map_index).
    mapped_xcoms: dict[tuple[str, int], Any] = field(default_factory=dict)
    pulls: list[dict[str, Any]] = field(default_factory=list)

    def xcom_pull(self, task_ids: str, key: str = "return_value", **kwargs: Any) -> Any:
        self.pulls.append({"task_ids": task_ids, "key": key, **kwargs})
        map_index = kwargs.get("map_indexes")
        if isinstance(map_index, int) and map_index >= 0:
            return copy.deepcopy(self.mapped_xcoms.get((task_ids, map_index)))
        return copy.deepcopy(self.xcoms.get((task_ids, key)))

    def xcom_push(self, key: str, value: Any, **_: Any) -> None:
        self.xcoms[(self.task_id, key)] = copy.deepcopy(value)


def make_context(**ti_fields: Any) -> dict[str, Any]:
    ti = FakeTI(**ti_fields)
    return {"ti": ti, "task_instance": ti, "run_id": ti.run_id}


def job(status: str, job_id: str = "job_1", attempt: int = 1, **extra: Any) -> dict[str, Any]:
    return {"id": job_id, "kind": "test", "status": status, "attempt": attempt, **extra}


def problem_doc(code: str, status: int = 503, retryable: bool = True, **extra: Any) -> dict:
    return {
        "type": "https://dagwright.dev/problems/x",
        "title": code,
        "status": status,
        "code": code,
        "detail": f"detail of {code}",
        "retryable": retryable,
        **extra,
    }


def problem(code: str, status: int = 503, retryable: bool = True, retry_after=None, **kw):
    return ServiceProblem.from_dict(
        problem_doc(code, status, retryable, **kw), retry_after=retry_after
    )


class FakeService:
    """Answers the hook's calls from scripts; an exception in a script is raised."""

    def __init__(self) -> None:
        self.submits: list[tuple[str, dict, str]] = []
        self.polls: list[str] = []
        self.requests: list[tuple[str, str, Any, Any]] = []
        self.submit_answers: list[Any] = []
        self.job_answers: list[Any] = []
        self.get_answers: list[Any] = []
        self.closed = 0

    @staticmethod
    def _next(answers: list[Any]) -> Any:
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, BaseException):
            raise answer
        return copy.deepcopy(answer)

    def install(self, monkeypatch) -> None:
        fake = self

        def submit_job(hook, path, body, idempotency_key):
            fake.submits.append((path, copy.deepcopy(dict(body)), idempotency_key))
            return fake._next(fake.submit_answers)

        def get_job(hook, job_id):
            fake.polls.append(job_id)
            return fake._next(fake.job_answers)

        async def aget_job(hook, job_id):
            return get_job(hook, job_id)

        def get(hook, path):
            fake.requests.append(("GET", path, None, None))
            return fake._next(fake.get_answers)

        async def aget(hook, path):
            return get(hook, path)

        async def aclose(hook):
            fake.closed += 1

        def request(hook, method, path, *, json=None, headers=None, expected_status=None):
            fake.requests.append((method, path, json, headers))
            body = fake._next(fake.get_answers)
            return ServiceResponse(status=200, headers={}, body=body)

        for name, fn in [
            ("submit_job", submit_job),
            ("get_job", get_job),
            ("aget_job", aget_job),
            ("get", get),
            ("aget", aget),
            ("aclose", aclose),
            ("request", request),
        ]:
            monkeypatch.setattr(DagwrightServiceHook, name, fn)
