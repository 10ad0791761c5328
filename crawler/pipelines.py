"""Scrapy item pipeline that appends each crawled page and its links to the site model."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from contract.records import (
    LINK_FIELDS,
    LINKS_FILE,
    PAGES_FILE,
    SEARCH_FILE,
    Link,
    PageRecord,
    SearchRecord,
)
from crawler.scripted_pages import CLICK_LINKS_FILE, click_link_json

WRITE_ERROR = "toptasks/write_error"


def link_rows(source: str, links: Iterable[Link]) -> str:
    """A page's rows of links.csv, formatted here only: a crawl worker sends them as they are."""
    rows = io.StringIO(newline="")
    csv.writer(rows).writerows(
        (source, k.target_url, k.text, k.region, k.position, k.kind, "false") for k in links
    )
    return rows.getvalue()


class ModelFiles:
    """The site model's files, appended a page at a time (by the Scrapy pipeline below, or by
    the coordinator of a shared crawl for the pages its workers send)."""

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = model_dir
        model_dir.mkdir(parents=True, exist_ok=True)
        links_path = model_dir / LINKS_FILE
        new_links = not links_path.exists() or links_path.stat().st_size == 0
        self._pages = (model_dir / PAGES_FILE).open("a", encoding="utf-8")
        self._links_file = links_path.open("a", encoding="utf-8", newline="")
        if new_links:
            csv.writer(self._links_file).writerow(LINK_FIELDS)

    def write_search(self, search: SearchRecord) -> None:
        with (self.model_dir / SEARCH_FILE).open("a", encoding="utf-8") as searches:
            searches.write(search.to_json() + "\n")

    def write_page(
        self, page: PageRecord, links: Iterable[Link], click_links: Sequence[Any] = ()
    ) -> None:
        """A page the crawl fetched, with its links in page order."""
        self._append(page.to_json(), link_rows(page.final_url, links), page.final_url, click_links)

    def write_wire(self, item: str) -> bool:
        """An item as a worker sent it (crawler.worker.wire_item); True for a page."""
        if item.startswith("S"):
            self.write_search(SearchRecord(**json.loads(item[1:])))
            return False
        page_line, _, rows = item[1:].partition("\n")
        self._append(page_line, rows)
        return True

    def _append(
        self, page_line: str, rows: str, source: str = "", click_links: Sequence[Any] = ()
    ) -> None:
        """Links first, then the page line, each flushed: a page line on disk means its links
        are too, which is what lets `--resume` trust the model after even a `kill -9`."""
        self._links_file.write(rows)
        self._links_file.flush()
        if click_links:
            with (self.model_dir / CLICK_LINKS_FILE).open("a", encoding="utf-8") as clicks:
                clicks.writelines(click_link_json(source, c) + "\n" for c in click_links)
        self._pages.write(page_line + "\n")
        self._pages.flush()

    def close(self) -> None:
        for handle in (self._pages, self._links_file):
            # The last flush of a full disk fails too; the error is already on record.
            with contextlib.suppress(OSError):
                handle.close()


class SiteModelWriter:
    """Writes pages.jsonl and links.csv line by line; the spider keeps nothing in memory."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.model_dir = Path(crawler.settings["TOPTASKS_MODEL_DIR"])

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteModelWriter:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        self.files = ModelFiles(self.model_dir)

    def process_item(self, item: dict[str, Any], spider: Spider | None = None) -> dict[str, Any]:
        try:
            self._write(item)
        except OSError as exc:  # disk full, folder gone: crawling on would measure for nothing
            if not self.crawler.stats.get_value(WRITE_ERROR):
                self.crawler.stats.set_value(WRITE_ERROR, exc.strerror or str(exc))
                deferred_from_coro(self.crawler.engine.close_spider_async(reason=WRITE_ERROR))
        return item

    def _write(self, item: dict[str, Any]) -> None:
        if "search" in item:
            self.files.write_search(item["search"])
            return
        self.files.write_page(item["page"], item["links"], item["click_links"])

    def close_spider(self, spider: Spider | None = None) -> None:
        self.files.close()
