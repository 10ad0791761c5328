"""Runs one crawl in its own process: `python -m crawler.run MODEL_DIR [PAGE_TIMEOUT_S]`;
with a page timeout, the crawl runs in the browser.

A separate process keeps Twisted's reactor (which cannot restart) out of the CLI, so the CLI
can crawl, then render with Playwright's asyncio, in one command and in one test session.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from crawler.browser import http_credentials, launch_options_now
from crawler.model import PAGES_FILE, SEEDS_FILE, read_jsonl
from crawler.pipelines import WRITE_ERROR
from crawler.session import session_from_env
from crawler.settings import browser_settings, scrapy_settings
from crawler.spider import SiteSpider
from toptasks.config import Config

JOB_FILE = "config.json"
WRITE_FAILED = 4  # exit status: the site model could not be written


def crawl(model_dir: Path, page_timeout_s: float | None = None) -> None:
    """Crawl from the start URL, or, when seeds.json exists, extend the model from those seeds.

    With `page_timeout_s`, each page is loaded in Chromium (scrapy-playwright) rather than
    fetched over HTTP."""
    config = Config.model_validate_json((model_dir / JOB_FILE).read_text(encoding="utf-8"))
    seeds_path = model_dir / SEEDS_FILE
    seeds = json.loads(seeds_path.read_text(encoding="utf-8")) if seeds_path.exists() else []
    known = {page["url"] for page in read_jsonl(model_dir / PAGES_FILE)}
    session = session_from_env()
    settings = scrapy_settings(config.site, model_dir)
    browser = page_timeout_s is not None
    if browser:
        credentials = http_credentials(config.site)
        settings |= browser_settings(launch_options_now(), page_timeout_s, session, credentials)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SiteSpider)
    process.crawl(
        crawler, config=config, seeds=seeds, known=known, session=session, browser=browser
    )
    process.start()
    if crawler.stats.get_value(WRITE_ERROR):
        sys.exit(WRITE_FAILED)


if __name__ == "__main__":
    crawl(Path(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else None)
