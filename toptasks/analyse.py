"""The analyse phase: every audit run over each area's model, task by task; pure functions of
the model and the config (audits/), gathered into the run's rows."""

from __future__ import annotations

from dataclasses import dataclass

from audits.accessibility import audit_accessibility
from audits.crawl_health import crawl_findings, link_findings, soft_404_findings
from audits.distraction import consent_once, distraction_findings, task_distraction
from audits.findability import (
    TaskPath,
    findability_fields,
    findability_findings,
)
from audits.scent import Scorer, TfidfScorer, audit_scent, site_scorer
from audits.score import task_score
from audits.simulation import (
    Prediction,
    SiteWalk,
    predicted_fields,
    scent_trap_findings,
    simulate,
)
from audits.site_search import audit_search
from audits.sitemaps import orphan_findings, sitemap_findings
from audits.time_on_task import estimated_time_s
from audits.visibility import (
    audit_visibility,
    dead_control_findings,
    layout_findings,
    render_lost_finding,
)
from contract.config import Config, Simulation, Task
from crawler.journeys import measured_time_s
from crawler.stats import read_stats
from toptasks.area_audit import AreaAudit
from toptasks.options import AuditOptions


@dataclass
class Analysis:
    """Every audit's rows for the run: one per task, and the findings of tasks and pages."""

    tasks: list[dict]
    findings: list[dict]
    stats: dict[str, dict]  # each area's crawl statistics
    reasons: list[str]  # why an area's results are not the whole picture, if they are not


def analyse(
    config: Config, options: AuditOptions, audits: list[AreaAudit], journeys: list[dict]
) -> Analysis:
    """The audits proper, area by area, tasks in the config's order."""
    weights = config.weights()
    measured = measured_time_s(journeys, options.viewports)
    tasks, findings, stats, reasons = [], [], {}, []
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
        findings += soft_404_findings(audit.model) + sitemap_findings(audit.model)
        reasons += partial_reasons(audit, area_stats)
    order = {task.id: i for i, task in enumerate(config.tasks)}
    tasks.sort(key=lambda row: order[row["task_id"]])
    return Analysis(tasks, findings, stats, reasons)


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
        access, a11y_findings = audit_accessibility(model, task, path, viewports)
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
                **access,
                **scent,
                "distraction_score": distraction,
                "est_time_s": est_time,
                "score": score,
            }
        )
        predictions = predicted_success(walk, task, scorer, viewports, simulation)
        searched, search_findings = audit_search(graph, task, path, model.searches)
        rows[-1] |= predicted_fields(predictions) | searched
        findings += a11y_findings + findability_findings(path) + visibility_findings
        findings += scent_findings
        findings += scent_trap_findings(task, predictions) + search_findings
    findings += orphan_findings(model, graph, tasks, paths, walk, scorer)
    on_paths = {url for path in paths.values() for url in path.path}
    entries = {f["element"] for f in findings if f["kind"] == "dead_control"}
    pages: list[dict] = []
    for (url, _), record in sorted(model.rendered.items()):
        if url in on_paths and record["ok"]:
            pages += distraction_findings(record, task_urls) + layout_findings(record)
            pages += dead_control_findings(record, entries)
        elif url in on_paths and "--max-duration" not in record["error"]:
            pages.append(render_lost_finding(record))
    start = model.page(model.start_url)
    return rows, findings + consent_once(pages, start["final_url"] if start else model.start_url)


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
