"""What a browser crawl does in each page before Scrapy reads it: wait for the app to build the
page, then find where navigation that is not a link (a button with a click handler) leads.

Runs inside scrapy-playwright's download handler as a page method, so the response the spider
parses is the rendered DOM, and the spider keeps one way of reading links and targets.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from crawler.browser import close_page
from crawler.model import read_jsonl
from crawler.render import call, settle

CLICK_WAIT_MS = 1500  # how long a click may take to change the URL
CLICKS_AT_ONCE = 4  # fresh pages opened at once to try buttons
CLICK_LINKS_FILE = "click_links.jsonl"  # in the model: (page, css, name) -> where it leads


@dataclass(frozen=True, slots=True)
class ClickLink:
    """An element in the header or navigation that is not a link but leads to `target_url`."""

    css: str
    name: str
    region: str
    target_url: str


async def where_click_leads(page: Page, url: str, css: str) -> str | None:
    """Click one element in a fresh page of the same context; the URL it leads to, if any."""
    fresh = await page.context.new_page()
    try:
        await fresh.goto(url, wait_until="load")
        await settle(fresh)
        before = fresh.url
        await fresh.locator(css).first.click(timeout=CLICK_WAIT_MS, no_wait_after=True)
        try:
            await fresh.wait_for_function(
                "before => location.href !== before", arg=before, timeout=CLICK_WAIT_MS
            )
        except PlaywrightError:
            return None
        return fresh.url
    except PlaywrightError:
        return None
    finally:
        await close_page(fresh)


@dataclass
class ScriptedNavigation:
    """One per crawl: settles each page and finds its click-handler navigation.

    Where a click leads is remembered by element and label, because a site's header and
    navigation repeat on every page: each button is clicked once per crawl, not once a page.
    """

    known: dict[tuple[str, str], str | None] = field(default_factory=dict)
    slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(CLICKS_AT_ONCE))

    async def _try(self, page: Page, url: str, css: str) -> str | None:
        async with self.slots:
            return await where_click_leads(page, url, css)

    async def __call__(self, page: Page) -> dict[str, Any]:
        settled_ms = await settle(page)
        try:
            candidates = await page.evaluate(call("clickCandidates()"))
        except PlaywrightError:  # the page navigated away by itself
            return {"settled_ms": settled_ms, "click_links": []}
        url = page.url
        fresh = [c for c in candidates if (c["css"], c["name"]) not in self.known]
        targets = await asyncio.gather(*(self._try(page, url, c["css"]) for c in fresh))
        for candidate, target in zip(fresh, targets, strict=True):
            self.known[(candidate["css"], candidate["name"])] = target
        links = [
            ClickLink(c["css"], c["name"], c["region"], target)
            for c in candidates
            if (target := self.known[(c["css"], c["name"])]) and target != url
        ]
        return {"settled_ms": settled_ms, "click_links": links}


def click_link_json(source_url: str, link: ClickLink) -> str:
    """A line of CLICK_LINKS_FILE: lets rendering outline a button as it outlines a link."""
    record = {"source_url": source_url, "css": link.css, "name": link.name}
    return json.dumps(record | {"target_url": link.target_url}, ensure_ascii=False)


def read_click_targets(model_dir: Path) -> dict[tuple[str, str], str]:
    """(element, label) -> where clicking it leads, for every button the crawl clicked."""
    return {
        (r["css"], r["name"]): r["target_url"] for r in read_jsonl(model_dir / CLICK_LINKS_FILE)
    }
