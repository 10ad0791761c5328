"""The signed-in area of a staging site: login steps, the account crawl, journeys, safety."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contract.columns import TABLES
from tests.conftest import read_csv, toptasks
from tests.sites import secure
from tests.sites.server import FixtureSite

TASKS = Path(__file__).parent / "sites" / "secure.yaml"
CREDENTIALS = {"NORTHGATE_USER": secure.USER, "NORTHGATE_PASS": secure.PASSWORD}


def audit(site: FixtureSite, out: Path, env: dict[str, str], *more: str):
    args = ("audit", site.url, "--tasks", TASKS, "--out", out, "--no-throttle", *more)
    return toptasks(*args, "--page-timeout", "3", env=env)


def files_containing(folder: Path, needles: list[str]) -> list[str]:
    """Every file under `folder` whose bytes contain one of `needles`."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {n}" for n in needles if n.encode() in data]
    return found


@pytest.fixture(scope="module")
def signed_in_run(tmp_path_factory):
    bank = secure.Bank()
    out = tmp_path_factory.mktemp("secure") / "run"
    with FixtureSite(bank.routes()) as site:
        done = audit(site, out, CREDENTIALS)
        assert done.returncode == 0, done.stderr
        yield site, bank, out, done


def test_account_tasks_audited_from_the_signed_in_start_page(signed_in_run):
    site, _, out, _ = signed_in_run
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    columns = [
        "area",
        "clicks",
        "interactions",
        "entry_above_fold_desktop",
        "entry_above_fold_mobile",
        "entry_in_collapsed_menu_mobile",
        "path",
    ]
    start, account = site.url, site.url + "account/"
    expected = {
        "login": ["public", "1", "1", "true", "true", "false", f"{start} > {start}login"],
        # In the header on desktop, behind the hamburger on a phone.
        "statements": [
            "account", "1", "2", "true", "false", "true", f"{account} > {account}statements"
        ],
        # A dashboard tile, pushed below the fold by the promotion on every viewport.
        "pay_bill": [
            "account", "1", "1", "false", "false", "false", f"{account} > {account}payments/bill"
        ],
    }  # fmt: skip
    for task_id, values in expected.items():
        assert tasks.loc[task_id, columns].tolist() == values, task_id
    pages = read_csv(out / "pages.csv")
    account_pages = set(pages.loc[pages["area"] == "account", "url"])
    assert {account, account + "statements", account + "payments/bill"} <= account_pages
    assert not any("/account/" in url for url in pages.loc[pages["area"] == "public", "url"])


def test_server_rendered_areas_are_crawled_over_http(signed_in_run):
    _, _, out, _ = signed_in_run
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["crawl_mode"], summary["account_crawl_mode"]) == ("http", "http")


def test_dashboard_promotion_is_a_distraction(signed_in_run):
    site, _, out, _ = signed_in_run
    findings = read_csv(out / "findings.csv")
    promos = findings[
        (findings["kind"] == "promo_banner") & (findings["page_url"].str.endswith("/account/"))
    ]
    assert sorted(promos["viewport"]) == ["desktop", "mobile"]
    assert all(float(share) > 0.5 for share in promos["area_share"])
    below = findings[(findings["task_id"] == "pay_bill") & (findings["kind"] == "entry_below_fold")]
    assert sorted(below["viewport"]) == ["desktop", "mobile"]
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    assert float(tasks.loc["pay_bill", "distraction_score"]) > 0


def test_links_that_end_the_session_or_change_the_account_are_never_requested(signed_in_run):
    site, bank, out, _ = signed_in_run
    requested = site.paths_requested()
    assert "/account/statements" in requested
    assert not set(secure.DANGEROUS) & set(requested)
    assert [r.path for r in site.requests if r.method == "POST"] == ["/login"]
    links = read_csv(out / "links.csv")
    denied = links[links["kind"] == "denied"]
    assert {site.url + path.lstrip("/") for path in secure.DANGEROUS} == set(denied["target_url"])
    assert set(denied["area"]) == {"account"}
    assert len(bank.sessions) == 1  # one sign-in, never logged out


def test_no_secret_and_no_session_in_any_output(signed_in_run):
    _, bank, out, done = signed_in_run
    secrets = [secure.PASSWORD, secure.USER, *bank.sessions]
    assert files_containing(out, secrets) == []
    assert not any(s in done.stdout + done.stderr for s in secrets)


def test_journeys_are_timed_step_by_step_on_both_viewports(signed_in_run):
    _, _, out, _ = signed_in_run
    steps = read_csv(out / "journeys.csv")
    assert list(steps.columns) == list(TABLES["journeys.csv"])
    pay = steps[steps["task_id"] == "pay_bill"]
    assert pay["step"].tolist() == ["0", "1", "2", "3"] * 2
    assert set(pay["ok"]) == {"true"} and all(float(ms) > 0 for ms in pay["ms"])
    # On a phone "Payments" sits in the hamburger: the click needs the menu opened first.
    by_viewport = pay.set_index(["viewport", "step"])
    assert by_viewport.loc[("desktop", "1"), "interactions"] == "1"
    assert by_viewport.loc[("mobile", "1"), "interactions"] == "2"
    broken = steps[(steps["task_id"] == "login") & (steps["viewport"] == "desktop")]
    assert broken["ok"].tolist() == ["true", "false", "false"]
    assert "Timeout" in broken["error"].iloc[1]
    assert broken["error"].iloc[2] == "not run: step 1 failed"
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    desktop_ms = pay.loc[pay["viewport"] == "desktop", "ms"].astype(float).sum()
    # journeys.csv rounds each step's ms, measured_time_s the unrounded sum: 0.01 s apart at most
    assert abs(float(tasks.loc["pay_bill", "measured_time_s"]) - desktop_ms / 1000) <= 0.01
    assert tasks.loc["login", "measured_time_s"] == ""
    assert tasks.loc["statements", "measured_time_s"] == ""


def test_check_fails_on_a_broken_journey(signed_in_run):
    _, _, out, _ = signed_in_run
    done = toptasks("check", out)
    assert done.returncode == 1
    results = json.loads((out / "check.json").read_text())["checks"]
    journeys = {(r["task_id"], r["check"]): r["status"] for r in results if "journey" in r["check"]}
    assert journeys == {
        ("pay_bill", "journey_desktop"): "pass",
        ("pay_bill", "journey_mobile"): "pass",
        ("login", "journey_desktop"): "fail",
        ("login", "journey_mobile"): "fail",
    }


def test_wrong_password_is_exit_3_with_a_screenshot_and_no_secret(tmp_path):
    bank = secure.Bank()
    wrong = "not-the-password-7731"
    out = tmp_path / "run"
    with FixtureSite(bank.routes()) as site:
        done = audit(site, out, {"NORTHGATE_USER": secure.USER, "NORTHGATE_PASS": wrong})
        requested = site.paths_requested()
    assert done.returncode == 3, done.stderr
    message = done.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert "login failed at step 5 (expect url=" in message
    assert (out / "login-failed.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert wrong not in done.stdout + done.stderr
    assert files_containing(out, [wrong]) == []
    assert not any(path.startswith("/account") for path in requested)


def test_missing_secret_variable_is_a_usage_error_before_any_request(tmp_path):
    with FixtureSite(secure.Bank().routes()) as site:
        done = audit(site, tmp_path / "run", {"NORTHGATE_USER": secure.USER, "NORTHGATE_PASS": ""})
        assert site.requests == []
    assert done.returncode == 2
    assert "NORTHGATE_PASS" in done.stderr


def test_a_session_the_crawler_cannot_use_is_exit_3(tmp_path):
    """A site that ties sessions to the browser sends the crawler back to the login page."""
    with FixtureSite(secure.Bank(refuse_agent="toptasks").routes()) as site:
        done = audit(site, tmp_path / "run", CREDENTIALS, "--no-render")  # signs in all the same
    assert done.returncode == 3, done.stderr
    assert "sent the crawler to the login page: the session was not accepted" in done.stderr


def test_resume_signs_in_again_and_keeps_the_signed_in_model(tmp_path):
    out = tmp_path / "run"
    with FixtureSite(secure.Bank().routes()) as site:
        first = audit(site, out, CREDENTIALS, "--no-render")
        assert first.returncode == 0, first.stderr
        before = read_csv(out / "tasks.csv")
        again = audit(site, out, CREDENTIALS, "--no-render", "--resume", str(out))
        assert again.returncode == 0, again.stderr
        requested = site.paths_requested()
        posts = [r.path for r in site.requests if r.method == "POST"]
    assert posts == ["/login", "/login"]  # a fresh session: the first is never stored
    assert requested.count("/account/statements") == 1  # the crawl was already complete
    after = read_csv(out / "tasks.csv")
    assert after.equals(before)
    assert set(after["area"]) == {"public", "account"}
