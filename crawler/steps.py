"""Config steps (goto, fill, click, expect) played in a real page, the way a person would.

Used to sign in and to replay journeys. A click on something hidden in a collapsed menu first
opens the menu, as a person on a phone must, and that costs one more interaction.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urljoin

from playwright.async_api import Locator, Page

from contract.config import Click, Fill, Step
from crawler.render import MENU_SETTLE_MS, call


def fill_locator(page: Page, fill: Fill) -> Locator:
    if fill.label is not None:
        return page.get_by_label(fill.label)
    if fill.placeholder is not None:
        return page.get_by_placeholder(fill.placeholder)
    return page.locator(fill.selector or "")


def click_locator(page: Page, click: Click) -> Locator:
    if click.role is not None:
        return page.get_by_role(click.role, name=click.name)  # type: ignore[arg-type]
    if click.text is not None:
        return page.get_by_text(click.text)
    if click.label is not None:
        return page.get_by_label(click.label)
    return page.locator(click.selector or "")


async def _click(page: Page, click: Click) -> int:
    """Click the first visible match, opening a collapsed menu first if that is what hides it."""
    interactions = 1
    target = click_locator(page, click)
    if await target.filter(visible=True).count() == 0 and await target.count() > 0:
        toggle = await page.evaluate(call("menuToggle()"))
        if toggle:
            await page.locator(toggle).first.click()
            await page.wait_for_timeout(MENU_SETTLE_MS)
            interactions += 1
    await target.filter(visible=True).first.click()
    await page.wait_for_load_state("load")
    return interactions


async def _expect(page: Page, step: Step) -> None:
    expect = step.expect
    assert expect is not None
    if expect.url:
        await page.wait_for_url(re.compile(expect.url))
    if expect.selector:
        await page.locator(expect.selector).first.wait_for(state="visible")
    if expect.text:
        await page.get_by_text(expect.text).first.wait_for(state="visible")


async def play(page: Page, step: Step, base_url: str) -> int:
    """Do one step; returns the interactions a person needs for it (0 for goto and expect).

    Raises Playwright's errors (a timeout, above all) for the caller to report.
    """
    if step.goto is not None:
        await page.goto(urljoin(base_url, step.goto), wait_until="load")
        return 0
    if step.fill is not None:
        await fill_locator(page, step.fill).first.fill(os.environ[step.fill.env])
        return 1
    if step.click is not None:
        return await _click(page, step.click)
    await _expect(page, step)
    return 0


def scrub(message: str, secrets: list[str]) -> str:
    """A browser error as one line, any secret value in it blanked out."""
    line = " ".join(message.split("\n")[0].split())[:300]
    for secret in secrets:
        if secret:
            line = line.replace(secret, "***")
    return line
