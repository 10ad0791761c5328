"""The site model: what gathering leaves on disk for the audits to read.

Pages go to `pages.jsonl` (one JSON object a fetched URL) and link occurrences to `links.csv`,
both appended as the crawl goes, so a crash keeps what was crawled and memory never holds the
whole site. Audits read the model back as two pandas tables, the links through a columnar
copy (crawler/columnar.py) so that memory grows with pages and distinct labels, not link rows.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from crawler.columnar import quoted, read_links

PAGES_FILE = "pages.jsonl"
LINKS_FILE = "links.csv"
RENDERED_FILE = "rendered.jsonl"
SEEDS_FILE = "seeds.json"
SEARCH_FILE = "search.jsonl"
LINK_FIELDS = ["source_url", "target_url", "text", "region", "position", "kind", "rendered_only"]


@dataclass(slots=True)
class PageRecord:
    url: str  # as requested (the link's URL); redirects are followed to final_url
    final_url: str
    status: int | None
    depth: int
    title: str = ""
    content_type: str = ""
    bytes: int = 0
    n_links: int = 0
    fetch_ms: float | None = None
    error: str = ""
    targets: list[str] = field(default_factory=list)
    text_chars: int | None = None  # body text a reader gets (rendered, in a browser crawl)
    app_root: str = ""  # a single-page app's mount point, e.g. "#root", "[ng-version]"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


PAGE_COLUMNS = list(PageRecord.__dataclass_fields__)


@dataclass(slots=True)
class SearchRecord:
    """One use of the site's search: the form found (`kind="form"`: `url` is its template with
    `{query}`, or empty with a `note`), or one task's query and the result links in order."""

    kind: str  # "form" or "query"
    url: str = ""
    source: str = ""  # form: "form" or "config"
    note: str = ""  # form: why search is not used; query: why it failed
    task_id: str = ""
    query: str = ""
    status: int | None = None
    results: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Records of a JSON Lines file; a last line cut short by a crash is left out."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.endswith("\n")]


# pages.jsonl's columns as DuckDB reads them: keys a record lacks are NULL, others ignored.
PAGE_TYPES = {
    "url": "VARCHAR",
    "final_url": "VARCHAR",
    "status": "INTEGER",
    "depth": "INTEGER",
    "title": "VARCHAR",
    "content_type": "VARCHAR",
    "bytes": "BIGINT",
    "n_links": "INTEGER",
    "fetch_ms": "DOUBLE",
    "error": "VARCHAR",
    "targets": "VARCHAR[]",
    "text_chars": "INTEGER",
    "app_root": "VARCHAR",
}
# Few distinct values on most sites: each kept as one string (at a million pages the audit
# phase's peak is 110 MiB lower with it, though reading the pages alone shows no difference).
REPEATED = ["title", "content_type", "error", "app_root"]


def read_pages(path: Path) -> pd.DataFrame:
    """pages.jsonl as a table, parsed by DuckDB: json.loads and a dict per record took 16 s
    and 900 MB at a million pages, DuckDB takes about 1 s. A last line cut short by a crash
    is left out. Equal strings are stored once (a page's final URL is mostly its URL)."""
    if not path.exists() or not path.stat().st_size:
        return pd.DataFrame(columns=PAGE_COLUMNS)
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in PAGE_TYPES.items())
    con = duckdb.connect()
    try:
        pages = con.sql(
            # Python objects only where they say something: no empty list, no second copy
            # of a URL that did not redirect (a million of each cost 200 MB, fragmented).
            "SELECT * REPLACE (CASE WHEN len(targets) > 0 THEN targets END AS targets, "
            "CASE WHEN final_url <> url THEN final_url END AS final_url) "
            f"FROM read_json('{quoted(str(path))}', format = 'newline_delimited', "
            f"columns = {{{columns}}}, ignore_errors = true) WHERE url IS NOT NULL"
        ).df()
    finally:
        con.close()
    for name in ("status", "depth", "bytes", "n_links", "text_chars"):  # as json.loads gave
        pages[name] = pages[name].astype("float64" if pages[name].hasnans else "int64")
    pages["final_url"] = pages["final_url"].fillna(pages["url"])
    for name in REPEATED:
        codes, values = pd.factorize(pages[name])
        if len(values):
            shared = pd.Series(values.take(np.maximum(codes, 0)), dtype=pages[name].dtype)
            pages[name] = shared.where(codes >= 0)
    targets: list[tuple[str, ...]] = [()] * len(pages)
    given = pages["targets"].dropna()
    for i, found in zip(np.flatnonzero(pages["targets"].notna()), given, strict=True):
        targets[i] = tuple(found)
    pages["targets"] = pd.Series(targets, dtype=object)
    return pages


def append_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def append_links(model_dir: Path, rows: list[tuple]) -> None:
    """Add link occurrences (in LINK_FIELDS order) found after the crawl, e.g. by rendering."""
    with (model_dir / LINKS_FILE).open("a", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)


@dataclass
class SiteModel:
    """Pages and link occurrences of one crawl, as the audits see them."""

    start_url: str
    pages: pd.DataFrame
    links: pd.DataFrame
    rendered: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    searches: list[SearchRecord] = field(default_factory=list)

    @classmethod
    def from_records(
        cls,
        start_url: str,
        pages: list[dict[str, Any]],
        links: list[dict[str, Any]],
        rendered: list[dict[str, Any]] = (),
    ) -> SiteModel:
        """Build a model in memory, for audits on hand-made sites and for tests."""
        page_rows = [asdict(PageRecord(**p)) for p in pages]
        link_defaults = {"text": "", "region": "main", "kind": "internal", "rendered_only": False}
        link_rows = [{**link_defaults, **link} for link in links]
        for i, row in enumerate(link_rows):
            row.setdefault("position", i + 1)
        return cls(
            start_url,
            pd.DataFrame(page_rows, columns=PAGE_COLUMNS),
            pd.DataFrame(link_rows, columns=LINK_FIELDS),
            {(r["url"], r["viewport"]): r for r in rendered},
        )

    @classmethod
    def load(cls, model_dir: Path, start_url: str) -> SiteModel:
        pages_path, links_path = model_dir / PAGES_FILE, model_dir / LINKS_FILE
        pages = read_pages(pages_path)
        if links_path.exists() and links_path.stat().st_size:
            links = read_links(links_path)
        else:
            links = pd.DataFrame(columns=LINK_FIELDS)
        rendered = {(r["url"], r["viewport"]): r for r in read_jsonl(model_dir / RENDERED_FILE)}
        searches = [SearchRecord(**r) for r in read_jsonl(model_dir / SEARCH_FILE)]
        return cls(start_url, pages, links, rendered, searches)

    def links_from(self, url: str) -> pd.DataFrame:
        """The link rows of one page, in page order. A scan of the 32-bit codes of a model
        read from disk: 15 ms at 27 million rows, where an index over them took 650 MB (and
        a hash table of its million URLs 100 MB: the URL is found by a scan too)."""
        source = self.links["source_url"]
        if isinstance(source.dtype, pd.CategoricalDtype):
            code = np.flatnonzero(source.cat.categories.to_numpy(dtype=object) == url)
            found = source.array.codes == code[0] if len(code) else np.zeros(0, bool)
        else:
            found = (source == url).to_numpy(dtype=bool)
        return self.links.iloc[np.flatnonzero(found)]

    def page(self, url: str) -> dict[str, Any] | None:
        match = self.pages[self.pages["url"] == url]
        return None if match.empty else match.iloc[0].to_dict()
