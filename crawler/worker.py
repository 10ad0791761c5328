"""A crawl worker: the same Scrapy spider, its requests taken from the shared Redis frontier
(scrapy-redis's scheduler with a queue of our own) and its pages handed back through Redis.

`python -m crawler.run --worker RUN LOG_DIR` runs one; `toptasks audit --workers N`
starts N on this machine and `toptasks worker --redis URL` adds one from anywhere.
"""

from __future__ import annotations

import os
import socket
import sys
from collections import deque
from typing import Any

import scrapy
from scrapy import Spider, signals
from scrapy.core.engine import ExecutionEngine
from scrapy.crawler import Crawler
from scrapy.dupefilters import BaseDupeFilter
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.queue import Base as RedisQueue
from scrapy_redis.scheduler import Scheduler as RedisScheduler
from twisted.internet import task
from twisted.python.failure import Failure

from contract.records import PageRecord
from crawler.frontier import FLUSH_EVERY_S, HEARTBEAT_S, Frontier, FrontierError, connect, entry
from crawler.pipelines import link_rows
from crawler.spider import ENTRY

FRONTIER_LOST = 3  # a worker's exit status when Redis is gone for good
CLAIM_BATCH = 8  # URLs taken from the shared queue at once


def worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def frontier_for(crawler: Crawler) -> Frontier:
    """One client and one Frontier per worker process, shared by its Scrapy components."""
    found = getattr(crawler, "toptasks_frontier", None)
    if found is None:
        settings = crawler.settings
        client = connect(settings["REDIS_URL"])
        found = Frontier(client, settings["TOPTASKS_RUN"], settings["TOPTASKS_WORKER"])
        crawler.toptasks_frontier = found
    return found


def lost(error: FrontierError) -> None:
    """Nothing a worker holds is lost with it (its claims go back to the queue): stop at once."""
    print(f"toptasks worker: {error}", file=sys.stderr, flush=True)
    os._exit(FRONTIER_LOST)


class NoDupeFilter(BaseDupeFilter):
    """The spider and the frontier's seen-set de-duplicate; scrapy-redis builds its filter
    from settings."""

    @classmethod
    def from_settings(cls, settings: Any) -> NoDupeFilter:
        return cls()


class FrontierQueue(RedisQueue):
    """scrapy-redis's queue interface over compact entries (URL, depth, search): a worker
    rebuilds the spider's request from one, so nothing pickled crosses machines."""

    def push(self, request: scrapy.Request) -> None:
        search, via = request.meta.get("search"), request.meta.get("found_via", "link")
        depth = request.meta.get("depth", 0)
        self.spider.frontier.push([entry(request.url, depth, search, via)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.claimed: deque[str] = deque()  # claimed a few at a time, one round trip

    def __len__(self) -> int:
        return len(self.claimed) + self.server.llen(self.key)

    def pop(self, timeout: int = 0) -> scrapy.Request | None:
        if not self.claimed:
            try:
                self.claimed.extend(self.spider.frontier.claim(CLAIM_BATCH))
            except FrontierError as error:
                lost(error)
        return self.spider.request_for(self.claimed.popleft()) if self.claimed else None

    def clear(self) -> None:  # the coordinator owns the audit's keys
        pass


class SharedScheduler(RedisScheduler):
    """New requests go to the shared queue; a retry or a redirect of a request this worker
    holds stays here, so one entry's whole story is told by one worker."""

    def open(self, spider: Spider) -> None:
        spider.frontier = frontier_for(spider.crawler)
        super().open(spider)
        self.local: deque[scrapy.Request] = deque()

    def enqueue_request(self, request: scrapy.Request) -> bool:
        if ENTRY in request.meta:
            self.local.append(request)
            return True
        return super().enqueue_request(request)

    def next_request(self) -> scrapy.Request | None:
        return self.local.popleft() if self.local else super().next_request()

    def has_pending_requests(self) -> bool:
        return bool(self.local) or super().has_pending_requests()

    def __len__(self) -> int:
        return len(self.local) + super().__len__()


class ItemForwarder:
    """Item pipeline of a worker: each page (with its links) goes to the coordinator through
    Redis, ending the claim on its entry in the same step."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ItemForwarder:
        return cls(crawler)

    def process_item(self, item: dict[str, Any], spider: Spider | None = None) -> dict[str, Any]:
        try:
            frontier_for(self.crawler).complete(item.get("entry", ""), wire_item(item))
        except FrontierError as error:
            lost(error)
        return item


def wire_item(item: dict[str, Any]) -> str:
    """An item as the coordinator appends it: "S" and a search record's JSON, or "P", the
    page's line of pages.jsonl and its rows of links.csv. Serialised here, in the worker, so
    that the coordinator only appends text: decoding and writing every page again took 17%
    of a core at 550 pages/s, a core the workers share with it."""
    if "search" in item:
        return "S" + item["search"].to_json()
    return "P" + item["page"].to_json() + "\n" + link_rows(item["page"].final_url, item["links"])


class WorkerLink:
    """Extension: a heartbeat, the audit's state (a worker stops when the audit is done), and
    the answer for a page whose parsing failed, so that its claim ends too."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.loop = task.LoopingCall(self.beat)
        self.flusher = task.LoopingCall(self.flush)
        self.state = "crawling"

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerLink:
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_error, signal=signals.spider_error)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self) -> None:
        self.loop.start(HEARTBEAT_S)
        self.flusher.start(FLUSH_EVERY_S, now=False)

    def flush(self) -> None:
        try:
            frontier_for(self.crawler).flush()
        except FrontierError as error:
            lost(error)

    def beat(self) -> None:
        try:
            self.state = frontier_for(self.crawler).beat()
        except FrontierError as error:
            lost(error)
        engine = self.crawler.engine
        if self.state != "crawling" and engine is not None:
            self.loop.stop()
            deferred_from_coro(engine.close_spider_async(reason=f"audit_{self.state}"))

    def idle(self) -> None:
        self.flush()
        if self.state == "crawling":
            raise DontCloseSpider

    def spider_error(self, failure: Failure, response: scrapy.http.Response) -> None:
        claimed = response.meta.get(ENTRY)
        if not claimed:
            return
        page = PageRecord(
            url=response.meta.get("redirect_urls", [response.request.url])[0],
            final_url=response.url,
            status=response.status,
            depth=response.meta.get("depth", 0),
            error=f"could not be read: {type(failure.value).__name__}: {failure.value}"[:300],
            found_via=response.meta.get("found_via", "link"),
        )
        item = {"page": page, "links": [], "entry": claimed}
        ItemForwarder(self.crawler).process_item(item)

    def closed(self, reason: str) -> None:
        for loop in (self.loop, self.flusher):
            if loop.running:
                loop.stop()
        stats = self.crawler.stats.get_stats()
        counts = {
            "requests": stats.get("downloader/request_count", 0),
            "retries": stats.get("retry/count", 0),
            "http_429": stats.get("downloader/response_status_count/429", 0),
        }
        try:
            frontier_for(self.crawler).flush()
            frontier_for(self.crawler).leave(counts)
        except (FrontierError, OSError, Exception) as error:  # Redis gone: nothing to give back
            print(f"toptasks worker: could not sign off: {error}", file=sys.stderr)


def worker_settings(redis_url: str, run: str, worker: str) -> dict[str, Any]:
    """The scale-out profile on top of `scrapy_settings`."""
    return {
        "SCHEDULER": "crawler.worker.SharedScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.worker.FrontierQueue",
        "SCHEDULER_QUEUE_KEY": f"toptasks:{run}:queue",
        # The coordinator owns the audit's keys: a worker that finishes first must not wipe the
        # shared frontier (scrapy-redis clears it on close unless persisting).
        "SCHEDULER_PERSIST": True,
        "CLOSESPIDER_TIMEOUT": 0,  # the coordinator keeps the audit's time
        "DUPEFILTER_CLASS": "crawler.worker.NoDupeFilter",
        "REDIS_URL": redis_url,
        "TOPTASKS_RUN": run,
        "TOPTASKS_WORKER": worker,
        "ITEM_PIPELINES": {"crawler.worker.ItemForwarder": 100},
        # Progress and the crawl's account are the coordinator's; a local worker still stops
        # when the audit that started it is killed.
        "EXTENSIONS": {"crawler.lifeline.Lifeline": 520, "crawler.worker.WorkerLink": 500},
    }


def quicker_heartbeat() -> None:
    """Scrapy asks an idle scheduler for work every 5 s; a worker whose queue was empty for a
    moment (the start of a crawl, the tail of a level) would wait that long for new links."""
    ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = 0.2
