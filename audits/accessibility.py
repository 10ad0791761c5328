"""Accessibility on each task's path: what stops a customer who uses a keyboard, a screen
reader or a small touch screen from doing this task, not a page-by-page list.

The elements a task's customer must use are known: the entry element, every menu opener on
its way (entry_menu_path), the link followed on each page of the click path, and on the
target page its form fields and main landmark. axe-core's violations (gathered in the pages
the render opened, crawler/render.py) are kept only where they touch those elements. Three
checks axe does not make here are added: WCAG 2.2 target size (2.5.8) for the entry and the
openers on mobile, an opener that only a pointer can use, and a dialog that traps focus.
A critical or serious failure on the entry or an opener is a blocker: the task cannot be
started that way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from audits.findability import TaskPath
from audits.visibility import best_instance, entry_element
from contract.config import Task
from contract.records import Box, Element, RenderedPage
from contract.site_model import SiteModel

BLOCKING_IMPACTS = ("critical", "serious")
STARTING_ROLES = ("entry", "menu opener")  # a blocker here: the task cannot be begun
TARGET_PX = 24  # WCAG 2.2 SC 2.5.8 Target Size (Minimum), AA
MAIN_RULES = ("landmark-one-main", "landmark-no-duplicate-main", "landmark-main-is-top-level")
IMPACT_SEVERITY = {"critical": "medium", "serious": "medium", "moderate": "low", "minor": "low"}


@dataclass(frozen=True)
class PathElement:
    css: str
    role: str  # entry, menu opener, path link
    label: str


def wcag_criteria(tags: list[str]) -> str:
    """axe's tags name the success criteria as `wcag143`: "1.4.3"."""
    found = [re.fullmatch(r"wcag(\d)(\d)(\d+)", tag) for tag in tags]
    return ", ".join(".".join(m.groups()) for m in found if m) or "best practice"


def first_fact(summary: str) -> str:
    """The first of axe's reasons, its first sentence: "Element has insufficient color
    contrast of 2.09 (foreground color: #b3b3b3, ...)" rather than every way to fix it."""
    text = re.split(r"; |\.\s+(?=[A-Z])", summary.strip())[0]
    return f": {text[:160]}" if text else ""


def path_elements(record: RenderedPage, href: str, role: str) -> list[PathElement]:
    """The link to `href` a customer uses on this page, and the openers on its way."""
    element = best_instance(record, href)
    return [] if element is None else _with_openers(element, role)


def _with_openers(element: Element, role: str) -> list[PathElement]:
    name = element["name"] or "an unlabelled link"
    openers = zip(element.get("menu_via", []), element.get("menu_path", []), strict=False)
    return [PathElement(css, "menu opener", label or "unlabelled") for css, label in openers] + [
        PathElement(element["css"], role, name)
    ]


def _finding(
    task: Task,
    record: RenderedPage,
    kind: str,
    blocker: bool,
    severity: str,
    element: str,
    detail: str,
) -> dict[str, Any]:
    return {
        "task_id": task.id,
        "page_url": record["url"],
        "viewport": record["viewport"],
        "kind": f"a11y_{kind}",
        "severity": "high" if blocker else severity,
        "element": element,
        "detail": detail,
        "area_share": None,
    }


def axe_findings(
    task: Task, record: RenderedPage, on_path: list[PathElement], target: bool
) -> list[dict[str, Any]]:
    """axe's violations on the path's own elements (and, on the target page, its form
    fields and main landmark), one finding per rule and element."""
    by_css = {element.css: element for element in on_path}
    findings = []
    for violation in record.get("a11y", []):
        for node in violation["nodes"]:
            used = by_css.get(node["css"])
            if used is None and target and (node["field"] or violation["rule"] in MAIN_RULES):
                if node["field"]:
                    used = PathElement(node["css"], "target page's form field", node["tag"])
                else:
                    used = PathElement(node["css"] or "html", "target page", "its main landmark")
            if used is None:
                continue
            impact = violation["impact"]
            blocker = impact in BLOCKING_IMPACTS and used.role in STARTING_ROLES
            detail = (
                f"{violation['help']}: the {used.role} '{used.label}'{first_fact(node['summary'])} "
                f"(axe {violation['rule']}, impact {impact}, "
                f"WCAG {wcag_criteria(violation['tags'])}; {violation['help_url']})"
            )
            severity = IMPACT_SEVERITY.get(impact, "low")
            findings.append(
                _finding(task, record, violation["rule"], blocker, severity, node["css"], detail)
            )
    return findings


def _circle_hits(centre: tuple[float, float], box: Box) -> bool:
    """Does a TARGET_PX-diameter circle at `centre` overlap `box`?"""
    nearest_x = min(max(centre[0], box["x"]), box["x"] + box["width"])
    nearest_y = min(max(centre[1], box["y"]), box["y"] + box["height"])
    return math.dist(centre, (nearest_x, nearest_y)) < TARGET_PX / 2


def too_small_to_tap(target: Box, css: str, record: RenderedPage) -> str | None:
    """WCAG 2.5.8: under 24x24 CSS px, unless a 24 px circle centred on it meets no other
    target (nor another small target's circle). The reason, or None when it passes."""
    if target["width"] >= TARGET_PX and target["height"] >= TARGET_PX:
        return None
    if target["width"] == 0 or target["height"] == 0:
        return None  # not shown: visibility says so
    centre = (target["x"] + target["width"] / 2, target["y"] + target["height"] / 2)
    menu = target.get("menu_via", [])  # type: ignore[union-attr]
    for other in record["elements"]:
        shown_with_it = other["displayed"] if not menu else other.get("menu_via") == menu
        if other["css"] == css or not shown_with_it or not other["width"]:
            continue
        other_centre = (other["x"] + other["width"] / 2, other["y"] + other["height"] / 2)
        small = other["width"] < TARGET_PX or other["height"] < TARGET_PX
        if _circle_hits(centre, other) or (small and math.dist(centre, other_centre) < TARGET_PX):
            return (
                f"{target['width']:.0f}x{target['height']:.0f} px on mobile, under WCAG 2.2's "
                f"{TARGET_PX}x{TARGET_PX} (2.5.8), and '{other['name'][:40]}' is too close "
                "for the spacing exception"
            )
    return None


def own_checks(task: Task, record: RenderedPage, on_path: list[PathElement]) -> list[dict]:
    """Target size on mobile, and openers no keyboard can use, for the entry and openers."""
    findings = []
    starting = [p for p in on_path if p.role in STARTING_ROLES]
    elements = {e["css"]: e for e in record["elements"]}
    openers = {o["css"]: o for o in record.get("openers", [])}
    for used in starting:
        box: Any = elements.get(used.css) or openers.get(used.css)
        if record["viewport"] == "mobile" and box is not None:
            small = too_small_to_tap(box, used.css, record)
            if small:
                detail = f"The {used.role} '{used.label}' is {small}"
                findings.append(_finding(task, record, "target-size", True, "", used.css, detail))
        opener = openers.get(used.css)
        pointer_only = opener is not None and not (opener["control"] or opener["focusable"])
        if used.role == "menu opener" and pointer_only:
            detail = (
                f"The menu opener '{used.label}' is a <{opener['tag']}> with no role and not "
                "in the Tab order: keyboard and screen-reader users cannot open the menu that "
                "holds the entry (WCAG 2.1.1, 4.1.2)"
            )
            kind = "opener-not-a-control"
            findings.append(_finding(task, record, kind, True, "", used.css, detail))
    return findings


def focus_trap_finding(task: Task, record: RenderedPage, entry: str) -> list[dict]:
    trap = record.get("focus_trap")
    if not trap:
        return []
    detail = (
        f"Tab goes round {len(trap['stops'])} elements inside the dialog {trap['dialog']} and "
        f"Escape does not let focus out: keyboard users never reach '{entry}' (WCAG 2.1.2)"
    )
    return [_finding(task, record, "focus-trap", True, "", trap["dialog"], detail)]


def audit_accessibility(
    model: SiteModel, task: Task, path: TaskPath, viewports: list[str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """tasks.csv's a11y_blockers and a11y_issues, and the findings, for one task."""
    if not path.reachable:
        return {}, []
    findings: list[dict[str, Any]] = []
    rendered = False
    for viewport in viewports:
        start = model.rendered.get((path.path[0], viewport))
        if not start or not start["ok"]:
            continue
        rendered = True
        for i, step in enumerate(path.steps):
            record = model.rendered.get((step.source_url, viewport))
            if not record or not record["ok"]:
                continue
            if i == 0:
                entry = entry_element(record, task, path)
                on_path = _with_openers(entry, "entry") if entry else []
                findings += own_checks(task, record, on_path)
                findings += focus_trap_finding(task, record, entry["name"] if entry else step.text)
            else:
                on_path = path_elements(record, step.link_url, "path link")
            findings += axe_findings(task, record, on_path, target=False)
        target = model.rendered.get((path.target_url, viewport))
        if target and target["ok"]:
            findings += axe_findings(task, target, [], target=True)
    if not rendered:
        return {}, []
    blockers = sum(f["severity"] == "high" for f in findings)
    return {"a11y_blockers": blockers, "a11y_issues": len(findings) - blockers}, findings


def outlines(model: SiteModel, findings: list[dict[str, Any]]) -> dict[str, list[dict]]:
    """Per task, where each accessibility failure on the start page sits in its first
    viewport (as shares of the viewport, for the report to outline on the screenshot)."""
    start = model.page(model.start_url)
    start_url = start["final_url"] if start else model.start_url
    marks: dict[str, list[dict]] = {}
    for finding in findings:
        if not finding["kind"].startswith("a11y_") or finding["page_url"] != start_url:
            continue
        record = model.rendered.get((start_url, finding["viewport"]))
        if not record or not record["ok"]:
            continue
        boxes = [*record["elements"], *record.get("openers", [])]
        box = next((b for b in boxes if b["css"] == finding["element"] and b["width"]), None)
        if box is None or box["y"] >= record["height"]:
            continue  # a dialog, or below the first screen: the list says it
        width, height = record["width"], record["height"]
        marks.setdefault(finding["task_id"], []).append(
            {
                "viewport": finding["viewport"],
                "kind": finding["kind"],
                "left": round(box["x"] / width, 4),
                "top": round(box["y"] / height, 4),
                "width": round(box["width"] / width, 4),
                "height": round(box["height"] / height, 4),
            }
        )
    return marks
