"""An independent walker for the real-site corpus: what a person sees and does, step by step.

It shares no code with toptasks. A person looks at a screenshot, decides what to press, and this
script presses it and shows the next screen. Three verbs:

    walk.py look SITE [--url PATH] [--viewport desktop|mobile] [--do STEP ...] [--shot NAME]
        open a page, do the steps, take a screenshot and list what is displayed: links (text,
        target, box, on the first screen or not), controls a person might press, and fixed layers
    walk.py try SITE --url PATH --viewport V --control CSS
        press one control and say what it did: links that became displayed or hidden, the URL,
        requests sent, nodes changed (a control that does none of these is dead)
    walk.py verify SITE [--task ID] [--viewport V]
        replay every task path written in truth/SITE.yaml, with a screenshot of each step, and
        check it: the target is reached, and the counts, fold and collapsed-menu answers follow
        from the steps and the entry's box at load

A step is "open:CSS" (press a menu opener), "hover:CSS" (desktop menu that opens on hover),
"close:CSS" (dismiss an overlay), "click:CSS" (activate a link: a click in the metric's sense),
"key:Escape", "pan:DX" (swipe sideways; not an interaction), "choose:CSS|VALUE" (pick an
option of a <select> that navigates: a click). Screenshots go to $TOPTASKS_REAL_SITES/shots/SITE/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from pathlib import Path

import yaml
from playwright.sync_api import Page, sync_playwright

try:
    from serve import serving
    from sites import Site, by_name, cache
except ImportError:  # imported as bench.real_sites.walk
    from .serve import serving
    from .sites import Site, by_name, cache

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MOBILE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1366, "height": 768}},
    "mobile": {
        "viewport": {"width": 390, "height": 844},
        "user_agent": MOBILE_UA,
        "is_mobile": True,
        "has_touch": True,
    },
}

# What is displayed: links with their boxes, controls a person might press, fixed layers.
LOOK_JS = r"""
() => {
  const vw = innerWidth, vh = innerHeight;
  const shown = el => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return null;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || +s.opacity === 0) return null;
    }
    return r;
  };
  const label = el => (el.innerText || el.getAttribute('aria-label') || el.title ||
    (el.querySelector('img[alt]') || {}).alt || '').trim().replace(/\s+/g, ' ').slice(0, 60);
  const box = r => [Math.round(r.left), Math.round(r.top + scrollY), Math.round(r.width),
                    Math.round(r.height)];
  const links = [], controls = [], layers = [];
  for (const a of document.querySelectorAll('a[href]')) {
    const r = shown(a);
    if (!r) continue;
    links.push({text: label(a), href: a.getAttribute('href'), box: box(r),
                first_screen: r.top < vh && r.bottom > 0 && r.left < vw && r.right > 0});
  }
  const sel = 'button, [role=button], summary, a[href="#"], a:not([href]), label[for], ' +
              '[onclick], [tabindex]:not(a):not(input), [data-toggle], [data-bs-toggle], ' +
              '[aria-expanded], [aria-controls]';
  for (const el of document.querySelectorAll(sel)) {
    const r = shown(el);
    if (!r || el.closest('form') && el.type === 'submit') continue;
    controls.push({tag: el.tagName.toLowerCase(), id: el.id, cls: el.className.toString()
                   .slice(0, 50), label: label(el), expanded: el.getAttribute('aria-expanded'),
                   box: box(r), first_screen: r.top < vh && r.left < vw});
  }
  for (const el of document.querySelectorAll('body *')) {
    const s = getComputedStyle(el);
    if (s.position !== 'fixed' && s.position !== 'sticky') continue;
    const r = shown(el);
    if (!r) continue;
    const area = Math.max(0, Math.min(r.right, vw) - Math.max(r.left, 0)) *
                 Math.max(0, Math.min(r.bottom, vh) - Math.max(r.top, 0));
    if (area / (vw * vh) >= 0.05)
      layers.push({tag: el.tagName.toLowerCase(), id: el.id, cls: el.className.toString()
                   .slice(0, 50), share: +(area / (vw * vh)).toFixed(2), text: label(el)});
  }
  return {url: location.href, title: document.title, vw, vh, scroll_height:
          document.documentElement.scrollHeight, links, controls, layers};
}
"""

# The entry's state at load: displayed, its box, covered at its centre, on the first screen.
ENTRY_JS = r"""
el => {
  const r = el.getBoundingClientRect();
  let displayed = r.width >= 1 && r.height >= 1;
  for (let e = el; displayed && e && e.nodeType === 1; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden' || +s.opacity === 0) displayed = false;
  }
  const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
  const inside = cx >= 0 && cy >= 0 && cx < innerWidth && cy < innerHeight;
  const hit = inside ? document.elementFromPoint(cx, cy) : null;
  const covered = inside && !!hit && !(el === hit || el.contains(hit) || hit.contains(el));
  return {displayed, top: Math.round(r.top), left: Math.round(r.left),
          width: Math.round(r.width), height: Math.round(r.height), covered,
          covered_by: covered ? (hit.id || hit.className.toString() || hit.tagName) : '',
          first_screen: displayed && r.top < innerHeight && r.bottom > 0 && r.left < innerWidth
                        && r.right > 0};
}
"""

# Counts DOM changes after a press (for dead controls).
WATCH_JS = r"""
() => { window.__changes = 0;
  new MutationObserver(m => { window.__changes += m.length; })
    .observe(document, {subtree: true, childList: true, attributes: true,
                        characterData: true}); }
"""


def shots(site: Site) -> Path:
    folder = cache() / "shots" / site.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def settle(page: Page) -> None:
    # a page whose load event never comes is still looked at
    with contextlib.suppress(Exception):
        page.wait_for_load_state("load", timeout=15000)
    page.wait_for_timeout(700)


def visible(page: Page, css: str):
    loc = page.locator(css).locator("visible=true")
    if loc.count() == 0:
        raise LookupError(f"nothing displayed matches {css!r}")
    return loc.first


def tap(page: Page, target) -> None:
    """A finger's tap. Playwright's own tap cannot reach an element that only a pan of the
    visual viewport shows (a page wider than the phone): tap there by its place on the screen."""
    try:
        target.tap(timeout=3000)
    except Exception:  # noqa: BLE001
        box = target.evaluate(
            "el => { const r = el.getBoundingClientRect(); return {x: r.left + r.width / 2 - "
            "visualViewport.offsetLeft, y: r.top + r.height / 2 - visualViewport.offsetTop}; }"
        )
        page.touchscreen.tap(box["x"], box["y"])


def do_step(page: Page, step: str, mobile: bool) -> str:
    """Do one step; return what happened in words."""
    kind, _, css = step.partition(":")
    before = page.url
    if kind == "key":
        page.keyboard.press(css)
    elif kind == "choose":  # pick an option of a <select> menu that navigates: "choose:CSS|value"
        css, _, value = css.rpartition("|")
        visible(page, css).select_option(value)
    elif kind == "hover":
        visible(page, css).hover()
    elif kind == "pan":  # a sideways swipe on a page wider than the phone: not an interaction
        page.mouse.wheel(int(css), 0)
    elif kind in ("open", "close", "click"):
        target = visible(page, css)
        if mobile:
            tap(page, target)
        else:
            target.click()
    else:
        raise ValueError(f"unknown step {step!r}")
    if kind in ("click", "choose"):
        with contextlib.suppress(Exception):  # an in-page link keeps the URL
            page.wait_for_url(lambda u: u != before, timeout=8000)
    settle(page)
    return f"{step} -> {page.url}"


def browser_page(pw, viewport: str):
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
    context = browser.new_context(**VIEWPORTS[viewport])
    return browser, context.new_page()


def look(args: argparse.Namespace) -> None:
    site = by_name(args.site)
    with serving(site) as start, sync_playwright() as pw:
        base = start[: start.index("/", len("http://"))]
        browser, page = browser_page(pw, args.viewport)
        page.goto(base + (args.url or site.start))
        settle(page)
        for step in args.do or []:
            print(do_step(page, step, args.viewport == "mobile"))
        name = args.shot or "look"
        shot = shots(site) / f"{name}-{args.viewport}.png"
        page.screenshot(path=str(shot), full_page=args.full)
        seen = page.evaluate(LOOK_JS)
        browser.close()
    print(f"screenshot: {shot}")
    print(f"url: {seen['url']}  title: {seen['title']}  height: {seen['scroll_height']}")
    print("layers:", json.dumps(seen["layers"], ensure_ascii=False))
    print("controls:")
    for c in seen["controls"]:
        print("  ", json.dumps(c, ensure_ascii=False))
    print("links:")
    for link in seen["links"][: args.max]:
        flag = "*" if link["first_screen"] else " "
        print(f"  {flag} {link['text'][:40]!r:44} {link['href'][:60]:60} {link['box']}")


def try_control(args: argparse.Namespace) -> None:
    site = by_name(args.site)
    with serving(site) as start, sync_playwright() as pw:
        base = start[: start.index("/", len("http://"))]
        browser, page = browser_page(pw, args.viewport)
        page.goto(base + (args.url or site.start))
        settle(page)
        for step in args.do or []:
            do_step(page, step, args.viewport == "mobile")
        before = {(x["text"], x["href"]) for x in page.evaluate(LOOK_JS)["links"]}
        url = page.url
        requests: list[str] = []
        page.on("request", lambda r: requests.append(f"{r.method} {r.url}"))
        page.evaluate(WATCH_JS)
        target = visible(page, args.control)
        if args.viewport == "mobile":
            target.tap()
        else:
            target.click()
        page.wait_for_timeout(1200)
        same = page.url.split("#")[0] == url.split("#")[0]
        changes = page.evaluate("() => window.__changes") if same else None
        after = {(x["text"], x["href"]) for x in page.evaluate(LOOK_JS)["links"]}
        shot = shots(site) / f"{args.shot or 'try'}-{args.viewport}.png"
        page.screenshot(path=str(shot))
        browser.close()
    print(f"screenshot: {shot}")
    print(f"url: {url} -> {page.url}")
    print(f"requests: {requests}")
    print(f"DOM changes: {changes}")
    print(f"revealed: {sorted(after - before)}")
    print(f"hidden: {sorted(before - after)}")


def target_regex(site: Site, task: str) -> str:
    config = yaml.safe_load(site.tasks.read_text(encoding="utf-8"))
    for item in config["tasks"]:
        if item["id"] == task:
            return item["target"]["url"]
    raise KeyError(task)


def verify(args: argparse.Namespace) -> int:
    site = by_name(args.site)
    truth = yaml.safe_load((args.truth or site.truth).read_text(encoding="utf-8"))
    problems = 0
    with serving(site) as start, sync_playwright() as pw:
        for task, per_view in truth["tasks"].items():
            if args.task and task != args.task:
                continue
            pattern = target_regex(site, task)
            for viewport, t in per_view.items():
                if args.viewport and viewport != args.viewport:
                    continue
                steps = t.get("steps") or []
                browser, page = browser_page(pw, viewport)
                page.goto(start)
                settle(page)
                folder = shots(site)
                page.screenshot(path=str(folder / f"{task}-{viewport}-0.png"))
                entry = None
                first_click = next((s for s in steps if s.startswith(("click:", "choose:"))), None)
                if first_click:
                    loc = page.locator(
                        first_click.partition(":")[2].rpartition("|")[0]
                        if first_click.startswith("choose:")
                        else first_click.partition(":")[2]
                    )
                    states = [loc.nth(i).evaluate(ENTRY_JS) for i in range(loc.count())]
                    shown = [s for s in states if s["displayed"]]
                    entry = shown[0] if shown else (states[0] if states else None)
                log = []
                ok = True
                for n, step in enumerate(steps, 1):
                    try:
                        log.append(do_step(page, step, viewport == "mobile"))
                    except Exception as exc:  # noqa: BLE001
                        log.append(f"{step} FAILED: {str(exc).splitlines()[0]}")
                        ok = False
                        break
                    page.screenshot(path=str(folder / f"{task}-{viewport}-{n}.png"))
                reached = ok and bool(steps) and re.search(pattern, page.url) is not None
                if not steps:
                    reached = re.search(pattern, page.url) is not None
                browser.close()
                kinds = [
                    s.partition(":")[0].replace("choose", "click")
                    for s in steps
                    if not s.startswith("pan:")
                ]
                derived = {
                    "reachable": reached,
                    "clicks": kinds.count("click") if reached else None,
                    "interactions": len(kinds) if reached else None,
                }
                if first_click:
                    before_first = kinds[: kinds.index("click")]
                    collapsed = "open" in before_first or "hover" in before_first
                    derived["in_collapsed_menu"] = collapsed
                    derived["above_fold"] = bool(
                        entry
                        and not collapsed
                        and entry["first_screen"]
                        and not entry["covered"]
                        and not any(k == "close" for k in before_first)
                    )
                diffs = {k: (t.get(k), v) for k, v in derived.items() if k in t and t.get(k) != v}
                status = "ok" if not diffs else f"DIFFERS {diffs}"
                if not ok:
                    status = "STEP FAILED " + status
                problems += bool(diffs)
                print(f"{task:14} {viewport:7} {status}")
                print(f"    entry at load: {entry}")
                for line in log:
                    print(f"    {line}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="verb", required=True)
    one = sub.add_parser("look")
    one.add_argument("site")
    one.add_argument("--url")
    one.add_argument("--viewport", default="desktop", choices=VIEWPORTS)
    one.add_argument("--do", action="append")
    one.add_argument("--shot")
    one.add_argument("--full", action="store_true")
    one.add_argument("--max", type=int, default=80)
    two = sub.add_parser("try")
    two.add_argument("site")
    two.add_argument("--url")
    two.add_argument("--viewport", default="desktop", choices=VIEWPORTS)
    two.add_argument("--do", action="append")
    two.add_argument("--control", required=True)
    two.add_argument("--shot")
    three = sub.add_parser("verify")
    three.add_argument("site")
    three.add_argument("--task")
    three.add_argument("--viewport", choices=VIEWPORTS)
    three.add_argument("--truth", type=Path, help="a truth file other than truth/SITE.yaml")
    args = parser.parse_args()
    if args.verb == "look":
        look(args)
    elif args.verb == "try":
        try_control(args)
    else:
        return 1 if verify(args) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
