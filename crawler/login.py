"""Signing in once, in the real browser, before the signed-in area is crawled and rendered.

The result is the browser's session (Playwright's storage_state), kept in memory. A failed
login stops the run with exit 3 and a screenshot of the page where it failed, the filled
fields masked, so neither the secret nor the customer number ends up in a file.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, async_playwright

from contract.config import Login
from contract.errors import SiteError
from crawler.browser import launch_options
from crawler.render import VIEWPORTS
from crawler.steps import fill_locator, play, scrub

FAILED_SHOT = "login-failed.png"


class LoginFailed(SiteError):
    """The login steps did not reach their `expect`: exit 3."""


async def _failed(page: Page, login: Login, shot: Path) -> str:
    """Screenshot the page as the failing step left it; returns what to tell the user."""
    masks = [fill_locator(page, step.fill) for step in login.steps if step.fill]
    try:
        shot.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=shot, mask=masks, mask_color="#000")
    except PlaywrightError:
        return f"page {page.url}"
    return f"page {page.url}, screenshot {shot}"


async def _sign_in(
    login: Login,
    base_url: str,
    shot: Path,
    timeout_s: float,
    secrets: list[str],
    credentials: dict[str, str] | None,
) -> dict[str, Any]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_options(playwright))
        try:
            context = await browser.new_context(
                **VIEWPORTS["desktop"], http_credentials=credentials
            )
            context.set_default_timeout(timeout_s * 1000)
            page = await context.new_page()
            for number, step in enumerate(login.steps, 1):
                try:
                    if number == 1 and step.goto is None:  # start where the audit starts
                        await page.goto(base_url, wait_until="load")
                    await play(page, step, base_url)
                except PlaywrightError as exc:
                    where = await _failed(page, login, shot)
                    reason = scrub(str(exc), secrets)
                    raise LoginFailed(
                        f"login failed at step {number} ({step.action}): {reason} ({where})"
                    ) from None
            return await context.storage_state()
        finally:
            await browser.close()


def sign_in(
    login: Login,
    base_url: str,
    out_dir: Path,
    timeout_s: float,
    secrets: list[str],
    credentials: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Play the login steps from `base_url`; the signed-in session, or LoginFailed.
    `credentials` answer HTTP basic auth in front of a staging site."""
    shot = out_dir / FAILED_SHOT
    return asyncio.run(_sign_in(login, base_url, shot, timeout_s, secrets, credentials))
