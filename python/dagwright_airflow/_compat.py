"""The one place where Airflow 2.x and 3.x imports differ.

On 3.x prefer ``airflow.sdk`` (and the standard provider's temporal triggers); on 2.x use the
classic paths. Everything else in the package imports Airflow names from here.
"""

from __future__ import annotations

from typing import Any

from airflow import __version__ as AIRFLOW_VERSION

AIRFLOW_V3 = int(AIRFLOW_VERSION.split(".", 1)[0]) >= 3

if AIRFLOW_V3:
    from airflow.sdk import BaseOperator, BaseSensorOperator, Context
    from airflow.triggers.base import BaseTrigger, TriggerEvent

    try:
        from airflow.sdk import BaseHook
    except ImportError:  # pragma: no cover - early 3.0 releases
        from airflow.hooks.base import BaseHook  # type: ignore[no-redef]

    try:  # newer Task SDKs own the exceptions
        from airflow.sdk.exceptions import (  # type: ignore[attr-defined]
            AirflowException,
            AirflowFailException,
            TaskDeferred,
        )
    except ImportError:
        from airflow.exceptions import AirflowException, AirflowFailException, TaskDeferred
    try:
        from airflow.providers.standard.triggers.temporal import DateTimeTrigger, TimeDeltaTrigger
    except ImportError:  # pragma: no cover - standard provider missing
        from airflow.triggers.temporal import DateTimeTrigger, TimeDeltaTrigger  # type: ignore
else:  # Airflow 2.10 / 2.11
    from airflow.exceptions import AirflowException, AirflowFailException, TaskDeferred
    from airflow.hooks.base import BaseHook
    from airflow.models.baseoperator import BaseOperator
    from airflow.sensors.base import BaseSensorOperator
    from airflow.triggers.base import BaseTrigger, TriggerEvent
    from airflow.triggers.temporal import DateTimeTrigger, TimeDeltaTrigger
    from airflow.utils.context import Context

# Every version's task runner skips a task on this one exception class, and catches these
# timeouts from ``airflow.exceptions`` (a sensor timeout is never retried, a task timeout is).
from airflow.exceptions import (  # noqa: E402
    AirflowSensorTimeout,
    AirflowSkipException,
    AirflowTaskTimeout,
)

# ``next_method`` of a task the scheduler resumes only to fail it (its deferral timed out or its
# trigger failed), and the ``error`` it gives when the deferral's timeout passed: 2.x, then 3.x.
TRIGGER_FAIL_METHOD = "__fail__"
DEFERRAL_TIMEOUT_ERRORS = frozenset({"Trigger/execution timeout", "Trigger timeout"})


def is_deferral_timeout(next_method: str, next_kwargs: Any) -> bool:
    """Whether a resume is the scheduler failing a task whose deferral timed out."""
    if next_method != TRIGGER_FAIL_METHOD or not isinstance(next_kwargs, dict):
        return False
    return str(getattr(next_kwargs.get("error"), "value", next_kwargs.get("error"))) in (
        DEFERRAL_TIMEOUT_ERRORS
    )


def get_connection(conn_id: str) -> Any:
    """The Airflow connection ``conn_id`` (synchronous: tasks, not triggers)."""
    return BaseHook.get_connection(conn_id)


async def aget_connection(conn_id: str) -> Any:
    """The Airflow connection ``conn_id``, from a trigger's event loop without blocking it."""
    native = getattr(BaseHook, "aget_connection", None)
    if native is not None:
        return await native(conn_id)
    from asgiref.sync import sync_to_async

    return await sync_to_async(BaseHook.get_connection)(conn_id)


__all__ = [
    "AIRFLOW_V3",
    "AIRFLOW_VERSION",
    "DEFERRAL_TIMEOUT_ERRORS",
    "TRIGGER_FAIL_METHOD",
    "AirflowException",
    "AirflowFailException",
    "AirflowSensorTimeout",
    "AirflowSkipException",
    "AirflowTaskTimeout",
    "BaseHook",
    "BaseOperator",
    "BaseSensorOperator",
    "BaseTrigger",
    "Context",
    "DateTimeTrigger",
    "TaskDeferred",
    "TimeDeltaTrigger",
    "TriggerEvent",
    "aget_connection",
    "get_connection",
    "is_deferral_timeout",
]
