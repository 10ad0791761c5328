"""The render phase: each task's path rendered in Chromium at each viewport (menus opened,
screenshots taken), links that scripts build followed, and journeys replayed."""

from __future__ import annotations

from contract.config import Config
from contract.errors import Interrupted
from contract.records import RENDERED_FILE
from crawler.browser import http_credentials
from crawler.journeys import JourneyPlan
from crawler.model import append_jsonl
from crawler.render import Highlight, RenderJob, render_pages
from crawler.scripted_pages import read_click_targets
from toptasks.area_audit import AreaAudit, locate_paths
from toptasks.gather import Area, add_scripted_links, past
from toptasks.options import AuditOptions


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


def render_areas(audits: list[AreaAudit], options: AuditOptions) -> Interrupted | None:
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
