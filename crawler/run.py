"""Runs one crawl in its own process: `python -m crawler.run MODEL_DIR`.

A separate process keeps Twisted's reactor (which cannot restart) out of the CLI, so the CLI
can crawl, then render with Playwright's asyncio, in one command and in one test session.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from crawler.settings import scrapy_settings
from crawler.spider import SiteSpider
from toptasks.config import Config

JOB_FILE = "config.json"


def crawl(model_dir: Path) -> None:
    config = Config.model_validate_json((model_dir / JOB_FILE).read_text(encoding="utf-8"))
    process = CrawlerProcess(scrapy_settings(config.site, model_dir))
    process.crawl(SiteSpider, config=config)
    process.start()


if __name__ == "__main__":
    crawl(Path(sys.argv[1]))
