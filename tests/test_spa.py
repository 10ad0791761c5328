"""Client-rendered sites: a single-page app is crawled in the browser, found by itself."""

from __future__ import annotations

import base64
import json
import signal
import time
from pathlib import Path

import pytest
import yaml

from bench import spagen
from crawler.crawl_mode import ShellFigures, decide
from tests.conftest import read_csv, toptasks
from tests.sites import mixed, spa
from tests.sites.server import FixtureSite, Reply
from tests.test_interrupt import assert_same_results, start_and_stop_midway

TASKS = Path(__file__).parent / "sites" / "spa.yaml"
CREDENTIALS = {"CLEARWATER_USER": spa.USER, "CLEARWATER_PASS": spa.PASSWORD}


@pytest.fixture
def public_tasks(tmp_path: Path) -> Path:
    """The fixture's config without the login and the signed-in task."""
    config = yaml.safe_load(TASKS.read_text())
    del config["login"]
    config["tasks"] = [t for t in config["tasks"] if t.get("area") != "account"]
    path = tmp_path / "public.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def audit(site: FixtureSite, out: Path, *more: str, tasks: Path = TASKS):
    args = ("audit", site.url, "--tasks", tasks, "--out", out, "--no-throttle")
    return toptasks(*args, "--page-timeout", "5", *more, env=CREDENTIALS)


@pytest.fixture(scope="module")
def spa_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("spa") / "run"
    with FixtureSite(spa.routes(), spa.shell) as site:
        done = audit(site, out)
        assert done.returncode == 0, done.stderr
        yield site, out, done


def test_the_app_is_detected_and_crawled_in_the_browser(spa_run):
    _, out, done = spa_run
    summary = json.loads((out / "summary.json").read_text())
    assert summary["crawl_mode"] == "browser"
    assert summary["crawl_mode_figures"] == {
        "html_links": 0,
        "rendered_links": 7,
        "html_text_chars": 25,  # "Please enable JavaScript."
        "rendered_text_chars": summary["crawl_mode_figures"]["rendered_text_chars"],
        "app_root": "#root",
    }
    assert summary["crawl_mode_figures"]["rendered_text_chars"] > 250
    assert "0 internal links" in summary["crawl_mode_reason"]
    assert summary["account_crawl_mode"] == "browser"
    assert "crawl mode browser: built by script" in done.stderr


def test_exact_clicks_through_pushstate_hash_routes_and_a_button(spa_run):
    site, out, _ = spa_run
    tasks = read_csv(out / "tasks.csv").set_index("task_id")
    u = site.url
    expected = {
        "login": ("1", [u, u + "login"]),
        "lost_card": ("2", [u, u + "cards", u + "cards/lost"]),
        "branch": ("1", [u, u + "branches"]),  # only a <button> with a click handler leads there
        "contact": ("2", [u, u + "support", u + "support#/contact"]),
        "statements": ("1", [u + "account", u + "account/statements"]),
    }
    for task_id, (clicks, path) in expected.items():
        assert tasks.loc[task_id, "reachable"] == "true", task_id
        assert tasks.loc[task_id, "clicks"] == clicks, task_id
        assert tasks.loc[task_id, "path"] == " > ".join(path), task_id
    assert tasks.loc["offers", "reachable"] == "false"  # the orphan route: truly unreachable
    assert tasks.loc["branch", "entry_text"] == "Find a branch"
    assert tasks.loc["branch", "entry_above_fold_desktop"] == "true"
    assert float(tasks.loc["branch", "est_time_s"]) > 0


def test_pages_and_links_are_read_from_the_rendered_page(spa_run):
    site, out, _ = spa_run
    pages = read_csv(out / "pages.csv")
    urls = set(pages["url"])
    assert {site.url + "support#/faq", site.url + "support#/contact"} <= urls
    assert not any("#intro" in url for url in urls)  # an in-page anchor is not a page
    assert site.url + "offers/summer" not in urls
    start = pages[pages["area"] == "public"].set_index("url").loc[site.url]
    assert start["title"] == "Welcome to Clearwater Bank | Clearwater Bank"
    assert start["app_root"] == "#root" and int(start["text_chars"]) > 250
    links = read_csv(out / "links.csv")
    public = links[links["area"] == "public"]
    button = public[(public["source_url"] == site.url) & (public["text"] == "Find a branch")]
    assert button[["target_url", "region", "kind"]].values.tolist() == [
        [site.url + "branches", "nav", "internal"]
    ]
    requested = site.paths_requested()
    assert "/api/login" not in [p for p in requested if p.startswith("/api")][1:]
    assert "/robots.txt" in requested


def test_an_http_crawl_of_the_app_is_what_the_option_asks(tmp_path, public_tasks):
    """--crawl-with http keeps the old answer, and says why: the shell has no links."""
    with FixtureSite(spa.routes(), spa.shell) as site:
        done = audit(site, tmp_path / "run", "--crawl-with", "http", tasks=public_tasks)
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert (summary["crawl_mode"], summary["crawl_mode_reason"]) == ("http", "--crawl-with http")
    tasks = read_csv(tmp_path / "run" / "tasks.csv").set_index("task_id")
    assert tasks.loc["lost_card", "reachable"] == "false"


def test_hostile_app_pages_are_bounded_and_recorded(tmp_path, public_tasks):
    """An endless spinner, a crash on load, a script redirect loop, 10,000 links, a script
    redirect: each is a page record, and the run goes on."""
    with FixtureSite(spa.hostile_routes(), spa.shell) as site:
        started = time.monotonic()
        done = audit(
            site,
            tmp_path / "run",
            "--max-depth",
            "1",
            "--no-render",
            "--crawl-with",
            "browser",
            tasks=public_tasks,
        )
        took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    pages = read_csv(tmp_path / "run" / "pages.csv").set_index("url")
    u = site.url
    assert int(pages.loc[u + "many", "n_links"]) == 5000  # the link cap
    assert pages.loc[u + "moved", "final_url"] == u + "landing"  # a script redirect
    assert pages.loc[u + "throws", "status"] == "200"
    assert pages.loc[u + "spinner", "error"] == "" and pages.loc[u + "spinner", "n_links"] == "0"
    assert pages.loc[u + "loop", "error"].startswith("TimeoutError: Page.goto: Timeout 5000ms")
    assert "Call log" not in pages.loc[u + "loop", "error"]
    assert took < 120, took


@pytest.mark.parametrize(
    ("figures", "mode"),
    [
        (ShellFigures(0, 7, 25, 299, "#root"), "browser"),  # the empty shell
        (ShellFigures(12, 13, 2400, 2600, ""), "http"),  # server-rendered, one link by script
        (ShellFigures(3, 40, 900, 1000, ""), "browser"),  # navigation built by script
        (ShellFigures(20, 20, 150, 3000, ""), "browser"),  # text fetched by script
        (ShellFigures(20, 21, 1800, 1900, "#app"), "http"),  # server-side rendered app
    ],
)
def test_crawl_mode_rule(figures, mode):
    assert decide(figures).mode == mode


def test_links_scripts_build_on_a_server_rendered_site_are_followed(tmp_path):
    """On a path page and on a page whose HTML has no link, script-built links count."""
    config = {
        "tasks": [
            {"id": "help", "name": "Get help", "target": {"url": "/help$"}},
            {"id": "quote", "name": "Get a quote", "target": {"url": "/services/quote$"}},
            {"id": "contact", "name": "Contact us", "target": {"text": "Call us on"}},
        ]
    }
    tasks_file = tmp_path / "mixed.yaml"
    tasks_file.write_text(yaml.safe_dump(config))
    with FixtureSite(mixed.routes()) as site:
        args = ("audit", site.url, "--tasks", tasks_file, "--out", tmp_path / "run")
        done = toptasks(*args, "--no-throttle", "--page-timeout", "5", "--viewports", "desktop")
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["crawl_mode"] == "http"
    tasks = read_csv(tmp_path / "run" / "tasks.csv").set_index("task_id")
    u = site.url
    assert tasks.loc["help", "path"] == f"{u} > {u}help"
    assert tasks.loc["quote", "path"] == f"{u} > {u}services > {u}services/quote"
    assert tasks.loc["contact", "path"] == f"{u} > {u}help > {u}help/contact"
    links = read_csv(tmp_path / "run" / "links.csv")
    scripted = links[links["rendered_only"] == "true"]
    assert set(zip(scripted["source_url"], scripted["target_url"], strict=True)) >= {
        (u + "help", u + "help/contact"),
        (u + "services", u + "services/quote"),
    }


def test_an_interrupted_browser_crawl_resumes_to_the_same_results(tmp_path):
    """A generated 150-route app: Ctrl-C midway, --resume, and the same tasks.csv as a run
    never stopped; the resumed crawl stays in the browser."""
    routes = 150
    files = spagen.spa_files(routes, bundle_kb=50)
    types = {".js": "application/javascript", ".css": "text/css", ".txt": "text/plain"}
    site_routes = {
        path: Reply(text, content_type=types[Path(path).suffix])
        for path, text in files.items()
        if path != "/index.html"
    }
    tasks_file = tmp_path / "tasks.yaml"
    tasks_file.write_text(spagen.spa_tasks_yaml(routes))
    with FixtureSite(site_routes, Reply(spagen.SHELL)) as site:
        reference, run = tmp_path / "reference", tmp_path / "run"
        args = ["audit", site.url, "--tasks", str(tasks_file), "--no-render"]
        args += ["--crawl-with", "browser", "--max-depth", "10"]
        done = toptasks(*args, "--out", reference, "--no-throttle")
        assert done.returncode == 0, done.stderr
        child = start_and_stop_midway([*args, "--out", str(run)], run, signal.SIGINT)
        child.communicate(timeout=120)
        assert child.returncode == 130
        resumed = toptasks(*args, "--resume", run, "--no-throttle")
    assert resumed.returncode == 0, resumed.stderr
    assert_same_results(run, reference)
    summary = json.loads((run / "summary.json").read_text())
    assert summary["crawl_mode"] == "browser" and summary["pages"]["fetched"] == routes


def test_an_app_behind_basic_auth_is_crawled_and_rendered(tmp_path, public_tasks):
    """A staging site behind HTTP basic auth, its scripts too: the browser crawl and every
    render answer the challenge with the credentials the config names."""
    token = "Basic " + base64.b64encode(b"stage:s3cret").decode()

    def guarded(route):
        def answer(handler) -> None:
            if handler.headers.get("Authorization") != token:
                challenge = {"WWW-Authenticate": 'Basic realm="staging"'}
                return handler.reply(Reply("Authorisation needed", 401, headers=challenge))
            return route(handler) if callable(route) else handler.reply(route)

        return answer

    config = yaml.safe_load(public_tasks.read_text())
    config["site"]["auth"] = {"basic": {"username_env": "STAGE_USER", "password_env": "STAGE_PW"}}
    public_tasks.write_text(yaml.safe_dump(config))
    routes = {path: guarded(route) for path, route in spa.routes().items()}
    with FixtureSite(routes, guarded(spa.shell)) as site:
        args = ("audit", site.url, "--tasks", public_tasks, "--out", tmp_path / "run")
        env = {"STAGE_USER": "stage", "STAGE_PW": "s3cret"}
        done = toptasks(*args, "--no-throttle", "--page-timeout", "5", env=env)
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["crawl_mode"] == "browser"
    tasks = read_csv(tmp_path / "run" / "tasks.csv").set_index("task_id")
    assert tasks.loc["lost_card", "clicks"] == "2"
    assert tasks.loc["branch", "entry_above_fold_desktop"] == "true"
    assert tasks.loc["branch", "entry_above_fold_mobile"] == "true"
