"""Runs one crawl in its own process: `python -m crawler.run MODEL_DIR [PAGE_TIMEOUT_S]`;
with a page timeout, the crawl runs in the browser. The site's sitemaps are read alongside,
when the run has not read them yet (crawler.sitemaps). `python -m crawler.run --sitemaps MODEL_DIR`
only reads them (before a shared crawl); `python -m crawler.run --worker RUN LOG_DIR` (the URL
in $TOPTASKS_REDIS) runs one worker of a shared crawl.

A separate process keeps Twisted's reactor (which cannot restart) out of the CLI, so the CLI
can crawl, then render with Playwright's asyncio, in one command and in one test session.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from contract.config import Config
from contract.records import PAGES_FILE, SEEDS_FILE
from crawler.browser import http_credentials, launch_options_now
from crawler.frontier import REDIS_ENV, Frontier, FrontierError, connect
from crawler.model import read_jsonl
from crawler.pipelines import WRITE_ERROR
from crawler.session import session_from_env
from crawler.settings import browser_settings, scrapy_settings
from crawler.sitemaps import (
    SitemapReader,
    later_addresses,
    reading_settings,
    reading_wanted,
    url_list,
)
from crawler.spider import SiteSpider
from crawler.worker import FRONTIER_LOST, quicker_heartbeat, worker_name, worker_settings

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
    # The sitemaps are read alongside the crawl, unless the run has read them already: then
    # what they name and the model does not hold yet is requested once the links run out.
    reading = session is None and reading_wanted(model_dir, config)
    if reading:
        settings |= reading_settings(config, url_list(model_dir))
    later = later_addresses(model_dir, known) if session is None and not reading else []
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SiteSpider)
    process.crawl(
        crawler,
        config=config,
        seeds=seeds,
        known=known,
        session=session,
        browser=browser,
        later=later,
        follow=url_list(model_dir) is None,
    )
    process.start()
    if crawler.stats.get_value(WRITE_ERROR):
        sys.exit(WRITE_FAILED)


def read_site_sitemaps(model_dir: Path) -> None:
    """Only read the sitemaps into the model (a shared crawl's workers take them from there)."""
    config = Config.model_validate_json((model_dir / JOB_FILE).read_text(encoding="utf-8"))
    settings = scrapy_settings(config.site, model_dir) | reading_settings(
        config, url_list(model_dir)
    )
    process = CrawlerProcess(settings)
    process.crawl(SitemapReader, config=config)
    process.start()


def work(redis_url: str, run: str, log_dir: Path) -> None:
    """Crawl as one worker of a shared audit until the audit is done (crawler.worker)."""
    frontier = Frontier(connect(redis_url), run, worker_name())
    config = Config.model_validate_json(json.dumps(frontier.job_config()["config"]))
    log_dir.mkdir(parents=True, exist_ok=True)
    settings = scrapy_settings(config.site, log_dir)
    settings |= worker_settings(redis_url, run, frontier.worker)
    quicker_heartbeat()
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SiteSpider)
    crawler.toptasks_frontier = frontier
    follow = frontier.job_config().get("follow", True)
    process.crawl(crawler, config=config, shared=True, follow=follow)
    process.start()


if __name__ == "__main__":
    if sys.argv[1] == "--worker":
        try:
            work(os.environ[REDIS_ENV], sys.argv[2], Path(sys.argv[3]))
        except FrontierError as error:
            print(f"toptasks worker: {error}", file=sys.stderr)
            sys.exit(FRONTIER_LOST)
    elif sys.argv[1] == "--sitemaps":
        read_site_sitemaps(Path(sys.argv[2]))
    else:
        crawl(Path(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else None)
