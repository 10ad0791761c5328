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
from toptasks.filmstrip import FILM_STYLE, strip_html
from toptasks.output import write_atomically
from toptasks.sentences import counted, task_sentence

CSP = "default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'"
STYLE = (
    """
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
h3, li, p { overflow-wrap: anywhere; }
.band { display: inline-block; border-radius: 4px; padding: 0 6px; font-weight: 600; }
.band-poor { background: #fde7e9; color: #a4001d; }
.band-needs-work { background: #fff1d6; color: #8a4b00; }
.band-good { background: #dcf5e3; color: #0a6b2c; }
.bar.band-poor { background: #d93045; } .bar.band-needs-work { background: #e8a33a; }
.bar.band-good { background: #1f9d55; }
.score .band { font-size: 18px; vertical-align: middle; margin-left: 6px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden;
           clip: rect(0 0 0 0); white-space: nowrap; }
abbr[title] { text-decoration: underline dotted; cursor: help; }
.long summary { cursor: pointer; } .long code, .long span { overflow-wrap: anywhere; }
td.url, td.url a { overflow-wrap: anywhere; }
"""
    + FILM_STYLE
)
# Lighthouse's bands (0-49 poor, 50-89 needs work, 90-100 good), on toptasks' 0-100 scores:
# the colour says at a glance which tasks need work, the word says it without colour.
SCORE_BANDS = ((90.0, "good"), (50.0, "needs work"), (0.0, "poor"))
LONG_TEXT = 60  # an element path or URL longer than this shows its end, the rest on demand


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _href(url: str) -> str:
    return _e(url) if url.startswith(("http://", "https://")) else "#"


def _read(run_dir: Path, name: str) -> pd.DataFrame:
    path = run_dir / name
    if not path.exists():
        return pd.DataFrame()
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def svg_bars(
    title: str, rows: list[tuple[str, float | None, str]], scale: float, bands: bool = False
) -> str:
    """A horizontal bar chart in HTML (label, value or None, text beside the bar): bars are
    shares of the row's width, so the chart fits any screen and its words keep their size
    (an SVG of fixed width ran past a phone's edge; scaled down, its letters shrank)."""
    parts = [f'<div class="bars" role="img" aria-label="{_e(title)}">']
    for label, value, note in rows:
        if value is None:
            bar = f'<span class="bar-note bad">{_e(note)}</span>'
        else:
            share = max(0.0, min(1.0, value / scale)) if scale else 0.0
            band = f" band-{score_band(value).replace(' ', '-')}" if bands else ""
            bar = (
                f'<span class="bar{band}" style="width: calc({share:.4f} * 60%)"></span>'
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


def score_band(score: float | str | None) -> str:
    """'poor', 'needs work' or 'good' (SCORE_BANDS); '' for no score."""
    if score is None or score == "":
        return ""
    value = float(score)
    return next(band for floor, band in SCORE_BANDS if value >= floor)


def banded(score: float | str | None) -> str:
    """A score with its band, in words and colour ("42 poor")."""
    band = score_band(score)
    if not band:
        return _e("–" if score in (None, "") else score)
    return f'{_e(score)} <span class="band band-{band.replace(" ", "-")}">{_e(band)}</span>'


def task_label(task_id: str, names: dict[str, str]) -> str:
    """A task id where space is short: its name on hover and for a screen reader."""
    name = names.get(task_id)
    if not name or name == task_id:
        return _e(task_id)
    return (
        f'<abbr title="{_e(name)}">{_e(task_id)}</abbr><span class="sr-only"> ({_e(name)})</span>'
    )


def long_text(text: str) -> str:
    """An element path or URL: whole when short, else its end, the whole on demand."""
    if len(text) <= LONG_TEXT:
        return _e(text)
    tail = "…" + text[-(LONG_TEXT - 1) :]
    return (
        f'<details class="long"><summary title="{_e(text)}">{_e(tail)}</summary>'
        f"<code>{_e(text)}</code></details>"
    )


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


def _trends(trend: pd.DataFrame, names: dict[str, str]) -> dict[str, str]:
    """Per task, its score trend chart, when the history holds earlier runs of the site."""
    if trend.empty or trend["run_id"].nunique() < 2:
        return {}
    charts = {}
    for task_id, rows in trend.groupby("task_id", sort=False):
        points = [
            (r["finished_at"][5:16].replace("T", " "), _number(r["score"]))
            for r in rows.to_dict("records")
        ]
        title = f"Score of {names.get(task_id, task_id)} over the last {len(points)} runs"
        charts[task_id] = f'<p class="muted">{_e(title)}</p>{svg_trend(title, points)}'
    return charts


def _plots(tasks: pd.DataFrame) -> str:
    rows = tasks.to_dict("records")
    charts = []
    if any(r.get("score") for r in rows):
        scores = [
            (r["task_name"], _number(r["score"]) or 0.0,
             f"{r['score'] or '–'} {score_band(r['score'])}")
            for r in rows
        ]  # fmt: skip
        bands = "poor below 50, needs work 50 to 89, good from 90"
        charts.append(
            f'<h3>Score of each task</h3><p class="muted">{bands}</p>'
            f"{svg_bars('Score per task', scores, 100, bands=True)}"
        )
    clicks = [
        (r["task_name"], _number(r["clicks"]), "unreachable" if not r["clicks"] else
         f"{counted(r['clicks'], 'click')}, weight {float(r['weight'] or 0):.0%}")
        for r in rows
    ]  # fmt: skip
    most = max([c for _, c, _ in clicks if c is not None] + [1])
    charts.append(f"<h3>Clicks to each task</h3>{svg_bars('Clicks per task', clicks, most)}")
    if any(r["visibility_score"] for r in rows):
        scores = [
            (r["task_name"], _number(r["visibility_score"]) or 0.0, r["visibility_score"] or "0")
            for r in rows
        ]
        charts.append(f"<h3>Visibility score</h3>{svg_bars('Visibility', scores, 100)}")
    return "".join(charts)


def _long_neck(votes: list[dict[str, Any]], names: dict[str, str]) -> str:
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
        rows.append(
            (names.get(row["task_id"], str(row["task_id"])), float(row["share"]) * 100, note)
        )
    scale = math.ceil(max(value for _, value, _ in rows) / 10) * 10 or 10  # a round axis
    chart = svg_bars("Share of the customers' votes per task (%), in vote order", rows, scale)
    top = ", ".join(names.get(row["task_id"], str(row["task_id"])) for row in votes[: last_top + 1])
    return (
        "<h3>The long neck: what customers voted for</h3>"
        f'<p class="muted">Weights are the vote shares (weights_from): each bar is a task\'s '
        f"share of the votes, in %. The top 25% of the votes go to: {_e(top)}.</p>{chart}"
    )


def _fix_first(fixes: list[dict[str, Any]], names: dict[str, str]) -> str:
    """The changes that would raise the site score most, as the report's first words."""
    if not fixes:
        return ""
    items = []
    for fix in fixes:
        gain = fix["site_score_gain"]
        worth = "first: customers cannot reach it" if gain is None else f"+{gain:.1f} site score"
        where = f" &middot; {_e(fix['viewport'])}" if fix.get("viewport") else ""
        if fix.get("page_url"):
            where += f" &middot; {long_text(fix['page_url'])}"
        helped = ", ".join(names.get(t, t) for t in str(fix["task_ids"] or "").split())
        items.append(
            f"<li><b>{_e(fix['fix'])}</b> ({_e(worth)}; {_e(helped)}{where})"
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
    strips: dict[str, list] | None = None,
) -> str:
    reachable = task["reachable"] == "true"
    state = (
        '<span class="good">reachable</span>'
        if reachable
        else '<span class="bad">unreachable</span>'
    )
    facts = "".join(
        f"<dt>{_e(label)}</dt><dd>{banded(task[key]) if key == 'score' else _e(task[key])}</dd>"
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
        f"<dl>{facts}</dl>{_astray(list(astray))}{trend}{_shots(shots, list(marks))}"
        f"{strip_html(task['task_id'], task['task_name'], strips or {})}</section>"
    )


def _cell(column: str, value: Any, names: dict[str, str]) -> str:
    """A table cell: task ids with their names on demand, scores banded, element paths and
    URLs shortened with the whole on demand."""
    text = "" if value is None else str(value)
    if column in ("task_id", "task_ids") and text:
        return "<td>" + " ".join(task_label(t, names) for t in text.split()) + "</td>"
    if column == "score":
        return f"<td>{banded(text)}</td>"
    if column in ("element", "path", "entry_url", "target_url") or column.endswith("_url"):
        return f'<td class="url">{long_text(text)}</td>'
    return f"<td>{_e(text)}</td>"


def _table(frame: pd.DataFrame, names: dict[str, str] | None = None) -> str:
    names = names or {}
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(_cell(c, v, names) for c, v in zip(frame.columns, row, strict=True))
        + "</tr>"
        for row in frame.itertuples(index=False)
    )
    # A wide table scrolls sideways (a phone, or 27 columns): its letters keep their width.
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="wide">{table}</div>'


def _findings(findings: pd.DataFrame, names: dict[str, str]) -> str:
    if findings.empty:
        return "<p>No findings.</p>"
    parts = []
    for page, group in findings.groupby("page_url", sort=False):
        table = _table(group.drop(columns="page_url"), names)
        parts.append(f"<h3>{_e(page or 'Whole site')}</h3>{table}")
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
    names = dict(zip(tasks.get("task_id", []), tasks.get("task_name", []), strict=False))
    trends = _trends(_read(run_dir, "trend.csv"), names)
    strips = summary.get("filmstrips", {})
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
            strips.get(t["task_id"]),
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
<p><span class="score">{banded(score)}</span> site score
&middot; {_e(counts["fetched"])} pages fetched, {_e(counts.get("rendered", 0))} rendered,
{_e(counts["client_errors"] + counts["server_errors"])} HTTP errors</p>
{_fix_first(summary.get("fix_first", []), names)}
{_plots(tasks)}
{_long_neck(summary.get("votes", []), names)}
<h2>Tasks</h2>
<div class="cards">{cards}</div>
<h2>Findings by page</h2>
{_findings(findings, names)}
<h2>All task figures</h2>
{_table(tasks, names)}
</body></html>
"""


def write_report(run_dir: Path) -> Path:
    html = render_report(run_dir)
    path = run_dir / "report.html"
    write_atomically(path, lambda out: out.write(html))
    return path
