"""Crawl throughput and memory against synthetic sites served by nginx on 127.0.0.1.

For each site size, in one run against the same served site: (a) `toptasks audit --no-render`
end to end, (b) a naive bare Scrapy spider, (c) the same with a seen-set, (d) `wget --spider -r`;
then the audit phase alone on a 100,000-page model and the rendering rate on a sample. Prints
one table and writes it as CSV. Run it with `bench/run` (see --help).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.sitegen import tasks_yaml, write_site

HERE = Path(__file__).parent
PYTHON = sys.executable
NGINX_CONF = """worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  types {{ text/html html; text/plain txt; }}
  default_type text/html;
  sendfile on;
  client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp};
  uwsgi_temp_path {tmp}; scgi_temp_path {tmp};
  server {{ listen 127.0.0.1:{port}; root {root}; index index.html; }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SlowHandler(SimpleHTTPRequestHandler):
    latency_s = 0.0

    def do_GET(self) -> None:  # noqa: N802
        time.sleep(self.latency_s)
        super().do_GET()

    def guess_type(self, path: str) -> str:
        return "text/plain" if path.endswith(".txt") else "text/html"

    def log_message(self, *args: object) -> None:
        pass


def serve(root: Path, latency_ms: float, tmp: Path) -> tuple[str, str, callable]:
    """Start a static server for `root`: (url, server name, stop)."""
    port = free_port()
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if latency_ms == 0 and Path(nginx).exists():
        conf = tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=root))
        proc = subprocess.Popen([nginx, "-c", str(conf), "-e", str(tmp / "error.log")])
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.1)
        return f"http://127.0.0.1:{port}/", "nginx", lambda: (proc.terminate(), proc.wait())
    handler = type("Handler", (SlowHandler,), {"latency_s": latency_ms / 1000})
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    name = f"python+{latency_ms:g}ms" if latency_ms else "python (nginx missing)"
    return f"http://127.0.0.1:{port}/", name, server.shutdown


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, now. Only the tree is read
    (each thread's `children` file): reading every process's status 20 times a second took
    7% of a core, which a crawl on two busy cores pays for."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            threads = list(Path(f"/proc/{current}/task").iterdir())
            children = [int(c) for t in threads for c in (t / "children").read_text().split()]
        except OSError:
            continue  # ended meanwhile
        rss = next((line for line in status.splitlines() if line.startswith("VmRSS:")), "")
        total += int(rss.split()[1]) if rss else 0
        todo += children
    return total / 1024


def measure(command: list[str], ok: tuple[int, ...] = (0,), **kwargs) -> tuple[float, float]:
    """Wall seconds and peak memory (MB, the whole process tree, sampled every 100 ms)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, **kwargs)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, tree_rss_mb(proc.pid))
        time.sleep(0.1)
    wall = time.perf_counter() - started
    if proc.returncode not in ok:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(command)}")
    return wall, peak


def prepare_site(n: int, work: Path) -> tuple[Path, Path]:
    """The generated site's folder (written once, reused by later runs) and its task config."""
    root = work / f"site-{n}"
    if not (root / "robots.txt").exists():
        write_site(root, n)
    config = work / f"tasks-{n}.yaml"
    config.write_text(tasks_yaml(n))
    return root, config


def run_size(
    n: int, latency_ms: float, work: Path, workers: list[int], baselines: bool = True
) -> list[dict]:
    root, config = prepare_site(n, work)
    tmp = Path(tempfile.mkdtemp(prefix="serve-", dir=work))
    url, server, stop = serve(root, latency_ms, tmp)
    rows = []
    try:
        out = tmp / "audit"
        audit = [PYTHON, "-m", "toptasks", "audit", url, "--tasks", str(config), "--no-history"]
        wall, peak = measure([*audit, "--out", str(out), "--no-render", "--no-throttle"])
        summary = json.loads((out / "summary.json").read_text())
        rows.append(row(n, server, "a toptasks audit", summary["pages"]["fetched"], wall, peak))
        shared = shared_rows(n, server, audit, out, workers)
        if not baselines:
            return rows + shared
        for kind in ("naive", "seen-set"):
            stats = tmp / f"{kind}.json"
            wall, peak = measure([PYTHON, str(HERE / "naive_spider.py"), url, kind, str(stats)])
            pages = json.loads(stats.read_text())["pages"]
            label = "b naive Scrapy" if kind == "naive" else "c Scrapy + seen-set"
            rows.append(row(n, server, label, pages, wall, peak))
        log = tmp / "wget.log"
        wget = ["wget", "--spider", "-r", "-l", "inf", "-nv", "-o", str(log), url]
        wall, peak = measure(wget, ok=(0, 8), cwd=tmp)  # 8: some answer was an HTTP error
        lines = log.read_text().splitlines()
        pages = sum(" URL:" in line and "/robots.txt " not in line for line in lines)
        rows.append(row(n, server, "d wget --spider -r", pages, wall, peak))
    finally:
        stop()
    a, b, c = (r["pages_per_s"] for r in rows[:3])
    rows[0]["note"] = f"a/b {a / b:.2f}x, a/c {a / c:.2f}x, a/d {a / rows[3]['pages_per_s']:.2f}x"
    return rows + shared


def shared_rows(n: int, server: str, audit: list[str], alone: Path, workers: list[int]) -> list:
    """(a) again with N crawl workers on a private Redis: the rate against one worker, and
    whether tasks.csv is the one-process run's, byte for byte."""
    rows = []
    for count in workers:
        out = alone.with_name(f"audit-w{count}")
        command = [*audit, "--out", str(out), "--no-render", "--no-throttle"]
        wall, peak = measure([*command, "--workers", str(count)])
        summary = json.loads((out / "summary.json").read_text())
        pages = summary["pages"]["fetched"]
        same = (out / "tasks.csv").read_bytes() == (alone / "tasks.csv").read_bytes()
        result = row(n, server, f"a toptasks audit --workers {count}", pages, wall, peak)
        result["note"] = f"tasks.csv {'identical to' if same else 'DIFFERS from'} (a)"
        if rows:
            result["note"] += (
                f"; {result['pages_per_s'] / rows[0]['pages_per_s']:.2f}x --workers {workers[0]}"
            )
        rows.append(result)
    return rows


def row(n: int, server: str, tool: str, pages: int, wall: float, peak: float) -> dict:
    return {
        "site_pages": n,
        "server": server,
        "tool": tool,
        "pages": pages,
        "wall_s": round(wall, 2),
        "pages_per_s": round(pages / wall, 1),
        "peak_mb": round(peak),
        "note": "",
    }


def audit_phase(n: int, work: Path) -> dict:
    command = [PYTHON, "-m", "bench.audit_phase", str(n), str(work)]
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    result = json.loads(subprocess.run(command, capture_output=True, text=True, env=env).stdout)
    wall = result["findability_s"] + result["report_s"]
    clicks = " ".join(f"{t}={c}" for t, c in result["clicks"].items())
    phases = (
        f"findability {result['findability_s']} s (load, graph, paths), report "
        f"{result['report_s']} s (audits {result['of_which_audits_s']}, CSV "
        f"{result['of_which_csv_s']})"
    )
    return {
        **row(n, "model on disk", "findability + report phases", n, wall, result["peak_mb"]),
        "note": f"{result['links']} links; {phases}; clicks {clicks}",
    }


def render_rate(work: Path) -> dict:
    """Rendering on both viewports of the start page and every task path of a 1,000-page site."""
    n = 1000
    root, config = prepare_site(n, work)
    tmp = Path(tempfile.mkdtemp(prefix="render-", dir=work))
    url, server, stop = serve(root, 0, tmp)
    try:
        out = tmp / "audit"
        command = [PYTHON, "-m", "toptasks", "audit", url, "--tasks", str(config)]
        _, peak = measure([*command, "--out", str(out), "--no-throttle"])
    finally:
        stop()
    summary = json.loads((out / "summary.json").read_text())
    renders = 2 * summary["pages"]["rendered"]
    seconds = summary["timings_s"]["render"]
    result = row(n, server, "rendering (desktop + mobile)", renders, seconds, peak)
    return {**result, "note": f"{renders} page renders in the render phase"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", default="1000,10000", help="site sizes, comma-separated")
    parser.add_argument("--latency-ms", type=float, default=0, help="added per answer")
    parser.add_argument("--model-pages", type=int, default=100_000, help="audit-phase size")
    parser.add_argument("--workers", default="1,2", help="crawl workers for the shared lines")
    parser.add_argument(
        "--no-baselines", action="store_true", help="only toptasks (skip Scrapy and wget)"
    )
    parser.add_argument("--no-phases", action="store_true", help="skip audit phase and render")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "tt-bench")
    parser.add_argument("--csv", type=Path, default=HERE / "results" / "scale.csv")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in (int(p) for p in args.pages.split(",")):
        workers = [int(w) for w in args.workers.split(",") if w]
        rows += run_size(n, args.latency_ms, args.work, workers, not args.no_baselines)
    if not args.no_phases:
        rows.append(audit_phase(args.model_pages, args.work))
        rows.append(render_rate(args.work))
    args.csv.parent.mkdir(parents=True, exist_ok=True)
    with args.csv.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    widths = {k: max(len(k), *(len(str(r[k])) for r in rows)) for k in rows[0]}
    print("  ".join(k.ljust(w) for k, w in widths.items()))
    for r in rows:
        print("  ".join(str(r[k]).ljust(w) for k, w in widths.items()))
    print(f"\nwritten to {args.csv}")


if __name__ == "__main__":
    main()
