"""The write phase: the run's CSV and JSON files (atomically, columns from contract/columns.py),
and the run recorded in the history."""

from __future__ import annotations

import time
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from audits.accessibility import outlines
from audits.findability import LinkGraph
from audits.fixes import fix_rows
from audits.score import site_score
from audits.site_search import search_summary
from audits.sitemaps import page_facts, sitemap_summary
from contract.config import Config, config_hash
from contract.errors import ToptasksError
from contract.records import LINKS_FILE
from contract.site_model import SiteModel
from contract.votes import long_neck
from crawler.crawl_mode import CrawlDecision
from crawler.render import AXE_VERSION
from toptasks import __version__
from toptasks.analyse import Analysis
from toptasks.area_audit import AreaAudit
from toptasks.filmstrip import filmstrips
from toptasks.history import history_location, record_run, site_trend
from toptasks.options import AuditOptions
from toptasks.output import json_records, write_json, write_links, write_table

FIX_FIRST = 3  # the fixes summary.json and the report's first screen name
TREND_RUNS = 10  # runs of the same site and tasks in trend.csv and the report's trend charts


def page_rows(model: SiteModel, graph: LinkGraph) -> pd.DataFrame:
    """pages.csv: the crawl's record of each URL, with what rendering added (rendering
    touches a few dozen pages: only those rows are looked at one by one), and where each
    sits in the links (audits.sitemaps: depth along links only, orphans)."""
    pages = model.pages.copy()
    pages[["depth", "orphan"]] = page_facts(model, graph)
    pages["targets"] = pages["targets"].map(" ".join)
    by_url: dict[str, list[dict]] = {}
    for (url, _), record in model.rendered.items():
        by_url.setdefault(url, []).append(record)
    rendered = np.flatnonzero(pages["final_url"].isin(list(by_url)).to_numpy())
    pages["rendered"] = False
    pages["load_ms_desktop"] = np.nan
    errors = pages["error"].to_numpy(dtype=object, na_value="")
    for i in rendered:
        records = by_url[pages["final_url"].iat[i]]
        pages.iat[i, pages.columns.get_loc("rendered")] = all(r["ok"] for r in records)
        desktop = next((r["load_ms"] for r in records if r["viewport"] == "desktop"), None)
        pages.iat[i, pages.columns.get_loc("load_ms_desktop")] = desktop
        found = [errors[i], *(r["error"] for r in records if r["error"])]
        errors[i] = "; ".join(e for e in found if e)
    pages["error"] = errors
    return pages


def summarize(
    config: Config, options: AuditOptions, audits: list[AreaAudit], tasks: list[dict], times: dict
) -> dict:
    models = [audit.model for audit in audits]
    pages = _stacked([m.pages for m in models])
    status = pd.to_numeric(pages["status"], errors="coerce")
    screenshots: dict[str, dict[str, str]] = {}
    menu_screenshots: dict[str, dict[str, str]] = {}  # task -> viewport -> file
    for model in models:
        for (url, viewport), record in sorted(model.rendered.items()):
            if record.get("screenshot"):
                screenshots.setdefault(url, {})[viewport] = record["screenshot"]
            for task_id, name in record.get("menu_screenshots", {}).items():
                menu_screenshots.setdefault(task_id, {})[viewport] = name
    return {
        "tool": "toptasks",
        "version": __version__,
        "config_file": str(options.tasks_file),
        "config_hash": config_hash(options.tasks_file),
        "tasks_source": options.tasks_source,
        "axe_version": AXE_VERSION if options.render else None,
        "weights_from": config.weights_from,
        "votes": long_neck(config.votes) if config.votes else [],
        "start_url": models[0].start_url,
        # site.lang / --lang, else the start page's; null when it neither declares one nor
        # reads clearly as one (words are then read as English)
        "lang": models[0].lang or None,
        "account_start_url": models[1].start_url if len(models) > 1 else None,
        **crawl_mode_fields(audits),
        **times,
        "pages": {
            "fetched": int(status.notna().sum()),
            "ok": int((status < 400).sum()),
            "client_errors": int(((status >= 400) & (status < 500)).sum()),
            "server_errors": int((status >= 500).sum()),
            "failed": int((pages["error"] != "").sum()),
            "rendered": sum(len({url for url, _ in m.rendered}) for m in models),
            # page x viewport renders lost even on a second try (findings: render_lost)
            "renders_lost": sum(not r["ok"] for m in models for r in m.rendered.values()),
            "links": sum(len(m.links) for m in models),
        },
        "tasks": json_records(tasks, "tasks.csv"),
        "site_score": site_score(
            {t["task_id"]: t["score"] for t in tasks}, {t["task_id"]: t["weight"] for t in tasks}
        ),
        "screenshots": screenshots,
        "menu_screenshots": menu_screenshots,
        "filmstrips": {
            task_id: strip for audit in audits for task_id, strip in _strips(audit).items()
        },
    }


def _strips(audit: AreaAudit) -> dict[str, dict[str, list]]:
    return filmstrips(audit.model, audit.paths) if audit.problem is None else {}


def crawl_mode_fields(audits: list[AreaAudit]) -> dict[str, Any]:
    """summary.json's crawl_mode, crawl_mode_reason and the figures behind them, per area."""
    fields: dict[str, Any] = {}
    for audit in audits:
        decision = audit.area.decision or CrawlDecision.load(audit.area.model_dir)
        prefix = "" if audit.area.name == "public" else "account_"
        if decision is not None:
            fields[f"{prefix}crawl_mode"] = decision.mode
            fields[f"{prefix}crawl_mode_reason"] = decision.reason
            fields[f"{prefix}crawl_mode_figures"] = decision.figures and asdict(decision.figures)
        shared = audit.area.shared
        if shared is not None:
            fields[f"{prefix}crawl_workers"] = {
                "started_here": shared.workers,
                "took_part": len(shared.joined),
                "redis": shared.redis,
            }
    return fields


def _stacked(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def write_run(
    config: Config,
    options: AuditOptions,
    audits: list[AreaAudit],
    analysis: Analysis,
    journeys: list[dict],
    started: str,
    timings: dict[str, float],
    reasons: list[str],
) -> dict:
    """Every output file of the run but the report; returns summary.json's content.

    `timings` holds the earlier phases' seconds; `reasons` why the run is partial, if it is.
    """
    out_dir = options.out
    assert out_dir is not None
    clock = time.monotonic()
    tasks, findings, stats = analysis.tasks, analysis.findings, analysis.stats
    pages = _stacked([page_rows(a.model, a.graph).assign(area=a.area.name) for a in audits])
    write_table(pages, out_dir, "pages.csv")
    del pages
    write_links(
        out_dir, [(a.area.model_dir / LINKS_FILE, a.area.name, a.model.aliases) for a in audits]
    )
    write_table(findings, out_dir, "findings.csv")
    write_table(tasks, out_dir, "tasks.csv")
    budgets = {t.id: (t.budget.max_clicks, t.budget.max_time_s) for t in config.tasks}
    fixes = fix_rows(tasks, findings, budgets)
    write_table(fixes, out_dir, "fixes.csv")
    if config.journeys:
        write_table(journeys, out_dir, "journeys.csv")
    times = {"started": started, "finished": datetime.now(UTC).isoformat(timespec="seconds")}
    summary = summarize(config, options, audits, tasks, times)
    reasons = analysis.reasons + reasons
    summary |= {"partial": bool(reasons), "partial_reasons": reasons, "crawl": stats["public"]}
    summary["fix_first"] = json_records(fixes[:FIX_FIRST], "fixes.csv")
    summary["astray"] = {task["task_id"]: task.get("astray", []) for task in tasks}
    summary["search"] = search_summary(audits[0].model.searches)
    summary["sitemaps"] = sitemap_summary(audits[0].model, audits[0].graph)
    summary["a11y_outlines"] = {}
    for audit in audits:
        summary["a11y_outlines"] |= outlines(audit.model, findings)
    if "account" in stats:
        summary["account_crawl"] = stats["account"]
    timings["write"] = time.monotonic() - clock  # the CSV files; the report comes after
    summary["timings_s"] = {phase: round(seconds, 2) for phase, seconds in timings.items()}
    write_json(summary, out_dir / "summary.json")
    return summary


def record_in_history(options: AuditOptions) -> ToptasksError | None:
    """Add the finished run to the history, and write its site's trend beside it (trend.csv).

    A failure is returned, not raised: the run's files are already whole, and the report is
    still to be written."""
    assert options.out is not None
    where = history_location(options.history, options.out)
    try:
        record_run(where, options.out)
        write_table(site_trend(where, options.out, TREND_RUNS), options.out, "trend.csv")
    except ToptasksError as exc:
        return exc
    return None
