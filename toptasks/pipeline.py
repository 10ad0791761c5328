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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

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
from crawler.links import normalize_url
from crawler.model import (
    RENDERED_FILE,
    SEEDS_FILE,
    SiteModel,
    append_jsonl,
    append_links,
)
from crawler.render import Highlight, RenderJob, render_pages, rendered_only_links
from crawler.resume import trim_and_find_frontier
from crawler.run import JOB_FILE, WRITE_FAILED
from crawler.stats import read_stats, reopen_stats
from toptasks import __version__
from toptasks.config import Config, config_hash
from toptasks.errors import Interrupted, SiteError, UsageError
from toptasks.output import json_records, write_json, write_table
from toptasks.report import write_report

MODEL_DIR = "model"
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
    # Set by run_audit for the phases: the wall-clock deadline and the folder's lock.
    deadline: float | None = None
    lock_fd: int | None = None


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
        "max_duration_s": options.max_duration or site.max_duration_s,
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
    config: Config, model_dir: Path, seeds: list[tuple[str, int]] = (), lock: int | None = None
) -> None:
    """Run the Scrapy crawl in a child process (Twisted's reactor cannot be restarted).

    With seeds, the crawl extends the model already on disk from those URLs. The child has its
    own session, so a Ctrl-C reaches it once, from here, and it stops cleanly.
    """
    (model_dir / JOB_FILE).write_text(config.model_dump_json(indent=2), encoding="utf-8")
    seeds_file = model_dir / SEEDS_FILE
    if seeds:
        seeds_file.write_text(json.dumps(seeds), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    command = [sys.executable, "-m", "crawler.run", str(model_dir)]
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


def resume_crawl(config: Config, model_dir: Path, lock: int) -> None:
    """Continue from the pages on disk: fetch what they link to and was not fetched yet."""
    fetched, frontier = trim_and_find_frontier(model_dir, config.site.max_depth)
    reopen_stats(model_dir)
    if not fetched:
        crawl(config, model_dir, lock=lock)
    elif frontier:
        crawl(config, model_dir, [(url, depth) for url, depth in frontier], lock=lock)


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
        crawl(config, model_dir, [(url, 1) for url in new], lock=options.lock_fd)
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
    records = render_pages(
        list(jobs.values()), options.viewports, shots, options.page_timeout, options.deadline
    )
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


def partial_reasons(stats: dict, model: SiteModel, interrupted: Interrupted | None) -> list[str]:
    """Why this run's results are not the whole picture, if they are not."""
    reasons = []
    finish = stats.get("finish_reason", "finished")
    if finish == "closespider_timeout":
        reasons.append("the crawl stopped at --max-duration")
    elif finish != "finished":
        reasons.append(f"the crawl stopped early ({finish})")
    if any("--max-duration" in r["error"] for r in model.rendered.values()):
        reasons.append("rendering stopped at --max-duration")
    if interrupted is not None:
        reasons.append(f"interrupted by signal {interrupted.signum}")
    return reasons


def _gather(config: Config, options: AuditOptions, model_dir: Path) -> Interrupted | None:
    """Crawl (or resume), then find links scripts add; an interruption ends gathering early."""
    try:
        if options.resume:
            resume_crawl(config, model_dir, options.lock_fd)
        else:
            crawl(config, model_dir, lock=options.lock_fd)
        model = SiteModel.load(model_dir, config.site.start_url)
        if options.render and start_page_problem(model) is None and not _past(options.deadline):
            discover_scripted_links(config, model, options)
    except Interrupted as stop:
        return stop
    return None


def _past(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


def run_audit(config: Config, options: AuditOptions) -> RunResult:
    config = resolve_config(config, options)
    assert config.site.start_url is not None
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
    interrupted = _gather(config, options, model_dir)
    timings = {"gather": time.monotonic() - clock}  # crawl, and links scripts add
    clock = time.monotonic()
    model = SiteModel.load(model_dir, config.site.start_url)
    problem = start_page_problem(model)
    graph = LinkGraph(model)
    paths = {task.id: shortest_click_path(graph, task) for task in config.tasks}
    timings["paths"] = time.monotonic() - clock
    clock = time.monotonic()
    if options.render and problem is None and interrupted is None:
        try:
            records = render_paths(model, paths, options)
            model.rendered = {(r["url"], r["viewport"]): r for r in records}
        except Interrupted as stop:
            interrupted = stop
    timings["render"] = time.monotonic() - clock
    clock = time.monotonic()
    stats = read_stats(model_dir)
    tasks, findings = task_rows(config, model, graph, paths, options.viewports)
    findings += crawl_findings(stats) + link_findings(model)
    timings["audits"] = time.monotonic() - clock
    write_table(page_rows(model), out_dir, "pages.csv")
    write_table(model.links, out_dir, "links.csv")
    write_table(findings, out_dir, "findings.csv")
    write_table(tasks, out_dir, "tasks.csv")
    times = {"started": started, "finished": datetime.now(UTC).isoformat(timespec="seconds")}
    summary = summarize(config, options, model, tasks, times)
    reasons = partial_reasons(stats, model, interrupted)
    summary |= {"partial": bool(reasons), "partial_reasons": reasons, "crawl": stats}
    summary["timings_s"] = {phase: round(seconds, 2) for phase, seconds in timings.items()}
    write_json(summary, out_dir / "summary.json")
    write_report(out_dir)
    if interrupted is not None:
        raise Interrupted(
            interrupted.signum,
            f"interrupted: partial results in {out_dir}; continue with --resume {out_dir}",
        )
    if problem:
        raise SiteError(problem)
    return RunResult(out_dir, summary)
