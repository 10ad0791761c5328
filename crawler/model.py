"""The site model on disk: what gathering leaves for the audits to read.

Pages go to `pages.jsonl` (one JSON object a fetched URL) and link occurrences to `links.csv`,
both appended as the crawl goes, so a crash keeps what was crawled and memory never holds the
whole site. Audits read the model back as two pandas tables, the links through a columnar
copy (crawler/columnar.py) so that memory grows with pages and distinct labels, not link rows.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from contract.records import (
    LINK_FIELDS,
    LINKS_FILE,
    PAGE_COLUMNS,
    PAGES_FILE,
    RENDERED_FILE,
    SEARCH_FILE,
    SearchRecord,
)
from contract.site_model import SiteModel
from crawler.aliases import fold_links, fold_pages, page_aliases
from crawler.columnar import quoted, read_links
from crawler.sitemaps import read_sitemaps


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
    "text_digest": "BIGINT",
    "found_via": "VARCHAR",
    "canonical": "VARCHAR",
    "noindex": "BOOLEAN",
    "lang": "VARCHAR",
}
# Few distinct values on most sites: each kept as one string (at a million pages the audit
# phase's peak is 110 MiB lower with it, though reading the pages alone shows no difference).
REPEATED = ["title", "content_type", "error", "app_root", "found_via", "canonical", "lang"]


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
    pages["found_via"] = pages["found_via"].fillna("link")  # models older than sitemaps
    pages["canonical"] = pages["canonical"].fillna("")
    pages["lang"] = pages["lang"].fillna("")  # models older than languages
    pages["noindex"] = pages["noindex"].fillna(False).astype(bool)
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


def load_model(model_dir: Path, start_url: str) -> SiteModel:
    """The model a crawl (and rendering) left in `model_dir`, as the audits read it: a page
    fetched under several addresses is one page (crawler.aliases)."""
    pages_path, links_path = model_dir / PAGES_FILE, model_dir / LINKS_FILE
    pages = read_pages(pages_path)
    sitemaps = read_sitemaps(model_dir)
    aliases = page_aliases(pages, start_url)
    pages = fold_pages(pages, aliases, sitemaps.in_sitemap)
    if links_path.exists() and links_path.stat().st_size:
        links = fold_links(read_links(links_path), aliases)
    else:
        links = pd.DataFrame(columns=LINK_FIELDS)
    rendered = {(r["url"], r["viewport"]): r for r in read_jsonl(model_dir / RENDERED_FILE)}
    searches = [SearchRecord(**r) for r in read_jsonl(model_dir / SEARCH_FILE)]
    model = SiteModel(start_url, pages, links, rendered, searches, aliases, sitemaps)
    start = model.page(start_url)
    model.lang = str(start["lang"]) if start is not None else ""
    return model
