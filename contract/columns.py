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
    "entry_region_desktop": "str",
    "entry_region_mobile": "str",
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
    "found_via": "str",
    "in_sitemap": "bool",
    "other_urls": "str",
    "orphan": "bool",
    "lang": "str",
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

# What each column means, for the generated reference (docs) and its test: every column of
# every table above has a description here, and no description names a column that is gone.
TASKS_DESCRIPTIONS: dict[str, str] = {
    "task_id": "The task's id from the config.",
    "task_name": "The task's name from the config.",
    "weight": "The task's share of the site score (weights normalised to sum to 1).",
    "reachable": "A target page can be reached by links from the start page.",
    "clicks": "Link activations on the shortest path to a target page; empty when unreachable.",
    "interactions": "Clicks plus menu openings and pop-ups closed on the path: the larger of "
    "the two viewports.",
    "path": "The click path's URLs, joined with ` > `.",
    "target_url": "The target page the path ends on.",
    "entry_text": "The words of the path's first link (the element whose figures are reported).",
    "entry_above_fold_desktop": "The entry is visible on the first desktop screen at load.",
    "entry_above_fold_mobile": "The entry is visible on the first mobile screen at load.",
    "entry_in_collapsed_menu_mobile": "On mobile the entry shows only once a menu is opened.",
    "entry_area_px_desktop": "The entry's size on desktop, width x height in CSS px.",
    "visibility_score": "0-100: above the fold, size, visual rank, contrast and wording.",
    "load_s": "Measured load time summed over the path's pages, in seconds (desktop).",
    "est_time_s": "Predicted time on task for a person (keystroke-level model), in seconds.",
    "distraction_score": "0-100, higher is worse: the worst page and viewport on the path.",
    "competing_links": "Links on the path pages whose wording competes with the way on.",
    "score": "0-100 task score: findability, visibility, speed, distraction; 0 if unreachable.",
    "entry_url": "Where the path's first link leads.",
    "area": "public, or account for a task audited signed in.",
    "measured_time_s": "A journey's steps summed on desktop, in seconds; empty without one.",
    "interactions_desktop": "Clicks plus menu openings and pop-ups closed on the rendered path, "
    "desktop.",
    "interactions_mobile": "Clicks plus menu openings and pop-ups closed on the rendered path, "
    "mobile.",
    "entry_in_collapsed_menu_desktop": "On desktop the entry shows only once a menu is opened.",
    "entry_menu_path": "The pop-ups closed and menus opened on the way to the entry, e.g. "
    "`Personal ▸ Cards ▸ Lost card`.",
    "tab_stops_desktop": "Tab presses from page load until the entry (or its menu) has focus.",
    "predicted_success": "Share of simulated customers who reach the task: the harder viewport.",
    "predicted_clicks_median": "Median actions of the simulated customers who succeed.",
    "predicted_success_desktop": "Share of simulated customers who reach the task, desktop.",
    "predicted_success_mobile": "Share of simulated customers who reach the task, mobile.",
    "search_rank": "Where the site's own search lists a target page (1 = first); empty if not.",
    "a11y_blockers": "Accessibility failures on the entry or its menu openers that block.",
    "a11y_issues": "Other accessibility failures on the task's path.",
    "path_text": "The words clicked at each step, joined with ` > `.",
    "entry_region_desktop": "Where the entry reported on desktop sits (header, nav, main, aside, "
    "footer): of a link's copies, the one a person reaches with the fewest interactions.",
    "entry_region_mobile": "Where the entry reported on mobile sits, chosen the same way.",
}

PAGES_DESCRIPTIONS: dict[str, str] = {
    "url": "The URL as requested (the link's URL).",
    "status": "HTTP status; empty when no answer came.",
    "depth": "Clicks along links from the start page to the page; empty when no links lead "
    "there (an orphan, a page linked only from orphans).",
    "title": "The page's title.",
    "content_type": "The answer's Content-Type.",
    "bytes": "Size of the answer's body, in bytes.",
    "n_links": "Links read on the page.",
    "fetch_ms": "Time to download the page, in milliseconds.",
    "rendered": "The page was rendered in the browser.",
    "load_ms_desktop": "Measured load time in the browser on desktop (loadEventEnd), in ms.",
    "error": "Why the crawl or the render failed, e.g. `Forbidden by robots.txt`.",
    "final_url": "The URL after redirects (a script that moves the browser on counts as one).",
    "targets": "Ids of the tasks this page is a target of, separated by spaces.",
    "area": "public, or account for a page crawled signed in.",
    "text_chars": "Characters of body text a reader gets (rendered, in a browser crawl).",
    "app_root": "A single-page app's mount point in the page, such as `#root`.",
    "found_via": "How the crawl came to the URL: start, link, sitemap, list (`--urls`) or "
    "search (a result of the site's own search).",
    "in_sitemap": "One of the page's addresses is listed in the site's sitemaps.",
    "other_urls": "The page's other addresses, separated by spaces: `/index.html`, a trailing "
    "slash, or an address naming this one as canonical, answered with the same text.",
    "orphan": "In a sitemap, answered, and no crawled page links to it.",
    "lang": "The page's language (en, nl, de, fr, es, it, nb, da, sv): its `<html lang>`, else "
    "its Content-Language header, else detected from its text; empty when none of these.",
}

LINKS_DESCRIPTIONS: dict[str, str] = {
    "source_url": "The page the link is on.",
    "target_url": "Where the link leads, absolute.",
    "text": "The link's accessible name: aria-label, text with image alts, or title.",
    "region": "Where on the page: header, nav, main, aside or footer.",
    "position": "The link's place in the page's reading order, from 1.",
    "kind": "internal, external, private, mailto, tel, javascript, data, file, other, denied.",
    "rendered_only": "Added by a script: seen only in the browser.",
    "area": "public, or account for a page crawled signed in.",
}

FINDINGS_DESCRIPTIONS: dict[str, str] = {
    "task_id": "The task concerned; empty for a finding about a page or the site.",
    "page_url": "The page where it was found.",
    "viewport": "desktop or mobile; empty when it does not depend on the viewport.",
    "kind": "What was found (see the finding kinds).",
    "severity": "high, medium or low.",
    "element": "The element concerned, as a CSS path (or a URL, or a URL pattern).",
    "detail": "What was found, in words.",
    "area_share": "Share of the first viewport the element covers (0-1), for distractors.",
}

JOURNEYS_DESCRIPTIONS: dict[str, str] = {
    "task_id": "The journey's task.",
    "viewport": "desktop or mobile.",
    "step": "The step's number; 0 is opening the area's start page.",
    "action": "The step as configured; a fill names its variable, never its value.",
    "ms": "How long the step took, in milliseconds.",
    "ok": "The step succeeded.",
    "error": "Why it failed; `not run: step N failed` for a step after a failed one.",
    "interactions": "What the step costs a person: 0 for goto and expect, 1 for a fill or a "
    "click, 2 for a click that opens a menu first.",
}

FIXES_DESCRIPTIONS: dict[str, str] = {
    "rank": "Order to fix in, from 1.",
    "site_score_gain": "Site-score points won if this one problem were gone; empty when "
    "unreachable.",
    "kind": "The finding kind fixed, or `path` for a path over its click budget.",
    "fix": "What to do, in words.",
    "task_ids": "The tasks it helps, separated by spaces.",
    "page_url": "The page to change (the first, when one problem shows on several pages: "
    "`problem` then says on how many).",
    "viewport": "The viewports concerned (`desktop, mobile` for a problem seen on both).",
    "element": "The element to change, as a CSS path.",
    "problem": "The problem, in words.",
}

TASK_FIGURES_DESCRIPTIONS: dict[str, str] = {
    name: TASKS_DESCRIPTIONS[name] for name in TASK_FIGURES
}

RUN_DESCRIPTIONS: dict[str, str] = {
    "run_id": "The recorded run's id; sorts in the order runs were recorded.",
    "finished_at": "When the run finished (UTC).",
    "site": "The start URL's host, without the port.",
    "task_set": "The run's task ids, sorted and joined with commas.",
    "partial": "The run was stopped early and its results are partial.",
    "site_score": "The site score: the tasks' scores weighted by weight.",
    "out_dir": "The run's output folder.",
}

COMPARE_DESCRIPTIONS: dict[str, str] = {
    "task_id": TASKS_DESCRIPTIONS["task_id"],
    "task_name": TASKS_DESCRIPTIONS["task_name"],
    "site": "The run's host, or its folder's name when two runs audited the same host.",
    "run_dir": "The run's folder.",
    "in_all_runs": "The task is in every compared run.",
    **TASK_FIGURES_DESCRIPTIONS,
}

HISTORY_DESCRIPTIONS: dict[str, str] = {
    **RUN_DESCRIPTIONS,
    "task_id": TASKS_DESCRIPTIONS["task_id"],
    "task_name": TASKS_DESCRIPTIONS["task_name"],
    **TASK_FIGURES_DESCRIPTIONS,
    "predicted_success": TASKS_DESCRIPTIONS["predicted_success"],
}

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "tasks.csv": TASKS_DESCRIPTIONS,
    "pages.csv": PAGES_DESCRIPTIONS,
    "links.csv": LINKS_DESCRIPTIONS,
    "findings.csv": FINDINGS_DESCRIPTIONS,
    "journeys.csv": JOURNEYS_DESCRIPTIONS,
    "fixes.csv": FIXES_DESCRIPTIONS,
    "compare.csv": COMPARE_DESCRIPTIONS,
    "trend.csv": HISTORY_DESCRIPTIONS,
    "history.csv": HISTORY_DESCRIPTIONS,
}
