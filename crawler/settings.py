"""User options mapped to Scrapy settings, in one place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from contract.config import Site

# A single page this large is a mistake or an attack, not content a customer reads.
MAX_PAGE_BYTES = 20 * 1024 * 1024


def scrapy_settings(site: Site, model_dir: Path) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "BOT_NAME": "toptasks",
        "USER_AGENT": site.user_agent,
        "ROBOTSTXT_OBEY": site.obey_robots,
        # Breadth-first: the first pages reached are the fewest clicks from the start.
        "DEPTH_LIMIT": site.max_depth,
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        # The spider yields each URL once itself, so request fingerprinting would be wasted work.
        "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_ITEMS": 1,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "AUTOTHROTTLE_ENABLED": site.throttle,
        "AUTOTHROTTLE_START_DELAY": 0.5,
        "AUTOTHROTTLE_MAX_DELAY": 10.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 2.0,
        "DOWNLOAD_TIMEOUT": site.download_timeout_s,
        "CLOSESPIDER_TIMEOUT": site.max_duration_s or 0,
        "DOWNLOAD_MAXSIZE": MAX_PAGE_BYTES,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 2,
        # 404 and 500 pages are findings, not noise: the spider sees every status.
        "HTTPERROR_ALLOW_ALL": True,
        "REDIRECT_MAX_TIMES": 10,
        "COOKIES_ENABLED": True,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_FILE": str(model_dir / "crawl.log"),
        "LOG_LEVEL": "INFO",
        "ITEM_PIPELINES": {"crawler.pipelines.SiteModelWriter": 100},
        # Answers pass these on their way back before Retry (550) and Redirect (600) act.
        "DOWNLOADER_MIDDLEWARES": {
            # Scrapy's, but every request waiting for robots.txt obeys it (crawler.robots).
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawler.robots.RobotsTxt": 100,
            "crawler.backoff.RetryAfter": 560,
            "crawler.redirects.OffsiteRedirect": 610,
        },
        "EXTENSIONS": {
            "crawler.progress.CrawlProgress": 500,
            "crawler.stats.CrawlStats": 510,
            "crawler.lifeline.Lifeline": 520,
            "crawler.sitemaps.SitemapReading": 530,  # on with reading_settings
        },
        "TOPTASKS_MODEL_DIR": str(model_dir),
    }
    return settings


# Pages loaded at once in the one browser of a browser crawl; measured with bench/spa_crawl.py.
BROWSER_PAGES_AT_ONCE = 8


def browser_settings(
    launch: dict[str, Any],
    page_timeout_s: float,
    session: dict[str, Any] | None,
    credentials: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The browser profile: scrapy-playwright downloads each page in Chromium at desktop size
    (fonts and images load: layout is measured), and the rest of Scrapy stays as it is."""
    handler = "crawler.browser_handler.SharedPlaywrightHandler"
    context: dict[str, Any] = {"viewport": {"width": 1366, "height": 768}}
    if session:
        context["storage_state"] = session
    if credentials:
        context["http_credentials"] = credentials
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch,
        "PLAYWRIGHT_CONTEXTS": {"default": context},
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": page_timeout_s * 1000,
        "CONCURRENT_REQUESTS": BROWSER_PAGES_AT_ONCE,
        "CONCURRENT_REQUESTS_PER_DOMAIN": BROWSER_PAGES_AT_ONCE,
        "DOWNLOAD_TIMEOUT": page_timeout_s + 15,
    }
