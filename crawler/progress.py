"""Scrapy extension that shows pages done, queued and failed while the crawl runs."""

from __future__ import annotations

from rich.console import Console
from rich.live import Live
from rich.text import Text
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class CrawlProgress:
    """A one-line live display on a terminal; silent when stderr is not a TTY."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.console = Console(stderr=True)
        if not self.console.is_terminal:
            raise NotConfigured
        self.live = Live(Text(""), console=self.console, transient=True)
        self.loop = task.LoopingCall(self.update)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self) -> None:
        self.live.start()
        self.loop.start(0.5)

    def update(self) -> None:
        stats = self.crawler.stats
        done = stats.get_value("item_scraped_count", 0)
        engine = self.crawler.engine
        queued = len(engine._slot.scheduler) if engine and engine._slot else 0
        errors = getattr(self.crawler.spider, "errors", 0)
        self.live.update(Text(f"crawling: {done} pages done, {queued} queued, {errors} errors"))

    def closed(self) -> None:
        if self.loop.running:
            self.loop.stop()
        self.update()
        self.live.stop()
