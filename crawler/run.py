"""Runs one crawl in its own process: `python -m crawler.run MODEL_DIR`.

A separate process keeps Twisted's reactor (which cannot restart) out of the CLI, so the CLI
can crawl, then render with Playwright's asyncio, in one command and in one test session.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from crawler.model import PAGES_FILE, SEEDS_FILE, read_jsonl
from crawler.pipelines import WRITE_ERROR
from crawler.session import session_from_env
from crawler.settings import scrapy_settings
from crawler.spider import SiteSpider
from toptasks.config import Config

JOB_FILE = "config.json"
WRITE_FAILED = 4  # exit status: the site model could not be written


def crawl(model_dir: Path) -> None:
    """Crawl from the start URL, or, when seeds.json exists, extend the model from those seeds."""
    config = Config.model_validate_json((model_dir / JOB_FILE).read_text(encoding="utf-8"))
    seeds_path = model_dir / SEEDS_FILE
    seeds = json.loads(seeds_path.read_text(encoding="utf-8")) if seeds_path.exists() else []
    known = {page["url"] for page in read_jsonl(model_dir / PAGES_FILE)}
    process = CrawlerProcess(scrapy_settings(config.site, model_dir))
    crawler = process.create_crawler(SiteSpider)
    session = session_from_env()
    process.crawl(crawler, config=config, seeds=seeds, known=known, session=session)
    process.start()
    if crawler.stats.get_value(WRITE_ERROR):
        sys.exit(WRITE_FAILED)


if __name__ == "__main__":
    crawl(Path(sys.argv[1]))
