"""A person's walk through a corpus page, in plain Playwright, sharing nothing with the audit
but the browser: the check that the expected answers in patterns.py are right.

For each label of a task's trail the walker finds what carries it (its text, its aria-label,
its image's alt text, or a CSS selector for an opener with no name), checks that the next
label cannot be used yet (so the step was needed), then hovers it and, if that shows nothing,
clicks it, as a person does (on a phone it taps: there is no hover). The last label is
clicked, and the page reached must be the task's target. A trail that reaches the target
with every step needed is the interaction count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, sync_playwright

from crawler.browser import launch_options_now

SCREENS = {
    "desktop": {"viewport": {"width": 1366, "height": 768}},
    "mobile": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    },
}
PAUSE_MS = 450  # menus animate; hoverIntent waits 100 ms before it opens a superfish menu
# Usable: on screen (not parked off-canvas), shown, and not skipped (a closed <details>).
USABLE = """e => { const b = e.getBoundingClientRect();
  return b.width > 0 && b.height > 0 && b.right > 0 && b.bottom > 0 && b.left < innerWidth &&
         e.checkVisibility({opacityProperty: true, visibilityProperty: true}); }"""


@dataclass
class Walked:
    url: str  # where the last click led
    needless: list[str]  # labels usable before the step that should have revealed them


def carriers(page: Page, label: str) -> Locator:
    if label.startswith("css:"):
        return page.locator(label[4:])
    return (
        page.get_by_role("link", name=label, exact=True)
        .or_(page.get_by_role("button", name=label, exact=True))
        .or_(page.get_by_text(label, exact=True))
        .or_(page.get_by_alt_text(label, exact=True))
    )


def usable(page: Page, label: str) -> Locator | None:
    for candidate in carriers(page, label).all():
        try:
            if candidate.evaluate(USABLE):
                return candidate
        except Exception:  # noqa: BLE001 (detached while a menu animates)
            continue
    return None


class Walker:
    """One browser for many walks (a launch costs a second or two)."""

    def __enter__(self) -> Walker:
        options = launch_options_now()  # starts and stops a Playwright of its own
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(**options)
        return self

    def __exit__(self, *exc: object) -> None:
        self._browser.close()
        self._playwright.stop()

    def walk(self, url: str, trail: list[str], viewport: str, refuse: str = "") -> Walked:
        """Follow `trail` from `url`; `refuse` first answers a consent layer with that button."""
        context = self._browser.new_context(**SCREENS[viewport])
        try:
            page = context.new_page()
            page.goto(url, wait_until="load")
            page.wait_for_timeout(PAUSE_MS)
            if refuse:
                carriers(page, refuse).first.click()
                page.wait_for_timeout(2 * PAUSE_MS)
            return _follow(page, trail, viewport)
        finally:
            context.close()


def _follow(page: Page, trail: list[str], viewport: str) -> Walked:
    needless = []
    for label, following in zip(trail, [*trail[1:], None], strict=True):
        element = usable(page, label)
        assert element is not None, f"{viewport}: {label!r} is not there to use"
        if following is None:
            element.tap() if viewport == "mobile" else element.click()
            page.wait_for_load_state("load")
            page.wait_for_timeout(PAUSE_MS)
            break
        if usable(page, following) is not None:
            needless.append(following)
        if viewport == "mobile":  # no hover on a phone: a tap
            element.tap()
        else:
            element.hover()
            page.wait_for_timeout(PAUSE_MS)
            if usable(page, following) is None:
                element.click()
        page.wait_for_timeout(PAUSE_MS)
    return Walked(page.url, needless)


def reaches(walked: Walked, target: str) -> bool:
    return re.search(target, walked.url) is not None
