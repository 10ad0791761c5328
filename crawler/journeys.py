"""Journeys: scripted task flows replayed in the real browser on each viewport, and timed.

They check the predicted time on task against a real run of the same path. Step 0 is arriving
at the area's start page, as the prediction starts there too. Replays run one at a time, so
one journey's page loads do not slow another's down. A step's time ends when its action is
done and any page it opened has loaded; the next step waits for what it needs itself.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Browser, async_playwright
from playwright.async_api import Error as PlaywrightError

from contract.config import Journey, Step
from crawler.browser import launch_options
from crawler.render import VIEWPORTS
from crawler.steps import play, scrub


@dataclass
class JourneyPlan:
    journey: Journey
    start_url: str  # the task's area start page
    base_url: str  # what relative `goto` steps are resolved against
    session: dict[str, Any] | None = None  # signed in for `area: account` tasks
    credentials: dict[str, str] | None = None  # HTTP basic auth in front of the site


async def _replay(
    browser: Browser, plan: JourneyPlan, viewport: str, timeout_s: float, secrets: list[str]
) -> list[dict[str, Any]]:
    context = await browser.new_context(
        **VIEWPORTS[viewport], storage_state=plan.session, http_credentials=plan.credentials
    )
    context.set_default_timeout(timeout_s * 1000)
    page = await context.new_page()
    rows, failed_at = [], None
    try:
        for number, step in enumerate([Step(goto=plan.start_url), *plan.journey.steps]):
            row = {"task_id": plan.journey.task, "viewport": viewport, "step": number}
            row |= {"action": step.action, "interactions": 0, "ms": None, "ok": False}
            row["error"] = "" if failed_at is None else f"not run: step {failed_at} failed"
            if failed_at is None:
                clock = time.perf_counter()
                try:
                    row["interactions"] = await play(page, step, plan.base_url)
                    row["ok"] = True
                except PlaywrightError as exc:
                    row["error"] = scrub(str(exc), secrets)
                    failed_at = number
                row["ms"] = round((time.perf_counter() - clock) * 1000, 1)
            rows.append(row)
    finally:
        await context.close()
    return rows


async def _replay_all(
    plans: list[JourneyPlan], viewports: list[str], timeout_s: float, secrets: list[str]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_options(playwright))
        try:
            for plan in plans:
                for viewport in viewports:
                    rows += await _replay(browser, plan, viewport, timeout_s, secrets)
        finally:
            await browser.close()
    return rows


def replay_journeys(
    plans: list[JourneyPlan], viewports: list[str], timeout_s: float, secrets: list[str]
) -> list[dict[str, Any]]:
    """journeys.csv rows: one per step and viewport, steps after a failed one marked not run."""
    return asyncio.run(_replay_all(plans, viewports, timeout_s, secrets))


def measured_time_s(rows: list[dict[str, Any]], viewports: list[str]) -> dict[str, float | None]:
    """Each task's replayed seconds, on the viewport the prediction uses; None when it failed."""
    viewport = "desktop" if "desktop" in viewports else (viewports or [""])[0]
    steps: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["viewport"] == viewport:
            steps.setdefault(row["task_id"], []).append(row)
    return {
        task: round(sum(r["ms"] for r in done) / 1000, 2) if all(r["ok"] for r in done) else None
        for task, done in steps.items()
    }
