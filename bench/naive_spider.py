"""The baselines toptasks' crawl is measured against: a bare Scrapy spider, no other work.

`naive` yields a request for every link it extracts and leaves duplicates to Scrapy's
duplicate filter (what most tutorials write); `seen-set` keeps its own set of URLs and yields
each once. Same concurrency as toptasks, robots.txt obeyed, nothing recorded.

    python bench/naive_spider.py URL naive|seen-set STATS.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess

NOT_WEB = ("mailto:", "tel:", "javascript:")


class NaiveSpider(scrapy.Spider):
    name = "naive"

    def __init__(self, url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.start_urls = [url]
        self.allowed_domains = [urlsplit(url).hostname]

    def parse(self, response):
        for href in response.css("a::attr(href)").getall():
            if not href.startswith(NOT_WEB):
                yield response.follow(href, callback=self.parse)


class SeenSetSpider(NaiveSpider):
    name = "seen-set"

    def __init__(self, url: str, **kwargs) -> None:
        super().__init__(url, **kwargs)
        self.seen = {url}

    def parse(self, response):
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if url not in self.seen and not href.startswith(NOT_WEB):
                self.seen.add(url)
                yield scrapy.Request(url, callback=self.parse)


SETTINGS = {
    "ROBOTSTXT_OBEY": True,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "AUTOTHROTTLE_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "DEPTH_PRIORITY": 1,
    "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
    "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
}


def main(url: str, kind: str, stats_path: Path) -> None:
    process = CrawlerProcess(SETTINGS)
    crawler = process.create_crawler(NaiveSpider if kind == "naive" else SeenSetSpider)
    process.crawl(crawler, url=url)
    process.start()
    stats = crawler.stats.get_stats()
    pages = stats.get("response_received_count", 0) - 1  # robots.txt is not a page
    stats_path.write_text(json.dumps({"pages": pages}), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], Path(sys.argv[3]))
