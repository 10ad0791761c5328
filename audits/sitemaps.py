"""Sitemaps against links: where each page sits in clicks, which pages are orphans, what the
sitemaps list that is broken, and from where a link would bring an orphaned task page in.

Depth counts links from the start page only: a page the crawl fetched because a sitemap (or a
`--urls` list) named it has no depth unless links lead there. An *orphan* is a page a sitemap
lists, that answered, and that no crawled page links to: it exists, but a customer following
links never meets it. A task whose target pages are orphans only gets a high finding naming the
page, and the page a link to it would serve best: the reachable page whose incoming links'
wording carries the most scent toward the task (the scent simulated customers follow,
audits.simulation), else the page that the orphan's breadcrumb or its URL path names as its
parent, else the start page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from audits.findability import LinkGraph, TaskPath
from audits.scent import MIN_SCENT, Scorer
from audits.simulation import SiteWalk
from contract.config import Task
from contract.site_model import SiteModel

SHOWN = 20  # addresses listed in summary.json per figure; the CSV files hold them all


def page_facts(model: SiteModel, graph: LinkGraph) -> pd.DataFrame:
    """pages.csv's `depth` (clicks along links from the start page to the page the URL leads
    to; NaN when no link path leads there) and `orphan`, row for row with model.pages."""
    pages = model.pages
    depth = graph.depths_of(pages["final_url"]).astype(float)
    codes = graph.codes_of(pages["final_url"])
    failed = codes < 0
    if failed.any():  # no page answered there: one click past the nearest page linking to it
        depth[failed] = _link_depths(model, graph, pages["url"][failed])
    depth[(pages["url"] == model.start_url).to_numpy()] = 0
    depth[depth < 0] = np.nan
    in_sitemap = pages.get("in_sitemap", pd.Series(False, index=pages.index)).to_numpy(bool)
    unlinked = np.zeros(len(pages), dtype=bool)
    unlinked[~failed] = graph.inbound[codes[~failed]] == 0
    start = graph.code_of(model.start_url)
    orphan = in_sitemap & unlinked & (codes != (-2 if start is None else start))
    return pd.DataFrame({"depth": depth, "orphan": orphan}, index=pages.index)


def _link_depths(model: SiteModel, graph: LinkGraph, urls: pd.Series) -> np.ndarray:
    links = model.links
    wanted = set(urls)
    rows = links[links["target_url"].isin(wanted) & (links["kind"] == "internal")]
    if rows.empty:
        return np.full(len(urls), -1.0)
    source_depth = graph.depths_of(rows["source_url"])
    reached = source_depth >= 0
    best = (
        pd.Series(source_depth[reached] + 1, index=rows["target_url"].astype(object)[reached])
        .groupby(level=0)
        .min()
    )
    return urls.map(best).fillna(-1).to_numpy(float)


def orphans(model: SiteModel, graph: LinkGraph) -> pd.DataFrame:
    """The pages that are orphans, in pages.csv's order."""
    facts = page_facts(model, graph)
    return model.pages[facts["orphan"].to_numpy()]


def _finding(kind: str, severity: str, page_url: str, element: str, detail: str, **more: Any):
    return {
        "task_id": "",
        "page_url": page_url,
        "viewport": "",
        "kind": kind,
        "severity": severity,
        "element": element,
        "detail": detail,
        **more,
    }


def orphan_findings(
    model: SiteModel,
    graph: LinkGraph,
    tasks: list[Task],
    paths: dict[str, TaskPath],
    walk: SiteWalk,
    scorer: Scorer,
) -> list[dict[str, Any]]:
    """One finding per orphan that is a task's target: `task_target_orphaned` (high) when the
    task is unreachable, else `orphan_page` (medium, the task is reached another way)."""
    found = orphans(model, graph)
    if found.empty:
        return []
    findings = []
    for task in tasks:
        mine = found[found["targets"].map(lambda targets, t=task.id: t in targets)]
        for orphan in sorted(set(mine["final_url"])):
            page, why = link_from(model, graph, walk, scorer, task, orphan)
            listed = model.sitemaps.listing.get(orphan, "a sitemap")
            if paths[task.id].reachable:
                finding = _finding(
                    "orphan_page",
                    "medium",
                    orphan,
                    page,
                    f"a page of the task, in {listed}, that no page links to; customers reach "
                    f"the task at {paths[task.id].target_url} instead",
                )
            else:
                finding = _finding(
                    "task_target_orphaned",
                    "high",
                    orphan,
                    page,
                    f"the task's page exists at {orphan} (listed in {listed}) but no page links "
                    f"to it; link it from {page} ({why})",
                )
            findings.append(finding | {"task_id": task.id})
    return findings


def link_from(
    model: SiteModel, graph: LinkGraph, walk: SiteWalk, scorer: Scorer, task: Task, orphan: str
) -> tuple[str, str]:
    """The reachable page a link to `orphan` would serve the task best, and why that one."""
    reachable = graph.depths_of(graph.nodes) >= 0
    reachable[graph.code_of(orphan)] = False
    label_scent = walk.scents.towards(task, scorer)
    incoming = np.zeros(len(graph.nodes))
    if len(walk.dst):
        np.maximum.at(incoming, walk.dst, label_scent[walk.label[walk.row]])
    incoming[~reachable] = 0.0
    if incoming.max(initial=0.0) >= MIN_SCENT:
        depth = graph.depths_of(graph.nodes)
        best = min(np.flatnonzero(incoming == incoming.max()), key=lambda c: (depth[c], c))
        return graph.nodes[best], "the links to it read most like the task"
    parent = _parent(model, graph, orphan, reachable)
    if parent is not None:
        return parent, "the orphan's breadcrumb or address names it as its parent"
    return graph.start or model.start_url, "no page reads more like the task"


def _parent(model: SiteModel, graph: LinkGraph, orphan: str, reachable: np.ndarray) -> str | None:
    """The deepest reachable page above the orphan in its URL path, preferring one the
    orphan's own links (its breadcrumb) lead to."""
    parts = urlsplit(orphan)
    segments = [s for s in parts.path.split("/") if s]
    above = []
    for n in range(len(segments) - 1, 0, -1):
        path = "/" + "/".join(segments[:n])
        above += [
            f"{parts.scheme}://{parts.netloc}{path}/",
            f"{parts.scheme}://{parts.netloc}{path}",
        ]
    linked = set(model.links_from(orphan)["target_url"].astype(object))
    for prefer_linked in (True, False):
        for url in above:
            code = graph.code_of(url)
            if code is not None and reachable[code] and (url in linked or not prefer_linked):
                return graph.nodes[code]
    return None


def sitemap_findings(model: SiteModel) -> list[dict[str, Any]]:
    """Each sitemap problem once: files that could not be read, and listed addresses that
    are broken, redirect, are forbidden by robots.txt or say noindex."""
    sitemaps = model.sitemaps
    findings = [
        _finding("sitemap_unreadable", "low", file.url, file.sitemap, file.problem)
        for file in sitemaps.files
        if file.problem and file.sitemap  # a guessed /sitemap.xml that is not there is no fault
    ]
    listing = sitemaps.listing
    if not listing:
        return findings
    pages = model.pages
    by_url = {page.url: page for page in pages[pages["url"].isin(listing)].itertuples()}
    for page in (by_url[url] for url in listing if url in by_url):  # in the sitemaps' order
        where = f"listed in {listing[page.url]}"
        if "robots.txt" in page.error:
            findings.append(
                _finding(
                    "sitemap_blocked_by_robots",
                    "medium",
                    page.url,
                    listing[page.url],
                    f"{where}, but robots.txt forbids crawling it: search engines may not "
                    "read it either",
                )
            )
        elif pd.isna(page.status) or page.status >= 400:
            answer = f"answers HTTP {int(page.status)}" if pd.notna(page.status) else page.error
            findings.append(
                _finding(
                    "sitemap_broken_entry",
                    "medium",
                    page.url,
                    listing[page.url],
                    f"{where}, but {answer}",
                )
            )
        elif page.final_url != page.url:
            findings.append(
                _finding(
                    "sitemap_redirect",
                    "low",
                    page.url,
                    listing[page.url],
                    f"{where}, but redirects to {page.final_url}: list that address instead",
                )
            )
        elif page.noindex:
            findings.append(
                _finding(
                    "sitemap_noindex",
                    "low",
                    page.url,
                    listing[page.url],
                    f"{where}, but asks search engines not to index it (noindex)",
                )
            )
    return findings


def sitemap_summary(model: SiteModel, graph: LinkGraph) -> dict[str, Any]:
    """summary.json's `sitemaps`: the files read, the addresses listed and what became of
    them, the orphans, and the linked pages that no sitemap lists."""
    sitemaps = model.sitemaps
    pages = model.pages
    facts = page_facts(model, graph)
    listed = set(sitemaps.listing)
    requested = set(pages.loc[pages["url"].isin(listed), "url"]) | set(model.aliases)
    ok = pages["status"].notna() & (pages["status"] < 400) & (pages["error"] == "")
    html = pages["content_type"].str.contains("html", na=False)
    own = pages["url"] == pages["final_url"]
    linked = ok & html & own & facts["depth"].notna() & ~pages["noindex"].astype(bool)
    in_sitemap = pages.get("in_sitemap", pd.Series(False, index=pages.index)).astype(bool)
    # In an order every way of crawling gives: fewest clicks first, the sitemaps' own order.
    found = pages[linked & ~in_sitemap].assign(depth=facts["depth"])
    missing = found.sort_values(["depth", "url"])["url"].tolist() if listed else []
    orphaned = set(pages[facts["orphan"].to_numpy()]["url"])
    orphaned = [url for url in sitemaps.listing if url in orphaned] + sorted(
        orphaned - set(sitemaps.listing)
    )
    return {
        "files": [
            {
                "url": file.url,
                "named_by": file.sitemap or "(guessed)",
                "status": file.status,
                "addresses": file.urls,
                "problem": file.problem,
            }
            for file in sitemaps.files
        ],
        "complete": sitemaps.done,
        "addresses": len(listed),
        "addresses_fetched": len(listed & requested),
        "addresses_not_fetched": len(listed - requested),  # max_pages or max_duration
        "addresses_left_out": sitemaps.skipped,
        "orphans": len(orphaned),
        "orphan_urls": orphaned[:SHOWN],
        "linked_not_in_sitemap": len(missing) if listed else None,
        "linked_not_in_sitemap_urls": missing[:SHOWN],
    }
