"""Crawl health: what the crawl itself ran into, such as URL patterns that behave as link
traps, and links a public site should not have (to local files or private addresses)."""

from __future__ import annotations

from typing import Any

from contract.site_model import SiteModel

UNSAFE_KINDS = {
    "file": "links to a file on the visitor's own computer",
    "private": "links to a private or loopback address, unreachable for customers",
}


def _finding(page_url: str, kind: str, element: str, detail: str) -> dict[str, Any]:
    return {
        "task_id": "",
        "page_url": page_url,
        "viewport": "",
        "kind": kind,
        "severity": "low",
        "element": element,
        "detail": detail,
    }


def crawl_findings(stats: dict[str, Any]) -> list[dict[str, Any]]:
    cap = stats.get("max_per_pattern")
    return [
        _finding(
            "",
            "crawl_trap",
            pattern,
            f"URLs of the pattern {pattern} look endless (calendars, paging, ids): "
            f"{cap} followed, {skipped} more not followed",
        )
        for pattern, skipped in sorted(stats.get("trapped", {}).items())
    ]


def link_findings(model: SiteModel) -> list[dict[str, Any]]:
    """One finding per unsafe target (never fetched), on the first page that links to it."""
    links = model.links[model.links["kind"].isin(list(UNSAFE_KINDS))]
    first = links.drop_duplicates("target_url")
    return [
        _finding(row.source_url, "unsafe_link", row.target_url, UNSAFE_KINDS[row.kind])
        for row in first.itertuples()
    ]
