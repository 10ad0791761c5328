"""Ends the crawl when the `toptasks` process that started it is gone (killed with -9).

The crawl runs in its own session so that a terminal's Ctrl-C reaches it once, through the
CLI; the price is that it would outlive a killed CLI. A check each second closes it instead.
"""

from __future__ import annotations

import os

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

CHECK_EVERY_S = 1.0


class Lifeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.parent = os.getppid()
        self.loop = task.LoopingCall(self.check)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Lifeline:
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self) -> None:
        self.loop.start(CHECK_EVERY_S, now=False)

    def closed(self) -> None:
        if self.loop.running:
            self.loop.stop()

    def check(self) -> None:
        if os.getppid() != self.parent and self.crawler.engine is not None:
            self.loop.stop()
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="parent_gone"))
