"""One audit run: crawl into the site model, run the audits, write the run's files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from audits.distraction import distraction_findings, task_distraction
from audits.findability import (
    LinkGraph,
    TaskPath,
    findability_fields,
    findability_findings,
    shortest_click_path,
)
from audits.scent import audit_scent, site_scorer
from audits.score import site_score, task_score
from audits.time_on_task import estimated_time_s
from audits.visibility import audit_visibility
from crawler.links import normalize_url
from crawler.model import (
    RENDERED_FILE,
    SEEDS_FILE,
    SiteModel,
    append_jsonl,
    append_links,
)
from crawler.render import Highlight, RenderJob, render_pages, rendered_only_links
from crawler.run import JOB_FILE
from toptasks import __version__
from toptasks.config import Config, config_hash
from toptasks.errors import SiteError, UsageError
from toptasks.output import json_records, write_json, write_table
from toptasks.report import write_report

MODEL_DIR = "model"


@dataclass
class AuditOptions:
    tasks_file: Path
    url: str | None = None
    out: Path | None = None
    max_pages: int | None = None
    max_depth: int | None = None
    viewports: list[str] = field(default_factory=lambda: ["desktop", "mobile"])
    render: bool = True
    page_timeout: float = 15.0
    throttle: bool | None = None
    force: bool = False


@dataclass
class RunResult:
    out_dir: Path
    summary: dict


def resolve_config(config: Config, options: AuditOptions) -> Config:
    """Command-line options override the config file; defaults that depend on the URL filled in."""
    site = config.site
    start_url = options.url or site.start_url
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
    }
    return config.model_copy(update={"site": site.model_copy(update=updates)})


def default_out_dir(start_url: str) -> Path:
    host = (urlsplit(start_url).netloc or "site").replace(":", "_")
    return Path("results") / f"{host}-{datetime.now():%Y%m%d-%H%M%S}"


def prepare_out_dir(out_dir: Path, force: bool) -> Path:
    """An output folder holds one run: refuse to mix a new run into an old one unless forced."""
    model_dir = out_dir / MODEL_DIR
    if (out_dir / "summary.json").exists() or model_dir.exists():
        if not force:
            raise UsageError(f"{out_dir} already holds a run; use --force to replace it")
        shutil.rmtree(model_dir, ignore_errors=True)
    try:
        model_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write to {out_dir}: {exc.strerror}") from None
    return model_dir


def crawl(config: Config, model_dir: Path, seeds: list[tuple[str, int]] = ()) -> None:
    """Run the Scrapy crawl in a child process (Twisted's reactor cannot be restarted).

    With seeds, the crawl extends the model already on disk from those URLs.
    """
    (model_dir / JOB_FILE).write_text(config.model_dump_json(indent=2), encoding="utf-8")
    seeds_file = model_dir / SEEDS_FILE
    if seeds:
        seeds_file.write_text(json.dumps(seeds), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    try:
        done = subprocess.run([sys.executable, "-m", "crawler.run", str(model_dir)], env=env)
    finally:
        seeds_file.unlink(missing_ok=True)
    if done.returncode != 0:
        raise SiteError(f"the crawl stopped with an error; see {model_dir / 'crawl.log'}")


def discover_scripted_links(config: Config, model: SiteModel, options: AuditOptions) -> bool:
    """Render the start page; links only scripts create join the model, their pages crawled."""
    start = model.page(model.start_url)["final_url"]
    records = render_pages(
        [RenderJob(start, watch=False)], options.viewports, None, options.page_timeout
    )
    on_start = model.links[model.links["source_url"] == start]
    rows = rendered_only_links(
        [r for r in records if r["ok"]],
        set(on_start["target_url"]),
        config.site.allowed_domains,
        len(on_start) + 1,
    )
    if not rows:
        return False
    model_dir = options.out / MODEL_DIR
    append_links(model_dir, rows)
    known = set(model.pages["url"])
    new = sorted({row[1] for row in rows if row[5] == "internal" and row[1] not in known})
    if new and config.site.max_depth >= 1:
        crawl(config, model_dir, [(url, 1) for url in new])
    return True


def render_paths(model: SiteModel, paths: dict[str, TaskPath], options: AuditOptions) -> list[dict]:
    """Render the start page and every page on a click path, outlining each task's links."""
    jobs: dict[str, RenderJob] = {model.page(model.start_url)["final_url"]: RenderJob("")}
    html = set(model.pages.loc[model.pages["content_type"].str.contains("html"), "final_url"])
    for task_id, path in paths.items():
        for url in path.path:
            if url in html:
                jobs.setdefault(url, RenderJob(url))
        for step in path.steps:
            jobs[step.source_url].highlights.append(Highlight(task_id, step.link_url))
    for url, job in jobs.items():
        job.url = url
    shots = options.out / "screenshots"
    records = render_pages(list(jobs.values()), options.viewports, shots, options.page_timeout)
    rendered_file = options.out / MODEL_DIR / RENDERED_FILE
    rendered_file.unlink(missing_ok=True)
    append_jsonl(rendered_file, records)
    return records


def start_page_problem(model: SiteModel) -> str | None:
    """Why the site cannot be audited at all (SPEC §3 exit 3), or None."""
    page = model.page(model.start_url)
    if page is None:
        return f"{model.start_url} was not fetched"
    if page["error"]:
        if "robots.txt" in page["error"]:
            return f"robots.txt forbids crawling {model.start_url}"
        return f"cannot reach {model.start_url}: {page['error']}"
    if page["status"] >= 400:
        return f"start page {model.start_url} answered HTTP {int(page['status'])}"
    if "html" not in page["content_type"].lower():
        return f"start page {model.start_url} is not HTML ({page['content_type'] or 'no type'})"
    return None


def serving_urls(paths: dict[str, TaskPath]) -> set[str]:
    """Pages and links that lead toward some top task: links to these are not noise."""
    urls = {url for path in paths.values() for url in path.path}
    return urls | {step.link_url for path in paths.values() for step in path.steps}


def task_rows(
    config: Config,
    model: SiteModel,
    graph: LinkGraph,
    paths: dict[str, TaskPath],
    viewports: list[str],
) -> tuple[list[dict], list[dict]]:
    """Every audit, task by task; then the page-level distraction findings once per page."""
    weights = config.weights()
    scorer = site_scorer(model)
    task_urls = serving_urls(paths)
    rows, findings = [], []
    for task in config.tasks:
        path = paths[task.id]
        visible, visibility_findings = audit_visibility(model, task, path, viewports)
        scent, scent_findings, competing = audit_scent(model, graph, task, path, scorer)
        distraction = task_distraction(model.rendered, path.path, task_urls, competing)
        est_time = estimated_time_s(model, path, viewports, competing)
        score = task_score(
            path.reachable,
            visible.get("interactions", path.clicks),
            visible.get("visibility_score"),
            est_time,
            distraction,
            task.budget.max_clicks,
            task.budget.max_time_s,
        )
        rows.append(
            {
                "task_id": task.id,
                "task_name": task.name,
                "weight": weights[task.id],
                **findability_fields(path),
                **visible,
                **scent,
                "distraction_score": distraction,
                "est_time_s": est_time,
                "score": score,
            }
        )
        findings += findability_findings(path) + visibility_findings + scent_findings
    on_paths = {url for path in paths.values() for url in path.path}
    for (url, _), record in sorted(model.rendered.items()):
        if url in on_paths and record["ok"]:
            findings += distraction_findings(record, task_urls)
    return rows, findings


def page_rows(model: SiteModel) -> pd.DataFrame:
    """pages.csv: the crawl's record of each URL, with what rendering added."""
    pages = model.pages.copy()
    pages["targets"] = pages["targets"].map(" ".join)
    by_url: dict[str, list[dict]] = {}
    for (url, _), record in model.rendered.items():
        by_url.setdefault(url, []).append(record)
    records = pages["final_url"].map(lambda url: by_url.get(url, []))
    pages["rendered"] = records.map(lambda rs: bool(rs) and all(r["ok"] for r in rs))
    pages["load_ms_desktop"] = records.map(
        lambda rs: next((r["load_ms"] for r in rs if r["viewport"] == "desktop"), None)
    )
    render_errors = records.map(lambda rs: "; ".join(r["error"] for r in rs if r["error"]))
    pages["error"] = [
        "; ".join(e for e in pair if e) for pair in zip(pages["error"], render_errors, strict=True)
    ]
    return pages


def summarize(
    config: Config, options: AuditOptions, model: SiteModel, tasks: list[dict], times: dict
) -> dict:
    pages = model.pages
    status = pd.to_numeric(pages["status"], errors="coerce")
    screenshots: dict[str, dict[str, str]] = {}
    for (url, viewport), record in sorted(model.rendered.items()):
        if record.get("screenshot"):
            screenshots.setdefault(url, {})[viewport] = record["screenshot"]
    return {
        "tool": "toptasks",
        "version": __version__,
        "config_file": str(options.tasks_file),
        "config_hash": config_hash(options.tasks_file),
        "start_url": model.start_url,
        **times,
        "pages": {
            "fetched": int(status.notna().sum()),
            "ok": int((status < 400).sum()),
            "client_errors": int(((status >= 400) & (status < 500)).sum()),
            "server_errors": int((status >= 500).sum()),
            "failed": int((pages["error"] != "").sum()),
            "rendered": len({url for url, _ in model.rendered}),
            "links": len(model.links),
        },
        "tasks": json_records(tasks, "tasks.csv"),
        "site_score": site_score(
            {t["task_id"]: t["score"] for t in tasks}, {t["task_id"]: t["weight"] for t in tasks}
        ),
        "screenshots": screenshots,
    }


def run_audit(config: Config, options: AuditOptions) -> RunResult:
    config = resolve_config(config, options)
    assert config.site.start_url is not None
    options.out = out_dir = options.out or default_out_dir(config.site.start_url)
    model_dir = prepare_out_dir(out_dir, options.force)
    started = datetime.now(UTC).isoformat(timespec="seconds")
    crawl(config, model_dir)
    model = SiteModel.load(model_dir, config.site.start_url)
    problem = start_page_problem(model)
    if options.render and problem is None and discover_scripted_links(config, model, options):
        model = SiteModel.load(model_dir, config.site.start_url)
    graph = LinkGraph(model)
    paths = {task.id: shortest_click_path(graph, task) for task in config.tasks}
    if options.render and problem is None:
        records = render_paths(model, paths, options)
        model.rendered = {(r["url"], r["viewport"]): r for r in records}
    tasks, findings = task_rows(config, model, graph, paths, options.viewports)
    write_table(page_rows(model), out_dir, "pages.csv")
    write_table(model.links, out_dir, "links.csv")
    write_table(findings, out_dir, "findings.csv")
    write_table(tasks, out_dir, "tasks.csv")
    times = {"started": started, "finished": datetime.now(UTC).isoformat(timespec="seconds")}
    summary = summarize(config, options, model, tasks, times)
    write_json(summary, out_dir / "summary.json")
    write_report(out_dir)
    if problem:
        raise SiteError(problem)
    return RunResult(out_dir, summary)
