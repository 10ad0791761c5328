"""One audit run, as named phases: gather (crawl each area into its site model), render (each
task's path in Chromium), analyse (the audits, pure functions of the model), write (the run's
files, the history, the report). Each phase is a module of its own; this one only orders them,
and turns an interruption or a site that cannot be audited into what the CLI reports."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from audits.semantic_scent import english_only
from audits.semantic_scent import unavailable as semantic_unavailable
from contract.config import Config
from contract.errors import Interrupted, SiteError, ToptasksError, UsageError
from crawler.browser import http_credentials
from crawler.journeys import replay_journeys
from crawler.login import sign_in
from toptasks.analyse import analyse
from toptasks.area_audit import locate_paths
from toptasks.gather import gather_area, plan_areas
from toptasks.history import check_store, history_location
from toptasks.options import AuditOptions, resolve_config, secret_values
from toptasks.rendering import journey_plans, render_areas
from toptasks.report import write_report
from toptasks.run_folder import (
    LOCK_WAIT_S,
    default_out_dir,
    lock_run,
    prepare_out_dir,
    prepare_resume,
)
from toptasks.write import record_in_history, write_run


@dataclass
class RunResult:
    out_dir: Path
    summary: dict
    history_error: ToptasksError | None = None  # the run's files are whole; the history is not


def open_run_folder(config: Config, options: AuditOptions) -> Path:
    """The run's model folder, new or resumed, locked for this run; sets `options.out`."""
    assert config.site.start_url is not None
    if options.resume:
        if options.out is None:
            raise UsageError("--resume needs the folder of the run to continue")
        model_dir = prepare_resume(options.out, config)
    else:
        options.out = options.out or default_out_dir(config.site.start_url)
        model_dir = prepare_out_dir(options.out, options.force)
    if options.record:  # a history that is not one is refused now, not after the crawl
        check_store(history_location(options.history, options.out))
    options.lock_fd = lock_run(model_dir, LOCK_WAIT_S if options.resume else 0)
    return model_dir


def run_audit(config: Config, options: AuditOptions) -> RunResult:
    if config.scent.model == "embedding" and (missing := semantic_unavailable()):
        raise UsageError(missing)
    config = resolve_config(config, options)
    secrets = secret_values(config)
    model_dir = open_run_folder(config, options)
    out_dir = options.out
    assert out_dir is not None
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
    if config.scent.model == "embedding" and (note := english_only(audits[0].model.lang)):
        print(f"toptasks: warning: {note}", file=sys.stderr)

    clock = time.monotonic()
    journeys: list[dict] = []
    if options.render and interrupted is None:
        interrupted = render_areas(audits, options)
        if config.journeys and interrupted is None:
            plans = journey_plans(config, areas)
            journeys = replay_journeys(plans, options.viewports, options.page_timeout, secrets)
    timings["render"] = time.monotonic() - clock

    clock = time.monotonic()
    analysis = analyse(config, options, audits, journeys)
    timings["audits"] = time.monotonic() - clock

    reasons = [f"interrupted by signal {interrupted.signum}"] if interrupted else []
    summary = write_run(config, options, audits, analysis, journeys, started, timings, reasons)
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
