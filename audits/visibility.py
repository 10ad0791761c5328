"""Visibility: can a customer see each task's way in on the start page without scrolling?

The entry element is the link of the first click on the task's path (for an unreachable task,
the start page's best match for `entry`). Read from the rendered start page per viewport.

visibility_score, 0-100, documented in the README:
  60  above the fold, shared equally among the rendered viewports
  10  size: the element's area against the median area of the page's visible interactive
      elements (full points at or above the median)
  10  visual rank: full points when first in reading order, none after 30 visible elements
  10  text contrast: WCAG contrast ratio / 4.5 (AA for body text), capped at 1
  10  label: the element's name contains an `entry.text` phrase or the task's name
"""

from __future__ import annotations

import re
import statistics
from typing import Any

from audits.findability import TaskPath
from contract.config import Task
from contract.site_model import SiteModel

Element = dict[str, Any]
FOLD_POINTS, SIZE_POINTS, RANK_POINTS, CONTRAST_POINTS, LABEL_POINTS = 60, 10, 10, 10, 10
RANK_HORIZON = 30
WCAG_AA = 4.5
_RGB = re.compile(r"rgba?\(([^)]+)\)")


def parse_color(css: str) -> tuple[float, float, float, float]:
    match = _RGB.match(css.strip())
    if not match:
        return (0.0, 0.0, 0.0, 1.0)
    parts = [float(p) for p in re.split(r"[,\s/]+", match.group(1).strip()) if p]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio, the foreground's alpha blended over the background."""
    fr, fg, fb, alpha = parse_color(foreground)
    br, bg, bb, _ = parse_color(background)
    blended = tuple(alpha * f + (1 - alpha) * b for f, b in ((fr, br), (fg, bg), (fb, bb)))
    lighter, darker = sorted((_luminance(blended), _luminance((br, bg, bb))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# A comfortable tap target: 48 x 48 CSS px at scale 1, about 9 mm (Material Design's touch
# targets, 48 dp). As in Lighthouse's tap-target audit, a smaller target fails when another
# target lies within that 48 px square around its centre (a finger may hit it instead); under
# WCAG 2.2's 24 x 24 px minimum (2.5.8) it fails whatever its neighbours. Judged on phones, on
# the size the element has on screen.
TAP_TARGET_PX = 48
TAP_MINIMUM_PX = 24


def screen_size(record: dict[str, Any]) -> tuple[float, float]:
    """The first screen in the page's CSS pixels: wider than the device on a page without a
    mobile layout, which the phone zooms out to fit (crawler/collect.js viewportInfo)."""
    return (
        record.get("screen_width") or record["width"],
        record.get("screen_height") or record["height"],
    )


def on_first_screen(element: Element, width: float, height: float) -> bool:
    x, y, w, h = element["x"], element["y"], element["width"], element["height"]
    return y < height and y + h > 0 and x < width and x + w > 0


def above_the_fold(element: Element, record: dict[str, Any]) -> bool:
    """SPEC §6: displayed, not covered at load, not in a collapsed menu, starts in viewport 1."""
    return (
        bool(element["displayed"])
        and element["covered"] is not True
        and not element["in_collapsed_menu"]
        and on_first_screen(element, *screen_size(record))
    )


def best_instance(record: dict[str, Any], href: str) -> Element | None:
    """Of the elements linking to `href`, the one a customer would find first."""
    return _found_first(record, [e for e in record["elements"] if e["href"] == href])


def _found_first(record: dict[str, Any], candidates: list[Element]) -> Element | None:
    """The copy a person reaches with the fewest interactions (a menu's copy and a footer's
    copy of one link are one link); on the first screen before below it; then reading order."""
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda e: (
            reach_cost(e, record),
            not above_the_fold(e, record),
            e["index"],
        ),
    )


UNREACHABLE_COST = 99  # never displayed, in no menu the exploration opened


def reach_cost(element: Element, record: dict[str, Any]) -> int:
    """Interactions before the element can be pressed: pop-ups to close, menus to open."""
    if not element["displayed"] and not element["in_collapsed_menu"]:
        return UNREACHABLE_COST
    return openings_needed(element) + len(closings_needed(element, record))


def _covers(overlay: dict[str, Any], box: dict[str, Any]) -> bool:
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return (
        overlay["x"] <= x <= overlay["x"] + overlay["width"]
        and overlay["y"] <= y <= overlay["y"] + overlay["height"]
    )


def closings_needed(element: Element, record: dict[str, Any]) -> list[dict[str, Any]]:
    """The pop-ups (crawler/overlays.py) a person closes before pressing the element: those
    over it, or over the first menu opener on its way."""
    overlays = record.get("overlays") or []
    if not overlays:
        return []
    box: dict[str, Any] | None = element
    if element.get("menu_via"):
        first = element["menu_via"][0]
        box = next((o for o in record.get("openers", []) if o["css"] == first), None)
    if box is None or not box.get("width"):
        return []
    return [overlay for overlay in overlays if _covers(overlay, box)]


def closing_label(overlay: dict[str, Any]) -> str:
    """'Close pop-up “Download our app” (×)': a step of the path, in the menu trail."""
    words = " ".join(overlay["text"].split()[:6]) or "pop-up"
    how = overlay["closed_by"] or "cannot be closed"
    return f"Close pop-up “{words}” ({how})"


def is_dead(element: Element, record: dict[str, Any]) -> bool:
    """The render clicked this button and nothing happened (crawler/render.py dead_controls)."""
    return any(dead["css"] == element["css"] for dead in record.get("dead_controls", []))


def label_matches(element: Element, task: Task) -> bool:
    name = element["name"].lower()
    return any(p.lower() in name for p in task.entry.text) or task.name.lower() in name


def _best_match(record: dict[str, Any], task: Task) -> Element | None:
    patterns = [re.compile(p) for p in task.entry.url]
    matches = [
        e
        for e in record["elements"]
        if label_matches(e, task) or any(p.search(e["href"]) for p in patterns)
    ]
    if not matches:
        return None
    # Instances of one link share its href; buttons have none, so an empty href would
    # also pick up every other button on the page (the phone's hamburger among them), and a
    # link to "#" has the page's own address, as its logo link has.
    first = matches[0]
    leads = first["href"] and first.get("link_role", "") not in ("placeholder", "self", "anchor")
    return best_instance(record, first["href"]) if leads else _found_first(record, matches)


def entry_element(record: dict[str, Any], task: Task, path: TaskPath) -> Element | None:
    if path.steps:
        return best_instance(record, path.steps[0].link_url)
    return None if path.reachable else _best_match(record, task)


def _visible(record: dict[str, Any]) -> list[Element]:
    return [e for e in record["elements"] if e["displayed"]]


def visibility_score(element: Element, record: dict[str, Any], task: Task, folds: int, of: int):
    visible = _visible(record)
    areas = [e["width"] * e["height"] for e in visible]
    median = statistics.median(areas) if areas else 0
    area = element["width"] * element["height"] if element["displayed"] else 0
    size = min(1.0, area / median) if median else 0.0
    rank = sum(1 for e in visible if e["index"] < element["index"])
    in_order = max(0.0, 1 - rank / RANK_HORIZON) if element["displayed"] else 0.0
    contrast = min(1.0, contrast_ratio(element["color"], element["background"]) / WCAG_AA)
    return round(
        FOLD_POINTS * folds / of
        + SIZE_POINTS * size
        + RANK_POINTS * in_order
        + CONTRAST_POINTS * contrast
        + LABEL_POINTS * label_matches(element, task),
        1,
    )


def openings_needed(element: Element) -> int:
    """Menus to open (clicks or hovers) before the element can be clicked."""
    return element.get("menu_depth") or int(bool(element["in_collapsed_menu"]))


def menu_openings(model: SiteModel, path: TaskPath, viewport: str) -> int:
    """Interactions along the path besides its clicks: a link inside "Personal", then "Cards",
    costs two more than its click; a pop-up to close first, one more."""
    openings = 0
    for step in path.steps:
        record = model.rendered.get((step.source_url, viewport))
        element = best_instance(record, step.link_url) if record and record["ok"] else None
        if element is not None and (element["displayed"] or element["in_collapsed_menu"]):
            openings += reach_cost(element, record)  # type: ignore[arg-type]
    return openings


def unlabelled_opener(element: Element) -> str | None:
    """A menu on the way to the entry opened by something with no name at all (an icon with
    no text, alt or aria-label): a customer must guess, a screen reader says "button"."""
    path = element.get("menu_path", [])
    if not path or all(path):
        return None
    where = " ▸ ".join(label or "unlabelled" for label in path)
    return (
        f"'{element['name']}' is behind a menu opener with no name ({where}): give it visible "
        "words or an aria-label"
    )


def menu_trail(element: Element, record: dict[str, Any] | None = None) -> str:
    """'Personal ▸ Cards ▸ Lost card': the pop-ups a customer closes and the openers they go
    through, then the link."""
    closings = [closing_label(o) for o in closings_needed(element, record)] if record else []
    openers = [label or "unlabelled" for label in element.get("menu_path", [])]
    return " ▸ ".join([*closings, *openers, element["name"]])


def path_load_s(model: SiteModel, path: TaskPath, viewport: str) -> float | None:
    """Measured load time summed over the path's pages; None when a page has no timing."""
    times = [(model.rendered.get((url, viewport)) or {}).get("load_ms") for url in path.path]
    return round(sum(times) / 1000, 3) if times and None not in times else None


def _why_not_above(element: Element | None, record: dict[str, Any]) -> tuple[str, str, str]:
    """(kind, severity, detail) of a finding for an entry that is not above the fold."""
    if element is None:
        return "entry_not_rendered", "medium", "the entry link is not on the rendered page"
    name = f"'{element['name']}'"
    if element["in_collapsed_menu"]:
        how = "hovering over" if element.get("menu_how") == "hover" else "opening"
        menus = " ▸ ".join(m or "unlabelled" for m in element.get("menu_path", [])) or "the menu"
        where = f"{how} {menus}"
        return "entry_in_collapsed_menu", "medium", f"{name} shows only after {where}"
    if element["covered"]:
        layer = element.get("covered_by") or "another element"
        return "entry_covered", "high", f"{name} is covered at load by '{layer}'"
    if not element["displayed"]:
        return "entry_hidden", "high", f"{name} is not displayed"
    width, fold = screen_size(record)
    if element["x"] >= width and element["y"] < fold:
        detail = f"{name} starts at x {element['x']:.0f} px, right of the {width:.0f} px screen"
        return "entry_off_screen", "medium", detail
    return (
        "entry_below_fold",
        "medium",
        f"{name} starts at {element['y']:.0f} px, below the {fold:.0f} px fold",
    )


def _crowded(element: Element, record: dict[str, Any], half: float) -> bool:
    """Another target within `half` CSS px of the element's centre, horizontally and
    vertically (the square a fingertip covers)."""
    cx, cy = element["x"] + element["width"] / 2, element["y"] + element["height"] / 2
    for other in record["elements"]:
        # An element in an opened menu is crowded by that menu's other items too.
        shown = other["displayed"] or (element["in_collapsed_menu"] and other["in_collapsed_menu"])
        if other is element or not shown or not other["width"] or other["css"] == element["css"]:
            continue
        if (
            other["x"] < cx + half
            and other["x"] + other["width"] > cx - half
            and other["y"] < cy + half
            and other["y"] + other["height"] > cy - half
        ):
            return True
    return False


def too_small(element: Element, record: dict[str, Any]) -> str | None:
    """Why a phone user would struggle to tap the entry, or None (judged on mobile only)."""
    if record["viewport"] != "mobile" or not element["width"] or not element["height"]:
        return None
    scale = record.get("scale") or 1.0
    width, height = element["width"] * scale, element["height"] * scale
    if min(width, height) >= TAP_TARGET_PX:
        return None
    tiny = max(width, height) < TAP_MINIMUM_PX or min(width, height) < TAP_MINIMUM_PX / 2
    if not tiny and not _crowded(element, record, TAP_TARGET_PX / 2 / scale):
        return None
    why = "with another target within a finger's width" if not tiny else "tiny"
    return (
        f"'{element['name']}' is {width:.0f} x {height:.0f} px on screen (page scale "
        f"{scale:.2f}), {why}: under the {TAP_TARGET_PX} px a finger needs"
    )


def _tab_stop(stops: list[dict[str, Any]], element: Element) -> tuple[int, dict] | None:
    for presses, stop in enumerate(stops, start=1):
        href = element.get("href")
        if stop["css"] == element["css"] or (href and stop["href"] == href):
            return presses, stop
    return None


def keyboard(element: Element, record: dict[str, Any]) -> tuple[int | None, str | None, str]:
    """(Tab presses until the entry has focus, a finding kind or None, its detail).

    Focus counts as visible with an outline or ring, or a change of text or background colour
    from the element's look at load. An entry inside a menu that opens on a click counts the
    presses to that menu's opener (Enter opens it); a menu that opens on hover only is one a
    keyboard cannot open.
    """
    stops, name = record["tab_order"], f"'{element['name']}'"
    found = _tab_stop(stops, element)
    if found is not None:
        presses, stop = found
        look = (stop["color"], stop["background"]) != (element["color"], element["background"])
        if stop["ring"] or look:
            return presses, None, ""
        detail = f"{name} takes focus after {presses} Tab presses, unseen: no outline, ring or"
        return presses, "focus_not_visible", detail + " colour change"
    openers = element.get("menu_via") or []
    # The opener is a link or a button, or another opener the menu walk used (a <summary>).
    known = [*record["elements"], *record.get("openers", [])]
    opener = next((e for e in known if openers and e["css"] == openers[0]), None)
    reached = _tab_stop(stops, opener) if opener is not None else None
    if reached is not None and element.get("menu_how") == "click":
        return reached[0], None, ""
    if reached is not None:
        detail = (
            f"{name} is in a menu that opens on hover only: Tab reaches '{opener['name']}' "
            f"after {reached[0]} presses, never the menu"
        )
        return None, "entry_not_keyboard_reachable", detail
    if len(stops) >= record.get("tab_limit", len(stops) + 1):
        return (
            None,
            "entry_not_keyboard_reachable",
            f"{name} not reached in {len(stops)} Tab presses",
        )
    detail = f"{name} never takes focus (Tab went round {len(stops)} elements)"
    return None, "entry_not_keyboard_reachable", detail


def consent_cover(element: Element, record: dict[str, Any]) -> str | None:
    """What a consent layer hid on a first visit; the figures are a returning customer's, who
    answered it long ago (crawler/collect.js dismissConsent)."""
    consent = record.get("consent")
    if not consent or element["css"] not in consent.get("covered", []):
        return None
    return (
        f"on a first visit '{element['name']}' is covered by the {consent['platform']} consent "
        f"layer ({consent['area_share']:.0%} of the first screen); a returning customer has "
        f"answered it ({consent['answer']})"
    )


def dead_control_findings(record: dict[str, Any], reported: set[str]) -> list[dict[str, Any]]:
    """Calls to action on a page of a task's path that did nothing when pressed (the
    exploration's own presses, crawler/explore.py), once per page and viewport; those already
    reported as a task's entry (`reported`, their CSS paths) are not said again."""
    return [
        {
            "task_id": "",
            "page_url": record["url"],
            "viewport": record["viewport"],
            "kind": "dead_control",
            "severity": "high",
            "element": dead["css"],
            "detail": f"'{dead['name']}' is a button that does nothing when pressed: no page "
            "opens, no request is sent and nothing on screen changes",
        }
        for dead in record.get("dead_controls", [])
        if dead["css"] not in reported
    ]


def render_lost_finding(record: dict[str, Any]) -> dict[str, Any]:
    """A page of a task's path that could not be rendered even on a second try: its render
    columns are empty because nothing was seen, not because the answer is no."""
    tries = record.get("attempts", 1)
    return {
        "task_id": "",
        "page_url": record["url"],
        "viewport": record["viewport"],
        "kind": "render_lost",
        "severity": "high",
        "element": "",
        "detail": f"not rendered after {tries} tries: {record['error']}; the render columns of "
        "the tasks through this page are empty for this viewport",
    }


def layout_findings(record: dict[str, Any]) -> list[dict[str, Any]]:
    """A page without a mobile layout, once per page on the mobile viewport."""
    if record["viewport"] != "mobile" or "viewport_meta" not in record:
        return []
    reasons = []
    if not record["viewport_meta"]:
        reasons.append("no <meta name=viewport>: laid out for a desktop and zoomed out to fit")
    if record["scroll_width"] > record["layout_width"] + 1:
        reasons.append(
            f"content {record['scroll_width']} px wide on a {record['layout_width']} px layout"
        )
    if not reasons:
        return []
    finding = {"task_id": "", "page_url": record["url"], "viewport": "mobile"}
    return [
        finding
        | {
            "kind": "not_mobile_friendly",
            "severity": "medium",
            "element": "",
            "detail": "; ".join(reasons) + f" (scale {record.get('scale', 1):.2f})",
        }
    ]


def _finding(
    task: Task, record: dict, element: Element | None, kind: str, severity: str, detail: str
):
    return {
        "task_id": task.id,
        "page_url": record["url"],
        "viewport": record["viewport"],
        "kind": kind,
        "severity": severity,
        "element": element["css"] if element else "",
        "detail": detail,
    }


def audit_visibility(
    model: SiteModel, task: Task, path: TaskPath, viewports: list[str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """tasks.csv visibility columns and findings for one task; empty without a rendered start."""
    start = path.path[0] if path.path else model.start_url
    records = {vp: model.rendered.get((start, vp)) for vp in viewports}
    records = {vp: r for vp, r in records.items() if r and r["ok"]}
    if not records:
        return {}, []
    primary = "desktop" if "desktop" in records else next(iter(records))
    if path.reachable and not path.steps:  # the start page is the target: no entry to see
        return {"interactions": 0, "load_s": path_load_s(model, path, primary)}, []
    fields: dict[str, Any] = {}
    findings = []
    entries = {vp: entry_element(r, task, path) for vp, r in records.items()}
    for vp, record in records.items():
        element = entries[vp]
        above = element is not None and above_the_fold(element, record)
        fields[f"entry_above_fold_{vp}"] = above
        fields[f"entry_in_collapsed_menu_{vp}"] = bool(element and element["in_collapsed_menu"])
        if not above and (element is not None or path.reachable):
            findings.append(_finding(task, record, element, *_why_not_above(element, record)))
        first_visit = consent_cover(element, record) if element is not None else None
        if first_visit:
            findings.append(_finding(task, record, element, "entry_covered", "medium", first_visit))
        small = too_small(element, record) if element is not None else None
        if small:
            findings.append(_finding(task, record, element, "entry_too_small", "low", small))
        if element is not None and is_dead(element, record):
            detail = (
                f"'{element['name']}' is a button that does nothing when clicked: no page "
                "opens and nothing on screen changes"
            )
            findings.append(_finding(task, record, element, "dead_control", "high", detail))
        nameless = unlabelled_opener(element) if element is not None else None
        if nameless:
            kind = "menu_opener_unlabelled"
            findings.append(_finding(task, record, element, kind, "medium", nameless))
        if element is not None and "tab_order" in record:
            presses, kind, detail = keyboard(element, record)
            fields[f"tab_stops_{vp}"] = presses
            if kind:
                severity = "medium" if kind == "entry_not_keyboard_reachable" else "low"
                findings.append(_finding(task, record, element, kind, severity, detail))
    trails = [
        (reach_cost(e, records[vp]), menu_trail(e, records[vp]))
        for vp, e in entries.items()
        if e is not None and 0 < reach_cost(e, records[vp]) < UNREACHABLE_COST
    ]
    if trails:  # the longest, where the viewports differ; desktop's when they tie
        fields["entry_menu_path"] = max(trails, key=lambda trail: trail[0])[1]
    for vp, entry in entries.items():
        fields[f"entry_region_{vp}"] = entry["region"] if entry is not None else None
    element = entries[primary]
    if element is not None and element["name"] and path.steps:
        fields["entry_text"] = element["name"]  # the very element the columns describe
    fields["visibility_score"] = 0.0
    if element is not None:
        if primary == "desktop":
            fields["entry_area_px_desktop"] = element["width"] * element["height"]
        folds = sum(bool(fields[f"entry_above_fold_{vp}"]) for vp in records)
        fields["visibility_score"] = visibility_score(
            element, records[primary], task, folds, len(records)
        )
        ratio = contrast_ratio(element["color"], element["background"])
        if ratio < WCAG_AA and element.get("has_text", True):  # an icon has no text colour
            detail = f"text contrast {ratio:.1f}:1, below WCAG AA's {WCAG_AA}:1"
            findings.append(
                _finding(task, records[primary], element, "low_contrast", "low", detail)
            )
    if path.reachable:
        for vp in records:
            fields[f"interactions_{vp}"] = path.clicks + menu_openings(model, path, vp)
        fields["interactions"] = max(fields[f"interactions_{vp}"] for vp in records)
        fields["load_s"] = path_load_s(model, path, primary)
    return fields, findings
