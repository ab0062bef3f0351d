"""Shape an upstream task's output for dynamic task mapping (``for_each: {from: task}``).

The generated DAGs call ``upstream.output.map(item_env)`` or ``.map(item_args)``; Airflow
serialises these functions by their source, so they stay small, pure and module-level.
"""

from __future__ import annotations

import json
from typing import Any


def item_env(item: Any) -> dict[str, str]:
    """One mapped bash task's environment: the item as ``$ITEM`` (JSON unless a string)."""
    return {"ITEM": item if isinstance(item, str) else json.dumps(item, sort_keys=True)}


def item_args(item: Any) -> list[Any]:
    """One mapped python task's positional arguments: the item itself."""
    return [item]
