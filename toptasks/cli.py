"""The `toptasks` command line (SPEC §3); the one place errors become messages and exit codes."""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from audits.catalogue import GENERIC, SECTORS
from contract.config import load_config
from contract.errors import Interrupted, SiteError, ToptasksError, UsageError
from contract.languages import LANGUAGES
from contract.votes import long_neck, read_survey
from crawler.frontier import REDIS_ENV, FrontierError, connect, mask, open_runs
from toptasks import __version__
from toptasks.check import run_check
from toptasks.compare import run_compare
from toptasks.demo import run_demo
from toptasks.doctor import diagnose, ready
from toptasks.history import DEFAULT_NAME, ENV_VAR, history_location, history_rows, open_store
from toptasks.init_tasks import CATALOGUE_TASKS, draft_tasks, write_draft
from toptasks.job_summary import markdown_summary
from toptasks.options import AuditOptions
from toptasks.output import contract_frame
from toptasks.pipeline import RunResult, run_audit
from toptasks.report import write_report
from toptasks.run_folder import default_out_dir, refuse_a_run_in
from toptasks.serve import check_history, create_app
from toptasks.url_list import first_url

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Audit how well a website serves its customers' top tasks.",
)
out = Console()
VIEWPORTS = ("desktop", "mobile")
DEFAULT = f"results/{DEFAULT_NAME}"


Sector = StrEnum("Sector", {name: name for name in SECTORS})
Lang = StrEnum("Lang", {code: code for code in LANGUAGES})


class CrawlWith(StrEnum):
    auto = "auto"
    http = "http"
    browser = "browser"


def _version(value: bool) -> None:
    if value:
        print(f"toptasks {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Audit how well a website serves its customers' top tasks."""


def parse_viewports(value: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in names if v not in VIEWPORTS]
    if unknown or not names:
        raise UsageError(f"--viewports takes desktop and/or mobile, got {value!r}")
    return names


def _page_name(url: str) -> str:
    """A URL's path, with its hash route when the page is one (/support#/contact)."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"#{parts.fragment}" if parts.fragment else "")


def print_summary(result: RunResult) -> None:
    table = Table(title="Top tasks", title_justify="left")
    for column in ("task", "reachable", "clicks", "path"):
        table.add_column(column)
    for row in result.summary["tasks"]:
        clicks = "" if row["clicks"] is None else str(row["clicks"])
        reachable = "yes" if row["reachable"] else "[red]no[/red]"
        path = " > ".join(_page_name(url) for url in row["path"].split(" > ") if url)
        table.add_row(row["task_id"], reachable, clicks, path)
    out.print(table)
    pages = result.summary["pages"]
    out.print(
        f"{pages['fetched']} pages fetched ({pages['client_errors'] + pages['server_errors']} "
        f"HTTP errors, {pages['failed']} failed), {pages['links']} links. "
        f"Results in {result.out_dir}/"
    )
    sitemaps = result.summary.get("sitemaps") or {}
    if sitemaps.get("addresses"):
        out.print(
            f"Sitemaps list {sitemaps['addresses']} pages: {sitemaps['orphans']} orphaned (linked "
            f"from nowhere); {sitemaps['linked_not_in_sitemap']} linked pages are in no sitemap."
        )


@app.command()
def audit(
    url: Annotated[str | None, typer.Argument(help="Start URL (overrides site.start_url).")] = None,
    tasks: Annotated[
        Path | None,
        typer.Option(
            "--tasks",
            help="Task configuration (YAML) [default: the generic catalogue's tasks found on "
            "the start page]",
        ),
    ] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Output folder.")] = None,
    max_pages: Annotated[int | None, typer.Option(min=1, help="Stop after N pages.")] = None,
    max_depth: Annotated[int | None, typer.Option(min=0, help="Follow links N deep.")] = None,
    viewports: Annotated[
        str, typer.Option(help="Viewports to render: desktop, mobile, or both comma-separated.")
    ] = "desktop,mobile",
    no_render: Annotated[bool, typer.Option("--no-render", help="Crawl only.")] = False,
    no_throttle: Annotated[
        bool, typer.Option("--no-throttle", help="Turn AutoThrottle off (for local sites).")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace a run in --out.")] = False,
    page_timeout: Annotated[
        float, typer.Option(min=1, help="Seconds a page may take to load when rendered.")
    ] = 15.0,
    baseline: Annotated[
        Path | None, typer.Option(help="Check budgets and regressions against this run.")
    ] = None,
    max_duration: Annotated[
        float | None,
        typer.Option(min=1, help="Stop after this many seconds; results marked partial."),
    ] = None,
    resume: Annotated[
        Path | None, typer.Option(help="Continue the interrupted run in this folder.")
    ] = None,
    crawl_with: Annotated[
        CrawlWith | None,
        typer.Option(
            help="http, browser (single-page apps), or auto: decide from the start page "
            "[default: auto, or site.crawl_with]"
        ),
    ] = None,
    history: Annotated[
        str | None,
        typer.Option(
            help="Record the run in this DuckDB file or postgresql:// database "
            f"[default: ${ENV_VAR}, or history.duckdb beside the run's folder]"
        ),
    ] = None,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Do not record the run in the history.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Crawl with N processes sharing one frontier in Redis."),
    ] = None,
    redis_url: Annotated[
        str | None,
        typer.Option(
            "--redis",
            envvar=REDIS_ENV,
            show_envvar=True,
            help="Share the frontier in this Redis (redis://, rediss://, unix://), so that "
            "`toptasks worker` on other machines can join [default: a private Redis]",
        ),
    ] = None,
    urls: Annotated[
        Path | None,
        typer.Option(
            "--urls",
            help="Audit exactly the pages this file lists, one URL a line (a sitemap's URL "
            "stands for its pages); no link is followed [default: crawl from the start page]",
        ),
    ] = None,
    lang: Annotated[
        Lang | None,
        typer.Option(
            help="The site's language: its words are read in it (scent, task matching, the "
            "catalogue) [default: site.lang, or the start page's, declared or detected]"
        ),
    ] = None,
) -> None:
    """Crawl a site and audit its top tasks."""
    if resume is not None and out_dir is not None and out_dir != resume:
        raise UsageError("--resume names the run's folder; leave out --out")
    source = "file"
    url = url or (first_url(urls) if tasks is None else None)
    if tasks is None:
        out_dir = resume or out_dir or default_out_dir(url or "")
        tasks, source = _catalogue_tasks(
            url, out_dir, resume is not None, force, page_timeout, lang.value if lang else None
        )
    config = load_config(tasks)
    options = AuditOptions(
        tasks_file=tasks,
        tasks_source=source,
        url=url,
        out=resume or out_dir,
        max_pages=max_pages,
        max_depth=max_depth,
        viewports=parse_viewports(viewports),
        render=not no_render,
        throttle=False if no_throttle else None,
        force=force,
        page_timeout=page_timeout,
        max_duration=max_duration,
        resume=resume is not None,
        crawl_with=crawl_with.value if crawl_with else None,
        history=history,
        record=not no_history,
        workers=workers,
        redis=redis_url,
        urls=urls,
        lang=lang.value if lang else None,
    )
    result = run_audit(config, options)
    print_summary(result)
    failed = _print_checks(result.out_dir, baseline, tasks) if baseline is not None else 0
    if result.history_error is not None:
        raise result.history_error  # after every file of the run is written
    raise typer.Exit(1 if failed else 0)


def _catalogue_tasks(
    url: str | None,
    out_dir: Path,
    resuming: bool,
    force: bool,
    timeout_s: float,
    lang: str | None = None,
) -> tuple[Path, str]:
    """No --tasks: the generic catalogue's tasks found on the site, drafted into the run's
    folder (a resumed run reads the draft it made)."""
    drafted = out_dir / CATALOGUE_TASKS
    if resuming and drafted.exists():
        return drafted, "catalogue"
    if not url:
        raise UsageError("give the site's URL, or --tasks FILE")
    refuse_a_run_in(out_dir, force)
    out_dir.mkdir(parents=True, exist_ok=True)
    draft = draft_tasks(url, GENERIC, timeout_s, lang)
    write_draft(draft, drafted)
    found = ", ".join(m.task.id for m in draft.found)
    out.print(
        f"toptasks: no --tasks: auditing the generic catalogue's {len(draft.found)} tasks found "
        f"on the start page ({found}); draft your own with `toptasks init {draft.url}`"
    )
    return drafted, "catalogue"


def _check_and_exit(run_dir: Path, baseline: Path | None, tasks: Path | None) -> None:
    raise typer.Exit(1 if _print_checks(run_dir, baseline, tasks) else 0)


def _print_checks(run_dir: Path, baseline: Path | None, tasks: Path | None) -> int:
    """Run and print the checks; how many failed."""
    results = run_check(run_dir, baseline, tasks)
    table = Table(title="Checks", title_justify="left")
    for column in ("task", "check", "result", "actual", "expected"):
        table.add_column(column)
    style = {"pass": "[green]pass[/green]", "fail": "[red]FAIL[/red]", "skipped": "skipped"}
    for r in results:
        table.add_row(r.task_id, r.check, style[r.status], r.actual, r.expected)
    out.print(table)
    failed = sum(r.status == "fail" for r in results)
    out.print(f"{failed} of {len(results)} checks failed. Wrote {run_dir}/check.json and check.xml")
    return failed


@app.command()
def check(
    run_dir: Annotated[Path, typer.Argument(help="A finished run's output folder.")],
    baseline: Annotated[Path | None, typer.Option(help="An earlier run to compare with.")] = None,
    tasks: Annotated[
        Path | None, typer.Option(help="Budgets from this config instead of the run's own.")
    ] = None,
) -> None:
    """Check a finished run's budgets and regressions; exit 1 when any check fails."""
    _check_and_exit(run_dir, baseline, tasks)


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("results/demo"),
) -> None:
    """Serve the bundled demo site on 127.0.0.1 and audit it (no internet needed)."""
    result = run_demo(out_dir)
    print_summary(result)
    results = run_check(result.out_dir)
    failed = [r for r in results if r.status == "fail"]
    out.print(f"{len(failed)} of {len(results)} budget checks fail, as the demo site intends:")
    for r in failed:
        out.print(f"  {r.task_id}: {r.check} is {r.actual}, budget {r.expected}")
    out.print(f"Open {result.out_dir / 'report.html'} to read the report.")


@app.command()
def compare(
    runs: Annotated[list[Path], typer.Argument(help="Two or more finished runs' folders.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Where compare.csv/.html go.")] = ...,
) -> None:
    """The same tasks across runs (competitors, or two versions of a site), side by side."""
    out.print(f"Wrote {run_compare(runs, out_dir)} and compare.csv")


@app.command()
def worker(
    redis_url: Annotated[
        str,
        typer.Option(
            "--redis", envvar=REDIS_ENV, show_envvar=True, help="The audit's shared Redis."
        ),
    ],
    run: Annotated[
        str | None, typer.Option(help="The audit to join [default: the oldest under way]")
    ] = None,
    log_dir: Annotated[Path, typer.Option("--log", help="Folder for the crawl log.")] = Path(
        "toptasks-worker"
    ),
    wait: Annotated[
        float, typer.Option(min=0, help="Seconds to wait for an audit to start.")
    ] = 60.0,
) -> None:
    """Join an audit's crawl from this machine (its config comes from Redis); exits when the
    audit is done."""
    from crawler.run import work  # Scrapy's reactor, only for this command

    try:
        client = connect(redis_url)
        deadline = time.monotonic() + wait
        while run is None:
            runs = open_runs(client)
            if runs:
                run = runs[0]
            elif time.monotonic() > deadline:
                raise SiteError(f"no audit under way in Redis at {mask(redis_url)}")
            else:
                time.sleep(0.5)
        print(f"toptasks worker: joining audit {run} on {mask(redis_url)}", file=sys.stderr)
        work(redis_url, run, log_dir / run)
    except FrontierError as error:
        raise SiteError(str(error)) from None


@app.command("history")
def history_command(
    history: Annotated[
        str | None,
        typer.Option(help=f"DuckDB file or postgresql:// URL [default: ${ENV_VAR}, or {DEFAULT}]"),
    ] = None,
    site: Annotated[str | None, typer.Option(help="Only this host's runs.")] = None,
    task: Annotated[str | None, typer.Option(help="Only this task id.")] = None,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV (history.csv's columns).")] = False,
) -> None:
    """Recorded runs and each task's trend: clicks, interactions, fold, time and score."""
    where = history_location(history)
    with open_store(where, write=False) as db:
        rows = history_rows(db, site=site, task=task)
    if csv:
        sys.stdout.write(contract_frame(rows, "history.csv").to_csv(index=False))
        return
    if rows.empty:
        out.print(f"No recorded run matches in {where}.")
        return
    for (site_name, _), runs in rows.groupby(["site", "task_set"], sort=False):
        for task_id, trend in runs.groupby("task_id", sort=False):
            name = trend["task_name"].iloc[-1]
            out.print(_trend_table(f"{site_name} · {task_id} · {name}", trend))
    out.print(f"{rows['run_id'].nunique()} runs in {where}")


def _trend_table(title: str, trend: pd.DataFrame) -> Table:
    table = Table(title=title, title_justify="left", box=None, pad_edge=False, padding=(0, 1))
    for column in TREND_COLUMNS.values():
        table.add_column(column, justify="right", no_wrap=True)
    for row in trend.to_dict("records"):
        table.add_row(*(_shown(row[key]) for key in TREND_COLUMNS))
    return table


TREND_COLUMNS = {  # short headers: the table fits an 80-column CI log
    "finished_at": "UTC",
    "clicks": "clicks",
    "interactions": "steps",
    "entry_above_fold_desktop": "fold D",
    "entry_above_fold_mobile": "fold M",
    "est_time_s": "est s",
    "measured_time_s": "meas s",
    "score": "score",
    "site_score": "site",
}


def _shown(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)[:16].replace("T", " ")  # finished_at, to the minute


@app.command()
def report(
    run_dir: Annotated[Path, typer.Argument(help="A finished run's output folder.")],
) -> None:
    """Rebuild report.html from a run's CSV and JSON files."""
    if not (run_dir / "summary.json").exists():
        raise UsageError(f"{run_dir} is not a toptasks run (no summary.json)")
    out.print(f"Wrote {write_report(run_dir)}")


@app.command()
def init(
    url: Annotated[str, typer.Argument(help="The site's start page.")],
    sector: Annotated[
        Sector | None, typer.Option(help="The catalogue to match [default: guessed].")
    ] = None,
    out_file: Annotated[Path, typer.Option("--out", help="Where to write.")] = Path("tasks.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    page_timeout: Annotated[
        float, typer.Option(min=1, help="Seconds the start page may take to load.")
    ] = 15.0,
    lang: Annotated[
        Lang | None,
        typer.Option(
            help="The site's language, for the catalogue and the matching [default: the start "
            "page's, declared or detected]"
        ),
    ] = None,
) -> None:
    """Draft a tasks.yaml from the site's own navigation and a sector's task catalogue."""
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise UsageError(f"not an http(s) URL: {url!r}")
    if out_file.exists() and not force:
        raise UsageError(f"{out_file} exists; use --force to replace it")
    draft = draft_tasks(
        url, sector.value if sector else None, page_timeout, lang.value if lang else None
    )
    if sector is None:
        why = f"words: {', '.join(draft.signals[:6])}" if draft.signals else "no sector stood out"
        out.print(f"toptasks: sector guessed: {draft.sector} ({why}); --sector to choose")
    if draft.lang not in ("", "en"):
        out.print(
            f"toptasks: the site's language: {draft.lang} (its catalogue and words); "
            "--lang to choose"
        )
    write_draft(draft, out_file)
    table = Table(title=f"Tasks drafted for {draft.url}", title_justify="left")
    for column in ("task", "found", "entry text", "target", "where"):
        table.add_column(column)
    for match in draft.matches:
        link = match.link
        if link is None:
            table.add_row(match.task.id, "no", "", "", "not on the start page or in its menus")
        else:
            target = link.path if isinstance(match.task.target, str) else "the search box"
            table.add_row(match.task.id, "yes", link.text, target, match.places())
    out.print(table)
    out.print(f"Wrote {out_file}: check it, then run toptasks audit {draft.url} --tasks {out_file}")


@app.command()
def weights(
    votes: Annotated[Path, typer.Argument(help="The survey: a tally, or a row per respondent.")],
    tasks: Annotated[Path, typer.Option(help="The task config whose ids the survey uses.")] = ...,
) -> None:
    """Weights from a Top Tasks vote: each task's share of the votes, in vote order."""
    config = load_config(tasks)
    survey = read_survey(votes, [t.id for t in config.tasks])
    who = f"{survey.respondents:,} respondents, " if survey.respondents is not None else ""
    table = Table(title=f"Top Tasks vote: {who}{survey.total:,} votes", title_justify="left")
    for column in ("task", "votes", "weight", "cumulative", ""):
        table.add_column(column, justify="left" if column in ("task", "") else "right")
    for row in long_neck(survey.votes):
        mark = "top 25% of the votes" if row["top"] else ""
        share, running = f"{row['share']:.1%}", f"{row['cumulative']:.1%}"
        table.add_row(str(row["task_id"]), f"{row['votes']:,}", share, running, mark)
    out.print(table)
    if survey.missing():
        out.print(f"Not in the survey (weight 0): {', '.join(survey.missing())}")
    relative = os.path.relpath(votes.resolve(), tasks.resolve().parent)
    out.print(f"To use these weights, add to {tasks}:  weights_from: {relative}")


@app.command()
def summary(
    run_dir: Annotated[Path, typer.Argument(help="A finished run's output folder.")],
    report_url: Annotated[
        str,
        typer.Option(
            help="Where readers open the run's report.html (a CI artifact or Pages address); "
            "each task's path pictures are linked there."
        ),
    ] = "report.html",
) -> None:
    """Print a run's tasks and failed checks as Markdown (for a CI job's summary page)."""
    sys.stdout.write(markdown_summary(run_dir, report_url))


@app.command()
def serve(
    history: Annotated[
        str | None,
        typer.Option(
            help=f"The history to show (DuckDB file or postgresql://) [default: ${ENV_VAR}, "
            f"or {DEFAULT}]"
        ),
    ] = None,
    runs: Annotated[
        list[Path] | None,
        typer.Option("--runs", help="Folders holding run folders (downloaded CI artifacts)."),
    ] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(envvar="TOPTASKS_SERVE_TOKEN", help="Require this token on every page."),
    ] = None,
) -> None:
    """The run history in the browser: sites, task trends, reports, two runs side by side."""
    import uvicorn

    where = history_location(history)
    check_history(where)
    try:  # a port in use is the user's to change: say so in one line, before starting
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        reason = f"cannot listen on {host}:{port}: {exc.strerror}; try another --port"
        raise UsageError(reason) from None
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        out.print(
            f"toptasks: warning: {host} with no --token: whoever reaches it reads the history"
        )
    out.print(f"toptasks: serving {where} at http://{host}:{port}/ (read-only; Ctrl-C stops)")
    app_ = create_app(where, runs or [], token)
    uvicorn.run(app_, host=host, port=port, log_level="warning")


@app.command()
def doctor(
    history: Annotated[
        str | None, typer.Option(help="The history you will use (DuckDB file or postgresql://).")
    ] = None,
) -> None:
    """Check this machine's set-up for an audit; exit 0 when one can run, 3 when not."""
    findings = diagnose(history)
    for finding in findings:
        print(finding.render())
    if not ready(findings):
        missing = ", ".join(f.part for f in findings if f.needed and not f.ok)
        raise SiteError(f"an audit cannot run here: {missing} (see above)")
    print("toptasks: an audit can run here")


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def main() -> None:
    """Typer reports usage errors itself (exit 2); the project's own errors are handled here.

    Ctrl-C and SIGTERM (a CI job cancelled) become `Interrupted`, so a run can write what it
    has measured, marked partial, before it exits with 128 + the signal number.
    """
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        app()
    except ToptasksError as exc:
        print(
            f"toptasks: {'' if isinstance(exc, Interrupted) else 'error: '}{exc}", file=sys.stderr
        )
        sys.exit(exc.exit_code)
    except OSError as exc:  # disk full, read-only folder: files already written stay whole
        where = f": {exc.filename}" if exc.filename else ""
        print(f"toptasks: error: cannot write output ({exc.strerror}){where}", file=sys.stderr)
        sys.exit(2)
