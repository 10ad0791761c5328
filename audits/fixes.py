"""What to fix first: each problem's gain in site score if it were fixed.

A fix is scored by recomputing the task's score (audits.score) from its own figures with that
one problem removed, and weighing the change by the task's weight, as the site score does:
- an entry not above the fold on a viewport (in a menu, below the fold, off screen, covered,
  hidden): that viewport's above-the-fold points are won, and a menu costs one opening less;
- low contrast: the contrast points are won;
- a competing link: one competing link fewer on its page (distraction) and one decision fewer
  (time: one mental operator, audits.time_on_task.MENTAL_S);
- a distractor on a page (carousel, pop-up, promotion...): its share of the first viewport no
  longer counts in the distraction score of every task whose path crosses the page;
- a path over its click budget: one click fewer.
The distraction score of a task is its worst page; taking one distractor off is read as taking
its share off that worst figure, which can overstate the gain when another page is nearly as
bad. An unreachable task comes before everything, with no gain computed: no score exists yet;
when its page exists but nothing links to it (audits.sitemaps), the fix names the page to link
it from, in place of the bare "unreachable".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from audits.distraction import (
    COMPETING_SPAN,
    COMPETING_WEIGHT,
    DISTRACTOR_KINDS,
    DISTRACTOR_WEIGHT,
)
from audits.score import DEFAULT_MAX_CLICKS, task_score
from audits.time_on_task import MENTAL_S
from audits.visibility import CONTRAST_POINTS, FOLD_POINTS, WCAG_AA

NOT_SEEN = {
    "entry_in_collapsed_menu",
    "entry_below_fold",
    "entry_off_screen",
    "entry_covered",
    "entry_hidden",
}
COMPETING_POINTS = 100 * COMPETING_WEIGHT / COMPETING_SPAN  # one competing link fewer
DISTRACTOR_POINTS = 100 * DISTRACTOR_WEIGHT  # per unit of first-viewport share
_RATIO = re.compile(r"contrast ([0-9.]+):1")
_QUOTED = re.compile(r"'(.*)'\s*$", re.S)
FIX_WORDS = {
    "entry_in_collapsed_menu": "show the entry without opening a menu",
    "entry_below_fold": "move the entry onto the first screen",
    "entry_off_screen": "move the entry onto the first screen",
    "entry_covered": "stop covering the entry at load",
    "entry_hidden": "show the entry",
    "low_contrast": "raise the entry's text contrast to 4.5:1",
    "competing_link": "reword or move the competing link",
    "unreachable": "link the task's page from the site",
    "path": "take one click off the path",
}
# Unreachable, and the fix is known: the page exists; link it from the page in `element`.
LINK_IT = {"task_target_orphaned": "link it from {element}"}


@dataclass(frozen=True)
class TaskFigures:
    """What a task's score is computed from, read from its tasks.csv row."""

    task_id: str
    weight: float
    reachable: bool
    clicks: int | None
    interactions: dict[str, int]  # per viewport
    visibility: float | None
    est_time_s: float | None
    distraction: float | None
    path: tuple[str, ...]
    max_clicks: int | None
    max_time_s: float | None
    viewports: int

    def score(self) -> float:
        steps = max(self.interactions.values()) if self.interactions else self.clicks
        return task_score(
            self.reachable,
            steps,
            self.visibility,
            self.est_time_s,
            self.distraction,
            self.max_clicks,
            self.max_time_s,
        )


def figures(row: dict[str, Any], max_clicks: int | None, max_time_s: float | None) -> TaskFigures:
    interactions = {
        vp: int(row[f"interactions_{vp}"])
        for vp in ("desktop", "mobile")
        if row.get(f"interactions_{vp}") is not None
    }
    if not interactions and row.get("interactions") is not None:
        interactions = {"": int(row["interactions"])}
    return TaskFigures(
        task_id=row["task_id"],
        weight=float(row["weight"]),
        reachable=bool(row["reachable"]),
        clicks=row.get("clicks"),
        interactions=interactions,
        visibility=row.get("visibility_score"),
        est_time_s=row.get("est_time_s"),
        distraction=row.get("distraction_score"),
        path=tuple(url for url in (row.get("path") or "").split(" > ") if url),
        max_clicks=max_clicks,
        max_time_s=max_time_s,
        viewports=max(
            1, sum(row.get(f"entry_above_fold_{vp}") is not None for vp in ("desktop", "mobile"))
        ),
    )


def _plus_visibility(task: TaskFigures, points: float) -> TaskFigures:
    if task.visibility is None:
        return task
    return replace(task, visibility=min(100.0, task.visibility + points))


def _one_opening_less(task: TaskFigures, viewport: str) -> TaskFigures:
    if viewport not in task.interactions or task.clicks is None:
        return task
    fewer = max(task.clicks, task.interactions[viewport] - 1)
    return replace(task, interactions=task.interactions | {viewport: fewer})


def _less_distraction(task: TaskFigures, points: float) -> TaskFigures:
    if task.distraction is None:
        return task
    return replace(task, distraction=max(0.0, task.distraction - points))


def fixed(task: TaskFigures, finding: dict[str, Any]) -> TaskFigures:
    """The task's figures with the finding's problem gone."""
    kind, viewport = finding["kind"], finding.get("viewport") or ""
    if kind in NOT_SEEN:
        task = _plus_visibility(task, FOLD_POINTS / task.viewports)
        return _one_opening_less(task, viewport) if kind == "entry_in_collapsed_menu" else task
    if kind == "low_contrast":
        ratio = _RATIO.search(finding.get("detail", ""))
        lost = 1 - min(1.0, float(ratio.group(1)) / WCAG_AA) if ratio else 0.0
        return _plus_visibility(task, CONTRAST_POINTS * lost)
    if kind == "competing_link":
        faster = task.est_time_s and max(0.0, task.est_time_s - MENTAL_S)
        return replace(_less_distraction(task, COMPETING_POINTS), est_time_s=faster or None)
    if kind in DISTRACTOR_KINDS and finding.get("page_url") in task.path:
        share = float(finding.get("area_share") or 0.0)
        return _less_distraction(task, DISTRACTOR_POINTS * min(1.0, share))
    return task


def _sentence(finding: dict[str, Any]) -> str:
    """'carousel: rotates by itself: “…”'; the kind once, and never an empty name (a pop-up's
    backdrop has no words: its CSS path names it)."""
    kind = finding["kind"].replace("_", " ")
    detail = finding.get("detail", "")
    if finding["kind"] in DISTRACTOR_KINDS and not _words(finding):
        what = detail.split(":", 1)[0] if ":" in detail else kind
        where = finding.get("element") or "unnamed element"
        detail = f"{what}: no words of its own ({where})"
    if detail.startswith(f"{kind}: ") or detail == kind:
        return detail
    return f"{kind}: {detail}"


def _words(finding: dict[str, Any]) -> str:
    """A distractor's own words, from its detail ("modal: 'Sign up…'"), lower case."""
    quoted = _QUOTED.search(finding.get("detail", ""))
    return " ".join(quoted.group(1).split()).lower() if quoted else ""


def fix_rows(
    tasks: list[dict[str, Any]], findings: list[dict[str, Any]], budgets: dict[str, tuple]
) -> list[dict[str, Any]]:
    """fixes.csv: one row per problem, the greatest site-score gain first."""
    by_id = {row["task_id"]: figures(row, *budgets[row["task_id"]]) for row in tasks}
    total = sum(t.weight for t in by_id.values()) or 1.0
    rows = []
    linkable = {f["task_id"] for f in findings if f["kind"] in LINK_IT}
    for finding in findings:
        if finding["kind"] in LINK_IT or (
            finding["kind"] == "unreachable" and finding["task_id"] not in linkable
        ):
            rows.append(_row(finding, [finding["task_id"]], None))
            continue
        if finding["kind"] == "unreachable":
            continue
        affected = [by_id[finding["task_id"]]] if finding.get("task_id") else list(by_id.values())
        gains = {t.task_id: (fixed(t, finding).score() - t.score()) * t.weight for t in affected}
        gains = {task_id: g / total for task_id, g in gains.items() if g > 0}
        if gains:
            rows.append(_row(finding, sorted(gains), sum(gains.values())) | {"_gains": gains})
    for task in by_id.values():
        allowed = task.max_clicks if task.max_clicks is not None else DEFAULT_MAX_CLICKS
        steps = max(task.interactions.values()) if task.interactions else task.clicks
        if task.reachable and task.clicks and steps is not None and task.clicks > allowed:
            shorter = replace(task, interactions={k: v - 1 for k, v in task.interactions.items()})
            gain = (shorter.score() - task.score()) * task.weight / total
            path = {"kind": "path", "detail": f"{task.clicks} clicks, budget {allowed}"}
            rows.append(_row(path, [task.task_id], gain))
    rows = _one_per_problem(rows)
    rows.sort(key=lambda r: (r["site_score_gain"] is not None, -(r["site_score_gain"] or 0)))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def _problem_key(row: dict[str, Any], named: set[tuple]) -> tuple:
    """What makes two rows one problem. A distractor is itself wherever it shows (a pop-up on
    every page, on both viewports): its kind and its words, else its CSS path; a backdrop
    with no words beside a worded pop-up of its kind on the same page is that pop-up. A task's
    problem (an entry below the fold) is one for every task it concerns."""
    kind = row["kind"]
    if kind in DISTRACTOR_KINDS:
        words = row["_words"]
        if not words and (kind, row["page_url"]) in named:
            return (kind, "backdrop", row["page_url"])
        return (kind, words or row["element"] or row["page_url"])
    if "_gains" in row:
        return (kind, row["page_url"], row["viewport"], row["element"], row["problem"])
    return (id(row),)


def _one_per_problem(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per problem, with every task it touches: a task's gain from it is the largest
    it gets on any page or viewport, and the row's gain the sum over its tasks. An entry not
    seen stays one row per viewport (each is fixed on its own)."""
    named = {
        (r["kind"], r["page_url"]) for r in rows if r["kind"] in DISTRACTOR_KINDS and r["_words"]
    }
    merged: dict[tuple, list[dict[str, Any]]] = {}
    for row in rows:
        merged.setdefault(_problem_key(row, named), []).append(row)
    backdrops = {key[2]: key for key in merged if key[1:2] == ("backdrop",)}
    for page, key in backdrops.items():  # joins the worded pop-up of its kind on its page
        worded = next(
            k
            for k in merged
            if k[:1] == key[:1]
            and any(r["page_url"] == page for r in merged[k])
            and k[1] != "backdrop"
        )
        merged[worded] += merged.pop(key)
    return [_merged(group) for group in merged.values()]


def _merged(group: list[dict[str, Any]]) -> dict[str, Any]:
    worded = [r for r in group if r.get("_words")] or group
    kept = dict(worded[0])
    if len(group) > 1:
        gains: dict[str, float] = {}
        for row in group:
            for task_id, gain in row["_gains"].items():
                gains[task_id] = max(gain, gains.get(task_id, 0.0))
        kept["task_ids"] = " ".join(sorted(gains))
        kept["site_score_gain"] = round(sum(gains.values()), 2)
        kept["viewport"] = ", ".join(sorted({r["viewport"] for r in group} - {""}))
        pages = list(dict.fromkeys(r["page_url"] for r in group if r["page_url"]))
        if len(pages) > 1:
            kept["problem"] += f" (on {len(pages)} pages)"
    kept.pop("_gains", None)
    kept.pop("_words", None)
    return kept


def _row(finding: dict[str, Any], task_ids: list[str], gain: float | None) -> dict[str, Any]:
    kind = finding["kind"]
    return {
        "rank": 0,
        "site_score_gain": None if gain is None else round(gain, 2),
        "kind": kind,
        "fix": LINK_IT[kind].format(element=finding.get("element", ""))
        if kind in LINK_IT
        else FIX_WORDS.get(kind, f"remove the {kind.replace('_', ' ')}"),
        "task_ids": " ".join(task_ids),
        "page_url": finding.get("page_url", ""),
        "viewport": finding.get("viewport", ""),
        "element": finding.get("element", ""),
        "problem": _sentence(finding),
        "_words": _words(finding) if kind in DISTRACTOR_KINDS else "",
    }
