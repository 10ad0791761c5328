"""The output tables' columns and types (SPEC §5), defined once for every writer.

Contract columns come first in SPEC order; columns added later are appended, never renamed.
"""

from __future__ import annotations

from typing import Literal

Kind = Literal["str", "int", "float", "bool"]

TASKS: dict[str, Kind] = {
    "task_id": "str",
    "task_name": "str",
    "weight": "float",
    "reachable": "bool",
    "clicks": "int",
    "interactions": "int",
    "path": "str",
    "target_url": "str",
    "entry_text": "str",
    "entry_above_fold_desktop": "bool",
    "entry_above_fold_mobile": "bool",
    "entry_in_collapsed_menu_mobile": "bool",
    "entry_area_px_desktop": "float",
    "visibility_score": "float",
    "load_s": "float",
    "est_time_s": "float",
    "distraction_score": "float",
    "competing_links": "int",
    "score": "float",
    "entry_url": "str",
    "area": "str",
    "measured_time_s": "float",
    "interactions_desktop": "int",
    "interactions_mobile": "int",
    "entry_in_collapsed_menu_desktop": "bool",
    "entry_menu_path": "str",
    "tab_stops_desktop": "int",
    "predicted_success": "float",
    "predicted_clicks_median": "float",
    "predicted_success_desktop": "float",
    "predicted_success_mobile": "float",
    "search_rank": "int",
    "a11y_blockers": "int",
    "a11y_issues": "int",
    "path_text": "str",  # the words clicked at each step, joined with " > "
}

PAGES: dict[str, Kind] = {
    "url": "str",
    "status": "int",
    "depth": "int",
    "title": "str",
    "content_type": "str",
    "bytes": "int",
    "n_links": "int",
    "fetch_ms": "float",
    "rendered": "bool",
    "load_ms_desktop": "float",
    "error": "str",
    "final_url": "str",
    "targets": "str",
    "area": "str",
    "text_chars": "int",
    "app_root": "str",
}

LINKS: dict[str, Kind] = {
    "source_url": "str",
    "target_url": "str",
    "text": "str",
    "region": "str",
    "position": "int",
    "kind": "str",
    "rendered_only": "bool",
    "area": "str",
}

FINDINGS: dict[str, Kind] = {
    "task_id": "str",
    "page_url": "str",
    "viewport": "str",
    "kind": "str",
    "severity": "str",
    "element": "str",
    "detail": "str",
    "area_share": "float",
}

JOURNEYS: dict[str, Kind] = {
    "task_id": "str",
    "viewport": "str",
    "step": "int",
    "action": "str",
    "ms": "float",
    "ok": "bool",
    "error": "str",
    "interactions": "int",
}

FIXES: dict[str, Kind] = {
    "rank": "int",
    "site_score_gain": "float",
    "kind": "str",
    "fix": "str",
    "task_ids": "str",
    "page_url": "str",
    "viewport": "str",
    "element": "str",
    "problem": "str",
}

# A task's figures as they are compared across sites and followed across runs.
TASK_FIGURES: dict[str, Kind] = {
    "reachable": "bool",
    "clicks": "int",
    "interactions": "int",
    "entry_above_fold_desktop": "bool",
    "entry_above_fold_mobile": "bool",
    "est_time_s": "float",
    "measured_time_s": "float",
    "distraction_score": "float",
    "score": "float",
}

COMPARE: dict[str, Kind] = {
    "task_id": "str",
    "task_name": "str",
    "site": "str",
    "run_dir": "str",
    "in_all_runs": "bool",
    **TASK_FIGURES,
}

HISTORY: dict[str, Kind] = {
    "run_id": "str",
    "finished_at": "str",
    "site": "str",
    "task_set": "str",
    "partial": "bool",
    "site_score": "float",
    "out_dir": "str",
    "task_id": "str",
    "task_name": "str",
    **TASK_FIGURES,
    "predicted_success": "float",
}

TABLES: dict[str, dict[str, Kind]] = {
    "tasks.csv": TASKS,
    "pages.csv": PAGES,
    "links.csv": LINKS,
    "findings.csv": FINDINGS,
    "journeys.csv": JOURNEYS,
    "fixes.csv": FIXES,
    "compare.csv": COMPARE,
    "trend.csv": HISTORY,  # a run's own site and tasks, from the history
    "history.csv": HISTORY,  # `toptasks history --csv`
}
