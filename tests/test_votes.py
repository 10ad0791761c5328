"""Weights from a Top Tasks vote: both survey layouts, the errors a spreadsheet export makes,
`toptasks weights`, `weights_from:` in an audited config and the report's long neck."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contract.config import load_config
from contract.errors import ConfigError
from contract.votes import long_neck, read_survey
from tests.conftest import BANK_TASKS, read_csv, toptasks
from tests.sites import bank
from tests.sites.server import FixtureSite

IDS = ["login", "report_lost_card", "pay_bill", "opening_hours", "call_us", "mortgage_calculator"]
RESPONDENTS = """respondent,choice_1,choice_2,choice_3,choice_4,choice_5
1,login,pay_bill,report_lost_card,,
2,login,pay_bill,,,
3,login,opening_hours,,,
4,pay_bill,login,call_us,,
5,login,,,,
"""


def write(tmp: Path, name: str, text: str) -> Path:
    (tmp / name).write_text(text)
    return tmp / name


def test_one_row_per_respondent(tmp_path):
    survey = read_survey(write(tmp_path, "votes.csv", RESPONDENTS), IDS)
    assert survey.layout == "respondents" and survey.respondents == 5
    assert survey.votes == {
        "login": 5,
        "pay_bill": 3,
        "report_lost_card": 1,
        "opening_hours": 1,
        "call_us": 1,
        "mortgage_calculator": 0,
    }
    assert survey.missing() == ["mortgage_calculator"]
    assert survey.shares()["login"] == pytest.approx(5 / 11)


def test_a_tally_and_the_long_neck(tmp_path):
    tally = "task_id,votes\nlogin,600\npay_bill,250\nreport_lost_card,100\nopening_hours,50\n"
    survey = read_survey(write(tmp_path, "tally.csv", tally), IDS)
    assert survey.layout == "tally" and survey.total == 1000
    neck = long_neck(survey.votes)
    assert [row["task_id"] for row in neck[:4]] == [
        "login",
        "pay_bill",
        "report_lost_card",
        "opening_hours",
    ]
    assert [row["top"] for row in neck[:3]] == [True, False, False]  # login alone takes 60%
    assert neck[1]["cumulative"] == 0.85


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("task_id,votes\nlogin,5\nlost_kard,3\n", "row 3: unknown task id 'lost_kard'"),
        ("respondent,c1\n1,login\n2,paybill\n", "row 3: unknown task id 'paybill'"),
        ("task_id,votes\nlogin,many\n", "row 2: votes for 'login' is not a count"),
        (
            "c1,c2,c3,c4,c5,c6\nlogin,pay_bill,call_us,opening_hours,report_lost_card,mortgage_calculator\n",
            "row 2: 6 tasks chosen, at most 5",
        ),
        ("", "votes file is empty"),
        ("respondent,c1\n1,\n", "the survey holds no votes"),
    ],
)
def test_survey_errors_name_the_row_and_the_id(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        read_survey(write(tmp_path, "votes.csv", text), IDS)


def test_weights_command(tmp_path):
    votes = write(tmp_path, "votes.csv", RESPONDENTS)
    done = toptasks("weights", votes, "--tasks", BANK_TASKS, env={"COLUMNS": "120"})
    assert done.returncode == 0, done.stderr
    assert "5 respondents, 11 votes" in done.stdout
    login = next(line for line in done.stdout.splitlines() if "│ login" in line)
    assert "45.5%" in login and "top 25% of the votes" in login
    assert "Not in the survey (weight 0): mortgage_calculator" in done.stdout
    bad = write(tmp_path, "bad.csv", "task_id,votes\nlogin,5\nlost_kard,3\n")
    done = toptasks("weights", bad, "--tasks", BANK_TASKS)
    assert done.returncode == 2
    assert "bad.csv: row 3: unknown task id 'lost_kard'" in done.stderr
    assert "Traceback" not in done.stderr


def bank_config_with_votes(tmp: Path, extra: str = "") -> Path:
    write(tmp, "votes.csv", RESPONDENTS)
    text = BANK_TASKS.read_text().replace("    weight: 0.4\n", "").replace("    weight: 0.2\n", "")
    return write(tmp, "tasks.yaml", f"weights_from: votes.csv\n{extra}{text}")


def test_weights_from_sets_each_tasks_weight_to_its_vote_share(tmp_path):
    config = load_config(bank_config_with_votes(tmp_path))
    weights = config.weights()
    assert weights["login"] == pytest.approx(5 / 11, abs=1e-6)
    assert weights["mortgage_calculator"] == 0
    assert config.votes["pay_bill"] == 3


def test_a_weight_beside_weights_from_is_an_error(tmp_path):
    write(tmp_path, "votes.csv", RESPONDENTS)
    path = write(tmp_path, "tasks.yaml", "weights_from: votes.csv\n" + BANK_TASKS.read_text())
    with pytest.raises(ConfigError, match=r"tasks.yaml:\d+: tasks.0.weight: given, but weights"):
        load_config(path)


def test_an_audit_weighs_by_the_vote_and_draws_the_long_neck(tmp_path):
    config = bank_config_with_votes(tmp_path)
    with FixtureSite(bank.routes()) as site:
        args = ("audit", site.url, "--tasks", config, "--out", tmp_path / "run", "--no-render")
        done = toptasks(*args, "--no-throttle", "--no-history")
    assert done.returncode == 0, done.stderr
    tasks = read_csv(tmp_path / "run" / "tasks.csv").set_index("task_id")
    assert float(tasks.loc["login", "weight"]) == pytest.approx(5 / 11, abs=1e-3)
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["weights_from"] == "votes.csv"
    assert [row["task_id"] for row in summary["votes"]][:2] == ["login", "pay_bill"]
    report = (tmp_path / "run" / "report.html").read_text()
    assert "The long neck: what customers voted for" in report
    assert "The top 25% of the votes go to: Log in to online banking." in report
    assert "45%, 45% so far ◂ top 25%" in report
