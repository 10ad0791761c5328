"""The benchmark's generated bank site (bench/sitegen.py), served slowly enough that a test can
act while the crawl runs: interrupt it, kill a worker, stop Redis."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.sitegen import site_pages, tasks_yaml
from tests.sites.server import FixtureSite, Reply


def _slow(reply: Reply, delay_s: float):
    def answer(handler) -> None:
        time.sleep(delay_s)
        handler.reply(reply)

    return answer


@contextmanager
def slow_site(pages: int, delay_s: float) -> Iterator[FixtureSite]:
    """`pages` generated pages, each answered after `delay_s` (robots.txt at once)."""
    html = site_pages(pages)
    routes = {path: _slow(Reply(body), delay_s) for path, body in html.items()}
    routes["/robots.txt"] = Reply(html["/robots.txt"], content_type="text/plain")
    with FixtureSite(routes) as site:
        yield site


def write_tasks(folder: Path, pages: int) -> Path:
    """The task config whose targets the generated site of `pages` pages has."""
    path = folder / "tasks.yaml"
    path.write_text(tasks_yaml(pages))
    return path
