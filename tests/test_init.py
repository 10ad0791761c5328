"""`toptasks init` and `toptasks audit URL` without --tasks, on fixture sites of two sectors:
the tasks drafted from the rendered start page and its menus, checked against what a person
finds by hand, and audited like a hand-written file."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from contract.config import load_config
from tests.conftest import read_csv, toptasks
from tests.sites import bank, university
from tests.sites.server import FixtureSite

# The same tasks written by hand, by the targets a person picked on the site.
UNIVERSITY_BY_HAND = """
tasks:
  - {id: find_course, name: Find a course, entry: {text: [courses]},
     target: {url: "/study/undergraduate/$"}}
  - {id: apply, name: Apply, entry: {text: [apply]}, target: {text: "Apply through UCAS"}}
  - {id: fees, name: Fees, entry: {text: [fees]}, target: {text: "Tuition fees and scholarships"}}
  - {id: accommodation, name: Housing, target: {text: "Halls of residence"}}
  - {id: student_login, name: Log in, target: {selector: "input[type=password]"}}
  - {id: term_dates, name: Term dates, target: {text: "Autumn term starts"}}
  - {id: contact, name: Contact, target: {text: "Phone 0141"}}
"""


@pytest.fixture(scope="module")
def university_site():
    with FixtureSite(university.routes()) as site:
        yield site


@pytest.fixture(scope="module")
def drafted(university_site, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("init")
    done = toptasks("init", university_site.url, "--out", tmp / "tasks.yaml")
    assert done.returncode == 0, done.stderr
    return tmp, done


def test_init_guesses_the_sector_and_finds_what_a_person_finds(drafted):
    tmp, done = drafted
    assert "sector guessed: university" in done.stdout
    text = (tmp / "tasks.yaml").read_text()
    config = load_config(tmp / "tasks.yaml")  # what init writes, the loader accepts
    tasks = {task.id: task for task in config.tasks}
    for task_id, (link_text, path, _) in university.HAND_CHECKED.items():
        assert tasks[task_id].entry.text == [link_text], task_id
        assert re.search(tasks[task_id].target.url, f"{config.site.start_url}{path[1:]}")
    assert (
        "# found: 'Undergraduate courses': desktop nav, in the menu Study; "
        "mobile nav, in the menu Menu › Study"
    ) in text
    assert tasks["search"].target.selector.startswith("form[role=search]")
    for task_id in university.ABSENT:
        assert task_id not in tasks
        assert re.search(rf"  # - id: {task_id}\n.*\n  #   not found: no link on the start", text)
    assert "'open days', 'open day' or 'visit us'" in text
    assert "# Sector: university (guessed from the site's words: university" in text


def test_an_audit_of_the_draft_gives_the_hand_written_files_clicks(
    drafted, university_site, tmp_path
):
    tmp, _ = drafted
    (tmp_path / "by-hand.yaml").write_text(UNIVERSITY_BY_HAND)
    runs = {}
    for name, config in (("draft", tmp / "tasks.yaml"), ("hand", tmp_path / "by-hand.yaml")):
        args = ("audit", university_site.url, "--tasks", config, "--out", tmp_path / name)
        done = toptasks(*args, "--no-throttle", "--no-history", "--page-timeout", "10")
        assert done.returncode == 0, done.stderr
        runs[name] = read_csv(tmp_path / name / "tasks.csv").set_index("task_id")
    for task_id, (_, _, clicks) in university.HAND_CHECKED.items():
        assert runs["draft"].loc[task_id, "clicks"] == str(clicks), task_id
        assert runs["draft"].loc[task_id, "clicks"] == runs["hand"].loc[task_id, "clicks"]
        for column in ("interactions_desktop", "interactions_mobile"):
            assert runs["draft"].loc[task_id, column] == runs["hand"].loc[task_id, column]
    # "Undergraduate courses" is in the Study dropdown: a click to open it, one to follow it.
    assert runs["draft"].loc["find_course", "interactions_desktop"] == "2"
    assert runs["draft"].loc["search", "clicks"] == "0"  # the search box is on the start page


def test_init_on_the_bank_site_takes_the_headers_log_in(bank_run, tmp_path):
    site_url_run = bank_run[1]
    with FixtureSite(bank.routes()) as site:
        done = toptasks("init", site.url, "--out", tmp_path / "tasks.yaml")
        assert done.returncode == 0, done.stderr
        tasks = {t.id: t for t in load_config(tmp_path / "tasks.yaml").tasks}
        assert tasks["login"].entry.text == ["Log in"]  # not the footer's "Online banking"
        assert tasks["opening_hours"].entry.text == ["Find a branch"]
        assert "lost_card" not in tasks  # three clicks deep, not on the start page
        args = ("audit", site.url, "--tasks", tmp_path / "tasks.yaml", "--out", tmp_path / "run")
        done = toptasks(*args, "--no-render", "--no-throttle", "--no-history")
        assert done.returncode == 0, done.stderr
    drafted = read_csv(tmp_path / "run" / "tasks.csv").set_index("task_id")
    by_hand = read_csv(site_url_run / "tasks.csv").set_index("task_id")
    assert drafted.loc["login", "clicks"] == by_hand.loc["login", "clicks"] == "1"
    assert drafted.loc["opening_hours", "clicks"] == by_hand.loc["opening_hours", "clicks"]


def test_audit_with_no_tasks_audits_the_generic_catalogue(university_site, tmp_path):
    out = tmp_path / "run"
    done = toptasks(
        "audit", university_site.url, "--out", out, "--no-throttle", "--no-history", "--no-render"
    )
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stdout.splitlines() if "no --tasks" in line]
    assert said and "generic catalogue" in said[0] and "toptasks init" in done.stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["tasks_source"] == "catalogue"
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    assert {"login", "contact", "search"} <= set(tasks.index)
    assert tasks.loc["login", "entry_text"] == "Student login"
    assert tasks.loc["contact", "clicks"] == "1"
    drafted = yaml.safe_load((out / "catalogue-tasks.yaml").read_text())
    assert summary["config_file"].endswith("catalogue-tasks.yaml") and drafted["tasks"]


def test_init_says_when_the_site_does_not_answer(tmp_path):
    done = toptasks("init", "http://127.0.0.1:9/", "--out", tmp_path / "tasks.yaml")
    assert done.returncode == 3
    assert done.stderr.startswith("toptasks: error: http://127.0.0.1:9/ could not be read")
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "tasks.yaml").exists()


def test_init_refuses_to_overwrite_and_unknown_sectors(tmp_path):
    (tmp_path / "tasks.yaml").write_text("kept")
    done = toptasks("init", "http://127.0.0.1:9/", "--out", tmp_path / "tasks.yaml")
    assert done.returncode == 2 and "exists; use --force" in done.stderr
    assert (tmp_path / "tasks.yaml").read_text() == "kept"
    done = toptasks("init", "http://127.0.0.1:9/", "--sector", "casino")
    assert done.returncode == 2
