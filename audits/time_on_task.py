"""Predicted time on task: a keystroke-level model (KLM) walked along the click path.

Per click: mental preparation M, visual search among the page's visible links (longer when
links compete), scrolling when the link starts below the fold, pointing by Fitts's law to the
link's measured box, the click itself, and one more point-and-click when the link sits in a
collapsed menu; then the next page's measured load time. The start page's load comes first.
Read on desktop (mouse pointing) when rendered, else on the first rendered viewport.

Constants and sources:
- M = 1.35 s, mental preparation; click = 0.2 s (button press and release, 0.1 s each):
  Card, Moran & Newell, "The Psychology of Human-Computer Interaction" (1983).
- Visual search 0.03 s per visible link: serial search slopes of roughly 25-60 ms per item
  (Treisman & Gelade, "A feature-integration theory of attention", 1980).
- Fitts's law T = a + b log2(D/W + 1), a = 0.1 s, b = 0.2 s/bit: b is about 1/throughput, and
  mouse throughput is 3.7-4.9 bits/s (Soukoreff & MacKenzie, 2004). D from the viewport's centre
  (or the previous point) to the link's centre, W its smaller side.
- Scrolling: one KLM pointing operator P = 1.1 s (Card, Moran & Newell) per screen scrolled.
- Each competing link on the page (at most 3) costs one more M: a decision between candidates.
"""

from __future__ import annotations

import math
from typing import Any

from audits.findability import TaskPath
from audits.visibility import best_instance
from contract.site_model import SiteModel

MENTAL_S = 1.35
CLICK_S = 0.2
SEARCH_PER_LINK_S = 0.03
FITTS_A_S, FITTS_B_S = 0.1, 0.2
SCROLL_S = 1.1
MAX_COMPETING = 3


def fitts_s(distance: float, width: float) -> float:
    return FITTS_A_S + FITTS_B_S * math.log2(distance / max(width, 1.0) + 1)


def _centre(element: dict[str, Any], height: float) -> tuple[float, float, int]:
    """Centre of the element once scrolled into view, and the screens scrolled to get there."""
    screens = int(max(0.0, element["y"]) // height)
    x = element["x"] + element["width"] / 2
    y = element["y"] - screens * height + element["height"] / 2
    return x, y, screens


def step_s(record: dict[str, Any], href: str, competing: int) -> float | None:
    element = best_instance(record, href)
    if element is None:
        return None
    visible = sum(1 for e in record["elements"] if e["displayed"])
    seconds = MENTAL_S + SEARCH_PER_LINK_S * visible + MENTAL_S * min(competing, MAX_COMPETING)
    start = (record["width"] / 2, record["height"] / 2)
    openers = element.get("menu_via") or []
    if element["in_collapsed_menu"] and not openers and record.get("menu_toggle"):
        openers = [record["menu_toggle"]]  # a record rendered before menus were walked as a tree
    for css in openers:  # point at and open each menu on the way
        toggle = next((e for e in record["elements"] if e["css"] == css), None)
        if toggle is not None:
            tx, ty, _ = _centre(toggle, record["height"])
            seconds += fitts_s(math.dist(start, (tx, ty)), min(toggle["width"], toggle["height"]))
            seconds += CLICK_S
            start = (tx, ty)
    x, y, screens = _centre(element, record["height"])
    seconds += SCROLL_S * screens
    seconds += fitts_s(math.dist(start, (x, y)), min(element["width"], element["height"]))
    return seconds + CLICK_S


def estimated_time_s(
    model: SiteModel, path: TaskPath, viewports: list[str], competing: dict[str, int]
) -> float | None:
    """Predicted seconds from arriving at the start page to the target page being loaded."""
    viewport = "desktop" if "desktop" in viewports else (viewports or [""])[0]
    records = [model.rendered.get((url, viewport)) for url in path.path]
    if not path.reachable or any(r is None or not r["ok"] or r["load_ms"] is None for r in records):
        return None
    total = records[0]["load_ms"] / 1000
    for step, record, arrived in zip(path.steps, records, records[1:], strict=False):
        seconds = step_s(record, step.link_url, competing.get(step.source_url, 0))
        if seconds is None:
            return None
        total += seconds + arrived["load_ms"] / 1000
    return round(total, 2)
