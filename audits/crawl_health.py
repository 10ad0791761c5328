"""Crawl health: what the crawl itself ran into, such as URL patterns that behave as link traps."""

from __future__ import annotations

from typing import Any


def crawl_findings(stats: dict[str, Any]) -> list[dict[str, Any]]:
    cap = stats.get("max_per_pattern")
    return [
        {
            "task_id": "",
            "page_url": "",
            "viewport": "",
            "kind": "crawl_trap",
            "severity": "low",
            "element": pattern,
            "detail": f"URLs of the pattern {pattern} look endless (calendars, paging, ids): "
            f"{cap} followed, {skipped} more not followed",
        }
        for pattern, skipped in sorted(stats.get("trapped", {}).items())
    ]
