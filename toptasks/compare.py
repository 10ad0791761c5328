"""`toptasks compare`: the same tasks across finished runs (competitors, or two versions of one
site), side by side: compare.csv for the analyst, compare.html with each entry's screenshot.

Tasks are matched by id. A task that is not in every run is kept, marked `in_all_runs=false`,
and listed apart in the page, never dropped silently.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from contract.errors import UsageError
from toptasks.output import write_atomically, write_table
from toptasks.report import CSP, STYLE, _e

FIGURES = [
    ("reachable", "Reachable"),
    ("clicks", "Clicks"),
    ("interactions", "Interactions"),
    ("entry_above_fold_desktop", "Above the fold, desktop"),
    ("entry_above_fold_mobile", "Above the fold, mobile"),
    ("est_time_s", "Predicted time (s)"),
    ("measured_time_s", "Journey, measured (s)"),
    ("distraction_score", "Distraction score"),
    ("score", "Score"),
]


def read_run(run_dir: Path) -> tuple[dict, pd.DataFrame]:
    """A finished run's summary and tasks, or a one-line UsageError."""
    summary_path, tasks_path = run_dir / "summary.json", run_dir / "tasks.csv"
    if not summary_path.exists() or not tasks_path.exists():
        raise UsageError(f"{run_dir} is not a finished toptasks run (no summary.json/tasks.csv)")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    return summary, pd.read_csv(tasks_path, dtype=str, keep_default_na=False)


def site_labels(runs: list[Path], summaries: list[dict]) -> list[str]:
    """Each run's host, or its folder name where two runs audited the same host."""
    hosts = [urlsplit(s["start_url"]).netloc for s in summaries]
    return [
        host if hosts.count(host) == 1 else run.name for host, run in zip(hosts, runs, strict=True)
    ]


def compare_rows(labels: list[str], runs: list[Path], tables: list[pd.DataFrame]) -> list[dict]:
    """compare.csv: one row per task and site, in the first run's task order."""
    everywhere = set.intersection(*(set(t["task_id"]) for t in tables))
    order: list[str] = []
    for table in tables:
        order += [task_id for task_id in table["task_id"] if task_id not in order]
    rows = []
    for task_id in order:
        for label, run, table in zip(labels, runs, tables, strict=True):
            match = table[table["task_id"] == task_id]
            if match.empty:
                continue
            row = match.iloc[0]
            rows.append(
                {"task_id": task_id, "task_name": row["task_name"], "site": label}
                | {"run_dir": str(run), "in_all_runs": task_id in everywhere}
                | {key: _cell(row.get(key, "")) for key, _ in FIGURES}
            )
    return rows


def _cell(text: str) -> str | bool | None:
    """A tasks.csv cell as the value it stands for: booleans back to booleans, empty to None."""
    return {"true": True, "false": False, "": None}.get(text, text)


def _entry_shots(summary: dict, run: Path, label: str, out_dir: Path) -> dict[str, str]:
    """The start page's first-viewport screenshots, copied beside compare.html."""
    shots = summary.get("screenshots", {}).get(summary["start_url"], {})
    copied = {}
    for viewport, name in shots.items():
        source = run / "screenshots" / name
        if source.exists():
            target = out_dir / "screenshots" / f"{label.replace(':', '_')}-{name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            copied[viewport] = f"screenshots/{target.name}"
    return copied


def _shown(value: object) -> str:
    return {True: "yes", False: "no", None: "–"}.get(value, str(value))  # type: ignore[arg-type]


def render_compare(labels: list[str], rows: list[dict], shots: dict[str, dict]) -> str:
    frame = pd.DataFrame(rows)
    shared = frame[frame["in_all_runs"]]
    apart = frame[~frame["in_all_runs"]]
    head = "".join(f"<th>{_e(label)}</th>" for label in labels)
    sections = []
    for task_id, group in shared.groupby("task_id", sort=False):
        by_site = {r["site"]: r for r in group.to_dict("records")}
        lines = "".join(
            f"<tr><th>{_e(title)}</th>"
            + "".join(f"<td>{_e(_shown(by_site[s][key]))}</td>" for s in labels)
            + "</tr>"
            for key, title in FIGURES
        )
        sections.append(
            f"<h2>{_e(group['task_name'].iloc[0])} <span class='muted'>{_e(task_id)}</span>"
            f"</h2><div class='scroll'><table><tr><th></th>{head}</tr>{lines}</table></div>"
        )
    pictures = "".join(
        f"<figure><figcaption>{_e(label)}</figcaption>"
        + "".join(
            f'<a href="{_e(src)}"><img class="{_e(vp)}" src="{_e(src)}" '
            f'alt="{_e(label)}, {_e(vp)}"></a>'
            for vp, src in sorted(shots.get(label, {}).items())
        )
        + "</figure>"
        for label in labels
    )
    others = "".join(
        f"<li>{_e(r['task_id'])}: only in {_e(r['site'])}</li>" for r in apart.to_dict("records")
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>toptasks comparison</title><style>{STYLE}
.scroll {{ overflow-x: auto; }} .sites {{ display: flex; flex-wrap: wrap; gap: 16px; }}
.sites figure {{ margin: 0; max-width: 100%; }} .sites img {{ border: 1px solid #ccc; }}
.sites img.desktop {{ width: 420px; max-width: 100%; }} .sites img.mobile {{ width: 140px; }}
</style></head><body>
<h1>Top tasks compared</h1><p class="muted">{_e(", ".join(labels))}</p>
{"".join(sections) or "<p>No task is in every run.</p>"}
<h2>Tasks not in every run</h2><ul>{others or "<li>none</li>"}</ul>
<h2>Start pages</h2><div class="sites">{pictures}</div>
</body></html>"""


def run_compare(runs: list[Path], out_dir: Path) -> Path:
    """Write compare.csv and compare.html into `out_dir`; the HTML's path."""
    if len(runs) < 2:
        raise UsageError("compare needs at least two run folders")
    read = [read_run(run) for run in runs]
    summaries, tables = [s for s, _ in read], [t for _, t in read]
    labels = site_labels(runs, summaries)
    rows = compare_rows(labels, runs, tables)
    write_table(rows, out_dir, "compare.csv")
    shots = {
        label: _entry_shots(summary, run, label, out_dir)
        for label, run, summary in zip(labels, runs, summaries, strict=True)
    }
    html = render_compare(labels, rows, shots)
    path = out_dir / "compare.html"
    write_atomically(path, lambda out: out.write(html))
    return path
