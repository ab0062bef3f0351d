"""Ingest steps for the parse-time benchmark: trivial bodies, parsed only."""

from __future__ import annotations


def extract(*args: object, **kwargs: object) -> dict[str, object]:
    """Extract."""
    return {"step": "extract", "args": list(args), "kwargs": dict(kwargs)}


def list_partitions(**kwargs: object) -> list[str]:
    """The items a mapped task fans out over."""
    return ["p0", "p1", "p2"]


def snapshot(*args: object, **kwargs: object) -> dict[str, object]:
    """Snapshot."""
    return {"step": "snapshot", "args": list(args), "kwargs": dict(kwargs)}


def fetch_delta(*args: object, **kwargs: object) -> dict[str, object]:
    """Fetch delta."""
    return {"step": "fetch_delta", "args": list(args), "kwargs": dict(kwargs)}
