"""Issue 35 on fixture sites in Dutch, German and French, crawled and rendered as a user runs
toptasks: the page's language in pages.csv and summary.json, tasks drafted in the site's own
words, scent and competing links in the site's language, consent refused in it, and a crawl
that stays in one language."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from contract.config import load_config
from tests.conftest import audit_site, read_csv, toptasks
from tests.sites import gemeente, mairie, talbank
from tests.sites.server import FixtureSite


@pytest.fixture(scope="module")
def dutch_run(tmp_path_factory):
    site, out = audit_site(
        gemeente.routes(), gemeente.TASKS, tmp_path_factory.mktemp("gemeente"), "--no-history"
    )
    return out, site.paths_requested()


def test_a_dutch_site_is_read_in_dutch(dutch_run):
    out, _ = dutch_run
    summary = json.loads((out / "summary.json").read_text())
    assert summary["lang"] == "nl"
    pages = read_csv(out / "pages.csv")
    assert set(pages["lang"]) == {"nl"}


def test_the_crawl_stays_in_dutch(dutch_run):
    """The English section is linked (the switcher) and named by hreflang, never crawled."""
    out, requested = dutch_run
    assert not [p for p in requested if p.startswith("/en/")]
    links = read_csv(out / "links.csv")
    assert (links["target_url"].str.endswith("/en/")).any()


def test_scent_and_competing_links_in_dutch(dutch_run):
    out, _ = dutch_run
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    assert tasks.loc["grofvuil", "clicks"] == "2"
    assert float(tasks.loc["grofvuil", "predicted_success"]) > 0
    findings = read_csv(out / "findings.csv")
    mine = findings[findings["task_id"] == "grofvuil"]
    # "Afvalkalender" holds the task's "afval": the compound is split, the scent is not weak
    assert not (mine["kind"] == "weak_scent").any(), mine[["kind", "detail"]]
    competing = mine[mine["kind"] == "competing_link"]
    assert competing["detail"].str.contains("Grofvuil zelf wegbrengen").any()
    # the language switcher is no way away from any task
    assert not findings["detail"].str.contains("'English'").any()


def test_consent_is_refused_in_dutch(dutch_run):
    out, requested = dutch_run
    choices = [p.split("choice=")[1] for p in requested if "choice=" in p]
    assert choices and set(choices) == {"necessary"}  # "Alleen noodzakelijke", never "Alles"
    findings = read_csv(out / "findings.csv")
    assert (findings["kind"] == "cookie_wall").any()


def test_lang_overrides_the_pages_language(tmp_path):
    """--lang en reads the Dutch words as English: the compound is not split, and the header's
    "Afvalkalender" no longer smells of the task."""
    (tmp_path / "tasks.yaml").write_text(gemeente.TASKS.replace("site:\n  lang: nl\n", ""))
    with FixtureSite(gemeente.routes()) as site:
        args = ("audit", site.url, "--tasks", tmp_path / "tasks.yaml", "--out", tmp_path / "run")
        done = toptasks(*args, "--lang", "en", "--no-render", "--no-throttle", "--no-history")
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["lang"] == "en"
    pages = read_csv(tmp_path / "run" / "pages.csv")
    dutch = ~pages["url"].str.contains("/en/")  # the crawl now stays in English
    assert set(pages[dutch]["lang"]) == {"nl"} and set(pages[~dutch]["lang"]) == {"en"}
    findings = read_csv(tmp_path / "run" / "findings.csv")
    weak = findings[(findings["task_id"] == "grofvuil") & (findings["kind"] == "weak_scent")]
    assert weak["detail"].str.contains("Afvalkalender").any()


def test_init_drafts_a_german_banks_tasks_in_german(tmp_path):
    with FixtureSite(talbank.routes()) as site:
        done = toptasks("init", site.url, "--out", tmp_path / "tasks.yaml")
        assert done.returncode == 0, done.stderr
        assert "sector guessed: bank" in done.stdout
        text = (tmp_path / "tasks.yaml").read_text()
        config = load_config(tmp_path / "tasks.yaml")
        assert config.site.lang == "de"  # from the Content-Language header
        assert "audits/catalogue/de/bank.yaml" in text
        tasks = {task.id: task for task in config.tasks}
        for task_id, (label, path) in talbank.HAND_CHECKED.items():
            assert tasks[task_id].entry.text == [label], task_id
            assert re.search(tasks[task_id].target.url, site.url + path[1:]), task_id
        run = tmp_path / "run"
        args = ("audit", site.url, "--tasks", tmp_path / "tasks.yaml", "--out", run)
        done = toptasks(*args, "--no-throttle", "--no-history", "--viewports", "desktop")
        assert done.returncode == 0, done.stderr
        choices = [p.split("choice=")[1] for p in site.paths_requested() if "choice=" in p]
    assert choices and set(choices) == {"necessary"}  # "Alle ablehnen", never "Alle akzeptieren"
    assert set(read_csv(run / "pages.csv")["lang"]) == {"de"}
    rows = read_csv(run / "tasks.csv").set_index("task_id")
    assert rows.loc["lost_card", "clicks"] == "1" and rows.loc["statements", "clicks"] == "1"


def test_an_audit_without_tasks_drafts_them_in_french(tmp_path):
    """No language declared anywhere: the text is read as French, and the generic catalogue
    is taken in French."""
    out = tmp_path / "run"
    with FixtureSite(mairie.routes()) as site:
        done = toptasks(
            "audit", site.url, "--out", out, "--no-throttle", "--no-history", "--no-render"
        )
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["lang"] == "fr" and summary["tasks_source"] == "catalogue"
    drafted = yaml.safe_load((out / "catalogue-tasks.yaml").read_text())
    assert drafted["site"]["lang"] == "fr"
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    assert tasks.loc["contact", "entry_text"] == "Nous contacter"
    assert tasks.loc["opening_hours", "entry_text"] == "Horaires d'ouverture"
    assert tasks.loc["help", "entry_text"] == "Questions fréquentes"
    assert tasks.loc["contact", "clicks"] == "1"
