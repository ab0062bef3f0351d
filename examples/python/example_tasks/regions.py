"""Region fan-out for the regional_sales_fanout example."""

from __future__ import annotations

REGIONS = ("eu", "us", "apac", "latam")


def list_regions(include_inactive: bool = False) -> list[str]:
    """The regions to export; mapped tasks fan out over this list."""
    return list(REGIONS if include_inactive else REGIONS[:3])


def export_region(region: str) -> dict[str, object]:
    """Pretend to export one region's sales and report what was written."""
    return {"region": region, "path": f"s3://sales-exports/region={region}/"}


def publish_summary() -> str:
    return "summary published"
