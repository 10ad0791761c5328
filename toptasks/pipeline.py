"""One audit run: crawl into the site model, run the audits, write the run's files."""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import numpy as np
import pandas as pd

from audits.crawl_health import crawl_findings, link_findings
from audits.distraction import consent_once, distraction_findings, task_distraction
from audits.findability import (
    LinkGraph,
    TaskPath,
    findability_fields,
    findability_findings,
    shortest_click_path,
)
from audits.fixes import fix_rows
from audits.scent import Scorer, TfidfScorer, audit_scent, site_scorer
from audits.score import site_score, task_score
from audits.semantic_scent import unavailable as semantic_unavailable
from audits.simulation import (
    Prediction,
    SiteWalk,
    predicted_fields,
    scent_trap_findings,
    simulate,
)
from audits.site_search import audit_search, search_summary
from audits.time_on_task import estimated_time_s
from audits.visibility import audit_visibility, layout_findings
from crawler.browser import http_credentials
from crawler.crawl_mode import CrawlDecision
from crawler.journeys import JourneyPlan, measured_time_s, replay_journeys
from crawler.links import normalize_url
from crawler.login import sign_in
from crawler.model import (
    LINKS_FILE,
    RENDERED_FILE,
    SiteModel,
    append_jsonl,
)
from crawler.render import Highlight, RenderJob, render_pages
from crawler.run import JOB_FILE
from crawler.scripted_pages import read_click_targets
from crawler.stats import read_stats
from toptasks import __version__
from toptasks.config import Config, Simulation, Task, config_hash
from toptasks.errors import Interrupted, SiteError, ToptasksError, UsageError
from toptasks.gather import Area, add_scripted_links, gather_area, past, start_page_problem
from toptasks.history import check_store, history_location, record_run, site_trend
from toptasks.output import json_records, write_json, write_links, write_table
from toptasks.report import write_report

MODEL_DIR = "model"
FIX_FIRST = 3  # the fixes summary.json and the report's first screen name
TREND_RUNS = 10  # runs of the same site and tasks in trend.csv and the report's trend charts
ACCOUNT_DIR = "account"  # the signed-in area's model, inside MODEL_DIR
LOCK_FILE = ".lock"
LOCK_WAIT_S = 15.0  # a killed run's crawl notices within a second or two and lets go


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
    max_duration: float | None = None
    resume: bool = False
    crawl_with: str | None = None  # auto, http or browser; None: the config's site.crawl_with
    history: str | None = None  # a DuckDB file or postgresql:// URL; None: the default place
    record: bool = True  # --no-history: the run is not recorded
    workers: int | None = None  # crawl processes on a shared Redis frontier (--workers)
    redis: str | None = None  # that frontier's Redis URL; None: a private one (--redis)
    # Set by run_audit for the phases: the wall-clock deadline and the folder's lock.
    deadline: float | None = None
    lock_fd: int | None = None


@dataclass
class RunResult:
    out_dir: Path
    summary: dict
    history_error: ToptasksError | None = None  # the run's files are whole; the history is not


@dataclass
class AreaAudit:
    """An area's model read back from disk, with each of its tasks' shortest click path."""

    area: Area
    model: SiteModel
    graph: LinkGraph
    paths: dict[str, TaskPath]
    problem: str | None


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
        "max_duration_s": options.max_duration or site.max_duration_s,
    }
    return config.model_copy(update={"site": site.model_copy(update=updates)})


def plan_areas(config: Config, model_dir: Path) -> list[Area]:
    """The public site always; the signed-in area when tasks are to be audited there."""
    areas = [Area("public", config, model_dir)]
    if config.login and config.area_tasks("account"):
        start = normalize_url(urljoin(config.site.start_url or "", config.login.start_url))
        site = config.site.model_copy(update={"start_url": start})
        account = config.model_copy(update={"site": site})
        areas.append(Area("account", account, model_dir / ACCOUNT_DIR))
    return areas


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


def default_out_dir(start_url: str) -> Path:
    host = (urlsplit(start_url).netloc or "site").replace(":", "_")
    return Path("results") / f"{host}-{datetime.now():%Y%m%d-%H%M%S}"


def prepare_out_dir(out_dir: Path, force: bool) -> Path:
    """An output folder holds one run: refuse to mix a new run into an old one unless forced."""
    model_dir = out_dir / MODEL_DIR
    if (out_dir / "summary.json").exists() or model_dir.exists():
        if not force:
            raise UsageError(f"{out_dir} already holds a run; use --force to replace it")
        (out_dir / "summary.json").unlink(missing_ok=True)
        shutil.rmtree(model_dir, ignore_errors=True)
    try:
        model_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write to {out_dir}: {exc.strerror}") from None
    return model_dir


def _comparable(config: Config) -> dict:
    """What must not change between a run and its resumption (pace and time limit may)."""
    data = config.model_dump(mode="json")
    for key in ("max_duration_s", "throttle"):
        data["site"].pop(key)
    return data


def prepare_resume(out_dir: Path, config: Config) -> Path:
    """A folder to resume holds an unfinished crawl of the same configuration."""
    model_dir = out_dir / MODEL_DIR
    job = model_dir / JOB_FILE
    if not job.exists():
        raise UsageError(f"nothing to resume in {out_dir} (no {MODEL_DIR}/{JOB_FILE})")
    saved = Config.model_validate_json(job.read_text(encoding="utf-8"))
    if _comparable(saved) != _comparable(config):
        raise UsageError(f"{out_dir} was crawled with another URL or config; resume with the same")
    (out_dir / "summary.json").unlink(missing_ok=True)
    return model_dir


def lock_run(model_dir: Path, wait_s: float) -> int:
    """Hold the folder for this run; the crawl process inherits the lock, so a crawl orphaned
    by a killed CLI keeps it until it has stopped writing."""
    fd = os.open(model_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    give_up = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= give_up:
                os.close(fd)
                raise UsageError(f"another toptasks run is writing to {model_dir.parent}") from None
            time.sleep(0.2)


def render_paths(audit: AreaAudit, options: AuditOptions) -> list[dict]:
    """Render the start page and every page on a click path, outlining each task's links."""
    model, paths = audit.model, audit.paths
    jobs: dict[str, RenderJob] = {
        model.page(model.start_url)["final_url"]: RenderJob("", keyboard=True)
    }
    html = set(model.pages.loc[model.pages["content_type"].str.contains("html"), "final_url"])
    for task_id, path in paths.items():
        for url in path.path:
            if url in html:
                jobs.setdefault(url, RenderJob(url))
        for step in path.steps:
            jobs[step.source_url].highlights.append(Highlight(task_id, step.link_url))
    clicks = read_click_targets(audit.area.model_dir)
    for url, job in jobs.items():
        job.url = url
        job.click_targets = clicks
    shots = options.out / "screenshots"
    records = render_pages(
        list(jobs.values()),
        options.viewports,
        shots,
        options.page_timeout,
        options.deadline,
        audit.area.session,
        http_credentials(audit.area.config.site),
    )
    rendered_file = audit.area.model_dir / RENDERED_FILE
    rendered_file.unlink(missing_ok=True)
    append_jsonl(rendered_file, records)
    return records


def serving_urls(paths: dict[str, TaskPath]) -> set[str]:
    """Pages and links that lead toward some top task: links to these are not noise."""
    urls = {url for path in paths.values() for url in path.path}
    return urls | {step.link_url for path in paths.values() for step in path.steps}


def predicted_success(
    walk: SiteWalk, task: Task, scorer: Scorer, viewports: list[str], simulation: Simulation
) -> dict[str | None, Prediction]:
    """Per rendered viewport (where menus and the fold cost effort), else once on the links."""
    rendered = [vp for vp in viewports if vp in walk.effort] or [None]
    settings = simulation.model_dump()
    return {vp: simulate(walk, task, scorer, vp, **settings) for vp in rendered}


def task_rows(
    tasks: list[Task],
    weights: dict[str, float],
    audit: AreaAudit,
    viewports: list[str],
    simulation: Simulation,
    scorer: Scorer,
) -> tuple[list[dict], list[dict]]:
    """Every audit, task by task; then the page-level distraction findings once per page."""
    model, graph, paths = audit.model, audit.graph, audit.paths
    rendered = sorted({vp for _, vp in model.rendered} & set(viewports))
    vocabulary = scorer.vocabulary if isinstance(scorer, TfidfScorer) else None
    walk = SiteWalk.of(model, graph, rendered, vocabulary)
    task_urls = serving_urls(paths)
    rows, findings = [], []
    for task in tasks:
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
                "area": task.area,
                "weight": weights[task.id],
                **findability_fields(path),
                **visible,
                **scent,
                "distraction_score": distraction,
                "est_time_s": est_time,
                "score": score,
            }
        )
        predictions = predicted_success(walk, task, scorer, viewports, simulation)
        searched, search_findings = audit_search(graph, task, path, model.searches)
        rows[-1] |= predicted_fields(predictions) | searched
        findings += findability_findings(path) + visibility_findings + scent_findings
        findings += scent_trap_findings(task, predictions) + search_findings
    on_paths = {url for path in paths.values() for url in path.path}
    pages: list[dict] = []
    for (url, _), record in sorted(model.rendered.items()):
        if url in on_paths and record["ok"]:
            pages += distraction_findings(record, task_urls) + layout_findings(record)
    start = model.page(model.start_url)
    return rows, findings + consent_once(pages, start["final_url"] if start else model.start_url)


def page_rows(model: SiteModel) -> pd.DataFrame:
    """pages.csv: the crawl's record of each URL, with what rendering added (rendering
    touches a few dozen pages: only those rows are looked at one by one)."""
    pages = model.pages.copy()
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


def locate_paths(area: Area) -> AreaAudit:
    """Read an area's model back and find each of its tasks' shortest click path."""
    model = SiteModel.load(area.model_dir, area.start_url)
    problem = start_page_problem(model)
    if problem is None and area.name == "account":
        problem = _sent_to_login(model, area)
    if problem is not None and area.name == "account":
        problem = f"signed-in area: {problem}"
    graph = LinkGraph(model)
    paths = {task.id: shortest_click_path(graph, task) for task in area.tasks}
    return AreaAudit(area, model, graph, paths, problem)


def _sent_to_login(model: SiteModel, area: Area) -> str | None:
    """A signed-in start page that lands on the login page means the session was refused."""
    login = area.config.login
    first_goto = next((s.goto for s in login.steps if s.goto), None) if login else None
    if first_goto is None:
        return None
    login_path = urlsplit(urljoin(area.start_url, first_goto)).path
    landed = model.page(model.start_url)["final_url"]
    if urlsplit(landed).path == login_path:
        return f"{area.start_url} sent the crawler to the login page: the session was not accepted"
    return None


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
        "start_url": models[0].start_url,
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
            "links": sum(len(m.links) for m in models),
        },
        "tasks": json_records(tasks, "tasks.csv"),
        "site_score": site_score(
            {t["task_id"]: t["score"] for t in tasks}, {t["task_id"]: t["weight"] for t in tasks}
        ),
        "screenshots": screenshots,
        "menu_screenshots": menu_screenshots,
    }


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


def partial_reasons(audit: AreaAudit, stats: dict) -> list[str]:
    """Why an area's results are not the whole picture, if they are not."""
    reasons = []
    finish = stats.get("finish_reason", "finished")
    if finish == "closespider_timeout":
        reasons.append("the crawl stopped at --max-duration")
    elif finish != "finished":
        reasons.append(f"the crawl stopped early ({finish})")
    if any("--max-duration" in r["error"] for r in audit.model.rendered.values()):
        reasons.append("rendering stopped at --max-duration")
    if audit.area.name != "public":
        reasons = [f"signed-in area: {reason}" for reason in reasons]
    return reasons


def _render(audits: list[AreaAudit], options: AuditOptions) -> Interrupted | None:
    """Render each area that could be audited; an interruption keeps what was rendered."""
    for i, audit in enumerate(audits):
        if audit.problem is None:
            try:
                _render_area(audit, options)
                audits[i] = _follow_path_scripts(audit, options) or audit
            except Interrupted as stop:
                return stop
    return None


def _render_area(audit: AreaAudit, options: AuditOptions) -> None:
    records = render_paths(audit, options)
    audit.model.rendered = {(r["url"], r["viewport"]): r for r in records}


def _paths(audit: AreaAudit) -> dict[str, list[str]]:
    return {task_id: path.path for task_id, path in audit.paths.items()}


def _follow_path_scripts(audit: AreaAudit, options: AuditOptions) -> AreaAudit | None:
    """On a server-rendered site, links that scripts build on the pages along a path are
    links too: they join the model, and where they open or shorten a path, the paths are
    found and rendered again (once). None when nothing changed."""
    decision = audit.area.decision
    if decision is None or decision.mode != "http" or past(options.deadline):
        return None
    records = list(audit.model.rendered.values())
    if not add_scripted_links(audit.area, audit.model, records, options):
        return None
    again = locate_paths(audit.area)
    if _paths(again) == _paths(audit):
        again.model.rendered = audit.model.rendered
    else:
        _render_area(again, options)
    return again


def journey_plans(config: Config, areas: list[Area]) -> list[JourneyPlan]:
    """Each journey starts on its task's area start page, signed in for the account area."""
    by_name = {area.name: area for area in areas}
    task_area = {task.id: task.area for task in config.tasks}
    base = config.site.start_url or ""
    plans = []
    for journey in config.journeys:
        area = by_name.get(task_area[journey.task])
        if area is not None:
            credentials = http_credentials(config.site)
            plans.append(JourneyPlan(journey, area.start_url, base, area.session, credentials))
    return plans


def _stacked(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def write_run(
    config: Config,
    options: AuditOptions,
    audits: list[AreaAudit],
    journeys: list[dict],
    started: str,
    timings: dict[str, float],
    reasons: list[str],
) -> dict:
    """The audits proper and every output file of the run; returns summary.json's content.

    `timings` holds the earlier phases' seconds; `reasons` why the run is partial, if it is.
    """
    out_dir = options.out
    assert out_dir is not None
    clock = time.monotonic()
    weights = config.weights()
    measured = measured_time_s(journeys, options.viewports)
    tasks, findings, stats, area_reasons = [], [], {}, []
    for audit in audits:
        area_stats = read_stats(audit.area.model_dir)
        stats[audit.area.name] = area_stats
        rows, found = task_rows(
            audit.area.tasks,
            weights,
            audit,
            options.viewports,
            config.simulation,
            site_scorer(audit.model, config.scent.model),
        )
        tasks += [row | {"measured_time_s": measured.get(row["task_id"])} for row in rows]
        findings += found + crawl_findings(area_stats) + link_findings(audit.model)
        area_reasons += partial_reasons(audit, area_stats)
    order = {task.id: i for i, task in enumerate(config.tasks)}
    tasks.sort(key=lambda row: order[row["task_id"]])
    timings["audits"] = time.monotonic() - clock
    clock = time.monotonic()
    pages = _stacked([page_rows(a.model).assign(area=a.area.name) for a in audits])
    write_table(pages, out_dir, "pages.csv")
    del pages
    write_links(out_dir, [(a.area.model_dir / LINKS_FILE, a.area.name) for a in audits])
    write_table(findings, out_dir, "findings.csv")
    write_table(tasks, out_dir, "tasks.csv")
    budgets = {t.id: (t.budget.max_clicks, t.budget.max_time_s) for t in config.tasks}
    fixes = fix_rows(tasks, findings, budgets)
    write_table(fixes, out_dir, "fixes.csv")
    if config.journeys:
        write_table(journeys, out_dir, "journeys.csv")
    times = {"started": started, "finished": datetime.now(UTC).isoformat(timespec="seconds")}
    summary = summarize(config, options, audits, tasks, times)
    reasons = area_reasons + reasons
    summary |= {"partial": bool(reasons), "partial_reasons": reasons, "crawl": stats["public"]}
    summary["fix_first"] = json_records(fixes[:FIX_FIRST], "fixes.csv")
    summary["astray"] = {task["task_id"]: task.get("astray", []) for task in tasks}
    summary["search"] = search_summary(audits[0].model.searches)
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


def run_audit(config: Config, options: AuditOptions) -> RunResult:
    if config.scent.model == "embedding" and (missing := semantic_unavailable()):
        raise UsageError(missing)
    config = resolve_config(config, options)
    assert config.site.start_url is not None
    secrets = secret_values(config)
    if options.resume:
        if options.out is None:
            raise UsageError("--resume needs the folder of the run to continue")
        model_dir = prepare_resume(options.out, config)
    else:
        options.out = options.out or default_out_dir(config.site.start_url)
        model_dir = prepare_out_dir(options.out, options.force)
    out_dir = options.out
    if options.record:  # a history that is not one is refused now, not after the crawl
        check_store(history_location(options.history, out_dir))
    options.lock_fd = lock_run(model_dir, LOCK_WAIT_S if options.resume else 0)
    if options.max_duration:
        options.deadline = time.monotonic() + options.max_duration
    started = datetime.now(UTC).isoformat(timespec="seconds")
    clock = time.monotonic()
    areas = plan_areas(config, model_dir)
    if config.login:  # once, before anything is crawled: a broken login fails fast
        start, timeout = config.site.start_url, options.page_timeout
        credentials = http_credentials(config.site)
        session = sign_in(config.login, start, out_dir, timeout, secrets, credentials)
        for area in areas[1:]:
            area.session = session
    interrupted = None
    for area in areas:
        if interrupted is None:
            interrupted = gather_area(area, options)
    timings = {"gather": time.monotonic() - clock}  # login, crawl, and links scripts add
    clock = time.monotonic()
    audits = [locate_paths(area) for area in areas]
    timings["paths"] = time.monotonic() - clock
    clock = time.monotonic()
    journeys: list[dict] = []
    if options.render and interrupted is None:
        interrupted = _render(audits, options)
        if config.journeys and interrupted is None:
            plans = journey_plans(config, areas)
            journeys = replay_journeys(plans, options.viewports, options.page_timeout, secrets)
    timings["render"] = time.monotonic() - clock
    reasons = [f"interrupted by signal {interrupted.signum}"] if interrupted else []
    summary = write_run(config, options, audits, journeys, started, timings, reasons)
    problem = next((audit.problem for audit in audits if audit.problem), None)
    history_error = None
    if options.record and interrupted is None and problem is None:
        history_error = record_in_history(options)
    write_report(out_dir)
    if interrupted is not None:
        raise Interrupted(
            interrupted.signum,
            f"interrupted: partial results in {out_dir}; continue with --resume {out_dir}",
        )
    if problem:
        raise SiteError(problem)
    return RunResult(out_dir, summary, history_error)
