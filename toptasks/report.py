"""report.html: one self-contained page a manager can read, rebuilt from a run's CSV and JSON.

Everything taken from the audited site is escaped, links are kept only when they are http(s),
and a Content-Security-Policy forbids every script, so a hostile page title stays text.
The findings and the full tasks table are rendered from whatever columns the files have, so a
new audit shows up without editing this module.
"""

from __future__ import annotations

import json
import math
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from audits.findability import link_label
from toptasks.output import write_atomically
from toptasks.sentences import counted, task_sentence

CSP = "default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'"
STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1180px; padding: 24px;
       color: #1d1d1f; }
h1 { margin-bottom: 4px; } .muted { color: #666; }
.score { font-size: 44px; font-weight: 700; }
.cards { display: grid; gap: 16px;
         grid-template-columns: repeat(auto-fill, minmax(min(520px, 100%), 1fr)); }
.card { border: 1px solid #ddd; border-radius: 8px; padding: 16px; }
.card h3 { margin: 0 0 6px; } .bad { color: #b00020; font-weight: 600; } .good { color: #0a7d32; }
.crumbs { font-size: 13px; } .crumbs a { color: #1d4ed8; }
.shots { display: flex; gap: 8px; align-items: flex-start; margin-top: 8px; }
.shots img { border: 1px solid #ccc; max-width: 100%; }
.shots figure { margin: 0; } .shots a { position: relative; display: block; }
.a11y-mark { position: absolute; outline: 3px solid #b00020; outline-offset: 2px; }
.a11y { border-left: 4px solid #b00020; padding-left: 10px; margin: 8px 0; }
.a11y ul { margin: 4px 0; padding-left: 18px; }
.a11y li { margin-bottom: 4px; overflow-wrap: anywhere; }
.shots .desktop { width: 70%; } .shots .mobile { width: 26%; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0 24px; }
th, td { border-bottom: 1px solid #eee; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f6f6f6; white-space: nowrap; }
.wide { overflow-x: auto; } .wide table { width: max-content; min-width: 100%; }
.wide td { max-width: 28em; overflow-wrap: anywhere; }
.sentence { margin: 6px 0; } .trend { margin-top: 8px; }
.bars { margin: 8px 0 16px; max-width: 900px; }
.bar-row { display: grid; grid-template-columns: minmax(8em, 14em) 1fr; gap: 2px 10px;
           align-items: center; font-size: 13px; margin: 3px 0; }
.bar-label { overflow-wrap: anywhere; }
.bar-track { display: flex; align-items: center; gap: 6px; min-width: 0; }
.bar { display: block; flex: none; height: 14px; min-width: 2px; background: #2563eb; }
.bar-note { min-width: 0; overflow-wrap: anywhere; }
@media (max-width: 600px) {
  body { padding: 12px; } .card { padding: 12px; }
  .bar-row { grid-template-columns: 1fr; } .bar-label { font-weight: 600; }
  .shots { flex-wrap: wrap; } .shots .desktop { width: 100%; } .shots .mobile { width: 48%; }
}
dl { display: grid; grid-template-columns: fit-content(60%) 1fr; gap: 2px 12px; margin: 8px 0; }
dt { color: #555; } dd { margin: 0; overflow-wrap: anywhere; }
.chart { overflow-x: auto; }
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _href(url: str) -> str:
    return _e(url) if url.startswith(("http://", "https://")) else "#"


def _read(run_dir: Path, name: str) -> pd.DataFrame:
    path = run_dir / name
    if not path.exists():
        return pd.DataFrame()
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def svg_bars(title: str, rows: list[tuple[str, float | None, str]], scale: float) -> str:
    """A horizontal bar chart in HTML (label, value or None, text beside the bar): bars are
    shares of the row's width, so the chart fits any screen and its words keep their size
    (an SVG of fixed width ran past a phone's edge; scaled down, its letters shrank)."""
    parts = [f'<div class="bars" role="img" aria-label="{_e(title)}">']
    for label, value, note in rows:
        if value is None:
            bar = f'<span class="bar-note bad">{_e(note)}</span>'
        else:
            share = max(0.0, min(1.0, value / scale)) if scale else 0.0
            bar = (
                f'<span class="bar" style="width: calc({share:.4f} * 60%)"></span>'
                f'<span class="bar-note">{_e(note)}</span>'
            )
        parts.append(
            f'<div class="bar-row"><span class="bar-label">{_e(label)}</span>'
            f'<span class="bar-track">{bar}</span></div>'
        )
    scale_note = f"<span>scale: 0 to {scale:g}</span>"
    parts.append(f'<div class="bar-row muted"><span></span>{scale_note}</div>')
    return "".join(parts) + "</div>"


def _number(cell: str) -> float | None:
    return float(cell) if cell else None


def svg_trend(title: str, points: list[tuple[str, float | None]]) -> str:
    """A task's score over its site's last runs, as a small inline SVG line chart with a 0-100
    axis, each point's value, and the first and last run's dates."""
    width, height, left, top, bottom = 360, 150, 36, 20, 30
    inset = 16  # the first and last points' labels clear the axis labels
    plot_w, plot_h = width - left - 16 - 2 * inset, height - top - bottom
    step = plot_w / max(1, len(points) - 1)

    def y(value: float) -> float:
        return top + plot_h * (1 - value / 100)

    parts = [
        f'<svg role="img" aria-label="{_e(title)}" viewBox="0 0 {width} {height}" '
        f'style="width: 100%; max-width: {width}px" xmlns="http://www.w3.org/2000/svg" '
        'font-size="14">'
    ]
    for tick in (0, 50, 100):
        parts.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#e5e5e5"/><text x="{left - 4}" y="{y(tick) + 3:.1f}" '
            f'text-anchor="end">{tick}</text>'
        )
    shown = [(left + inset + i * step, v) for i, (_, v) in enumerate(points) if v is not None]
    line = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in shown)
    parts.append(f'<polyline points="{line}" fill="none" stroke="#2563eb" stroke-width="2"/>')
    for x, v in shown:
        parts.append(f'<circle cx="{x:.1f}" cy="{y(v):.1f}" r="3" fill="#2563eb"/>')
        parts.append(f'<text x="{x:.1f}" y="{y(v) - 6:.1f}" text-anchor="middle">{v:.0f}</text>')
    for anchor, (x, (label, _)) in (
        ("start", (left, points[0])),
        ("end", (left + 2 * inset + (len(points) - 1) * step, points[-1])),
    ):
        parts.append(
            f'<text x="{x:.1f}" y="{height - 6}" text-anchor="{anchor}">{_e(label)}</text>'
        )
    parts.append("</svg>")
    return f'<div class="chart trend">{"".join(parts)}</div>'


def _trends(trend: pd.DataFrame) -> dict[str, str]:
    """Per task, its score trend chart, when the history holds earlier runs of the site."""
    if trend.empty or trend["run_id"].nunique() < 2:
        return {}
    charts = {}
    for task_id, rows in trend.groupby("task_id", sort=False):
        points = [
            (r["finished_at"][5:16].replace("T", " "), _number(r["score"]))
            for r in rows.to_dict("records")
        ]
        title = f"Score of {task_id} over the last {len(points)} runs"
        charts[task_id] = f'<p class="muted">{_e(title)}</p>{svg_trend(title, points)}'
    return charts


def _plots(tasks: pd.DataFrame) -> str:
    rows = tasks.to_dict("records")
    clicks = [
        (r["task_id"], _number(r["clicks"]), "unreachable" if not r["clicks"] else
         f"{counted(r['clicks'], 'click')}, weight {float(r['weight'] or 0):.0%}")
        for r in rows
    ]  # fmt: skip
    most = max([c for _, c, _ in clicks if c is not None] + [1])
    charts = [f"<h3>Clicks to each task</h3>{svg_bars('Clicks per task', clicks, most)}"]
    if any(r["visibility_score"] for r in rows):
        scores = [
            (r["task_id"], _number(r["visibility_score"]) or 0.0, r["visibility_score"] or "0")
            for r in rows
        ]
        charts.append(f"<h3>Visibility score</h3>{svg_bars('Visibility', scores, 100)}")
    return "".join(charts)


def _long_neck(votes: list[dict[str, Any]]) -> str:
    """McGovern's long neck: the tasks in vote order, and where the top quarter of the
    votes ends (the few tasks that deserve the most visible place)."""
    if not votes:
        return ""
    last_top = max((i for i, row in enumerate(votes) if row["top"]), default=-1)
    rows = []
    for i, row in enumerate(votes):
        note = f"{row['share']:.0%}, {row['cumulative']:.0%} so far"
        if i == last_top:
            note += " ◂ top 25%"
        rows.append((str(row["task_id"]), float(row["share"]) * 100, note))
    scale = math.ceil(max(value for _, value, _ in rows) / 10) * 10 or 10  # a round axis
    chart = svg_bars("Share of the customers' votes per task (%), in vote order", rows, scale)
    top = ", ".join(str(row["task_id"]) for row in votes[: last_top + 1])
    return (
        "<h3>The long neck: what customers voted for</h3>"
        f'<p class="muted">Weights are the vote shares (weights_from): each bar is a task\'s '
        f"share of the votes, in %. The top 25% of the votes go to: {_e(top)}.</p>{chart}"
    )


def _fix_first(fixes: list[dict[str, Any]]) -> str:
    """The changes that would raise the site score most, as the report's first words."""
    if not fixes:
        return ""
    items = []
    for fix in fixes:
        gain = fix["site_score_gain"]
        worth = "first: customers cannot reach it" if gain is None else f"+{gain:.1f} site score"
        where = "".join(
            f" &middot; {_e(fix[key])}" for key in ("viewport", "page_url") if fix.get(key)
        )
        items.append(
            f"<li><b>{_e(fix['fix'])}</b> ({_e(worth)}; {_e(fix['task_ids'])}{where})"
            f'<br><span class="muted">{_e(fix["problem"])}</span></li>'
        )
    return f'<h2>Fix first</h2><ol>{"".join(items)}</ol><p class="muted">All in fixes.csv.</p>'


def _breadcrumb(task: dict[str, str], titles: dict[str, str]) -> str:
    """The click path in the words a customer clicks ("Start page › Help › Lost card"); the
    page titles only for a run that recorded no link words."""
    path = task["path"]
    if not path:
        return '<span class="bad">not reachable from the start page</span>'
    urls = path.split(" > ")
    words = task.get("path_text", "")
    labels = ["Start page", *words.split(" > ")] if words else []
    if len(labels) != len(urls):
        labels = [titles.get(url) or url for url in urls]
    pairs = zip(urls, labels, strict=True)  # the page's title on hover, where it says more
    steps = [
        f'<a href="{_href(url)}" title="{_e(titles.get(url) or url)}">{_e(label)}</a>'
        for url, label in pairs
    ]
    return " &rsaquo; ".join(steps)


def _menu_shots(by_viewport: dict[str, str]) -> dict[str, str]:
    """The entry inside its opened menu, captioned as such ("desktop, menu open")."""
    return {f"{vp} menu-open": name for vp, name in by_viewport.items()}


def _outlined(marks: list[dict[str, Any]]) -> str:
    """Boxes over a screenshot where an accessibility failure sits (shares of the viewport)."""
    return "".join(
        f'<span class="a11y-mark" title="{_e(m["kind"])}" style="left:{m["left"]:.2%};'
        f'top:{m["top"]:.2%};width:{m["width"]:.2%};height:{m["height"]:.2%}"></span>'
        for m in marks
    )


def _shots(shots: dict[str, str], marks: list[dict[str, Any]] = ()) -> str:
    """Screenshots as thumbnails that open full size (a link to the PNG), with the task's
    accessibility failures outlined on the first viewport of each."""
    figures = [
        f'<figure class="{_e(vp)}"><a href="screenshots/{_e(name)}">'
        f'<img src="screenshots/{_e(name)}" alt="first viewport, {_e(vp)}">'
        f"{_outlined([m for m in marks if m['viewport'] == vp])}</a>"
        f'<figcaption class="muted">{_e(vp)}</figcaption></figure>'
        for vp, name in sorted(shots.items())
        if name
    ]
    return f'<div class="shots">{"".join(figures)}</div>' if figures else ""


CARD_FIELDS = [
    ("score", "Score"),
    ("clicks", "Clicks"),
    ("interactions", "Interactions"),
    ("entry_text", "Entry link"),
    ("entry_menu_path", "Through the menus"),
    ("entry_above_fold_desktop", "Above the fold, desktop"),
    ("entry_above_fold_mobile", "Above the fold, mobile"),
    ("entry_in_collapsed_menu_mobile", "In the mobile menu"),
    ("visibility_score", "Visibility score"),
    ("load_s", "Load time along the path (s)"),
    ("est_time_s", "Predicted time on task (s)"),
    ("measured_time_s", "Journey replayed, desktop (s)"),
    ("distraction_score", "Distraction score"),
    ("predicted_success", "Predicted success (share)"),
    ("search_rank", "Rank in the site's search"),
]


def _area(task: dict[str, str]) -> str:
    return "signed in &middot; " if task.get("area") == "account" else ""


def _astray(links: list[dict[str, Any]]) -> str:
    """Where simulated customers first took a wrong turn, with the share that took each."""
    if not links:
        return ""
    items = "".join(
        f"<li>“{_e(link_label(link['label'], link.get('link_url', '')))}” "
        f'<span class="muted">on {_e(link["page_url"])}</span>: '
        f"{link['share']:.0%}</li>"
        for link in links
    )
    return f'<p class="muted">Where simulated customers go astray</p><ul>{items}</ul>'


def _barriers(findings: list[dict[str, str]]) -> str:
    """The task's accessibility failures, blockers first: who is stopped, and where."""
    if not findings:
        return ""
    ordered = sorted(findings, key=lambda f: (f["severity"] != "high", f["viewport"]))
    items = "".join(
        f'<li><b class="{"bad" if f["severity"] == "high" else ""}">'
        f"{'Blocks' if f['severity'] == 'high' else 'Hinders'}</b> "
        f"({_e(f['viewport'])}, {_e(f['kind'].removeprefix('a11y_'))}): {_e(f['detail'])}</li>"
        for f in ordered
    )
    blockers = sum(f["severity"] == "high" for f in findings)
    title = f"Accessibility on this path: {counted(blockers, 'blocker')}, " + counted(
        len(findings) - blockers, "other issue"
    )
    return f'<div class="a11y"><p><b>{_e(title)}</b></p><ul>{items}</ul></div>'


def _card(
    task: dict[str, str],
    titles: dict[str, str],
    shots: dict[str, str],
    trend: str = "",
    astray: list[dict[str, Any]] = (),
    barriers: list[dict[str, str]] = (),
    marks: list[dict[str, Any]] = (),
) -> str:
    reachable = task["reachable"] == "true"
    state = (
        '<span class="good">reachable</span>'
        if reachable
        else '<span class="bad">unreachable</span>'
    )
    facts = "".join(
        f"<dt>{_e(label)}</dt><dd>{_e(task.get(key))}</dd>"
        for key, label in CARD_FIELDS
        if task.get(key)
    )
    return (
        f'<section class="card" id="task-{_e(task["task_id"])}">'
        f"<h3>{_e(task['task_name'])}</h3>"
        f'<div class="muted">{_e(task["task_id"])} &middot; {_area(task)}weight '
        f"{float(task['weight'] or 0):.0%} &middot; {state}</div>"
        f'<p class="sentence">{_e(task_sentence(task))}</p>'
        f"{_barriers(list(barriers))}"
        f'<p class="crumbs">{_breadcrumb(task, titles)}</p>'
        f"<dl>{facts}</dl>{_astray(list(astray))}{trend}{_shots(shots, list(marks))}</section>"
    )


def _table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    # A wide table scrolls sideways (a phone, or 27 columns): its letters keep their width.
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="wide">{table}</div>'


def _findings(findings: pd.DataFrame) -> str:
    if findings.empty:
        return "<p>No findings.</p>"
    parts = []
    for page, group in findings.groupby("page_url", sort=False):
        parts.append(f"<h3>{_e(page or 'Whole site')}</h3>{_table(group.drop(columns='page_url'))}")
    return "".join(parts)


def render_report(run_dir: Path) -> str:
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    tasks, pages = _read(run_dir, "tasks.csv"), _read(run_dir, "pages.csv")
    findings = _read(run_dir, "findings.csv")
    titles = dict(zip(pages.get("final_url", []), pages.get("title", []), strict=False))
    shots = summary.get("screenshots", {})
    start = summary["start_url"]
    score = summary.get("site_score")
    counts = summary["pages"]
    in_menus = summary.get("menu_screenshots", {})
    trends = _trends(_read(run_dir, "trend.csv"))
    a11y = findings[findings["kind"].str.startswith("a11y_")] if not findings.empty else findings
    cards = "".join(
        _card(
            t,
            titles,
            shots.get(start, {}) | _menu_shots(in_menus.get(t["task_id"], {})),
            trends.get(t["task_id"], ""),
            summary.get("astray", {}).get(t["task_id"], []),
            a11y[a11y["task_id"] == t["task_id"]].to_dict("records") if not a11y.empty else [],
            summary.get("a11y_outlines", {}).get(t["task_id"], []),
        )
        for t in tasks.to_dict("records")
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>toptasks report: {_e(start)}</title><style>{STYLE}</style></head>
<body>
<h1>Top tasks report</h1>
<p class="muted"><a href="{_href(start)}">{_e(start)}</a> &middot; {_e(summary["started"])} to
{_e(summary["finished"])} &middot; toptasks {_e(summary["version"])}</p>
<p><span class="score">{_e(score if score is not None else "–")}</span> site score
&middot; {_e(counts["fetched"])} pages fetched, {_e(counts.get("rendered", 0))} rendered,
{_e(counts["client_errors"] + counts["server_errors"])} HTTP errors</p>
{_fix_first(summary.get("fix_first", []))}
{_plots(tasks)}
{_long_neck(summary.get("votes", []))}
<h2>Tasks</h2>
<div class="cards">{cards}</div>
<h2>Findings by page</h2>
{_findings(findings)}
<h2>All task figures</h2>
{_table(tasks)}
</body></html>
"""


def write_report(run_dir: Path) -> Path:
    html = render_report(run_dir)
    path = run_dir / "report.html"
    write_atomically(path, lambda out: out.write(html))
    return path
