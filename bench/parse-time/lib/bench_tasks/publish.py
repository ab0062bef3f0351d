"""Publish steps for the parse-time benchmark: trivial bodies, parsed only."""

from __future__ import annotations


def export(*args: object, **kwargs: object) -> dict[str, object]:
    """Export."""
    return {"step": "export", "args": list(args), "kwargs": dict(kwargs)}


def refresh_dashboard(*args: object, **kwargs: object) -> dict[str, object]:
    """Refresh dashboard."""
    return {"step": "refresh_dashboard", "args": list(args), "kwargs": dict(kwargs)}


def write_report(*args: object, **kwargs: object) -> dict[str, object]:
    """Write report."""
    return {"step": "write_report", "args": list(args), "kwargs": dict(kwargs)}


def archive(*args: object, **kwargs: object) -> dict[str, object]:
    """Archive."""
    return {"step": "archive", "args": list(args), "kwargs": dict(kwargs)}
