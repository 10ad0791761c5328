"""Crawl and render rates on the test suite's fixture bank, with peak memory.

    .venv/bin/python bench/fixture_rates.py [--repeat N]

Prints one table. Crawl: `toptasks audit --no-render --no-throttle`, timed end to end (process
start and pandas included). Render: every page of the crawl rendered at desktop and mobile
through crawler.render, timed. Audit render: the render phase of a full `toptasks audit`
(the start page walked with Tab and its buttons probed, every task path's page outlined and
screenshotted), read from summary.json's timings_s. Peak memory is the summed RSS of this
process and every descendant (the Playwright driver and Chromium's processes), sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.model import load_model  # noqa: E402
from crawler.render import RenderJob, render_pages  # noqa: E402
from tests.sites import bank  # noqa: E402
from tests.sites.server import FixtureSite  # noqa: E402


def tree_rss_mb(root: int) -> float:
    """Summed resident memory of `root` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid, ppid = int(entry), int(fields["PPid"])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 1024


class PeakMemory:
    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_mb(self.pid))
            time.sleep(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def crawl(site: FixtureSite, out: Path) -> tuple[float, float, int, float]:
    command = [sys.executable, "-m", "toptasks", "audit", site.url, "--no-render", "--no-throttle"]
    command += ["--tasks", str(ROOT / "tests/sites/bank.yaml"), "--out", str(out), "--force"]
    started = time.perf_counter()
    with PeakMemory(os.getpid()) as memory:
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    pages = len(load_model(out / "model", site.url).pages)
    log = (out / "model" / "crawl.log").read_text()
    scrapy_s = float(re.search(r"'elapsed_time_seconds': ([0-9.]+)", log).group(1))
    return time.perf_counter() - started, memory.peak, pages, scrapy_s


def audit_render(site: FixtureSite, out: Path) -> tuple[float, int]:
    command = [sys.executable, "-m", "toptasks", "audit", site.url, "--no-throttle", "--force"]
    command += ["--tasks", str(ROOT / "tests/sites/bank.yaml"), "--out", str(out)]
    subprocess.run(command, capture_output=True, cwd=ROOT)
    summary = json.loads((out / "summary.json").read_text())
    rendered = (out / "model" / "rendered.jsonl").read_text().splitlines()
    return summary["timings_s"]["render"], len(rendered)


def folder_sizes(out: Path) -> str:
    """The audit's run folder against its budget (docs/report.md): whole, screenshots, JPEGs."""
    files = [f for f in out.rglob("*") if f.is_file()]
    shots = [f for f in files if f.parent.name == "screenshots"]
    jpegs = [f for f in shots if f.suffix == ".jpg"]

    def mb(found: list[Path]) -> float:
        return sum(f.stat().st_size for f in found) / 1e6

    return (
        f"audit's run folder: {mb(files):.1f} MB; screenshots/ {mb(shots):.1f} MB, of which "
        f"{len(jpegs)} path pictures (JPEG) {mb(jpegs):.1f} MB"
    )


def render(urls: list[str]) -> tuple[float, float, int]:
    started = time.perf_counter()
    with PeakMemory(os.getpid()) as memory:
        records = render_pages([RenderJob(u) for u in urls], ["desktop", "mobile"], None, 15)
    return time.perf_counter() - started, memory.peak, sum(r["ok"] for r in records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with FixtureSite(bank.routes()) as site, tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            seconds, peak, pages, scrapy_s = crawl(site, Path(tmp) / "run")
            rows.append(("crawl (audit --no-render)", pages, seconds, peak))
            rows.append(("  of which Scrapy's crawl", pages, scrapy_s, peak))
        model = load_model(Path(tmp) / "run" / "model", site.url)
        html = model.pages[model.pages["content_type"] == "text/html"]
        urls = sorted(set(html.loc[html["status"] < 400, "final_url"]))
        for _ in range(args.repeat):
            seconds, peak, renders = render(urls)
            rows.append(("render (desktop+mobile)", renders, seconds, peak))
        for _ in range(args.repeat):
            seconds, renders = audit_render(site, Path(tmp) / "audit")
            rows.append(("audit's render phase", renders, seconds, float("nan")))
        sizes = folder_sizes(Path(tmp) / "audit")
    print(f"{'stage':28} {'units':>6} {'wall s':>8} {'units/s':>8} {'peak MB':>8}")
    for stage, units, seconds, peak in rows:
        shown = "-" if peak != peak else f"{peak:.0f}"
        print(f"{stage:28} {units:>6} {seconds:>8.2f} {units / seconds:>8.1f} {shown:>8}")
    print("units: pages fetched (crawl), page x viewport renders (render)")
    print(sizes)


if __name__ == "__main__":
    main()
