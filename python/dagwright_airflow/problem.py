"""Problem documents (RFC 9457) as a typed exception."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

TRANSPORT_UNAVAILABLE = "Transport.Unavailable"
RETRYABLE_STATUSES = frozenset({408, 429})


def status_is_retryable(status: int | None) -> bool:
    return status is not None and (status in RETRYABLE_STATUSES or status >= 500)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` in seconds: whole seconds or an HTTP date; ``None`` when absent or bad."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


class ServiceProblem(Exception):
    """A problem reported by a dagwright service, or a transport failure reaching it."""

    def __init__(
        self,
        code: str,
        *,
        status: int | None = None,
        title: str | None = None,
        detail: str | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
        errors: list[dict[str, Any]] | None = None,
        type: str | None = None,
    ) -> None:
        self.code = code
        self.status = status
        self.title = title
        self.detail = detail
        self.retryable = retryable
        self.retry_after = retry_after
        self.errors = list(errors or [])
        self.type = type
        super().__init__(self.describe())

    def describe(self) -> str:
        where = f"HTTP {self.status}" if self.status is not None else "no HTTP status"
        text = f"{self.code} ({where}): {self.detail or self.title or 'no detail'}"
        if self.errors:
            fields = "; ".join(
                f"{e.get('path', '?')}: {e.get('message', '')}"
                for e in self.errors[:10]
                if isinstance(e, Mapping)
            )
            text += f" [{fields}]"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle by the fields: the default would re-create it from the message alone.
        return (_from_dict, (self.to_dict(),))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe form, used to carry the problem through a trigger event."""
        return {
            "type": self.type,
            "code": self.code,
            "status": self.status,
            "title": self.title,
            "detail": self.detail,
            "retryable": self.retryable,
            "retry_after": self.retry_after,
            "errors": self.errors,
        }

    @classmethod
    def from_dict(
        cls, doc: Any, *, status: int | None = None, retry_after: float | None = None
    ) -> ServiceProblem:
        """Build from a problem document (a response body or a failed job's ``error``)."""
        if not isinstance(doc, Mapping):
            return cls(
                "Problem.Malformed",
                status=status,
                detail=f"expected a problem document, got {type(doc).__name__}",
                retryable=status_is_retryable(status),
                retry_after=retry_after,
            )
        doc_status = doc.get("status")
        status = doc_status if isinstance(doc_status, int) else status
        code = doc.get("code")
        if not isinstance(code, str) or not code:
            code = f"HTTP.{status}" if status is not None else "Problem.Malformed"
        retryable = doc.get("retryable")
        if not isinstance(retryable, bool):
            retryable = status_is_retryable(status)
        own_retry_after = doc.get("retry_after")
        if retry_after is None and isinstance(own_retry_after, (int, float)):
            retry_after = float(own_retry_after)
        errors = doc.get("errors")
        return cls(
            code,
            status=status,
            title=_str_or_none(doc.get("title")),
            detail=_str_or_none(doc.get("detail")),
            retryable=retryable,
            retry_after=retry_after,
            errors=errors if isinstance(errors, list) else None,
            type=_str_or_none(doc.get("type")),
        )

    @classmethod
    def from_response(
        cls, status: int, headers: Mapping[str, str], body: bytes | str | None
    ) -> ServiceProblem:
        """Build from an unexpected HTTP response (problem+json or anything else)."""
        retry_after = parse_retry_after(_header(headers, "retry-after"))
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else (body or "")
        doc: Any = None
        if text.strip():
            try:
                doc = json.loads(text)
            except ValueError:
                doc = None
        if _is_problem(doc, _header(headers, "content-type")):
            return cls.from_dict(doc, status=status, retry_after=retry_after)
        snippet = " ".join(text.split())[:200]
        return cls(
            f"HTTP.{status}",
            status=status,
            title=f"HTTP {status}",
            detail=snippet or None,
            retryable=status_is_retryable(status),
            retry_after=retry_after,
        )

    @classmethod
    def transport(cls, exc: BaseException) -> ServiceProblem:
        """A connection refused, reset or timed out: the retryable ``Transport.Unavailable``."""
        return cls(
            TRANSPORT_UNAVAILABLE,
            title="Transport unavailable",
            detail=f"{type(exc).__name__}: {exc}"[:500],
            retryable=True,
        )


def _from_dict(doc: dict[str, Any]) -> ServiceProblem:
    return ServiceProblem(doc["code"], **{k: v for k, v in doc.items() if k != "code"})


def _is_problem(doc: Any, content_type: str | None) -> bool:
    """A problem document: served as problem+json, or shaped like a dagwright problem."""
    if not isinstance(doc, Mapping) or not isinstance(doc.get("code"), str):
        return False
    if content_type and "problem+json" in content_type.lower():
        return True
    return isinstance(doc.get("retryable"), bool)


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None
