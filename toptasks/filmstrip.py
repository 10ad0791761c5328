"""Each task's path as a strip of pictures per viewport: the pop-up closed, each page with the
control to press outlined and numbered, each menu as it opens, and the target's first screen.

The pictures are taken during the render (crawler/render.py path_pictures, first_picture);
this module puts them in the order a customer meets them and captions them with the step's
interactions and load time. summary.json keeps the result (`filmstrips`), and the report, the
server and the Markdown summary read it from there.
"""

from __future__ import annotations

from html import escape
from typing import Any

from audits.findability import TaskPath
from audits.visibility import best_instance, reach_cost
from contract.site_model import SiteModel
from toptasks.sentences import counted

Picture = dict[str, Any]
# The pictures' sizes on the page, CSS px: a strip shows three or four steps at once on a
# laptop, two on a phone, and scrolls sideways for the rest.
THUMB_PX = {"desktop": 240, "mobile": 120}


def filmstrips(model: SiteModel, paths: dict[str, TaskPath]) -> dict[str, dict[str, list]]:
    """task id -> viewport -> its pictures in the order of the walk; tasks with no path or no
    rendered pictures are left out."""
    viewports = sorted({vp for _, vp in model.rendered})
    titles = _titles(model, {url for path in paths.values() for url in path.path})
    strips: dict[str, dict[str, list]] = {}
    for task_id, path in paths.items():
        for viewport in viewports:
            strip = task_strip(model, path, viewport, titles)
            if strip:
                strips.setdefault(task_id, {})[viewport] = strip
    return strips


def _titles(model: SiteModel, urls: set[str]) -> dict[str, str]:
    """The pages' titles, by the address the path gives them (after redirects)."""
    pages = model.pages
    if "title" not in pages.columns:
        return {}
    found = pages[pages["final_url"].isin(urls)]
    return {
        url: " ".join(title.split())
        for url, title in zip(found["final_url"], found["title"], strict=True)
        if isinstance(title, str) and title.strip()
    }


def task_strip(
    model: SiteModel, path: TaskPath, viewport: str, titles: dict[str, str] | None = None
) -> list[Picture]:
    titles = titles or {}
    if not path.reachable or not path.path:
        return []
    pictures: list[Picture] = []
    pages = len(path.path)
    for number, step in enumerate(path.steps, start=1):
        record = model.rendered.get((step.source_url, viewport))
        if not record or not record.get("ok") or "film" not in record:
            continue
        title = titles.get(step.source_url, step.source_url)
        pictures += _step_pictures(record, path, step, number, pages, title)
    target = model.rendered.get((path.path[-1], viewport))
    first = ((target or {}).get("film") or {}).get("first")
    if target and target.get("ok") and first:
        title = titles.get(path.path[-1], path.path[-1])
        pictures.append(
            _picture(first["file"], "target", pages, pages, path.path[-1], target, None)
            | {"caption": f"Target page: {title}"}
        )
    return pictures


def _step_pictures(
    record: dict[str, Any], path: TaskPath, step: Any, number: int, pages: int, title: str
) -> list[Picture]:
    film = record["film"]
    shots = (film.get("steps") or {}).get(path.task_id) or []
    element = best_instance(record, step.link_url)
    interactions = 1 + reach_cost(element, record) if element is not None else None
    args = (number, pages, step.source_url, record, interactions)
    pictures: list[Picture] = []
    closed = [o for o in record.get("overlays") or [] if o.get("closed_by")]
    first = film.get("first") or {}
    if closed and first.get("pop_up"):
        caption = f"{title}: {_closing(closed[0])}"
        pictures.append(_picture(first["file"], "pop_up", *args) | {"caption": caption})
    press = len(closed) + 1
    stays = [o for o in record.get("overlays") or [] if not o.get("closed_by")]
    note = f" ({_staying(stays[0])})" if stays else ""
    for shot in shots:
        pressed = shot.get("pressed") or []
        what = f"press {press} “{pressed[0] or 'unlabelled'}”" if pressed else "nothing outlined"
        if shot.get("scrolled"):
            what = "scroll down, " + what
        caption = f"{title}: {what}{note}" if shot["kind"] == "page" else f"Menu open: {what}"
        pictures.append(_picture(shot["file"], shot["kind"], *args) | {"caption": caption})
        press += 1
    return pictures


def _closing(overlay: dict[str, Any]) -> str:
    """'press 1 “No thanks” to close the pop-up “Stay in the loop”'."""
    words = " ".join(overlay.get("text", "").split()[:6])
    what = f"the pop-up “{words}”" if words else "the pop-up"
    how = overlay["closed_by"]
    press = {"Escape": "press Escape", "backdrop": "tap beside it"}.get(how, f"press 1 “{how}”")
    return f"{press} to close {what}"


def _staying(overlay: dict[str, Any]) -> str:
    words = " ".join(overlay.get("text", "").split()[:6])
    return f"the pop-up “{words}” stays: nothing closes it" if words else "a pop-up stays"


def _picture(
    file: str,
    kind: str,
    step: int,
    pages: int,
    url: str,
    record: dict[str, Any],
    interactions: int | None,
) -> Picture:
    load = record.get("load_ms")
    return {
        "file": file,
        "kind": kind,  # pop_up, page, menu or target
        "step": step,
        "of": pages,
        "url": url,
        "interactions": interactions,
        "load_ms": None if load is None else round(float(load)),
        "size": [record.get("width"), record.get("height")],  # the viewport, CSS px
    }


def _facts(picture: Picture) -> str:
    facts = [f"page {picture['step']} of {picture['of']}"]
    if picture.get("interactions") is not None:
        facts.append(counted(picture["interactions"], "interaction"))
    if picture.get("load_ms") is not None:
        facts.append(f"loads in {picture['load_ms'] / 1000:.1f} s")
    return " · ".join(facts)


def strip_html(task_id: str, task_name: str, strips: dict[str, list], prefix: str = "") -> str:
    """The strips of one task as HTML: lazy thumbnails that open full size, each captioned.
    `prefix` goes before `screenshots/` (the server's run folder address)."""
    if not strips:
        return ""
    parts = [
        f'<details class="film" id="strip-{escape(task_id)}" open>'
        f"<summary>The path, step by step</summary>"
    ]
    for viewport in sorted(strips):
        width = THUMB_PX.get(viewport, THUMB_PX["desktop"])
        items = []
        for i, picture in enumerate(strips[viewport], start=1):
            src = escape(f"{prefix}screenshots/{picture['file']}", quote=True)
            caption = escape(picture["caption"])
            shown_w, shown_h = picture.get("size") or [None, None]
            height = f' height="{round(width * shown_h / shown_w)}"' if shown_w and shown_h else ""
            items.append(
                f'<li style="width: {width}px"><a href="{src}">'
                f'<img src="{src}" loading="lazy" width="{width}"{height} '
                f'alt="{caption}"></a>'
                f"<span><b>{i}.</b> {caption}</span>"
                f'<span class="muted">{escape(_facts(picture))}</span></li>'
            )
        label = escape(f"{task_name}: the path on {viewport}, {len(items)} pictures", quote=True)
        parts.append(
            f'<p class="muted film-vp">{escape(viewport)}</p>'
            f'<ol class="strip {escape(viewport)}" id="strip-{escape(task_id)}-{escape(viewport)}"'
            f' aria-label="{label}">{"".join(items)}</ol>'
        )
    return "".join(parts) + "</details>"


FILM_STYLE = """
.film summary { cursor: pointer; font-weight: 600; margin-top: 8px; }
.film-vp { margin: 6px 0 2px; }
.strip { display: flex; gap: 10px; overflow-x: auto; list-style: none; margin: 0;
         padding: 0 0 8px; }
.strip li { flex: none; display: flex; flex-direction: column; gap: 2px; font-size: 13px;
            overflow-wrap: anywhere; }
.strip img { display: block; width: 100%; height: auto; border: 1px solid #ccc; }
"""
