"""Pop-ups a person closes before anything else, closed the way a person closes them.

An app-download banner, a newsletter box, an interstitial shown to phones: unlike a consent
layer (answered long ago by a returning customer, crawler/render.py), these come back on every
visit, so closing one is an interaction on the way to every task it stands in front of. A person
uses the pop-up's own ×, "close", "no thanks" or "not now", else Escape, else a tap on the
backdrop around it; toptasks tries them in that order and records which one worked. A dialog
and the empty backdrop behind it are one pop-up (crawler/collect.js `overlayLayers`).
"""

from __future__ import annotations

from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

Overlay = dict[str, Any]
CLOSE_TIMEOUT_MS = 2000
GONE_MS = 1500  # a pop-up's fade-out
MAX_OVERLAYS = 3  # one pop-up may open another ("Are you sure?"); no more than this


def call(script: str, expression: str) -> str:
    return f"(arg) => {{\n{script}\nreturn {expression};\n}}"


async def close_overlays(page: Page, script: str) -> list[Overlay]:
    """Close each pop-up on screen; one record per pop-up: its words, box, and `closed_by`
    (the control's name, "Escape" or "backdrop"; "" when nothing a person can do closes it)."""
    closed: list[Overlay] = []
    for _ in range(MAX_OVERLAYS):
        layers = await page.evaluate(call(script, "overlayLayers()"))
        layers = [layer for layer in layers if layer["css"] not in {c["css"] for c in closed}]
        if not layers:
            break
        layer = layers[0]
        layer["closed_by"] = await _close(page, script, layer)
        closed.append(layer)
        if not layer["closed_by"]:
            break
    return closed


async def _close(page: Page, script: str, layer: Overlay) -> str:
    for control in layer["close"]:
        try:
            await page.locator(control["css"]).first.click(timeout=CLOSE_TIMEOUT_MS)
        except PlaywrightError:
            continue
        if await _gone(page, script, layer):
            return control["name"]
    await page.keyboard.press("Escape")
    if await _gone(page, script, layer):
        return "Escape"
    point = await page.evaluate(call(script, "backdropPoint(arg)"), layer["css"])
    if point is not None:
        await page.mouse.click(point["x"], point["y"])
        if await _gone(page, script, layer):
            return "backdrop"
    return ""


async def _gone(page: Page, script: str, layer: Overlay) -> bool:
    try:
        await page.wait_for_function(
            call(script, "layerGone(arg)"), arg=layer["css"], timeout=GONE_MS, polling=100
        )
    except PlaywrightError:
        return False
    return True
