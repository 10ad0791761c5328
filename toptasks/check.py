"""`toptasks check`: a finished run judged against its budgets and, optionally, a baseline run.

Each check is a row (task, check, status, actual, expected, detail); the table, check.json and
the JUnit XML that CI systems read are three views of the same rows. A figure that a run did not
measure (no rendering, say) makes its check `skipped`, never silently passed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd

from contract.config import Config, load_config
from contract.errors import UsageError
from toptasks.output import write_atomically, write_json

SCORE_TOLERANCE = 5.0
VIEWPORTS = ("desktop", "mobile")


@dataclass
class CheckResult:
    task_id: str
    check: str
    status: str  # pass, fail, skipped
    actual: str
    expected: str
    detail: str = ""


def read_tasks(run_dir: Path) -> pd.DataFrame:
    path = run_dir / "tasks.csv"
    if not path.exists():
        raise UsageError(f"{run_dir} is not a toptasks run (no tasks.csv)")
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("task_id")


def run_config(run_dir: Path, tasks_file: Path | None) -> Config:
    """Budgets come from --tasks when given, else from the config the run recorded."""
    if tasks_file is not None:
        return load_config(tasks_file)
    recorded = run_dir / "model" / "config.json"
    if not recorded.exists():
        raise UsageError(f"{run_dir} has no recorded config; give --tasks FILE")
    return Config.model_validate_json(recorded.read_text(encoding="utf-8"))


def _number(cell: str) -> float | None:
    return float(cell) if cell not in ("", None) else None


def _result(task_id: str, check: str, ok: bool | None, actual, expected, detail="") -> CheckResult:
    status = "skipped" if ok is None else ("pass" if ok else "fail")
    show = "" if actual is None else str(actual)
    return CheckResult(task_id, check, status, show, str(expected), detail)


def budget_checks(config: Config, tasks: pd.DataFrame) -> list[CheckResult]:
    results = []
    for task in config.tasks:
        budget = task.budget
        if task.id not in tasks.index:
            continue
        row = tasks.loc[task.id]
        if budget.max_clicks is not None:
            clicks = _number(row["clicks"])
            ok = clicks is not None and clicks <= budget.max_clicks
            shown = "unreachable" if clicks is None else int(clicks)
            results.append(_result(task.id, "max_clicks", ok, shown, f"<= {budget.max_clicks}"))
        for viewport in budget.above_fold:
            cell = row.get(f"entry_above_fold_{viewport}", "")
            ok = None if cell == "" else cell == "true"
            detail = "not measured: run was not rendered at this viewport" if ok is None else ""
            results.append(_result(task.id, f"above_fold_{viewport}", ok, cell, "true", detail))
        for check, column, limit, sign in (
            ("max_time_s", "est_time_s", budget.max_time_s, "<="),
            ("min_score", "score", budget.min_score, ">="),
            ("max_a11y_blockers", "a11y_blockers", budget.max_a11y_blockers, "<="),
        ):
            if limit is None:
                continue
            value = _number(row.get(column, ""))
            if value is not None and check == "max_a11y_blockers":
                value = int(value)  # a count
            ok = None if value is None else (value <= limit if sign == "<=" else value >= limit)
            detail = f"{column} not measured in this run" if value is None else ""
            results.append(_result(task.id, check, ok, value, f"{sign} {limit}", detail))
    return results


def journey_checks(config: Config, run_dir: Path) -> list[CheckResult]:
    """A scripted journey that no longer gets through (a renamed button, say) fails the check."""
    path = run_dir / "journeys.csv"
    columns = ["task_id", "viewport", "step", "action", "ok", "error"]
    steps = (
        pd.read_csv(path, dtype=str, keep_default_na=False)
        if path.exists()
        else pd.DataFrame(columns=columns)
    )
    results = []
    for journey in config.journeys:
        for viewport in VIEWPORTS:
            rows = steps[(steps["task_id"] == journey.task) & (steps["viewport"] == viewport)]
            check = f"journey_{viewport}"
            if rows.empty:
                results.append(_result(journey.task, check, None, None, "ok", "not replayed"))
                continue
            failed = rows[rows["ok"] != "true"]
            if failed.empty:
                results.append(_result(journey.task, check, True, "ok", "ok"))
            else:
                first = failed.iloc[0]
                detail = f"step {first['step']} ({first['action']}): {first['error']}"
                results.append(_result(journey.task, check, False, "failed", "ok", detail))
    return results


def regression_checks(
    tasks: pd.DataFrame, baseline: pd.DataFrame, tolerance: float = SCORE_TOLERANCE
) -> list[CheckResult]:
    results = []
    for task_id in tasks.index.intersection(baseline.index):
        now, before = tasks.loc[task_id], baseline.loc[task_id]
        if before["reachable"] == "true":
            ok = now["reachable"] == "true"
            results.append(_result(task_id, "still_reachable", ok, now["reachable"], "true"))
        clicks, clicks_before = _number(now["clicks"]), _number(before["clicks"])
        if clicks is not None and clicks_before is not None:
            ok = clicks <= clicks_before
            results.append(
                _result(task_id, "clicks_not_more", ok, int(clicks), f"<= {int(clicks_before)}")
            )
        for viewport in VIEWPORTS:
            column = f"entry_above_fold_{viewport}"
            if before.get(column) == "true" and now.get(column, "") != "":
                ok = now[column] == "true"
                results.append(_result(task_id, f"keeps_{column}", ok, now[column], "true"))
        score, score_before = _number(now["score"]), _number(before["score"])
        if score is not None and score_before is not None:
            floor = round(score_before - tolerance, 1)
            ok = score >= floor
            results.append(_result(task_id, "score_not_lower", ok, score, f">= {floor}"))
    return results


def junit_xml(results: list[CheckResult]) -> str:
    """JUnit XML as GitHub Actions, GitLab and Jenkins read it: one test case per check."""
    failures = sum(r.status == "fail" for r in results)
    skipped = sum(r.status == "skipped" for r in results)
    suite = ET.Element(
        "testsuite",
        name="toptasks",
        tests=str(len(results)),
        failures=str(failures),
        skipped=str(skipped),
        errors="0",
    )
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=f"toptasks.{r.task_id}", name=r.check)
        message = f"{r.check}: {r.actual or 'not measured'} (expected {r.expected}) {r.detail}"
        if r.status == "fail":
            ET.SubElement(case, "failure", message=message.strip(), type="budget").text = message
        elif r.status == "skipped":
            ET.SubElement(case, "skipped", message=message.strip())
    suites = ET.Element("testsuites", name="toptasks", tests=str(len(results)))
    suites.append(suite)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)


def run_check(
    run_dir: Path, baseline_dir: Path | None = None, tasks_file: Path | None = None
) -> list[CheckResult]:
    """Judge a run; writes check.json and check.xml into it."""
    tasks = read_tasks(run_dir)
    config = run_config(run_dir, tasks_file)
    results = budget_checks(config, tasks) + journey_checks(config, run_dir)
    if baseline_dir is not None:
        results += regression_checks(tasks, read_tasks(baseline_dir))
    summary = {
        "run": str(run_dir),
        "baseline": str(baseline_dir) if baseline_dir else None,
        "passed": sum(r.status == "pass" for r in results),
        "failed": sum(r.status == "fail" for r in results),
        "skipped": sum(r.status == "skipped" for r in results),
        "checks": [asdict(r) for r in results],
    }
    write_json(summary, run_dir / "check.json")
    write_atomically(run_dir / "check.xml", lambda out: out.write(junit_xml(results)))
    return results
