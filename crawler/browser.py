"""Which Chromium to launch, and how, so that a user never has to configure a browser.

Playwright's own build is used when `playwright install chromium` could fetch it; otherwise
Debian's /usr/bin/chromium. The flags stop Chromium calling home, which on a closed network
stalls start-up; --no-sandbox only where Chromium refuses to run without it (as root).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
from typing import Any

from playwright.async_api import Page, Playwright
from playwright.sync_api import sync_playwright

from contract.config import Site
from contract.errors import ToptasksError

QUIET_FLAGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A customer's browser does not say it is automated: consent libraries that hide from bots
# (vanilla-cookieconsent's hideFromBots reads navigator.webdriver) show their layer to the
# audit as they do to a person.
AS_A_CUSTOMER = ["--disable-blink-features=AutomationControlled"]
SYSTEM_CHROMIUMS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


class BrowserMissing(ToptasksError):
    exit_code = 2


def launch_options(playwright: Playwright) -> dict[str, Any]:
    args = [*QUIET_FLAGS, *AS_A_CUSTOMER]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    options: dict[str, Any] = {"headless": True, "args": args}
    if not Path(playwright.chromium.executable_path).exists():
        system = next((p for p in SYSTEM_CHROMIUMS if Path(p).exists()), None)
        if system is None:
            raise BrowserMissing("no Chromium found: run `make setup`, or audit with --no-render")
        options["executable_path"] = system
    return options


def launch_options_now() -> dict[str, Any]:
    """launch_options outside an event loop: for scrapy-playwright, which launches the browser
    itself from settings."""
    with sync_playwright() as playwright:
        return launch_options(playwright)  # type: ignore[arg-type]


def http_credentials(site: Site) -> dict[str, str] | None:
    """Playwright's `http_credentials` for a site behind HTTP basic auth (`site.auth`), from
    the environment variables the config names: every browser context answers the challenge,
    for the page and for its scripts, styles and images alike."""
    basic = site.auth.basic if site.auth else None
    if basic is None:
        return None
    return {
        "username": os.environ.get(basic.username_env, ""),
        "password": os.environ.get(basic.password_env, ""),
    }


CLOSE_WAIT_S = 10.0  # a page that will not close in this long is left to the browser's end


async def close_page(page: Page) -> None:
    """Close a page that may still be navigating, without waiting on it for ever.

    Measured here: a page that redirects itself in a loop (`location.replace` on every load)
    made `page.close()` hang in about 1 crawl in 10 while scrapy-playwright's route handler
    still had requests in flight. Dropping the routes first, ignoring their errors, is
    Playwright's documented way out; the bounded wait is for what it does not cover.
    """
    for step in (page.unroute_all(behavior="ignoreErrors"), page.close()):
        with contextlib.suppress(Exception):
            await asyncio.wait_for(step, CLOSE_WAIT_S)
