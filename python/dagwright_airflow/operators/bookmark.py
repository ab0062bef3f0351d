"""Bookmark operators: begin a run (list the new objects) and commit it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dagwright_airflow._compat import Context
from dagwright_airflow.hooks.service import path_segment
from dagwright_airflow.operators.base import DagwrightJobOperator, without_none


class BookmarkBeginOperator(DagwrightJobOperator):
    """Begin a bookmark run: ``POST /v1/bookmarks/{bookmark}/runs``.

    The XCom is the run (``{run_id, bookmark, source, batch, groups}``); the tasks that
    consume it read its ``batch``: ``{objects, total_bytes}``, or for a batch of more
    objects than the service lists inline (1000 by default) ``{manifest, source, count,
    total_bytes}``, a reference to the batch's manifest in S3.

    :param bookmark: the bookmark's name.
    :param source: ``s3://bucket/prefix`` to list.
    :param partitioning: how to group the objects (optional).
    :param options: further body fields, sent as they are.
    """

    template_fields: Sequence[str] = ("bookmark", "source", "partitioning", "options")
    template_fields_renderers = {"options": "json"}
    ui_color = "#e8f0fe"

    def __init__(
        self,
        *,
        bookmark: str,
        source: str,
        partitioning: str | None = None,
        options: dict[str, Any] | None = None,
        conn_id: str = "dagwright_bookmarks",
        **kwargs: Any,
    ) -> None:
        super().__init__(conn_id=conn_id, **kwargs)
        self.bookmark = bookmark
        self.source = source
        self.partitioning = partitioning
        self.options = options

    def job_path(self, context: Context) -> str:
        return f"/v1/bookmarks/{path_segment(self.bookmark)}/runs"

    def job_body(self, context: Context) -> dict[str, Any]:
        body = without_none(
            {
                "run_id": context["ti"].run_id,
                "source": self.source,
                "partitioning": self.partitioning,
            }
        )
        body.update(self.options or {})
        return body


class BookmarkCommitOperator(DagwrightJobOperator):
    """Commit this DAG run's bookmark run.

    ``POST /v1/bookmarks/{bookmark}/runs/{run_id}/commit`` with the Airflow run id.

    The XCom is the bookmark after the commit.
    """

    template_fields: Sequence[str] = ("bookmark",)
    ui_color = "#e8f0fe"

    def __init__(
        self, *, bookmark: str, conn_id: str = "dagwright_bookmarks", **kwargs: Any
    ) -> None:
        super().__init__(conn_id=conn_id, **kwargs)
        self.bookmark = bookmark

    def job_path(self, context: Context) -> str:
        run_id = context["ti"].run_id
        return f"/v1/bookmarks/{path_segment(self.bookmark)}/runs/{path_segment(run_id)}/commit"

    def job_body(self, context: Context) -> dict[str, Any]:
        return {}
