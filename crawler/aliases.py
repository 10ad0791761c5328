"""One page, one address: the pages of a crawl that are one page under several addresses.

Tracking parameters, session ids and the order of query keys never make a second address:
`crawler.links.normalize_url` (w3lib's canonical form) removes them before anything is
requested. What no URL rule can settle is whether `/x/` and `/x/index.html`, or `/x` and
`/x/`, or a page and the address its `<link rel=canonical>` names, are one page; the pages
themselves settle it. Two addresses are one page when both answered with the same text
(crawler.targets.text_digest) and either they differ only by an index file name or a trailing
slash, or one names the other as its canonical address.

The model on disk keeps every fetched URL (a resumed crawl must not fetch them again);
`crawler.model.load_model` folds the aliases into one page for the audits and the outputs.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import pandas as pd

from contract.records import FOUND_VIA

INDEX_FILE = re.compile(r"/(index|default)(\.[a-z]{2,5})?$", re.IGNORECASE)


def address_key(url: str) -> str:
    """`url` without an index file name or a trailing slash: /x/index.html, /x/ and /x
    share one key."""
    parts = urlsplit(url)
    path = INDEX_FILE.sub("/", parts.path).rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def page_aliases(pages: pd.DataFrame, start_url: str) -> dict[str, str]:
    """{alias: the address kept} over the final URLs of pages that answered. The address kept
    is the start page's, else the one the others name as canonical, else the shortest."""
    ok = pages["status"].notna() & (pages["status"] < 400) & (pages["error"] == "")
    digest = pages["text_digest"] if "text_digest" in pages else pd.Series(np.nan, pages.index)
    shared = ok & digest.notna() & digest.duplicated(keep=False)
    if not shared.any():
        return {}
    found = pages.loc[shared, ["final_url", "text_digest", "canonical"]].drop_duplicates(
        "final_url"
    )
    finals = found["final_url"].tolist()
    start = pages.loc[pages["url"] == start_url, "final_url"]
    start_url = start.iat[0] if len(start) else start_url
    digests = dict(zip(finals, found["text_digest"].tolist(), strict=True))
    parent = {url: url for url in finals}

    def root(url: str) -> str:
        while parent[url] != url:
            parent[url] = parent[parent[url]]
            url = parent[url]
        return url

    by_key: dict[tuple, str] = {}
    for url in finals:
        key = (digests[url], address_key(url))
        if key in by_key:
            parent[root(url)] = root(by_key[key])
        else:
            by_key[key] = url
    named = set()
    for url, canonical in zip(finals, found["canonical"].fillna("").tolist(), strict=True):
        if canonical and canonical != url and digests.get(canonical) == digests[url]:
            named.add(canonical)
            parent[root(url)] = root(canonical)
    groups: dict[str, list[str]] = {}
    for url in finals:
        groups.setdefault(root(url), []).append(url)
    aliases = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        kept = min(members, key=lambda u: (u != start_url, u not in named, len(u), u))
        aliases |= {url: kept for url in members if url != kept}
    return aliases


def fold_pages(pages: pd.DataFrame, aliases: dict[str, str], in_sitemap: set[str]) -> pd.DataFrame:
    """One row per page: an alias's own row goes, its address is listed in `other_urls` of
    the page kept, and a URL that redirected to it now leads to that page. `in_sitemap` holds
    when any of a page's addresses is in a sitemap; `found_via` is the best of its rows'.
    `pages` is changed in place when no row goes (a million pages are not copied)."""
    pages["other_urls"] = ""
    pages["in_sitemap"] = False
    if "found_via" not in pages:
        pages["found_via"] = "link"
    pages["found_via"] = pages["found_via"].fillna("link")
    if aliases:
        own = pages["url"].isin(list(aliases)) & (pages["url"] == pages["final_url"])
        gone = pages[own]
        pages = pages[~own].reset_index(drop=True)
        pages["final_url"] = pages["final_url"].map(lambda u: aliases.get(u, u))
        others: dict[str, list[str]] = {}
        vias: dict[str, list[str]] = {}
        for url, via in zip(gone["url"], gone["found_via"], strict=True):
            others.setdefault(aliases[url], []).append(url)
            vias.setdefault(aliases[url], []).append(via)
        at = pages["url"].isin(list(others)) & (pages["url"] == pages["final_url"])
        for i in np.flatnonzero(at.to_numpy()):
            url = pages["url"].iat[i]
            pages.iat[i, pages.columns.get_loc("other_urls")] = " ".join(sorted(others[url]))
            best = min([pages["found_via"].iat[i], *vias[url]], key=_via_rank)
            pages.iat[i, pages.columns.get_loc("found_via")] = best
    if in_sitemap:
        listed = pages["url"].isin(in_sitemap) | pages["final_url"].isin(in_sitemap)
        others = pages["other_urls"] != ""
        listed[others] |= pages.loc[others, "other_urls"].map(
            lambda urls: any(u in in_sitemap for u in urls.split())
        )
        pages["in_sitemap"] = listed
    return pages


def _via_rank(via: str) -> int:
    return FOUND_VIA.index(via) if via in FOUND_VIA else len(FOUND_VIA)


def fold_links(links: pd.DataFrame, aliases: dict[str, str]) -> pd.DataFrame:
    """The link table with each alias read as the page kept: a link to an alias leads to that
    page, and an alias's own links (the same page's, read twice) are left out."""
    if not aliases or links.empty:
        return links
    source, target = links["source_url"], links["target_url"]
    if isinstance(source.dtype, pd.CategoricalDtype) and source.cat.categories.equals(
        target.cat.categories
    ):
        urls = source.cat.categories
        is_alias = np.append(urls.isin(list(aliases)), False)  # code -1 (missing) picks False
        keep = ~is_alias[source.array.codes]
        inverse, mapped = pd.factorize(urls.map(lambda u: aliases.get(u, u)))
        recode = np.append(inverse.astype(np.int32), np.int32(-1))
        kept = links[keep].copy()
        for name in ("source_url", "target_url"):
            codes = recode[kept[name].array.codes]
            kept[name] = pd.Categorical.from_codes(codes, categories=mapped, validate=False)
        return kept.reset_index(drop=True)
    kept = links[~source.isin(list(aliases))].copy()
    kept["target_url"] = kept["target_url"].map(lambda u: aliases.get(u, u))
    return kept.reset_index(drop=True)
