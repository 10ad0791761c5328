"""Scrapy extension that leaves the crawl's own account in the model: why it finished, what it
retried, and which URL patterns were cut short as link traps."""

from __future__ import annotations

import json
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler

STATS_FILE = "stats.json"
COUNTS = ("requests", "retries", "http_429")


class CrawlStats:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.path = Path(crawler.settings["TOPTASKS_MODEL_DIR"]) / STATS_FILE

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlStats:
        ext = cls(crawler)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        counts = {
            "requests": stats.get("downloader/request_count", 0),
            "retries": stats.get("retry/count", 0),
            "http_429": stats.get("downloader/response_status_count/429", 0),
        }
        trapped = dict(getattr(spider, "trapped", {}))
        write_account(self.path, reason, counts, trapped, getattr(spider, "max_per_pattern", None))


def write_account(
    path: Path,
    reason: str,
    counts: dict[str, int],
    trapped: dict[str, int],
    per_pattern: int | None,
) -> None:
    """Add one crawl's account to the model's (a seeded second crawl adds to the first)."""
    earlier = json.loads(path.read_text()) if path.exists() else {}
    account = {
        # A seeded second crawl must not hide that the first one was cut short.
        "finish_reason": earlier.get("finish_reason", reason) if reason == "finished" else reason,
        **{name: counts.get(name, 0) + earlier.get(name, 0) for name in COUNTS},
        "trapped": {**earlier.get("trapped", {}), **trapped},
        "max_per_pattern": per_pattern,
    }
    path.write_text(json.dumps(account, indent=2), encoding="utf-8")


def read_stats(model_dir: Path) -> dict:
    path = model_dir / STATS_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def reopen_stats(model_dir: Path) -> None:
    """A resumed crawl finishes for itself: forget why the interrupted one stopped."""
    stats = read_stats(model_dir)
    if stats:
        stats.pop("finish_reason", None)
        (model_dir / STATS_FILE).write_text(json.dumps(stats, indent=2), encoding="utf-8")
