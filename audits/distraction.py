"""Distraction: what on the pages along a task's path draws attention without serving a task.

The renderer observes candidates (pop-ups, carousels, promotions, moving media, large images);
this audit judges them: a large image that links to a task is not a distractor, severities
follow the share of the first viewport taken, and link clutter is counted from the rendered
links. The figures and thresholds are documented in the README.

distraction_score of a page and viewport, 0-100 (higher is worse):
  70 x min(1, first-viewport share of distractors)
  20 x min(1, competing links on the page / 3)
  10 x clutter, where clutter = min(1, max(0, visible links in the first viewport - 20) / 40)
A task's distraction_score is the worst page and viewport along its path.
"""

from __future__ import annotations

from typing import Any

from audits.visibility import on_first_screen, screen_size
from audits.words import is_language_switch

Finding = dict[str, Any]
CLUTTER_FREE_LINKS = 20  # links in the first viewport a customer scans without cost
CLUTTER_SPAN = 40
CLUTTER_FINDING_AT = 40
LARGE_IMAGE_SHARE = 0.25
# The distraction score's parts (module docstring), for the audits that reason about it.
DISTRACTOR_WEIGHT, COMPETING_WEIGHT, CLUTTER_WEIGHT = 0.7, 0.2, 0.1
COMPETING_SPAN = 3  # competing links on a page that count, at most
# What the renderer observes as a distractor (crawler/collect.js distractors), by kind.
DISTRACTOR_KINDS = frozenset(
    {
        "carousel",
        "modal",
        "cookie_wall",
        "promo_banner",
        "autoplay_media",
        "animated_image",
        "large_image",
    }
)


def severity(kind: str, share: float) -> str:
    if kind in ("modal", "cookie_wall"):
        return "high" if share >= 0.3 else "medium"
    if kind == "carousel":
        return "high" if share >= 0.3 else "medium"
    if kind in ("promo_banner", "large_image"):
        return "medium" if share >= 0.1 else "low"
    if kind == "autoplay_media":
        return "medium"
    return "low"


def page_distractors(record: dict[str, Any], task_urls: set[str]) -> list[dict[str, Any]]:
    """The record's observed candidates that do distract: a large image carrying a task link
    (a hero whose button is the way to a task) is the task's entry, not noise."""
    return [
        d
        for d in record.get("distractors", [])
        if not (d["kind"] == "large_image" and task_urls.intersection(d["links"]))
    ]


def first_screen_links(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The links shown in the first viewport; a language switcher's ("English", "FR") are no
    clutter: they lead to the same page in another language."""
    return [
        e
        for e in record["elements"]
        if e["tag"] == "a"
        and e["displayed"]
        and on_first_screen(e, *screen_size(record))
        and not is_language_switch(e["name"])
    ]


def clutter(record: dict[str, Any]) -> float:
    excess = len(first_screen_links(record)) - CLUTTER_FREE_LINKS
    return min(1.0, max(0, excess) / CLUTTER_SPAN)


def distractor_share(distractors: list[dict[str, Any]]) -> float:
    return min(1.0, sum(d["area_share"] for d in distractors))


def page_distraction_score(record: dict[str, Any], task_urls: set[str], competing: int) -> float:
    share = distractor_share(page_distractors(record, task_urls))
    competing_part = min(1.0, competing / COMPETING_SPAN)
    parts = DISTRACTOR_WEIGHT * share + COMPETING_WEIGHT * competing_part
    return round(100 * (parts + CLUTTER_WEIGHT * clutter(record)), 1)


def distraction_findings(record: dict[str, Any], task_urls: set[str]) -> list[Finding]:
    """Findings of one rendered page and viewport; they concern every task passing through."""
    findings = []
    for d in page_distractors(record, task_urls):
        what = {
            "carousel": "rotates by itself" if d["rotating"] else "slider",
            "large_image": "large image carrying no top-task link",
        }.get(d["kind"], d["kind"].replace("_", " "))
        findings.append(
            {
                "task_id": "",
                "page_url": record["url"],
                "viewport": record["viewport"],
                "kind": d["kind"],
                "severity": severity(d["kind"], d["area_share"]),
                "element": d["css"],
                "detail": f"{what}: '{d['text'][:80]}'",
                "area_share": round(d["area_share"], 3),
            }
        )
    links = first_screen_links(record)
    if len(links) > CLUTTER_FINDING_AT:
        serving = sum(e["href"] in task_urls for e in links)
        findings.append(
            {
                "task_id": "",
                "page_url": record["url"],
                "viewport": record["viewport"],
                "kind": "link_clutter",
                "severity": "low",
                "element": "",
                "detail": f"{len(links)} links in the first viewport, {serving} of them "
                f"lead toward a top task",
                "area_share": None,
            }
        )
    return findings


def task_distraction(
    model_rendered: dict[tuple[str, str], dict[str, Any]],
    pages: list[str],
    task_urls: set[str],
    competing: dict[str, int],
) -> float | None:
    """The worst page and viewport along a path; None when none of its pages was rendered."""
    scores = [
        page_distraction_score(record, task_urls, competing.get(url, 0))
        for (url, _), record in model_rendered.items()
        if url in pages and record["ok"]
    ]
    return max(scores) if scores else None


def consent_once(findings: list[Finding], start_url: str) -> list[Finding]:
    """A consent layer greets a first visit once, wherever it lands: one `cookie_wall` finding
    a viewport for the site, the start page's when it has one."""
    kept: dict[str, Finding] = {}
    for finding in sorted(findings, key=lambda f: f["page_url"] != start_url):
        if finding["kind"] == "cookie_wall":
            kept.setdefault(finding["viewport"], finding)
    return [f for f in findings if f["kind"] != "cookie_wall" or kept[f["viewport"]] is f]
