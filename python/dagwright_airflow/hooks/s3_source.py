"""A ``source`` a task reads directly: an S3 prefix or object, as a batch the loader takes."""

from __future__ import annotations

import json
from typing import Any

from dagwright_airflow._compat import AirflowFailException

# A listed source travels inline in the load's request, which the loader takes up to 1 MiB:
# at most this many objects, and this many bytes of them (a larger batch belongs to a
# bookmark, whose batches travel as a manifest).
MAX_OBJECTS = 5000
MAX_LISTING_BYTES = 800_000


def is_data_key(relative_key: str) -> bool:
    """Whether a key below the prefix read is data: the rule of services/kit/s3/data-keys.ts,
    as Hadoop, Spark and Glue read a prefix. A file or folder whose name starts with ``.``, or
    with ``_`` and holds no ``=`` (``_SUCCESS``, ``_temporary/``, dagwright's ``_dagwright/``),
    a folder marker (``x/``, ``x_$folder$``) and a copy in flight (``x._COPYING_``) are not."""
    if relative_key == "" or relative_key.endswith("/"):
        return False
    names = relative_key.split("/")
    if names[-1].endswith(("_$folder$", "._COPYING_")):
        return False
    return all(
        not name.startswith(".") and not (name.startswith("_") and "=" not in name)
        for name in names
    )


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
            if is_data_key(found["Key"][len(key) :]):
                objects.append(
                    {
                        "key": found["Key"],
                        "size": found["Size"],
                        "etag": str(found.get("ETag", "")).strip('"') or None,
                    }
                )
    objects.sort(key=lambda o: o["key"])
    listed = [{k: v for k, v in o.items() if v is not None} for o in objects]
    if len(listed) > MAX_OBJECTS or len(json.dumps(listed)) > MAX_LISTING_BYTES:
        raise AirflowFailException(
            f"{source} holds {len(listed)} data objects, more than a load reads from a source"
            f" (at most {MAX_OBJECTS}, and {MAX_LISTING_BYTES} bytes of their list); read it"
            " through a bookmark, whose large batches travel as a manifest"
        )
    return {"source": source, "objects": listed}
