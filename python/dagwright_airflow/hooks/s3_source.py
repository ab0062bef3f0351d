"""A ``source`` a task reads directly: an S3 prefix or object, as a batch the loader takes."""

from __future__ import annotations

from typing import Any

from dagwright_airflow._compat import AirflowFailException

# The loader takes at most this many objects in one batch (services/loader schemas).
MAX_OBJECTS = 10000


def is_data_key(key: str) -> bool:
    """Objects a listing leaves out: folder markers and hidden or marker files (``_SUCCESS``,
    ``.tmp``), as the dq service leaves them out of a prefix it evaluates."""
    name = key.rsplit("/", 1)[-1]
    return name != "" and not name.startswith(("_", "."))


def split_s3_uri(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    if not uri.startswith("s3://") or bucket == "":
        raise AirflowFailException(f"source must be an s3://bucket/prefix URI, not {uri!r}")
    return bucket, key


def list_source(source: str, aws_conn_id: str) -> dict[str, Any]:
    """``{source, objects: [{key, size, etag}]}``, sorted by key, so every try of a task that
    lists an unchanged prefix sends the same body. A source not ending in ``/`` (and not a
    bare bucket) is one object, sent without listing."""
    bucket, key = split_s3_uri(source)
    if key != "" and not key.endswith("/"):
        return {"source": source, "objects": [{"key": key}]}
    from airflow.providers.amazon.aws.hooks.s3 import S3Hook

    client = S3Hook(aws_conn_id=aws_conn_id).get_conn()
    objects: list[dict[str, Any]] = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key):
        for found in page.get("Contents", []):
            if is_data_key(found["Key"]):
                objects.append(
                    {
                        "key": found["Key"],
                        "size": found["Size"],
                        "etag": str(found.get("ETag", "")).strip('"') or None,
                    }
                )
    if len(objects) > MAX_OBJECTS:
        raise AirflowFailException(
            f"{source} holds {len(objects)} data objects; a load takes at most {MAX_OBJECTS}"
        )
    objects.sort(key=lambda o: o["key"])
    return {
        "source": source,
        "objects": [{k: v for k, v in o.items() if v is not None} for o in objects],
    }
