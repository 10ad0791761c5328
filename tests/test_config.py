"""A wrong task file is refused before any request is sent, naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract.config import load_config
from contract.errors import ConfigError
from tests.conftest import toptasks

GOOD = """\
site:
  max_pages: 50
tasks:
  - id: login
    name: Log in
    entry:
      text: ["log in"]
    target:
      url: "/login"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tasks.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("    entry:", "    entyr:", 6, ["tasks.0.entyr", "unknown key 'entyr'"]),
        ("  max_pages: 50", "  max_pages: lots", 2, ["site.max_pages", "integer"]),
        (
            '      url: "/login"',
            '      url: "/(login"',
            9,
            ["tasks.0.target.url", "regular expression"],
        ),
        ('      url: "/login"', '      selector: "input[type=="', 9, ["selector", "CSS selector"]),
        ("  - id: login", "  - id: Log In", 4, ["tasks.0.id", "pattern"]),
        (
            '    target:\n      url: "/login"\n',
            "    target: {}\n",
            8,
            ["tasks.0.target", "at least one"],
        ),
    ],
)
def test_mistakes_name_file_line_and_field(tmp_path, old, new, line, words):
    path = _write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    assert message.startswith(f"{path}:{line}: ")
    for word in words:
        assert word in message


def test_good_config_loads_with_defaults(tmp_path):
    config = load_config(_write(tmp_path, GOOD))
    assert config.site.obey_robots and config.site.max_depth == 6
    assert config.tasks[0].entry.text == ["log in"]
    assert config.weights() == {"login": 1.0}


def test_weights_unset_share_what_is_left(tmp_path):
    text = GOOD + "  - id: pay\n    name: Pay\n    target: {url: /pay}\n    weight: 0.6\n"
    text += "  - id: help\n    name: Help\n    target: {url: /help}\n"
    weights = load_config(_write(tmp_path, text)).weights()
    assert weights == pytest.approx({"login": 0.2, "pay": 0.6, "help": 0.2})


def test_duplicate_task_ids_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="repeated: login"):
        load_config(_write(tmp_path, GOOD + GOOD.split("tasks:\n")[1]))


def test_cli_typo_exits_2_before_any_request(tmp_path, bank_site):
    path = _write(tmp_path, GOOD.replace("    entry:", "    entyr:"))
    done = toptasks("audit", bank_site.url, "--tasks", path, "--out", tmp_path / "out")
    assert done.returncode == 2
    assert done.stderr.strip() == f"toptasks: error: {path}:6: tasks.0.entyr: unknown key 'entyr'"
    assert bank_site.requests == []
    assert not (tmp_path / "out").exists()


def test_cli_missing_file_and_bad_yaml_exit_2(tmp_path):
    done = toptasks("audit", "http://127.0.0.1:9/", "--tasks", tmp_path / "nope.yaml")
    assert done.returncode == 2 and "cannot read config" in done.stderr
    bad = _write(tmp_path, "tasks: [\n  - id: x\n")
    done = toptasks("audit", "http://127.0.0.1:9/", "--tasks", bad)
    assert done.returncode == 2 and "not valid YAML" in done.stderr
    assert "Traceback" not in done.stderr


def test_example_configs_are_valid():
    for path in (Path(__file__).parent.parent / "configs").glob("*.yaml"):
        assert load_config(path).tasks, path


SIGNED_IN = """\
login:
  steps:
    - goto: /login
    - fill: {label: "Password", env: BANK_PASS}
    - click: {role: button, name: "Log in"}
    - expect: {url: "/account"}
  start_url: /account/
tasks:
  - id: statements
    name: View my statements
    area: account
    target: {url: "/statements"}
journeys:
  - task: statements
    steps: [{click: {text: "Statements"}}]
"""


def test_signed_in_sections_are_read(tmp_path):
    config = load_config(_write(tmp_path, SIGNED_IN))
    assert config.login is not None and config.login.start_url == "/account/"
    assert [t.area for t in config.tasks] == ["account"]
    assert config.secret_envs() == ["BANK_PASS"]
    assert config.login.steps[1].action == "fill label='Password' env='BANK_PASS'"


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        # A literal value would put a secret in the file: only `env` is accepted.
        ("env: BANK_PASS}", "value: hunter2}", 4, ["login.steps.1.fill", "unknown key 'value'"]),
        ("    - goto: /login", "    - goto: /login\n      click: {text: Go}", 3, ["exactly one"]),
        ("{role: button, name", "{name", 5, ["login.steps.2.click", "exactly one"]),
        ('    - expect: {url: "/account"}\n', "", 1, ["login", "expect step"]),
        ('{url: "/account"}', '{url: "/(account"}', 6, ["expect.url", "regular expression"]),
        ("  - task: statements", "  - task: statement", None, ["do not exist: statement"]),
        ("    area: account", "    area: acount", 11, ["tasks.0.area", "'public' or 'account'"]),
        ("  start_url: /account/\n", "  start_url: /account/\n  deny: {urls: x}\n", 8, ["deny"]),
    ],
)
def test_signed_in_mistakes_are_refused(tmp_path, old, new, line, words):
    assert old in SIGNED_IN
    path = _write(tmp_path, SIGNED_IN.replace(old, new))
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    assert message.startswith(f"{path}:{line}: " if line else f"{path}")
    for word in words:
        assert word in message, message


def test_account_tasks_need_a_login(tmp_path):
    without_login = SIGNED_IN[SIGNED_IN.index("tasks:") :]
    with pytest.raises(ConfigError, match="area: account need a login section"):
        load_config(_write(tmp_path, without_login))
