"""A finished run as Markdown for a CI job's page (GitHub's `$GITHUB_STEP_SUMMARY`, a GitLab
merge-request note): the task table, then the checks that failed, read from the run's files.

Everything in it that comes from the audited site or the config is escaped: a link text or a
page title with a `|` or `<script>` must not break the table or run in the job's page.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from contract.errors import UsageError

TASK_COLUMNS = {
    "task_id": "task",
    "reachable": "reachable",
    "clicks": "clicks",
    "interactions": "interactions",
    "entry_above_fold_desktop": "above the fold (desktop)",
    "entry_above_fold_mobile": "above the fold (mobile)",
    "predicted_success": "predicted success",
    "score": "score",
}
MARKDOWN_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]|<>#"})


def cell(value: object) -> str:
    text = " ".join(str(value).split())
    return text.translate(MARKDOWN_SPECIAL) if text else "–"


def table(frame: pd.DataFrame, links: list[str] | None = None) -> list[str]:
    """A Markdown table; `links`, when given, a last column of ready Markdown, row by row."""
    head = [cell(c) for c in frame.columns] + (["path pictures"] if links else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for i, row in enumerate(frame.itertuples(False)):
        cells = [cell(v) for v in row] + ([links[i]] if links else [])
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def strip_links(task_ids: list[str], strips: dict, report_url: str) -> list[str]:
    """Per task, links to its path pictures in the report, one a viewport ("–" when none)."""
    links = []
    for task_id in task_ids:
        viewports = sorted(strips.get(task_id) or {})
        anchor = f"{report_url}#strip-{quote(task_id)}"
        found = [f"[{vp}]({anchor}-{quote(vp)})" for vp in viewports]
        links.append(" ".join(found) or "–")
    return links


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def markdown_summary(run_dir: Path, report_url: str = "report.html") -> str:
    """`report_url`: where a reader opens the run's report.html (a CI artifact, GitHub Pages);
    each task's path pictures are linked there."""
    if not (run_dir / "tasks.csv").exists():
        raise UsageError(f"{run_dir} is not a toptasks run (no tasks.csv)")
    summary, check = _read(run_dir / "summary.json"), _read(run_dir / "check.json")
    tasks = pd.read_csv(run_dir / "tasks.csv", dtype=str, keep_default_na=False)
    shown = tasks[[c for c in TASK_COLUMNS if c in tasks.columns]].rename(columns=TASK_COLUMNS)
    pages = summary.get("pages", {})
    figures = (
        f"Site score **{cell(summary.get('site_score', ''))}**; "
        f"{pages.get('fetched', 0)} pages fetched, {pages.get('rendered', 0)} rendered."
    )
    if summary.get("partial"):
        figures += " Partial: " + cell("; ".join(summary.get("partial_reasons", []))) + "."
    title = f"## toptasks: {cell(summary.get('start_url', run_dir.name))}"
    strips = summary.get("filmstrips") or {}
    links = strip_links(list(tasks["task_id"]), strips, report_url) if strips else None
    lines = [title, "", figures, "", *table(shown, links), ""]
    failed = [c for c in check.get("checks", []) if c["status"] == "fail"]
    if not check:
        lines.append("No checks were run.")
    elif not failed:
        lines.append(f"All {check['passed']} checks pass ({check['skipped']} skipped).")
    else:
        total = check["passed"] + check["failed"]
        lines += [f"### {len(failed)} of {total} checks failed", ""]
        rows = pd.DataFrame(failed)[["task_id", "check", "actual", "expected", "detail"]]
        lines += table(rows.rename(columns={"task_id": "task"}))
    return "\n".join(lines) + "\n"
