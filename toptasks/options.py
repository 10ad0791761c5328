"""What a user asked of one audit (the command line's options), and the config they resolve."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from contract.config import Config
from contract.errors import UsageError
from crawler.links import normalize_url
from toptasks.url_list import first_url


@dataclass
class AuditOptions:
    tasks_file: Path
    tasks_source: str = "file"  # or "catalogue": drafted from the generic catalogue
    url: str | None = None
    out: Path | None = None
    max_pages: int | None = None
    max_depth: int | None = None
    viewports: list[str] = field(default_factory=lambda: ["desktop", "mobile"])
    render: bool = True
    page_timeout: float = 15.0
    throttle: bool | None = None
    force: bool = False
    max_duration: float | None = None
    resume: bool = False
    crawl_with: str | None = None  # auto, http or browser; None: the config's site.crawl_with
    history: str | None = None  # a DuckDB file or postgresql:// URL; None: the default place
    record: bool = True  # --no-history: the run is not recorded
    workers: int | None = None  # crawl processes on a shared Redis frontier (--workers)
    redis: str | None = None  # that frontier's Redis URL; None: a private one (--redis)
    urls: Path | None = None  # --urls FILE: audit the pages it lists, follow no link
    lang: str | None = None  # --lang: the site's language, over site.lang and the start page's
    # Set by run_audit for the phases: the wall-clock deadline and the folder's lock.
    deadline: float | None = None
    lock_fd: int | None = None


def resolve_config(config: Config, options: AuditOptions) -> Config:
    """Command-line options override the config file; defaults that depend on the URL filled in."""
    site = config.site
    start_url = options.url or site.start_url or first_url(options.urls)
    if not start_url:
        raise UsageError("no start URL: give one on the command line or as site.start_url")
    if urlsplit(start_url).scheme not in ("http", "https") or not urlsplit(start_url).hostname:
        raise UsageError(f"not an http(s) URL: {start_url!r}")
    updates = {
        "start_url": normalize_url(start_url),
        "allowed_domains": site.allowed_domains or [urlsplit(start_url).hostname],
        "max_pages": options.max_pages or site.max_pages,
        "max_depth": site.max_depth if options.max_depth is None else options.max_depth,
        "throttle": site.throttle if options.throttle is None else options.throttle,
        "max_duration_s": options.max_duration or site.max_duration_s,
        "lang": options.lang or site.lang,
    }
    return config.model_copy(update={"site": site.model_copy(update=updates)})


def secret_values(config: Config) -> list[str]:
    """The values behind the config's secret variables, to keep out of every message.

    A variable a `fill` step needs and that is not set is a usage error, found before any
    request is sent rather than halfway through signing in.
    """
    missing = [name for name in config.fill_envs() if not os.environ.get(name)]
    if missing:
        raise UsageError(
            f"environment variable not set: {', '.join(missing)} (a fill step needs it)"
        )
    return [os.environ[name] for name in config.secret_envs() if os.environ.get(name)]
