"""One audit run: crawl into the site model, run the audits, write the run's files."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pandas as pd

from audits.crawl_health import crawl_findings, link_findings
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
from crawler.crawl_mode import CrawlDecision, decide, measure
from crawler.journeys import JourneyPlan, measured_time_s, replay_journeys
from crawler.links import normalize_url
from crawler.login import sign_in
from crawler.model import (
    LINKS_FILE,
    PAGES_FILE,
    RENDERED_FILE,
    SEEDS_FILE,
    SiteModel,
    append_jsonl,
    append_links,
)
from crawler.render import Highlight, RenderJob, render_pages, rendered_only_links
from crawler.resume import trim_and_find_frontier
from crawler.run import JOB_FILE, WRITE_FAILED
from crawler.scripted_pages import CLICK_LINKS_FILE, read_click_targets
from crawler.session import DenyList, session_env
from crawler.stats import STATS_FILE, read_stats, reopen_stats
from toptasks import __version__
from toptasks.config import Config, Task, config_hash
from toptasks.errors import Interrupted, SiteError, UsageError
from toptasks.output import json_records, write_json, write_links, write_table
from toptasks.report import write_report

MODEL_DIR = "model"
ACCOUNT_DIR = "account"  # the signed-in area's model, inside MODEL_DIR
LOCK_FILE = ".lock"
LOCK_WAIT_S = 15.0  # a killed run's crawl notices within a second or two and lets go
STOP_GRACE_S = 15.0  # beyond the download timeout, for Scrapy to close cleanly after a signal


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
    # Set by run_audit for the phases: the wall-clock deadline and the folder's lock.
    deadline: float | None = None
    lock_fd: int | None = None


@dataclass
class RunResult:
    out_dir: Path
    summary: dict


@dataclass
class Area:
    """A part of the site audited as one kind of visitor: anyone, or the signed-in user.

    Each area has its own crawl and model; `config` is the whole config with this area's
    start URL, so every crawl setting and limit applies to both.
    """

    name: str
    config: Config
    model_dir: Path
    session: dict[str, Any] | None = None
    decision: CrawlDecision | None = None  # crawled over HTTP or in the browser, and why

    @property
    def tasks(self) -> list[Task]:
        return self.config.area_tasks(self.name)

    @property
    def start_url(self) -> str:
        return self.config.site.start_url or ""


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


def _stop(child: subprocess.Popen, grace_s: float) -> None:
    """Ask the crawl to stop as Scrapy likes (one SIGINT: close the spider, flush the model)."""
    child.send_signal(signal.SIGINT)
    try:
        child.wait(timeout=grace_s)
    except (subprocess.TimeoutExpired, Interrupted):
        child.kill()
        child.wait()


def crawl(
    config: Config,
    model_dir: Path,
    seeds: list[tuple[str, int]] = (),
    lock: int | None = None,
    session: dict[str, Any] | None = None,
    browser_timeout_s: float | None = None,
) -> None:
    """Run the Scrapy crawl in a child process (Twisted's reactor cannot be restarted).

    With seeds, the crawl extends the model already on disk from those URLs. The child has its
    own process session, so a Ctrl-C reaches it once, from here, and it stops cleanly. A
    signed-in `session` reaches it in its environment, never in a file. With
    `browser_timeout_s`, pages are loaded in Chromium, each within that many seconds.
    """
    (model_dir / JOB_FILE).write_text(config.model_dump_json(indent=2), encoding="utf-8")
    seeds_file = model_dir / SEEDS_FILE
    if seeds:
        seeds_file.write_text(json.dumps(seeds), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **session_env(session)}
    command = [sys.executable, "-m", "crawler.run", str(model_dir)]
    if browser_timeout_s is not None:
        command.append(str(browser_timeout_s))
    fds = () if lock is None else (lock,)
    child = subprocess.Popen(command, env=env, start_new_session=True, pass_fds=fds)
    try:
        code = child.wait()
    except Interrupted:
        _stop(child, config.site.download_timeout_s + STOP_GRACE_S)
        raise
    finally:
        seeds_file.unlink(missing_ok=True)
    if code == WRITE_FAILED:
        raise UsageError(f"cannot write the site model in {model_dir} (disk full or read-only?)")
    if code != 0:
        raise SiteError(f"the crawl stopped with an error; see {model_dir / 'crawl.log'}")


def crawl_area(
    area: Area, options: AuditOptions, seeds: list[tuple[str, int]] = (), browser: bool = False
) -> None:
    timeout = options.page_timeout if browser else None
    crawl(area.config, area.model_dir, seeds, options.lock_fd, area.session, timeout)


def resume_crawl(area: Area, options: AuditOptions, browser: bool) -> None:
    """Continue from the pages on disk: fetch what they link to and was not fetched yet."""
    fetched, frontier = trim_and_find_frontier(area.model_dir, area.config.site.max_depth)
    reopen_stats(area.model_dir)
    if not fetched:
        crawl_area(area, options, browser=browser)
    elif frontier:
        crawl_area(area, options, [(url, depth) for url, depth in frontier], browser)


def clear_model(model_dir: Path) -> None:
    """Forget an HTTP crawl that read only an app's empty shells, before crawling again."""
    for name in (PAGES_FILE, LINKS_FILE, CLICK_LINKS_FILE, STATS_FILE, RENDERED_FILE):
        (model_dir / name).unlink(missing_ok=True)


def render_start_page(area: Area, model: SiteModel, options: AuditOptions) -> list[dict]:
    """The start page as the browser shows it, for the crawl-mode decision and its links."""
    start = model.page(model.start_url)["final_url"]
    records = render_pages(
        [RenderJob(start, watch=False)],
        options.viewports,
        None,
        options.page_timeout,
        session=area.session,
    )
    return [r for r in records if r["ok"]]


def choose_crawl_mode(
    area: Area, model: SiteModel, records: list[dict], wanted: str
) -> CrawlDecision:
    if wanted == "http":
        return CrawlDecision("http", "--crawl-with http")
    if not records:
        return CrawlDecision("http", "the start page could not be rendered to compare")
    start = model.page(model.start_url)
    html_targets = set(model.links_from(start["final_url"])["target_url"])
    allowed = area.config.site.allowed_domains
    return decide(measure(start, html_targets, records[0], allowed))


def add_scripted_links(
    area: Area, model: SiteModel, records: list[dict], options: AuditOptions
) -> bool:
    """Links only scripts create on the rendered start page join the model, their pages
    crawled."""
    start = model.page(model.start_url)["final_url"]
    on_start = model.links_from(start)
    rows = rendered_only_links(
        [r for r in records if r["ok"]],
        set(on_start["target_url"]),
        area.config.site.allowed_domains,
        len(on_start) + 1,
    )
    if area.session and area.config.login:
        deny = DenyList.for_login(area.config.login)
        rows = [(*r[:5], "denied", r[6]) if deny.blocks(r[1], r[2]) else r for r in rows]
    if not rows:
        return False
    append_links(area.model_dir, rows)
    known = set(model.pages["url"])
    new = sorted({row[1] for row in rows if row[5] == "internal" and row[1] not in known})
    if new and area.config.site.max_depth >= 1:
        crawl_area(area, options, [(url, 1) for url in new])
    return True


def render_paths(audit: AreaAudit, options: AuditOptions) -> list[dict]:
    """Render the start page and every page on a click path, outlining each task's links."""
    model, paths = audit.model, audit.paths
    jobs: dict[str, RenderJob] = {model.page(model.start_url)["final_url"]: RenderJob("")}
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
    )
    rendered_file = audit.area.model_dir / RENDERED_FILE
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
    tasks: list[Task],
    weights: dict[str, float],
    audit: AreaAudit,
    viewports: list[str],
) -> tuple[list[dict], list[dict]]:
    """Every audit, task by task; then the page-level distraction findings once per page."""
    model, graph, paths = audit.model, audit.graph, audit.paths
    scorer = site_scorer(model)
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
    for model in models:
        for (url, viewport), record in sorted(model.rendered.items()):
            if record.get("screenshot"):
                screenshots.setdefault(url, {})[viewport] = record["screenshot"]
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


def _gather(area: Area, options: AuditOptions) -> Interrupted | None:
    """Crawl (or resume), decide whether the site needs the browser, then find links scripts
    add; an interruption ends gathering early."""
    wanted = options.crawl_with or area.config.site.crawl_with
    try:
        area.model_dir.mkdir(exist_ok=True)
        area.decision = CrawlDecision.load(area.model_dir) if options.resume else None
        if area.decision is None and wanted == "browser":
            area.decision = CrawlDecision("browser", "--crawl-with browser")
            area.decision.save(area.model_dir)
        browser = area.decision is not None and area.decision.mode == "browser"
        if options.resume:
            resume_crawl(area, options, browser)
        else:
            crawl_area(area, options, browser=browser)
        if area.decision is None:
            _decide_after_http_crawl(area, options, wanted)
    except Interrupted as stop:
        return stop
    return None


def _decide_after_http_crawl(area: Area, options: AuditOptions, wanted: str) -> None:
    """Render the crawled start page; an app's empty shell is crawled again in the browser,
    a server-rendered page keeps its HTTP crawl plus the links scripts add."""
    model = SiteModel.load(area.model_dir, area.start_url)
    if not options.render or start_page_problem(model) is not None or _past(options.deadline):
        why = "--no-render" if not options.render else "the start page was not rendered"
        area.decision = CrawlDecision("http", f"{wanted} ({why})")
        area.decision.save(area.model_dir)
        return
    records = render_start_page(area, model, options)
    area.decision = choose_crawl_mode(area, model, records, wanted)
    where = "" if area.name == "public" else "signed-in area: "
    print(
        f"toptasks: {where}crawl mode {area.decision.mode}: {area.decision.reason}", file=sys.stderr
    )
    if area.decision.mode == "browser":
        clear_model(area.model_dir)
        area.decision.save(area.model_dir)
        crawl_area(area, options, browser=True)
    else:
        add_scripted_links(area, model, records, options)
        area.decision.save(area.model_dir)


def _past(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


def _render(audits: list[AreaAudit], options: AuditOptions) -> Interrupted | None:
    """Render each area that could be audited; an interruption keeps what was rendered."""
    for audit in audits:
        if audit.problem is None:
            try:
                records = render_paths(audit, options)
            except Interrupted as stop:
                return stop
            audit.model.rendered = {(r["url"], r["viewport"]): r for r in records}
    return None


def journey_plans(config: Config, areas: list[Area]) -> list[JourneyPlan]:
    """Each journey starts on its task's area start page, signed in for the account area."""
    by_name = {area.name: area for area in areas}
    task_area = {task.id: task.area for task in config.tasks}
    base = config.site.start_url or ""
    plans = []
    for journey in config.journeys:
        area = by_name.get(task_area[journey.task])
        if area is not None:
            plans.append(JourneyPlan(journey, area.start_url, base, area.session))
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
        rows, found = task_rows(audit.area.tasks, weights, audit, options.viewports)
        tasks += [row | {"measured_time_s": measured.get(row["task_id"])} for row in rows]
        findings += found + crawl_findings(area_stats) + link_findings(audit.model)
        area_reasons += partial_reasons(audit, area_stats)
    order = {task.id: i for i, task in enumerate(config.tasks)}
    tasks.sort(key=lambda row: order[row["task_id"]])
    timings["audits"] = time.monotonic() - clock
    clock = time.monotonic()
    pages = _stacked([page_rows(a.model).assign(area=a.area.name) for a in audits])
    write_table(pages, out_dir, "pages.csv")
    write_links(out_dir, [(a.area.model_dir / LINKS_FILE, a.area.name) for a in audits])
    write_table(findings, out_dir, "findings.csv")
    write_table(tasks, out_dir, "tasks.csv")
    if config.journeys:
        write_table(journeys, out_dir, "journeys.csv")
    times = {"started": started, "finished": datetime.now(UTC).isoformat(timespec="seconds")}
    summary = summarize(config, options, audits, tasks, times)
    reasons = area_reasons + reasons
    summary |= {"partial": bool(reasons), "partial_reasons": reasons, "crawl": stats["public"]}
    if "account" in stats:
        summary["account_crawl"] = stats["account"]
    timings["write"] = time.monotonic() - clock  # the CSV files; the report comes after
    summary["timings_s"] = {phase: round(seconds, 2) for phase, seconds in timings.items()}
    write_json(summary, out_dir / "summary.json")
    write_report(out_dir)
    return summary


def run_audit(config: Config, options: AuditOptions) -> RunResult:
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
    options.lock_fd = lock_run(model_dir, LOCK_WAIT_S if options.resume else 0)
    if options.max_duration:
        options.deadline = time.monotonic() + options.max_duration
    started = datetime.now(UTC).isoformat(timespec="seconds")
    clock = time.monotonic()
    areas = plan_areas(config, model_dir)
    if config.login:  # once, before anything is crawled: a broken login fails fast
        session = sign_in(
            config.login, config.site.start_url, out_dir, options.page_timeout, secrets
        )
        for area in areas[1:]:
            area.session = session
    interrupted = None
    for area in areas:
        if interrupted is None:
            interrupted = _gather(area, options)
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
    if interrupted is not None:
        raise Interrupted(
            interrupted.signum,
            f"interrupted: partial results in {out_dir}; continue with --resume {out_dir}",
        )
    problem = next((audit.problem for audit in audits if audit.problem), None)
    if problem:
        raise SiteError(problem)
    return RunResult(out_dir, summary)
