"""`toptasks compare`: the same tasks across runs, side by side; tasks not in every run kept."""

from __future__ import annotations

import html5lib
import pytest
import yaml

from contract.columns import TABLES
from tests.conftest import BANK_TASKS, read_csv, toptasks
from tests.sites import bank
from tests.sites.server import FixtureSite


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """The bank audited twice: all its tasks, then without one and with a new one."""
    tmp = tmp_path_factory.mktemp("compare")
    config = yaml.safe_load(BANK_TASKS.read_text())
    changed = dict(config, tasks=config["tasks"][1:] + [config["tasks"][0] | {"id": "sign_in"}])
    (tmp / "changed.yaml").write_text(yaml.safe_dump(changed))
    with FixtureSite(bank.routes()) as site:
        for name, tasks in (("before", BANK_TASKS), ("after", tmp / "changed.yaml")):
            args = ("audit", site.url, "--tasks", tasks, "--out", tmp / name, "--no-render")
            done = toptasks(*args, "--no-throttle")
            assert done.returncode == 0, done.stderr
    return tmp, [t["id"] for t in config["tasks"]]


def test_compare_lines_up_tasks_by_id_and_keeps_the_rest(two_runs):
    tmp, ids = two_runs
    done = toptasks("compare", tmp / "before", tmp / "after", "--out", tmp / "cmp")
    assert done.returncode == 0, done.stderr
    rows = read_csv(tmp / "cmp" / "compare.csv")
    assert list(rows.columns) == list(TABLES["compare.csv"])
    assert set(rows["site"]) == {"before", "after"}  # same host twice: the folders name them
    shared = rows[rows["in_all_runs"] == "true"]
    assert sorted(set(shared["task_id"])) == sorted(ids[1:])
    assert (shared.groupby("task_id").size() == 2).all()
    apart = rows[rows["in_all_runs"] == "false"]
    assert sorted(zip(apart["task_id"], apart["site"], strict=True)) == [
        (ids[0], "before"),
        ("sign_in", "after"),
    ]
    first = shared[shared["task_id"] == ids[1]].set_index("site")
    assert first.loc["before", "clicks"] == first.loc["after", "clicks"] != ""
    html = (tmp / "cmp" / "compare.html").read_text()
    assert f"{ids[0]}: only in before" in html and "sign_in: only in after" in html
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(html)
    assert parser.errors == []


def test_compare_refuses_a_folder_that_is_not_a_run(two_runs, tmp_path):
    tmp, _ = two_runs
    done = toptasks("compare", tmp / "before", tmp_path, "--out", tmp_path / "cmp")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"toptasks: error: {tmp_path} is not a finished toptasks run (no summary.json/tasks.csv)"
    )
