"""Issue 24: the audit on real front-end code. Each pattern of tests/corpus (a public template,
menu plugins, consent libraries, router apps, from npm) is audited as a user would, and its
tasks.csv, findings.csv and rendered model must give what a person finds by hand; a separate
walk in plain Playwright (tests/corpus/walk.py) checks those expected answers themselves."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import read_csv, toptasks
from tests.corpus import CorpusUnavailable, built, routes
from tests.corpus.patterns import BOTH, PATTERNS, Pattern
from tests.corpus.walk import Walker, reaches
from tests.sites.server import FixtureSite

# The findings about the way to a task that the corpus pins down. Others (contrast, tap size,
# scent, axe's rules) judge the entry link itself, and other tests cover them.
CHECKED = {
    "unreachable",
    "entry_hidden",
    "entry_in_collapsed_menu",
    "entry_covered",
    "entry_below_fold",
    "entry_off_screen",
    "entry_not_rendered",
    "entry_not_keyboard_reachable",
    "menu_opener_unlabelled",
    "dead_control",
}
SITE_CHECKED = {"soft_404", "cookie_wall", "modal"}
AUDITS_AT_ONCE = 2  # the audits wait on pages more than they compute


def _audit(pattern: Pattern, folder: Path) -> Path:
    table, fallback = routes(pattern.site, pattern.targets, pattern.brand)
    (folder / "tasks.yaml").write_text(pattern.tasks)
    with FixtureSite(table, fallback) as site:
        url = site.url.rstrip("/") + pattern.start
        args = ("audit", url, "--tasks", folder / "tasks.yaml", "--out", folder / "run")
        done = toptasks(*args, "--no-throttle", "--page-timeout", "10")
    assert done.returncode == 0, f"{pattern.site}: {done.stderr}"
    return folder / "run"


@pytest.fixture(scope="module")
def corpus_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every pattern audited once (a few at a time), its run folder by site."""
    try:
        built()
    except CorpusUnavailable as missing:
        pytest.skip(str(missing))
    root = tmp_path_factory.mktemp("corpus")
    folders = {p.site: root / p.site for p in PATTERNS}
    for folder in folders.values():
        folder.mkdir()
    with ThreadPoolExecutor(AUDITS_AT_ONCE) as pool:
        runs = pool.map(lambda p: (p.site, _audit(p, folders[p.site])), PATTERNS)
        return dict(runs)


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1] if "://" in url else url


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.site)
def test_the_audit_finds_what_a_person_finds(pattern: Pattern, corpus_runs):
    out = corpus_runs[pattern.site]
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    findings = read_csv(out / "findings.csv")
    for task_id, expect in pattern.expect.items():
        row = tasks.loc[task_id]
        said = f"{pattern.site}/{task_id}"
        assert row["clicks"] == ("" if expect.clicks is None else str(expect.clicks)), said
        wanted = set(expect.findings)
        if expect.clicks is None:
            wanted.add(("unreachable", ""))
        for vp in BOTH:
            if expect.clicks is not None:
                assert row[f"interactions_{vp}"] == str(expect.interactions(vp)), (said, vp)
                above = "false" if expect.in_menu(vp) else "true"
                assert row[f"entry_above_fold_{vp}"] == above, (said, vp)
            if expect.in_menu(vp):
                wanted.add(("entry_in_collapsed_menu", vp))
        assert row["entry_menu_path"] == expect.menu_path, said
        mine = findings[(findings["task_id"] == task_id) & findings["kind"].isin(CHECKED)]
        got = set(zip(mine["kind"], mine["viewport"], strict=True))
        assert got == wanted, (said, mine[["kind", "viewport", "detail"]].to_string())
    site = findings[(findings["task_id"] == "") & findings["kind"].isin(SITE_CHECKED)]
    got = {(kind, _path(url)) for kind, url in zip(site["kind"], site["page_url"], strict=True)}
    wanted = set(pattern.site_findings)
    if pattern.consent:
        wanted.add(("cookie_wall", pattern.start))
    assert got == wanted, (pattern.site, site.to_string())


@pytest.mark.parametrize("pattern", [p for p in PATTERNS if p.consent], ids=lambda p: p.site)
def test_consent_libraries_are_recognised_and_refused(pattern: Pattern, corpus_runs):
    lines = (corpus_runs[pattern.site] / "model" / "rendered.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    start = [r for r in records if r["url"] == records[0]["url"]]  # the start page is first
    assert {r["viewport"] for r in start} == set(BOTH)
    for record in start:
        consent = record["consent"]
        assert (consent["platform"], consent["answer"]) == pattern.consent, record["viewport"]


def _walks() -> list[tuple[Pattern, str, str]]:
    return [
        (p, task_id, vp)
        for p in PATTERNS
        for task_id, expect in p.expect.items()
        if expect.clicks is not None
        for vp in BOTH
    ]


@pytest.fixture(scope="module")
def walker():
    try:
        built()
    except CorpusUnavailable as missing:
        pytest.skip(str(missing))
    with Walker() as walker:
        yield walker


@pytest.mark.parametrize(
    ("pattern", "task_id", "viewport"), _walks(), ids=lambda v: getattr(v, "site", v)
)
def test_the_expected_trail_is_what_a_person_walks(pattern, task_id, viewport, walker):
    """The expected answers, checked without the audit: the trail reaches the target and no
    step of it could be skipped."""
    expect = pattern.expect[task_id]
    target = next(
        line.split("'")[1]
        for line in pattern.tasks.split(f"id: {task_id}\n", 1)[1].splitlines()
        if "target:" in line
    )
    table, fallback = routes(pattern.site, pattern.targets, pattern.brand)
    with FixtureSite(table, fallback) as site:
        url = site.url.rstrip("/") + pattern.start
        try:
            walked = walker.walk(url, expect.trail(viewport), viewport, pattern.refuse)
            again = not reaches(walked, target) or bool(walked.needless)
        except (AssertionError, PlaywrightError):
            again = True
        if again:  # once more: a loaded machine's timing, before the walk counts as failed
            walked = walker.walk(url, expect.trail(viewport), viewport, pattern.refuse)
    assert reaches(walked, target), walked.url
    assert walked.needless == [], walked.needless
