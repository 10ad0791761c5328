"""Explores a rendered page the way a person does: presses each control, watches what appears.

What is a menu opener, and what is a dead control, is decided by the effect of a press, never by
the markup (Crawljax's lesson: fire the event, compare before and after). The candidates are
wide: every displayed control a person could press in the first screen, and in each layer that
opens (crawler/collect.js `pressables`); markup hints only order them. A press that shows links
is an edge of the page's reveal graph; the links it shows get the menus a customer opens to
reach them, by the fewest openings found. Every top-level try starts from the page as loaded:
what a press opened is closed again (the same press, then Escape, then a reload), and checked.
A press that changes nothing, sends no request and opens no page is a dead control. Requests
other than GET are refused throughout, so no try submits or changes anything on the site.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from crawler.links import normalize_url

Element = dict[str, Any]
MAX_TRIES = 40  # presses a page and viewport: every control of a big header, with room to spare
MAX_DEPTH = 3  # "Personal > Cards > Lost card"
MAX_RELOADS = 3  # a page that will not go back to its loaded state is reloaded, this often
NO_EFFECT_MS = 150  # a click that changes nothing in this long opened nothing
MENU_SETTLE_MS = 400  # menu open animations, and hoverIntent's delay
CTA_SCREENS = 3  # calls to action are pressed this many screens down (a "More posts" button)
DEAD_AFTER_MS = 600  # a call to action's effect shows within this long: a request, a change
# Opening a menu again for a screenshot may take this long: Playwright waits until the opener
# is stable, by animation frames, which come slowly with many pages open on a loaded machine.
# The exploration itself presses at the element's centre (collect.js pressPoint) and waits for
# nothing of the kind.
PRESS_TIMEOUT_MS = 6000
BOX = ("x", "y", "width", "height")


def call(script: str, expression: str) -> str:
    return f"(arg) => {{\n{script}\nreturn {expression};\n}}"


@dataclass
class Press:
    """What one press did."""

    pressed: bool = False  # False: the control was gone or under something else
    navigated: bool = False
    changed: bool = False
    requested: bool = False
    revealed: dict[str, Element] = field(default_factory=dict)
    hidden: list[str] = field(default_factory=list)


@dataclass
class Exploration:
    """One page at one viewport, explored from its loaded state.

    `reset` brings the page back as loaded (a reload, with consent answered and pop-ups closed
    as before). Results: `openers` (controls whose press showed links), `edges` (the reveal
    graph: who showed what, from which layer), `dead` (calls to action that did nothing).
    """

    page: Page
    script: str
    elements: list[Element]
    click_targets: dict[tuple[str, str], str]
    hover: bool  # desktop: the pointer hovers before it clicks
    reset: Callable[[], Awaitable[None]]
    ignore: list[str] = field(default_factory=list)  # regions that change by themselves
    tries: int = 0
    reloads: int = 0
    resets: int = 0  # reloads for any reason: a layer being explored is gone after one
    noise: set[str] = field(default_factory=set)
    still: bool = True  # the page does not change by itself: a dead control is provable
    requests: list[str] = field(default_factory=list)
    tried: set[str] = field(default_factory=set)
    openers: dict[str, Element] = field(default_factory=dict)
    edges: list[dict[str, Any]] = field(default_factory=list)
    dead: list[Element] = field(default_factory=list)
    hows: dict[str, str] = field(default_factory=dict)

    async def js(self, expression: str, arg: Any = None) -> Any:
        return await self.page.evaluate(call(self.script, expression), arg)

    async def pressables(self, first_screen: bool) -> list[Element]:
        arg = {"hover": self.hover, "first_screen": first_screen, "cta_screens": CTA_SCREENS}
        found = await self.js("pressables(arg)", arg)
        return sorted(found, key=lambda c: c["hint"])  # stable: reading order within a hint

    async def shown(self) -> frozenset[str]:
        return frozenset(await self.js("shownControls(arg)", self.ignore))

    async def run(self) -> None:
        # From the top, as loaded: the Tab walk may have scrolled. At once, not smoothly (Bootstrap
        # sets scroll-behavior: smooth): a page still scrolling moves every control under the press.
        await self.page.evaluate("() => window.scrollTo({top: 0, left: 0, behavior: 'instant'})")
        self.still = not await self.js("changesWithin(arg)", DEAD_AFTER_MS)
        self.noise = set(await self.js("controlsWithin(arg)", self.ignore))
        await self.page.route("**/*", self._refuse_writes)
        try:
            loaded = await self.shown()
            for candidate in await self.pressables(first_screen=True):
                if self.tries >= MAX_TRIES:
                    break
                await self.open(candidate, 0, [], [], loaded)
                if await self.shown() != loaded and not await self._restore(loaded):
                    break  # the page will not go back: what was learnt so far stands
        finally:
            await self.page.unroute("**/*")
        for element in self.elements:
            element["menu_hows"] = [self.hows.get(css, "click") for css in element["menu_via"]]

    async def _refuse_writes(self, route: Any) -> None:
        self.requests.append(route.request.url)
        await (route.continue_() if route.request.method == "GET" else route.abort())

    async def open(
        self, opener: Element, depth: int, labels: list[str], via: list[str], before: frozenset
    ) -> None:
        """Press `opener`; if it shows links, mark them, explore the layer it opened, close it."""
        if opener["css"] in self.tried or self.tries >= MAX_TRIES or depth >= MAX_DEPTH:
            return
        self.tried.add(opener["css"])
        self.tries += 1
        labels, via = [*labels, opener["name"]], [*via, opener["css"]]
        candidates_before = {c["css"] for c in await self.pressables(first_screen=False)}
        how = opener["how"]
        press = await self._press(opener, how, depth, labels, via, before)
        if not press.revealed and how == "hover" and opener.get("clickable"):
            # Hovered and nothing showed: a click opens it (a <span> with a click listener).
            await self.page.mouse.move(0, 0)
            how = "click"
            press = await self._press(opener, how, depth, labels, via, before)
        if press.navigated:
            return
        if not press.revealed:
            quiet = press.pressed and not (press.changed or press.requested)
            if opener.get("cta") and self.still and quiet:
                self.dead.append({"css": opener["css"], "name": opener["name"]})
            return
        self.hows[opener["css"]] = how
        self.openers[opener["css"]] = {**opener, "how": how}
        self.edges.append(
            {
                "opener": opener["css"],
                "name": opener["name"],
                "how": how,
                "depth": depth + 1,
                "from": via[-2] if len(via) > 1 else "",
                "revealed": sorted(press.revealed),
                "hidden": press.hidden,
            }
        )
        inside, resets = await self.shown(), self.resets
        for child in await self.pressables(first_screen=False):
            if self.resets != resets:
                return  # reloaded meanwhile: the layer is closed, its children out of reach
            if child["css"] not in candidates_before:
                await self.open(child, depth + 1, labels, via, inside)
        await self._close(opener, how)

    async def _reload(self) -> None:
        self.resets += 1
        await self.reset()

    async def _press(
        self, opener: Element, how: str, depth: int, labels: list[str], via: list[str], before
    ) -> Press:
        url, pages, press = self.page.url.split("#")[0], len(self.page.context.pages), Press()
        try:
            point = await self.js("pressPoint(arg)", opener["css"])
            if point is None:
                return press  # gone, or under something else: unknown, not an opener nor dead
            await self.js("watchClick()")  # after any scroll: not the press's effect
            asked, press.pressed = len(self.requests), True
            if how == "hover":
                await self.page.mouse.move(point["x"], point["y"])
                await self.page.wait_for_timeout(MENU_SETTLE_MS)
            else:
                await self.page.mouse.click(point["x"], point["y"])
                wait = DEAD_AFTER_MS if opener.get("cta") else NO_EFFECT_MS
                await self.page.wait_for_timeout(wait)
            if self.page.url.split("#")[0] != url:
                press.navigated = True
                await self._reload()
                return press
            for extra in self.page.context.pages[pages:]:
                press.navigated = True
                await extra.close()
            changed = await self.js("pressChanged()")
            jump = opener["tag"] == "a"  # "#" scrolls to the top: no effect a customer wanted
            press.changed = changed["mutated"] or (changed["scrolled"] and not jump)
            press.requested = len(self.requests) > asked
            # CSS alone may show a menu (:hover, :checked, :focus-within): no mutation then.
            if how == "click" and not press.changed and await self.shown() == before:
                return press
            press.changed = press.changed or how == "click"
            if how == "click":
                await self.page.wait_for_timeout(MENU_SETTLE_MS - NO_EFFECT_MS)
            shown = await self.js("collect()")
        except PlaywrightError:
            return press  # the page went away under the press (a navigation in progress)
        press.revealed = self._mark(shown, depth + 1, labels, via, how)
        now = {e["css"] for e in shown if e["displayed"]}
        press.hidden = sorted(css for css in before if css not in now)
        return press

    def _mark(
        self, shown: list[Element], depth: int, labels: list[str], via: list[str], how: str
    ) -> dict[str, Element]:
        """Links displayed now that were not at load; each keeps the fewest openings found."""
        by_css = {e["css"]: e for e in self.elements}
        revealed: dict[str, Element] = {}
        for element in shown:
            if not element["displayed"] or self._noise(element):
                continue
            seen = by_css.get(element["css"])
            if seen is not None and seen["displayed"]:
                continue
            if seen is not None and seen["menu_depth"] and seen["menu_depth"] <= depth:
                revealed[element["css"]] = seen
                continue
            href = element["href"] or self.click_targets.get((element["css"], element["name"]), "")
            element["href"] = normalize_url(href) if href.startswith(("http:", "https:")) else href
            if seen is None:
                seen = {**element, "displayed": False, "covered": None, "menu_via": []}
                self.elements.append(seen)
            menu = {"menu_depth": depth, "menu_path": labels, "menu_via": via, "menu_how": how}
            seen |= {k: element[k] for k in BOX} | menu | {"in_collapsed_menu": True}
            if not seen["name"]:  # hidden at load, its words were not read (innerText)
                seen["name"] = element["name"]
            revealed[element["css"]] = seen
        return revealed

    def _noise(self, element: Element) -> bool:
        return element["css"] in self.noise

    async def _close(self, opener: Element, how: str) -> None:
        if how == "hover":
            await self.page.mouse.move(0, 0)
        else:
            point = await self.js("pressPoint(arg)", opener["css"])
            if point is None:
                return  # a menu may hide its own opener once open: Escape or a reload will do
            await self.page.mouse.click(point["x"], point["y"])
        await self.page.wait_for_timeout(MENU_SETTLE_MS // 2)

    async def _restore(self, loaded: frozenset[str]) -> bool:
        """Back to the page as loaded: Escape, then a reload; whether it is so now."""
        await self.page.mouse.move(0, 0)
        await self.page.keyboard.press("Escape")
        await self.page.wait_for_timeout(MENU_SETTLE_MS // 2)
        if await self.shown() == loaded:
            return True
        if self.reloads >= MAX_RELOADS:
            return False
        self.reloads += 1
        await self._reload()
        return await self.shown() == loaded
