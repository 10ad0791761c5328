"""Reading a site's sitemaps alongside its crawl, with Scrapy's own sitemap support.

The robots.txt `Sitemap:` lines name them (or `/sitemap.xml` is tried when it names none);
indexes, gzipped files and indexes of indexes are read one file at a time, in document order,
so that the same addresses are kept whichever process reads them and however often. With
`--urls FILE` the list's addresses are taken as they are and the sitemaps it names are read.

Everything goes to sitemaps.jsonl (contract.records.SitemapRecord), a line at a time and a
`done` line last: a crawl in one process, a crawl by workers and a resumed crawl all take the
addresses from there (`later_addresses`), and a reading cut short is done again.
"""

from __future__ import annotations

import json
import os
import struct
import sys
from collections import Counter, deque
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml import etree
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Response
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from contract.config import Config
from contract.records import SITEMAPS_FILE, URL_LIST_FILE, SitemapRecord, Sitemaps
from crawler.links import classify_url, normalize_url

# The sitemaps.org protocol's limit for one file, uncompressed: a larger one is not a sitemap.
SITEMAP_MAX_BYTES = 50 * 1024 * 1024
MAX_SITEMAP_FILES = 200  # files read at most, indexes included: an index of a million is hostile
MAX_NESTING = 3  # indexes within indexes (the protocol allows none; real sites use one or two)
WARNINGS_SHOWN = 10  # one line each; the rest are counted in one more line


def read_sitemaps(model_dir: Path) -> Sitemaps:
    """sitemaps.jsonl as read back (empty when no sitemap was read)."""
    found = Sitemaps()
    path = model_dir / SITEMAPS_FILE
    if not path.exists():
        return found
    via = "sitemap" if url_list(model_dir) is None else "list"  # a --urls list's sitemaps
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.endswith("\n"):
                break  # cut short by a kill: the reading is done again
            record = SitemapRecord(**json.loads(line))
            if record.kind == "entry":
                found.addresses.append((record.url, via))
                found.in_sitemap.add(record.url)
                found.listing[record.url] = record.sitemap
            elif record.kind == "listed":
                found.addresses.append((record.url, "list"))
            elif record.kind == "sitemap":
                found.files.append(record)
            elif record.kind == "done":
                found.skipped, found.done = record.skipped, True
    return found


def url_list(model_dir: Path) -> dict[str, list[str]] | None:
    """The `--urls` list of this run ({"urls": [...], "sitemaps": [...]}), None in a crawl."""
    path = model_dir / URL_LIST_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def reading_wanted(model_dir: Path, config: Config) -> bool:
    """Sitemaps are read once per run (again only if a reading was cut short)."""
    wanted = config.site.max_sitemap_urls > 0 or url_list(model_dir) is not None
    return wanted and not read_sitemaps(model_dir).done


def later_addresses(model_dir: Path, known: set[str]) -> list[tuple[str, str]]:
    """(url, found_via) of the addresses sitemaps or the list name that are not fetched yet,
    in the order read: what a crawl requests once its links run out."""
    if not (model_dir / SITEMAPS_FILE).exists():
        return []
    return [(url, via) for url, via in read_sitemaps(model_dir).addresses if url not in known]


def warn(message: str) -> None:
    print(f"toptasks: warning: {message}", file=sys.stderr, flush=True)


def sitemap_body(response: Response) -> tuple[bytes, str]:
    """The sitemap's bytes, unzipped when gzipped (to SITEMAP_MAX_BYTES at most, the way
    Scrapy's SitemapSpider reads them), or a problem."""
    if not gzip_magic_number(response):
        return response.body, ""
    try:
        return gunzip(response.body, max_size=SITEMAP_MAX_BYTES), ""
    except ValueError:  # scrapy's _DecompressionMaxSizeExceeded
        return b"", f"larger than {SITEMAP_MAX_BYTES // 2**20} MB once unzipped"
    except (OSError, EOFError, struct.error):
        return b"", "a broken gzip file"


def text_sitemap(body: bytes) -> list[str] | None:
    """A sitemap in plain text (sitemaps.org allows one URL a line), or None when it is not."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head or head.startswith(b"<"):
        return None
    lines = [line.strip() for line in body.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    if not all(line.startswith(("http://", "https://")) for line in lines[:20]):
        return None
    return lines


@dataclass
class Pending:
    url: str
    named_by: str  # robots.txt, the index listing it, or --urls
    nesting: int  # indexes above it
    guessed: bool = False  # /sitemap.xml tried because robots.txt names no sitemap


def reading_settings(config: Config, listed: dict[str, list[str]] | None) -> dict[str, Any]:
    """The settings that switch the reading on (crawler.settings for the rest)."""
    site = config.site
    job = {
        "start_url": site.start_url,
        "allowed_domains": site.allowed_domains,
        "max_urls": site.max_sitemap_urls,
        "listed": listed,
        "obey_robots": site.obey_robots,
    }
    return {"TOPTASKS_SITEMAPS": job}


class SitemapReading:
    """Scrapy extension: reads the sitemaps alongside the crawl, one file at a time.

    robots.txt is read once: the `Sitemap:` lines come from the answer Scrapy's robots.txt
    middleware receives for the crawl's first request (or, when robots.txt is not obeyed or
    nothing was requested, from a request of the extension's own). Each address read is
    written to sitemaps.jsonl and, when the spider takes them (`later`), handed to it for
    when its links run out. Off unless the TOPTASKS_SITEMAPS setting holds the job.
    """

    def __init__(self, crawler: Crawler, job: dict[str, Any]) -> None:
        self.crawler = crawler
        self.start_url = normalize_url(job["start_url"])
        self.robots_url = urljoin(self.start_url, "/robots.txt")
        self.allowed: list[str] = job["allowed_domains"]
        self.max_urls: int = job["max_urls"]
        self.listed: dict[str, list[str]] | None = job["listed"]
        self.waits_for_robots = job["obey_robots"] and self.listed is None
        self.path = Path(crawler.settings["TOPTASKS_MODEL_DIR"]) / SITEMAPS_FILE
        self.pending: deque[Pending] = deque()
        self.asked: set[str] = set()  # sitemap files requested or queued
        self.files = 0
        self.addresses: set[str] = set()
        self.skipped: Counter[str] = Counter()
        self.warned = 0
        self.started = self.finished = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SitemapReading:
        job = crawler.settings.getdict("TOPTASKS_SITEMAPS")
        if not job:
            raise NotConfigured
        ext = cls(crawler, job)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.received, signal=signals.response_received)
        crawler.signals.connect(ext.idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: scrapy.Spider) -> None:
        self.spider = spider
        self.file = self.path.open("w", encoding="utf-8")
        if self.listed is not None:
            self.started = True
            for url in self.listed["urls"]:
                if url not in self.addresses:
                    self.addresses.add(url)
                    self._write(SitemapRecord("listed", url), via="list")
            self._queue(self.listed["sitemaps"], "--urls", 0)
            self._next()

    def received(self, response: Response, request: scrapy.Request, spider: scrapy.Spider) -> None:
        """The robots.txt middleware's answer, read for its Sitemap: lines."""
        asked = request.meta.get("redirect_urls", [request.url])[0]
        if self.waits_for_robots and not self.started and asked == self.robots_url:
            self.started = True
            self.from_robots(response)

    def idle(self, spider: scrapy.Spider) -> None:
        """Nothing asked for robots.txt (or it did not answer): ask for it here."""
        if self.started:
            return
        self.started = True
        meta = {"dont_obey_robotstxt": True}
        request = scrapy.Request(
            self.robots_url, self.from_robots, meta=meta, errback=self._no_robots, dont_filter=True
        )
        self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def from_robots(self, response: Response) -> None:
        named = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        if response.status < 400 and named:
            self._queue(named, response.url, 0)
        else:
            self.pending.append(Pending(urljoin(self.start_url, "/sitemap.xml"), "", 0, True))
        self._next()

    def _no_robots(self, failure: Failure) -> None:
        """No answer at all: the crawl says why; no sitemap is guessed at."""
        self._next()

    def _queue(self, urls: list[str], named_by: str, nesting: int) -> None:
        """Sitemap files to read, ahead of those already waiting (depth first, so the files
        are read in the order the indexes list them); a file named twice is read once."""
        fresh = []
        for raw in urls:
            if self.files + len(self.pending) + len(fresh) >= MAX_SITEMAP_FILES:
                self.skipped[f"sitemap files beyond the first {MAX_SITEMAP_FILES}"] += 1
                continue
            url = normalize_url(raw)
            if url in self.asked:
                self._problem(url, named_by, f"named again by {named_by} (a loop); read once")
                continue
            self.asked.add(url)
            fresh.append(Pending(url, named_by, nesting))
        self.pending.extendleft(reversed(fresh))

    def _next(self) -> None:
        """Request the next file, or, when none is left, write the `done` record."""
        while self.pending:
            sitemap = self.pending.popleft()
            host = urlsplit(sitemap.url).hostname or ""
            if classify_url(sitemap.url, self.allowed) != "internal":
                why = f"on {host}, outside allowed_domains" if host else "not a web address"
                self._problem(sitemap.url, sitemap.named_by, f"{why}; not read")
                continue
            if len(self.addresses) >= self.max_urls:
                self.skipped["sitemap files not read: max_sitemap_urls reached"] += 1
                continue
            self.files += 1
            request = scrapy.Request(
                sitemap.url,
                callback=self.parse_sitemap,
                errback=self.sitemap_failed,
                meta={"sitemap": sitemap, "download_maxsize": SITEMAP_MAX_BYTES},
                dont_filter=True,
            )
            self.crawler.engine.crawl(request)
            return
        if self.warned > WARNINGS_SHOWN:
            warn(f"{self.warned - WARNINGS_SHOWN} more sitemap problems (see summary.json)")
        self._say_bounds()
        self._write(SitemapRecord("done", skipped=dict(sorted(self.skipped.items()))))
        self.finished = True

    def parse_sitemap(self, response: Response) -> None:
        sitemap: Pending = response.meta["sitemap"]
        record = SitemapRecord("sitemap", sitemap.url, sitemap.named_by, response.status)
        if response.status >= 400:
            record.problem = f"answered HTTP {response.status}"
        else:
            self._read(response, sitemap, record)
        if record.problem and not sitemap.guessed:
            self._say(sitemap.url, record.problem)
        self._write(record)
        self._next()

    def _read(self, response: Response, sitemap: Pending, record: SitemapRecord) -> None:
        """The file's addresses (or, for an index, its sitemaps queued); `record` says how
        many and what went wrong."""
        body, record.problem = sitemap_body(response)
        if record.problem:
            return
        lines = text_sitemap(body)
        if lines is not None:
            self._entries(lines, sitemap.url, record)
            return
        try:
            parsed = Sitemap(body)
            kind = parsed.type
        except (etree.XMLSyntaxError, StopIteration):
            record.problem = "not XML"
            return
        if kind == "urlset":
            locs = (urljoin(sitemap.url, e["loc"]) if e["loc"] else "" for e in parsed)
            self._entries(locs, sitemap.url, record)
        elif kind == "sitemapindex":
            if sitemap.nesting >= MAX_NESTING:
                record.problem = f"an index {MAX_NESTING + 1} levels deep; not read"
                return
            children: list[str] = []
            try:  # a relative address (against the protocol, but met) is read from here
                children += (urljoin(sitemap.url, e["loc"]) for e in parsed if e["loc"])
            except etree.XMLSyntaxError:
                record.problem = "not XML after its first sitemaps; read up to there"
            record.urls = len(children)
            self._queue(children, sitemap.url, sitemap.nesting + 1)
        else:
            record.problem = f"not a sitemap (its root element is <{kind or '?'}>)"

    def _entries(self, locs: Iterable[str], sitemap_url: str, record: SitemapRecord) -> None:
        try:
            for loc in locs:
                record.urls += 1
                url = normalize_url(loc) if loc else ""
                reason = self._left_out(url)
                if reason:
                    self.skipped[reason] += 1
                    continue
                self.addresses.add(url)
                via = "sitemap" if self.listed is None else "list"
                self._write(SitemapRecord("entry", url, sitemap_url), via=via)
        except etree.XMLSyntaxError:
            record.problem = "not XML after its first addresses; read up to there"

    def _left_out(self, url: str) -> str:
        if not url:
            return "empty <loc>"
        if url in self.addresses:
            return "listed twice"
        if classify_url(url, self.allowed) != "internal":
            return "outside allowed_domains"
        if len(self.addresses) >= self.max_urls:
            return "beyond max_sitemap_urls"
        return ""

    def sitemap_failed(self, failure: Failure) -> None:
        sitemap: Pending = failure.request.meta["sitemap"]
        response = getattr(failure.value, "response", None)
        text = " ".join(str(failure.value).split()) or type(failure.value).__name__
        if "max size" in text:
            problem = f"larger than {SITEMAP_MAX_BYTES // 2**20} MB, the most a sitemap may be"
        elif "robots.txt" in text:
            problem = "forbidden by robots.txt"
        else:
            problem = f"could not be fetched ({type(failure.value).__name__}: {text})"[:200]
        if not sitemap.guessed:
            self._say(sitemap.url, problem)
        status = response.status if response is not None else None
        self._write(SitemapRecord("sitemap", sitemap.url, sitemap.named_by, status, 0, problem))
        self._next()

    def _problem(self, url: str, named_by: str, problem: str) -> None:
        self._say(url, problem)
        self._write(SitemapRecord("sitemap", url, named_by, None, 0, problem))

    def _say_bounds(self) -> None:
        """One line when the sitemaps hold more than is read: a billion-URL claim, or a site
        larger than site.max_sitemap_urls."""
        addresses = self.skipped["beyond max_sitemap_urls"]
        files = sum(n for reason, n in self.skipped.items() if reason.startswith("sitemap files"))
        if addresses or files:
            warn(
                f"the sitemaps list more than is read: {addresses:,} addresses beyond "
                f"site.max_sitemap_urls ({self.max_urls:,}) and {files:,} sitemap files left "
                "unread (summary.json: sitemaps.addresses_left_out); the crawl goes on"
            )

    def _say(self, url: str, problem: str) -> None:
        self.warned += 1
        if self.warned <= WARNINGS_SHOWN:
            warn(f"sitemap {url}: {problem}; the crawl goes on")

    def _write(self, record: SitemapRecord, via: str = "") -> None:
        """A flushed line of sitemaps.jsonl; an address also goes to the spider's `later`."""
        self.file.write(record.to_json() + "\n")
        self.file.flush()
        later = getattr(self.spider, "later", None)
        if via and later is not None:
            later.append((record.url, via))

    def closed(self, spider: scrapy.Spider, reason: str) -> None:
        self.file.close()


class SitemapReader(scrapy.Spider):
    """A spider that only reads the sitemaps (SitemapReading does), before a shared crawl."""

    name = "toptasks-sitemaps"
    custom_settings = {
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {
            "crawler.lifeline.Lifeline": 520,
            "crawler.sitemaps.SitemapReading": 530,
        },
    }

    def __init__(self, config: Config, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        site = config.site
        if site.auth and site.auth.basic:
            self.http_user = os.environ.get(site.auth.basic.username_env, "")
            self.http_pass = os.environ.get(site.auth.basic.password_env, "")

    async def start(self) -> AsyncIterator[Any]:
        return
        yield
