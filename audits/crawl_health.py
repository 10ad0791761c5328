"""Crawl health: what the crawl itself ran into, such as URL patterns that behave as link
traps, and links a public site should not have (to local files or private addresses)."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

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


# Words of a link that leads home on purpose (the logo, "Home"): the page it reaches is the home
# page under another address, not a removed page.
HOME_LINK = re.compile(r"^\s*(home|home ?page|start|back to (the )?home( ?page)?)?\s*$", re.I)
INDEX_NAME = re.compile(r"/(index|default|home)(\.\w+)?$", re.I)


def _home_alias(url: str, start_url: str) -> bool:
    """The start page's own address written another way: a trailing slash, /index.html."""

    def bare(u: str) -> str:
        return INDEX_NAME.sub("", u.split("#")[0].split("?")[0]).rstrip("/")

    return bare(url) == bare(start_url)


def soft_404_findings(model: SiteModel) -> list[dict[str, Any]]:
    """Pages that answer 200 with exactly the home page's text under an address of their own,
    linked with words that promise something else ("Offers"): a removed route that a
    single-page app's catch-all or a server's fallback shows as the home page. The customer
    who followed the link is told nothing; a crawler counts the page as found."""
    start = model.page(model.start_url)
    pages = model.pages
    if start is None or "text_digest" not in pages or pd.isna(start.get("text_digest")):
        return []
    home = start["final_url"]
    same = pages[(pages["text_digest"] == start["text_digest"]) & (pages["status"] == 200)]
    findings = []
    for page in same.itertuples():
        if page.url == model.start_url or _home_alias(page.final_url, home):
            continue
        words = model.links.loc[model.links["target_url"] == page.url, "text"].astype(str)
        promised = sorted({w.strip() for w in words if not HOME_LINK.match(w)})
        if all(w in (start["title"] or "") for w in promised):
            continue  # linked as home, or by the brand's own name (a logo)
        finding = _finding(
            page.url,
            "soft_404",
            "",
            f"answers 200 but shows the home page (linked as '{promised[0]}'): a page that is "
            "gone should say so, with a 404 and a way on",
        )
        findings.append(finding | {"severity": "medium"})
    return findings
