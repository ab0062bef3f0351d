"""Transform steps for the parse-time benchmark: trivial bodies, parsed only."""

from __future__ import annotations


def clean(*args: object, **kwargs: object) -> dict[str, object]:
    """Clean."""
    return {"step": "clean", "args": list(args), "kwargs": dict(kwargs)}


def dedupe(*args: object, **kwargs: object) -> dict[str, object]:
    """Dedupe."""
    return {"step": "dedupe", "args": list(args), "kwargs": dict(kwargs)}


def enrich(*args: object, **kwargs: object) -> dict[str, object]:
    """Enrich."""
    return {"step": "enrich", "args": list(args), "kwargs": dict(kwargs)}


def aggregate(*args: object, **kwargs: object) -> dict[str, object]:
    """Aggregate."""
    return {"step": "aggregate", "args": list(args), "kwargs": dict(kwargs)}


def join_dimensions(*args: object, **kwargs: object) -> dict[str, object]:
    """Join dimensions."""
    return {"step": "join_dimensions", "args": list(args), "kwargs": dict(kwargs)}
