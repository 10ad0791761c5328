"""`toptasks serve`: the run history in the browser, as Lighthouse CI's server shows builds.

Read-only over the history store (DuckDB file or PostgreSQL): the sites with their score over
time, per site each task's trend and the run that changed it, any run's report and screenshots
served from its folder, and two runs side by side. Starlette and Jinja2 (autoescaping: every
word from an audited site is escaped); the charts are the report's own. It listens on
localhost unless told otherwise; `--token` guards every page when it is exposed.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route

from contract.errors import UsageError
from toptasks import __version__
from toptasks.filmstrip import strip_html
from toptasks.history import history_rows, is_database_url, open_store, without_password
from toptasks.report import STYLE, banded, svg_trend
from toptasks.sentences import counted

CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; form-action 'self'"
TOKEN_COOKIE = "toptasks_token"
# What a task's trend row shows, and how a change between two runs is said.
FIGURES = {
    "score": "score",
    "clicks": "clicks",
    "entry_above_fold_desktop": "above the fold on desktop",
    "entry_above_fold_mobile": "above the fold on mobile",
    "predicted_success": "predicted success",
}


def _when(finished_at: str) -> str:
    return str(finished_at)[:16].replace("T", " ")


def _shown(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value < 1 else f"{value:.1f}"
    return str(value)


@dataclass
class History:
    """The store, read afresh on every page (another audit may have finished meanwhile)."""

    where: str
    run_dirs: list[Path]

    def rows(self, site: str | None = None) -> pd.DataFrame:
        with open_store(self.where, write=False) as db:
            return history_rows(db, site=site)

    def folder(self, run: dict[str, Any]) -> Path | None:
        """A run's folder: where it was written, else one of the same name under --runs
        (a CI artifact downloaded elsewhere)."""
        recorded = Path(str(run["out_dir"] or ""))
        candidates = [recorded] + [base / recorded.name for base in self.run_dirs]
        candidates += [base for base in self.run_dirs if base.name == recorded.name]
        return next((c for c in candidates if (c / "summary.json").is_file()), None)


def _strips(folder: Path | None) -> dict[str, Any]:
    """The run's path pictures (summary.json `filmstrips`), {} for a run without them."""
    if folder is None:
        return {}
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    return summary.get("filmstrips") or {}


def _runs(rows: pd.DataFrame) -> list[dict[str, Any]]:
    runs = rows.drop_duplicates("run_id").sort_values("run_id", ascending=False)
    return [
        {
            "run_id": r["run_id"],
            "when": _when(r["finished_at"]),
            "score": _shown(r["site_score"]),
            "partial": bool(r["partial"]),
            "out_dir": r["out_dir"],
        }
        for r in runs.to_dict("records")
    ]


def _changes(task_rows: pd.DataFrame) -> list[dict[str, str]]:
    """Each run where one of the task's figures moved from the run before, newest first."""
    changes = []
    previous = None
    for row in task_rows.sort_values("run_id").to_dict("records"):
        if previous is not None:
            moved = [
                f"{label} {_shown(previous[column])} → {_shown(row[column])}"
                for column, label in FIGURES.items()
                if _shown(previous[column]) != _shown(row[column])
            ]
            if moved:
                changes.append(
                    {
                        "what": "; ".join(moved),
                        "run_id": row["run_id"],
                        "when": _when(row["finished_at"]),
                    }
                )
        previous = row
    return changes[::-1]


def _task(task_rows: pd.DataFrame) -> dict[str, Any]:
    ordered = task_rows.sort_values("run_id")
    latest = ordered.iloc[-1]
    points = [(_when(r["finished_at"])[5:], r["score"]) for r in ordered.to_dict("records")]
    points = [(label, None if pd.isna(v) else float(v)) for label, v in points]
    title = f"Score of {latest['task_name']} over {counted(len(points), 'run')}"
    desktop, mobile = latest["entry_above_fold_desktop"], latest["entry_above_fold_mobile"]
    fold = f"{_shown(desktop)} / {_shown(mobile)}"
    return {
        "task_id": latest["task_id"],
        "task_name": latest["task_name"],
        "score": _shown(latest["score"]),
        "score_banded": banded(None if pd.isna(latest["score"]) else latest["score"]),
        "clicks": _shown(latest["clicks"]) if latest["reachable"] else "unreachable",
        "fold": fold,
        "predicted": _shown(latest["predicted_success"]),
        "changes": _changes(ordered),
        "chart": svg_trend(title, points) if len(points) > 1 else "",
    }


class TokenGuard(BaseHTTPMiddleware):
    """Every page needs the token: `?token=`, then a cookie; or `Authorization: Bearer`."""

    def __init__(self, app: Any, token: str) -> None:
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next: Any) -> Any:
        given = request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
        bearer = request.headers.get("authorization", "")
        if bearer.lower().startswith("bearer "):
            given = bearer[7:]
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return PlainTextResponse("toptasks serve: a token is needed (?token=...)", 401)
        response = await call_next(request)
        if request.query_params.get("token"):
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
        return response


def create_app(where: str, run_dirs: list[Path] = (), token: str | None = None) -> Starlette:
    history = History(where, [Path(d) for d in run_dirs])
    templates = Environment(
        loader=PackageLoader("toptasks", "templates"), autoescape=select_autoescape(default=True)
    )
    shown_where = without_password(where) if is_database_url(where) else where

    def page(name: str, **values: Any) -> HTMLResponse:
        values = {
            "style": STYLE,
            "version": __version__,
            "where": shown_where,
            "site": None,
        } | values
        html = templates.get_template(name).render(**values)
        return HTMLResponse(html, headers={"Content-Security-Policy": CSP})

    async def sites(request: Request) -> HTMLResponse:
        rows = history.rows()
        found = []
        for site, group in rows.groupby("site", sort=True):
            runs = _runs(group)
            points = [
                (r["when"][5:], None if r["score"] == "–" else float(r["score"]))
                for r in runs[::-1]
            ]
            found.append(
                {
                    "site": site,
                    "score": runs[0]["score"],
                    "when": runs[0]["when"],
                    "last_run": runs[0]["run_id"],
                    "runs_text": counted(len(runs), "run"),
                    "chart": svg_trend(f"Site score of {site}", points) if len(points) > 1 else "",
                }
            )
        return page("sites.html", title="Top tasks over time", sites=found)

    async def site(request: Request) -> HTMLResponse:
        name = request.path_params["site"]
        rows = history.rows(site=name)
        if rows.empty:
            return PlainTextResponse(f"no run of {name} in the history", 404)
        runs = _runs(rows)
        tasks = [_task(group) for _, group in rows.groupby("task_id", sort=False)]
        latest = runs[0]["run_id"]
        strips = _strips(history.folder(runs[0]))
        for task in tasks:
            pictures = strips.get(task["task_id"], {})
            task["strip"] = strip_html(
                task["task_id"], task["task_name"], pictures, f"/runs/{latest}/"
            )
        return page(
            "site.html",
            title=f"{name}: its top tasks",
            site=name,
            tasks=tasks,
            runs=runs,
            latest=runs[0],
            runs_text=counted(len(runs), "run"),
        )

    async def compare(request: Request) -> HTMLResponse:
        rows = history.rows()
        a, b = request.query_params.get("a", ""), request.query_params.get("b", "")
        pair = [rows[rows["run_id"] == run] for run in (a, b)]
        if any(p.empty for p in pair):
            return PlainTextResponse("compare needs two recorded runs: ?a=RUN&b=RUN", 404)
        ra, rb = (_runs(p)[0] for p in pair)
        figures = []
        names = dict(zip(pair[0]["task_id"], pair[0]["task_name"], strict=True))
        names |= dict(zip(pair[1]["task_id"], pair[1]["task_name"], strict=True))
        for task_id in dict.fromkeys([*pair[0]["task_id"], *pair[1]["task_id"]]):
            cells = [p[p["task_id"] == task_id] for p in pair]
            for column, label in FIGURES.items():
                va, vb = (
                    _shown(c.iloc[0][column]) if not c.empty else "not audited" for c in cells
                )
                figures.append(
                    {
                        "task": names.get(task_id) or task_id,
                        "task_id": task_id,
                        "figure": label,
                        "a": va,
                        "b": vb,
                        "changed": va != vb,
                    }
                )
        site_name = pair[0]["site"].iloc[0]
        return page(
            "compare.html", title=f"{site_name}: two runs side by side", a=ra, b=rb, rows=figures
        )

    async def run_file(request: Request) -> Any:
        run_id, name = request.path_params["run_id"], request.path_params.get("path", "")
        rows = history.rows()
        match = rows[rows["run_id"] == run_id]
        if match.empty:
            return PlainTextResponse(f"no run {run_id} in the history", 404)
        folder = history.folder(match.iloc[0].to_dict())
        if folder is None:
            return PlainTextResponse(
                f"the folder of run {run_id} ({match.iloc[0]['out_dir']}) is not here; "
                "give it with --runs DIR",
                404,
            )
        if not name:
            return RedirectResponse(f"/runs/{run_id}/report.html")
        wanted = (folder / name).resolve()
        if folder.resolve() not in wanted.parents or not wanted.is_file():
            return PlainTextResponse("not found", 404)
        return FileResponse(wanted)

    app = Starlette(
        routes=[
            Route("/", sites),
            Route("/sites/{site}", site),
            Route("/compare", compare),
            Route("/runs/{run_id}/", run_file),
            Route("/runs/{run_id}/{path:path}", run_file),
        ]
    )
    if token:
        app.add_middleware(TokenGuard, token=token)
    return app


def check_history(where: str) -> None:
    """Refuse, before listening, a history that is not there or not a history."""
    if not is_database_url(where) and not Path(where).exists():
        raise UsageError(f"no history at {where}: audits record their runs there once they finish")
    with open_store(where, write=False):
        pass
