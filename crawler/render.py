"""Renders pages in the real Chromium at each viewport and records what a customer sees.

A separate pass after the crawl (not scrapy-playwright): only the start page and the pages on
each task's click path are rendered, so the crawl keeps Scrapy's speed and the browser its
memory. One browser a run, one context a viewport, a few pages at once; a page that fails or
hangs becomes an error record and never stops the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, async_playwright
from playwright.async_api import Error as PlaywrightError

from crawler.browser import close_page, launch_options
from crawler.explore import MENU_SETTLE_MS, PRESS_TIMEOUT_MS, Exploration
from crawler.links import classify_url, normalize_url
from crawler.overlays import close_overlays

SCRIPT = (Path(__file__).parent / "collect.js").read_text(encoding="utf-8")
# axe-core, the engine of Lighthouse and pa11y, as the PyPI package axe-playwright-python ships
# it (pinned in pyproject.toml): offline, no npm. Only its script is used, run in the pages the
# render already opens.
AXE_SCRIPT = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")
AXE_VERSION = re.search(r"axe v([\d.]+)", AXE_SCRIPT[:200]).group(1)  # type: ignore[union-attr]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    # Target size is judged by audits/accessibility.py on the path's own elements, with the
    # spacing exception measured against every target on the page; axe's would repeat it.
    # The main landmark (best practice in axe, not WCAG-tagged) is asked for: a screen-reader
    # user jumps to a target page's main content by it.
    "rules": {"target-size": {"enabled": False}, "landmark-one-main": {"enabled": True}},
    "resultTypes": ["violations"],
}
ESCAPE_TABS = 5  # Tab presses after Escape that show whether focus can leave a dialog
MOBILE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1366, "height": 768}},
    "mobile": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
        "user_agent": MOBILE_UA,
    },
}
QUIET_MS = 300  # no DOM change for this long: late scripts and apps have built the page
SETTLE_MAX_MS = 2500  # a spinner or a ticking counter never goes quiet
WATCH_MS = 3000  # how long content is watched for changing by itself (carousels)
CONSENT_GONE_MS = 6000  # a refused consent layer's fade-out, on a busy machine too
LOAD_EVENT_MS = 8000  # the load event is waited for this long, then the page is read anyway
RELOAD_PATIENCE_MS = 1500  # a reload during the exploration: the page is known by then
TAB_LIMIT = 60  # Tab presses from page load; an entry further on is as good as unreachable
RENDER_ATTEMPTS = 2  # a page that fails once (a timeout under load) is tried once more
PAGES_AT_ONCE = 6  # per viewport; measured with bench/fixture_rates.py
BOX = ("x", "y", "width", "height")
MARK_COLOR = "#d6006f"
# Path pictures (the report's filmstrips) as JPEG: a first screen at this quality is about a
# tenth of its PNG; measured sizes and the run folder's budget are in docs/outputs.md.
PICTURE_QUALITY = 60
MARK_WORDS = 28  # a numbered mark names the control, this many characters at most
TO_TOP = "() => window.scrollTo({top: 0, left: 0, behavior: 'instant'})"
# A link further down is brought onto the screen as a customer scrolls to it: a third down.
SCROLL_TO = (
    "(box) => window.scrollTo({top: Math.max(0, box.y - innerHeight / 3), behavior: 'instant'})"
)
BOX_OF = """(css) => {
  let el = null;
  try { el = document.querySelector(css); } catch (e) { return null; }
  if (!el) return null;
  const r = el.getBoundingClientRect();
  if (!r.width || !r.height) return null;
  return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height};
}"""
DISTRACTOR_COLOR = "#f28c00"


@dataclass
class Highlight:
    """Outline the element linking to `href` in the screenshot, labelled with `label`."""

    label: str
    href: str


@dataclass
class RenderJob:
    url: str
    highlights: list[Highlight] = field(default_factory=list)
    watch: bool = True  # look for distractors (costs WATCH_MS of waiting)
    # (css, label) -> URL of navigation buttons the crawl clicked, so they count as links.
    click_targets: dict[tuple[str, str], str] = field(default_factory=dict)
    keyboard: bool = False  # walk the page with Tab (the start page, where entries are)


def call(expression: str) -> str:
    return f"(arg) => {{\n{SCRIPT}\nreturn {expression};\n}}"


def screenshot_name(url: str, viewport: str) -> str:
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", url.split("://", 1)[-1]).strip("-")[:60]
    digest = hashlib.sha1(url.encode()).hexdigest()[:8]
    return f"{slug}-{digest}-{viewport}.png"


async def settle(page: Page) -> int:
    """Wait until the page has stopped changing (or the cap); the milliseconds it took."""
    return await page.evaluate(call("settle(arg)"), {"quiet_ms": QUIET_MS, "max_ms": SETTLE_MAX_MS})


def _normalized(
    elements: list[dict[str, Any]], click_targets: dict[tuple[str, str], str] | None = None
) -> list[dict[str, Any]]:
    for element in elements:
        href = element["href"] or (click_targets or {}).get((element["css"], element["name"]), "")
        element["href"] = normalize_url(href) if href.startswith(("http:", "https:")) else href
        element["in_collapsed_menu"] = False
        element["menu_depth"] = 0
        element["menu_path"] = []
        element["menu_via"] = []
        element["menu_hows"] = []
    return elements


def _marks(job: RenderJob, elements: list[dict], toggle: str | None, distractors: list[dict]):
    """Boxes to outline: each highlighted link where it shows, else the menu that hides it;
    and each distractor, in another colour."""
    marks = []
    for highlight in job.highlights:
        shown = [e for e in elements if e["href"] == highlight.href and e["displayed"]]
        label, box = highlight.label, shown[0] if shown else None
        if box is None and toggle:
            box = next((e for e in elements if e["css"] == toggle), None)
            label += " (in menu)"
        if box is not None:
            marks.append({k: box[k] for k in BOX} | {"label": label})
    flagged = [
        {k: d[k] for k in BOX} | {"label": d.get("label", d["kind"]), "color": DISTRACTOR_COLOR}
        for d in distractors
    ]
    return flagged + [m | {"color": MARK_COLOR} for m in marks]


async def tab_order(page: Page) -> list[dict[str, Any]]:
    """What gets focus at each Tab press from page load, up to TAB_LIMIT (or back to the
    start: focus has gone round the page)."""
    stops: list[dict[str, Any]] = []
    for _ in range(TAB_LIMIT):
        await page.keyboard.press("Tab")
        stop = await page.evaluate(call("focusedNow()"))
        if stop is None or (stops and stop["css"] == stops[0]["css"]):
            break
        if stop["href"].startswith(("http:", "https:")):
            stop["href"] = normalize_url(stop["href"])
        stops.append(stop)
    await page.evaluate("() => document.activeElement && document.activeElement.blur()")
    return stops


async def focus_trap(page: Page, stops: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A dialog that keeps keyboard focus: Tab went round inside it, and after Escape focus
    still cannot leave it. None when focus can reach the rest of the page."""
    dialogs = {stop["dialog"] for stop in stops}
    if not stops or len(stops) >= TAB_LIMIT or len(dialogs) != 1 or "" in dialogs:
        return None
    try:  # back where Tab went round (tab_order let go of focus), then as a customer would
        await page.locator(stops[-1]["css"]).first.focus(timeout=PRESS_TIMEOUT_MS)
    except PlaywrightError:
        return None
    await page.keyboard.press("Escape")
    for _ in range(ESCAPE_TABS):
        await page.keyboard.press("Tab")
        stop = await page.evaluate(call("focusedNow()"))
        if stop is None or stop["dialog"] not in dialogs:
            await page.evaluate("() => document.activeElement && document.activeElement.blur()")
            return None
    await page.evaluate("() => document.activeElement && document.activeElement.blur()")
    return {"dialog": dialogs.pop(), "stops": [stop["name"] or stop["css"] for stop in stops]}


async def accessibility_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.x A and AA violations on the page as it is now (as loaded)."""
    await page.evaluate(AXE_SCRIPT)
    return await page.evaluate(call("a11yViolations(arg)"), AXE_OPTIONS)


async def _reveal(
    page: Page,
    element: dict[str, Any],
    undo: bool = False,
    each: Callable[[int], Awaitable[None]] | None = None,
) -> None:
    """Open (or, with `undo`, close) the menus on the way to an element, as a customer does;
    `each(i)` is called once the i-th menu is open (a picture of it, on the way)."""
    steps = list(zip(element["menu_via"], element["menu_hows"], strict=True))
    for i, (css, how) in enumerate(reversed(steps) if undo else steps):
        if how == "hover" and undo:
            await page.mouse.move(0, 0)
        elif how == "hover":
            await page.locator(css).first.hover(timeout=PRESS_TIMEOUT_MS)
        else:
            await page.locator(css).first.click(timeout=PRESS_TIMEOUT_MS)
        await page.wait_for_timeout(MENU_SETTLE_MS)
        if each is not None:
            await each(i)


async def menu_screenshots(
    page: Page,
    job: RenderJob,
    elements: list[dict[str, Any]],
    viewport: str,
    shots: Path,
    film: dict[str, list[dict[str, Any]]] | None = None,
    first_number: int = 1,
) -> dict[str, str]:
    """For each highlighted link found only inside a menu: the first viewport with its menus
    open and the link outlined (label -> file). With `film`, each task's path pictures on this
    page are added to it (label -> pictures, path_pictures), taken on the same way."""
    taken: dict[str, str] = {}
    for highlight in job.highlights:
        same = [e for e in elements if e["href"] == highlight.href]
        element = _found_here(same, page.viewport_size or {})
        if film is not None:
            try:
                film[highlight.label] = await path_pictures(
                    page, job.url, viewport, shots, element, first_number
                )
            except PlaywrightError:
                film[highlight.label] = []
            with contextlib.suppress(PlaywrightError):
                await _to_top(page)
        if not same or any(e["displayed"] for e in same) or not same[0]["menu_via"]:
            continue
        element = min(same, key=lambda e: e["menu_depth"])
        try:
            await _reveal(page, element)
            marks = [{k: element[k] for k in BOX} | {"label": highlight.label, "color": MARK_COLOR}]
            name = screenshot_name(f"{job.url}#menu-{highlight.label}", viewport)
            taken[highlight.label] = await _screenshot(page, job.url, viewport, marks, shots, name)
            await _reveal(page, element, undo=True)
        except PlaywrightError:
            continue
    return taken


def _found_here(same: list[dict[str, Any]], screen: dict[str, Any]) -> dict[str, Any] | None:
    """The copy of a link a customer presses: one shown on the first screen, else one shown
    further down, else the one inside the fewest menus."""
    height = screen.get("height") or 0
    shown = [e for e in same if e["displayed"]]
    if shown:
        return min(shown, key=lambda e: (e["y"] >= height, e["index"]))
    in_menus = [e for e in same if e["menu_via"]]
    return min(in_menus, key=lambda e: e["menu_depth"]) if in_menus else None


async def _to_top(page: Page) -> None:
    await page.evaluate(TO_TOP)


async def _box_of(page: Page, css: str, fallback: dict[str, Any] | None = None) -> dict | None:
    box = await page.evaluate(BOX_OF, css)
    if box is None and fallback is not None and fallback.get("width"):
        box = {k: fallback[k] for k in BOX}
    return box


def _mark(box: dict[str, Any], number: int, name: str) -> dict[str, Any]:
    words = " ".join(name.split())
    words = words if len(words) <= MARK_WORDS else words[: MARK_WORDS - 1] + "…"
    return {k: box[k] for k in BOX} | {"label": f"{number} {words}".strip(), "color": MARK_COLOR}


async def path_pictures(
    page: Page,
    url: str,
    viewport: str,
    shots: Path,
    element: dict[str, Any] | None,
    number: int = 1,
) -> list[dict[str, Any]]:
    """One task's pictures on this page, the controls numbered in the order pressed from
    `number` on (the pop-ups closed before come first): the first screen with the first
    control to press outlined (scrolled to a link further down), then each menu as it opens,
    with the next control outlined. Taken in the render's own visit: no page is loaded."""
    await _to_top(page)
    if element is None:
        name = await _picture(page, url, viewport, [], shots, "page")
        return [{"file": name, "kind": "page", "pressed": [], "scrolled": False}]
    via, names = element["menu_via"], [*element["menu_path"], element["name"]]
    scrolled = False
    if not via:
        box = await _box_of(page, element["css"], element)
        scrolled = bool(box) and box["y"] + box["height"] > (page.viewport_size or {})["height"]
        if scrolled:
            await page.evaluate(SCROLL_TO, box)
    else:
        box = await _box_of(page, via[0])
    marks = [_mark(box, number, names[0])] if box else []
    pictures = [
        {
            "file": await _picture(page, url, viewport, marks, shots, "page"),
            "kind": "page",
            "pressed": names[:1],
            "scrolled": scrolled,
        }
    ]
    if not via:
        return pictures

    async def opened(i: int) -> None:
        css = via[i + 1] if i + 1 < len(via) else element["css"]
        box = await _box_of(page, css, element if i + 1 == len(via) else None)
        marks = [_mark(box, number + i + 1, names[i + 1])] if box else []
        name = await _picture(page, url, viewport, marks, shots, f"menu{i + 1}")
        pictures.append(
            {"file": name, "kind": "menu", "pressed": names[i + 1 : i + 2], "scrolled": False}
        )

    with contextlib.suppress(PlaywrightError):  # an opener that will not open again:
        await _reveal(page, element, each=opened)  # the pictures up to it stand
    opened_now = len(pictures) - 1
    shut = element | {k: element[k][:opened_now] for k in ("menu_via", "menu_hows")}
    with contextlib.suppress(PlaywrightError):
        await _reveal(page, shut, undo=True)
    return pictures


async def first_picture(
    page: Page, url: str, viewport: str, shots: Path, numbered: bool = True
) -> dict[str, Any]:
    """The page's first screen as it comes up; a pop-up on it with its close control outlined
    and numbered 1 (the first thing a customer presses there), unless not `numbered` (nothing
    closed it)."""
    await _to_top(page)
    await page.evaluate("() => document.activeElement && document.activeElement.blur()")
    layers = await page.evaluate(call("overlayLayers()"))
    marks = []
    if layers and numbered:
        layer, box = layers[0], None
        for control in layer["close"]:
            box = await _box_of(page, control["css"])
            if box:
                marks.append(_mark(box, 1, control["name"]))
                break
        if box is None:
            marks.append(_mark(layer, 1, "Escape, or tap outside"))
    name = await _picture(page, url, viewport, marks, shots, "first")
    return {"file": name, "pop_up": bool(layers)}


async def _picture(
    page: Page, url: str, viewport: str, marks: list[dict], shots: Path, what: str
) -> str:
    """The first screen (as scrolled) as a JPEG, the marks drawn: a path picture. Named by what
    is marked, so tasks pressing the same controls share one file."""
    key = hashlib.sha1(json.dumps([what, marks], sort_keys=True).encode()).hexdigest()[:8]
    name = screenshot_name(f"{url}#{key}", viewport).removesuffix(".png") + ".jpg"
    if marks:
        await page.evaluate(call("highlight(arg)"), marks)
    try:
        await page.screenshot(path=shots / name, type="jpeg", quality=PICTURE_QUALITY, scale="css")
    finally:
        if marks:
            await page.evaluate(call("clearHighlight()"))
    return name


async def _as_returning_visitor(
    page: Page, consent: dict[str, Any], first_visit: list[dict], click_targets: dict
) -> list[dict[str, Any]]:
    """Answer the consent layer as a returning customer did long ago (refuse, or remove it),
    and collect the page again; `consent` keeps what the layer covered on a first visit."""
    consent["covered"] = [e["css"] for e in first_visit if e["covered"]]
    consent["answer"] = await page.evaluate(call("dismissConsent()"))
    if consent["answer"] == "refused" and not await _consent_gone(page, consent["css"]):
        # The refusal opened a settings panel, or the layer is slow to go: answer what is there.
        again = await page.evaluate(call("dismissConsent()"))
        if again != "gone":
            consent["answer"] = f"refused, then {again}"
            await _consent_gone(page, consent["css"])
    return _normalized(await page.evaluate(call("collect()")), click_targets)


async def _consent_gone(page: Page, css: str) -> bool:
    """Whether the consent layer (at `css`) has gone within CONSENT_GONE_MS: the libraries fade
    it out (Osano's Cookie Consent takes about 0.8 s; a CI run once saw it and
    vanilla-cookieconsent take over 2 s, cause not found), and a page collected meanwhile is
    still covered by it. Only a refusal that opens a settings panel waits the whole time."""
    try:
        await page.wait_for_function(
            call("consentCleared(arg)"), arg=css, timeout=CONSENT_GONE_MS, polling=100
        )
    except PlaywrightError:
        return False
    return True


def _consent_distractor(consent: dict[str, Any]) -> dict[str, Any]:
    box = {k: consent[k] for k in (*BOX, "area_share", "css")}
    text = f"{consent['platform']} consent layer: {consent['text']}"
    label = f"{consent['platform']} consent layer (first visit)"
    return box | {
        "kind": "cookie_wall",
        "label": label,
        "text": text[:120],
        "links": [],
        "rotating": False,
    }


def _unrendered(job: RenderJob, viewport: str, error: str = "") -> dict[str, Any]:
    record: dict[str, Any] = {"url": job.url, "viewport": viewport, "ok": False, "error": error}
    record |= VIEWPORTS[viewport]["viewport"]
    record |= {"status": None, "dcl_ms": None, "load_ms": None, "lcp_ms": None, "text_chars": None}
    return record | {
        "screenshot": "",
        "menu_toggle": None,
        "elements": [],
        "distractors": [],
        "openers": [],
        "a11y": [],
    }


async def _load(page: Page, url: str, patience_ms: int = LOAD_EVENT_MS) -> Any:
    """Open `url` as a person waits for it: the document, then the load event for a while.
    Third-party tags (analytics, chat, maps) may hold the load event for ever; the page is
    read meanwhile and settles by its layout (settle), not by that event."""
    response = await page.goto(url, wait_until="domcontentloaded")
    with contextlib.suppress(PlaywrightError):
        await page.wait_for_load_state("load", timeout=patience_ms)
    return response


async def _render_one(page: Page, job: RenderJob, viewport: str, shots: Path | None) -> dict:
    record = _unrendered(job, viewport)
    try:
        response = await _load(page, job.url)
        record["status"] = response.status if response else None
        await page.evaluate(call("watchChanges()"))
        watching_since = time.monotonic()
        await settle(page)
        record |= await page.evaluate(call("timing()"))
        record["text_chars"] = await page.evaluate(call("textChars()"))
        record |= await page.evaluate(call("viewportInfo()"))
        elements = _normalized(await page.evaluate(call("collect()")), job.click_targets)
        consent = await page.evaluate(call("consentLayer()"))
        if consent:
            record["consent"] = consent
            elements = await _as_returning_visitor(page, consent, elements, job.click_targets)
        toggle = await page.evaluate(call("menuToggle()"))  # where a screenshot says "in menu"
        if job.watch:
            waited_ms = (time.monotonic() - watching_since) * 1000
            await page.wait_for_timeout(max(0, WATCH_MS - waited_ms))
            record["distractors"] = await page.evaluate(call("distractors()"))
            if consent:  # answered before the watch, so seen here as the first visit saw it
                record["distractors"].append(_consent_distractor(consent))
            for distractor in record["distractors"]:
                distractor["links"] = [
                    normalize_url(u) for u in distractor["links"] if u.startswith("http")
                ]
        if shots is not None:
            marks = _marks(job, elements, toggle, record["distractors"])
            record["screenshot"] = await _screenshot(page, job.url, viewport, marks, shots)
        if job.keyboard and viewport == "desktop":
            record["tab_order"] = await tab_order(page)
            record["tab_limit"] = TAB_LIMIT
            record["focus_trap"] = await focus_trap(page, record["tab_order"])
        # Before the exploration: the page as it loaded, the same on every run (a menu that
        # would not close again must not decide what axe sees).
        record["a11y"] = await accessibility_violations(page)
        if shots is not None:
            record["film"] = {"first": await first_picture(page, job.url, viewport, shots)}
        record["overlays"] = await close_overlays(page, SCRIPT)
        if shots is not None and record["overlays"] and not record["overlays"][0]["closed_by"]:
            # Nothing closed the pop-up: it is still there, and nothing on it is pressed.
            record["film"]["first"] = await first_picture(
                page, job.url, viewport, shots, numbered=False
            )

        async def as_loaded() -> None:
            """The page again, as the exploration found it: loaded, answered and closed."""
            await _load(page, job.url, RELOAD_PATIENCE_MS)
            await settle(page)
            if consent:
                await page.evaluate(call("dismissConsent()"))
                await _consent_gone(page, consent["css"])
            await close_overlays(page, SCRIPT)

        rotating = [d["css"] for d in record["distractors"] if d.get("rotating")]
        hover = viewport == "desktop"
        explored = Exploration(
            page, SCRIPT, elements, job.click_targets, hover, as_loaded, ignore=rotating
        )
        await explored.run()
        record["openers"] = list(explored.openers.values())
        record["menu_toggle"] = next(iter(explored.openers), None)
        record["reveals"] = explored.edges
        record["dead_controls"] = explored.dead
        record["tries"], record["reloads"] = explored.tries, explored.reloads
        if shots is not None and job.highlights:
            record["film"]["steps"] = film = {}
            closed = sum(bool(o["closed_by"]) for o in record["overlays"])
            record["menu_screenshots"] = await menu_screenshots(
                page, job, elements, viewport, shots, film, 1 + closed
            )
        record["elements"] = elements
        record["ok"] = True
    except PlaywrightError as exc:
        record["error"] = f"render {viewport}: " + " ".join(str(exc).split("\n")[0].split())[:250]
    return record


async def _screenshot(
    page: Page, url: str, viewport: str, marks: list[dict], shots: Path, name: str = ""
) -> str:
    """First viewport as a PNG in CSS pixels, the marked boxes outlined and labelled."""
    if marks:
        await page.evaluate(call("highlight(arg)"), marks)
    name = name or screenshot_name(url, viewport)
    await page.screenshot(path=shots / name, scale="css")
    if marks:
        await page.evaluate(call("clearHighlight()"))
    return name


def page_budget_s(timeout_s: float) -> float:
    """The longest one page's render may take before it is given up (and tried once more).

    Playwright bounds every action by `timeout_s` but never a `page.evaluate`, so a page whose
    script does not return would hold the whole run for ever. A render is a load, a watch,
    the accessibility scan and the exploration's tries and reloads, each bounded: this leaves
    room for all of them on a loaded machine (a 5 s page timeout gives 100 s).
    """
    return 60 + 8 * timeout_s


async def _render_viewport(
    browser: Browser,
    jobs: list[RenderJob],
    viewport: str,
    shots: Path | None,
    timeout_s: float,
    deadline: float | None,
    session: dict[str, Any] | None,
    credentials: dict[str, str] | None,
) -> list[dict[str, Any]]:
    context = await browser.new_context(
        **VIEWPORTS[viewport], storage_state=session, http_credentials=credentials
    )
    context.set_default_timeout(timeout_s * 1000)
    slots = asyncio.Semaphore(PAGES_AT_ONCE)

    async def render(job: RenderJob) -> dict[str, Any]:
        async with slots:
            if deadline is not None and time.monotonic() >= deadline:
                return _unrendered(job, viewport, f"render {viewport}: not started, --max-duration")
            attempts = 0
            while attempts < RENDER_ATTEMPTS:
                attempts += 1
                page = await context.new_page()
                budget_s = page_budget_s(timeout_s)
                try:
                    record = await asyncio.wait_for(
                        _render_one(page, job, viewport, shots), budget_s
                    )
                except TimeoutError:
                    error = f"render {viewport}: gave up after {budget_s:.0f} s"
                    record = _unrendered(job, viewport, error)
                finally:
                    await close_page(page)
                if record["ok"]:
                    break
            return record | {"attempts": attempts}

    try:
        return list(await asyncio.gather(*(render(job) for job in jobs)))
    finally:
        await context.close()


async def _render_all(
    jobs: list[RenderJob],
    viewports: list[str],
    shots: Path | None,
    timeout_s: float,
    deadline: float | None,
    session: dict[str, Any] | None,
    credentials: dict[str, str] | None,
) -> list[dict[str, Any]]:
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    records: list[dict[str, Any]] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_options(playwright))
        try:
            per_viewport = await asyncio.gather(
                *(
                    _render_viewport(
                        browser, jobs, vp, shots, timeout_s, deadline, session, credentials
                    )
                    for vp in viewports
                )
            )
            records = [record for batch in per_viewport for record in batch]
        finally:
            await browser.close()
    return records


def render_pages(
    jobs: list[RenderJob],
    viewports: list[str],
    shots: Path | None,
    timeout_s: float = 15.0,
    deadline: float | None = None,
    session: dict[str, Any] | None = None,
    credentials: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One record per page and viewport, in job order; `shots` None takes no screenshots.

    Pages not started by `deadline` (a `time.monotonic()` value) get an error record instead.
    With a `session` (a signed-in storage_state) pages are seen as that user sees them;
    `credentials` answer HTTP basic auth (crawler.browser.http_credentials).
    """
    run = _render_all(jobs, viewports, shots, timeout_s, deadline, session, credentials)
    return asyncio.run(run)


def rendered_only_links(
    records: list[dict[str, Any]], crawled: set[str], allowed: list[str], first_position: int
) -> list[tuple]:
    """Links the browser shows but the HTML did not contain (built by scripts), as link rows."""
    rows, seen = [], set(crawled)
    for record in records:
        for element in record["elements"]:
            href = element["href"]
            if not href.startswith(("http:", "https:")) or href in seen:
                continue
            seen.add(href)
            kind = classify_url(href, allowed)
            position = first_position + len(rows)
            rows.append(
                (record["url"], href, element["name"], element["region"], position, kind, "true")
            )
    return rows
