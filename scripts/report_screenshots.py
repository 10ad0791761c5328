"""Screenshots of a run's report at desktop and phone size, for the README and the docs.

Run after `make demo`: opens results/demo/report.html in headless Chromium (found as the audit
finds it, crawler/browser.py) at 1366x768 and 390x844, scrolls to the task cards (a task's
sentence, figures and annotated screenshots: what the report is for) and writes one screen of
each to docs/img/report-desktop.png and docs/img/report-phone.png; and, scrolled to a task's path
pictures (the strip of a task that opens menus), docs/img/report-path.png.

    .venv/bin/python scripts/report_screenshots.py [--report FILE] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from crawler.browser import launch_options
from crawler.render import VIEWPORTS

ROOT = Path(__file__).resolve().parent.parent
# The audit's own viewports; the phone at device scale 2 rather than 3 keeps the PNG small
# enough for a README while its text stays sharp.
SHOTS = {
    "report-desktop.png": VIEWPORTS["desktop"],
    "report-phone.png": VIEWPORTS["mobile"] | {"device_scale_factor": 2},
}
# The first task card, with the "Tasks" heading above it in view.
TO_THE_TASKS = """() => {
  const card = document.querySelector('section[id^="task-"]');
  if (card) window.scrollTo(0, card.getBoundingClientRect().top + window.scrollY - 64);
}"""
# The longest desktop strip (the task with the most steps), its heading in view.
TO_A_STRIP = """() => {
  const strips = [...document.querySelectorAll('ol.strip.desktop')];
  const longest = strips.sort((a, b) => b.children.length - a.children.length)[0];
  if (longest) window.scrollTo(0, longest.getBoundingClientRect().top + window.scrollY - 120);
}"""
# Lazy pictures on screen have loaded.
LOADED = """() => [...document.images].every(i => {
  const box = i.getBoundingClientRect();
  return box.bottom < 0 || box.top > innerHeight || (i.complete && i.naturalWidth > 0);
})"""


def take(report: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options(playwright))  # type: ignore[arg-type]
        try:
            shots = [(name, options, TO_THE_TASKS) for name, options in SHOTS.items()]
            shots.append(("report-path.png", VIEWPORTS["desktop"], TO_A_STRIP))
            for name, context_options, scroll in shots:
                context = browser.new_context(**context_options)
                page = context.new_page()
                page.goto(report.resolve().as_uri(), wait_until="load")
                page.evaluate(scroll)
                page.wait_for_function(LOADED, timeout=10_000)
                page.screenshot(path=out_dir / name)
                context.close()
                written.append(out_dir / name)
        finally:
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, default=ROOT / "results/demo/report.html")
    parser.add_argument("--out", type=Path, default=ROOT / "docs/img")
    args = parser.parse_args()
    if not args.report.exists():
        sys.exit(f"{args.report} not found: run `make demo` first")
    for path in take(args.report, args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
