"""Browser crawl of a client-rendered site: pages per second and peak memory, browser included.

    PYTHONPATH=. .venv/bin/python -m bench.spa_crawl [--routes 1000] [--baseline-pages 200]

In one run against the same locally served app (bench/spagen.py, a threaded server that
answers every unknown path with the shell): (a) `toptasks audit --crawl-with browser
--no-render` end to end, and the part of it Scrapy reports as its crawl; (b) one page at a
time in Playwright (goto, settle, read the links, next), the way a hand-written crawler does it.
Peak memory is the whole process tree (Python, the Playwright driver, every Chromium process),
sampled every 0.2 s, as summed RSS (as bench/scale.py reports it) and as summed PSS (shared
pages counted once). Prints one table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.scale import PYTHON, free_port, row
from bench.spagen import spa_tasks_yaml, write_spa


class AppHandler(SimpleHTTPRequestHandler):
    """Static files; any other path is the app's shell, as a single-page app's server does."""

    def send_head(self):  # noqa: ANN201 (http.server's signature)
        if not Path(self.translate_path(self.path)).is_file():
            self.path = "/index.html"
        return super().send_head()

    def end_headers(self) -> None:
        if self.path.startswith("/static/"):
            self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()

    def log_message(self, *args: object) -> None:
        pass


def tree_memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process and its descendants. RSS sums count the libraries and shared
    memory every Chromium process maps once per process; PSS splits each shared page among
    the processes that map it, so its sum is what the tree really occupies."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    rss = pss = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        todo += parents.get(current, [])
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        fields = {line.split(":")[0]: line.split()[1] for line in rollup[1:]}
        rss += int(fields.get("Rss", 0))
        pss += int(fields.get("Pss", 0))
    return rss / 1024, pss / 1024


def measure(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds and peak RSS and PSS (MB) of the whole process tree, sampled every 0.2 s."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak_rss = peak_pss = 0.0
    while proc.poll() is None:
        rss, pss = tree_memory_mb(proc.pid)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.2)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(command)}")
    return time.perf_counter() - started, peak_rss, peak_pss


def serve(root: Path) -> tuple[str, callable]:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), partial(AppHandler, directory=root))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server.shutdown


async def one_at_a_time(start: str, limit: int) -> int:
    """Breadth-first, one page open at a time: the baseline a crawler without Scrapy gets."""
    from playwright.async_api import async_playwright

    from crawler.browser import launch_options
    from crawler.render import call, settle

    seen, queue, done = {start}, [start], 0
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_options(playwright))
        context = await browser.new_context(viewport={"width": 1366, "height": 768})
        while queue and done < limit:
            page = await context.new_page()
            await page.goto(queue.pop(0), wait_until="load")
            await settle(page)
            for element in await page.evaluate(call("collect()")):
                href = element["href"].split("#")[0]
                if href.startswith(start) and href not in seen:
                    seen.add(href)
                    queue.append(href)
            await page.close()
            done += 1
        await browser.close()
    return done


def toptasks_row(url: str, routes: int, work: Path) -> list[dict]:
    config = work / "tasks.yaml"
    config.write_text(spa_tasks_yaml(routes))
    out = work / "audit"
    command = [PYTHON, "-m", "toptasks", "audit", url, "--tasks", str(config), "--out", str(out)]
    command += ["--crawl-with", "browser", "--no-render", "--no-throttle", "--force"]
    command += ["--max-pages", str(routes), "--max-depth", "10"]
    wall, peak, pss = measure(command)
    summary = json.loads((out / "summary.json").read_text())
    pages = summary["pages"]["fetched"]
    log = (out / "model" / "crawl.log").read_text()
    scrapy_s = float(re.search(r"'elapsed_time_seconds': ([0-9.]+)", log).group(1))
    tasks = {t["task_id"]: t["clicks"] for t in summary["tasks"]}
    a = row(routes, "python threaded", "a toptasks browser crawl", pages, wall, peak)
    a |= {"peak_pss_mb": round(pss), "note": f"clicks {tasks}"}
    inner = row(routes, "python threaded", "  of which Scrapy's crawl", pages, scrapy_s, peak)
    return [a, inner | {"peak_pss_mb": round(pss)}]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routes", type=int, default=1000)
    parser.add_argument("--baseline-pages", type=int, default=200)
    parser.add_argument("--sequential", nargs=2, metavar=("URL", "PAGES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sequential:  # the baseline, in its own process so that its memory is its own
        print(asyncio.run(one_at_a_time(args.sequential[0], int(args.sequential[1]))))
        return
    work = Path(tempfile.mkdtemp(prefix="tt-spa-"))
    write_spa(work / "site", args.routes)
    url, stop = serve(work / "site")
    try:
        rows = toptasks_row(url, args.routes, work)
        baseline = [PYTHON, "-m", "bench.spa_crawl", "--sequential", url, str(args.baseline_pages)]
        wall, peak, pss = measure(baseline)
        label = "b Playwright, one page at a time"
        b = row(args.routes, "python threaded", label, args.baseline_pages, wall, peak)
        rows.append(b | {"peak_pss_mb": round(pss)})
    finally:
        stop()
    rows[0]["note"] += f"; a/b {rows[0]['pages_per_s'] / rows[2]['pages_per_s']:.2f}x"
    widths = {k: max(len(k), *(len(str(r[k])) for r in rows)) for k in rows[0]}
    print("  ".join(k.ljust(w) for k, w in widths.items()))
    for r in rows:
        print("  ".join(str(r[k]).ljust(w) for k, w in widths.items()))


if __name__ == "__main__":
    sys.exit(main())
