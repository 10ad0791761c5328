"""The findability audit on small hand-built site models: no network, exact answers."""

from __future__ import annotations

from audits.findability import audit_findability
from contract.config import Task
from contract.site_model import SiteModel

S = "http://s/"


def task(target_url: str, entry_text=(), entry_url=()) -> Task:
    return Task(
        id="t",
        name="the task",
        entry={"text": list(entry_text), "url": list(entry_url)},
        target={"url": target_url},
    )


def model(pages: dict[str, dict], links: list[tuple[str, str, str]]) -> SiteModel:
    """Pages by path (status 200 unless given); links as (source, target, text) in page order."""
    records = []
    for path, extra in pages.items():
        record = {"url": S + path, "final_url": S + path, "status": 200, "depth": 0, **extra}
        if "final_url" in extra:
            record["final_url"] = S + extra["final_url"]
        records.append(record)
    link_rows = [{"source_url": S + a, "target_url": S + b, "text": text} for a, b, text in links]
    return SiteModel.from_records(S, records, link_rows)


def path_of(result) -> list[str]:
    return [url.removeprefix(S) for url in result.path]


def test_shortest_of_two_paths_wins():
    site = model(
        {"": {}, "a": {}, "b": {}, "goal": {"targets": ["t"]}},
        [("", "a", "A"), ("a", "b", "B"), ("b", "goal", "Goal"), ("", "goal", "Goal too")],
    )
    result = audit_findability(site, [task("goal")])["t"]
    assert result.reachable and result.clicks == 1 and path_of(result) == ["", "goal"]
    assert result.entry_text == "Goal too"


def test_ties_prefer_entry_wording_then_page_order():
    pages = {"": {}, "news": {}, "help": {}, "goal": {"targets": ["t"]}}
    links = [
        ("", "news", "Latest news"),
        ("", "help", "Help with cards"),
        ("news", "goal", "x"),
        ("help", "goal", "y"),
    ]
    by_order = audit_findability(model(pages, links), [task("goal")])["t"]
    assert path_of(by_order) == ["", "news", "goal"]
    by_words = audit_findability(model(pages, links), [task("goal", entry_text=["CARDS"])])["t"]
    assert path_of(by_words) == ["", "help", "goal"] and by_words.entry_text == "Help with cards"
    by_url = audit_findability(model(pages, links), [task("goal", entry_url=[r"/help$"])])["t"]
    assert path_of(by_url) == ["", "help", "goal"]


def test_tie_break_never_lengthens_the_path():
    pages = {"": {}, "a": {}, "b": {}, "goal": {"targets": ["t"]}}
    links = [
        ("", "a", "lost card"),
        ("a", "b", "lost card"),
        ("b", "goal", "g"),
        ("", "goal", "other"),
    ]
    result = audit_findability(model(pages, links), [task("goal", entry_text=["lost"])])["t"]
    assert result.clicks == 1


def test_start_page_target_is_zero_clicks():
    site = model({"": {"targets": ["t"]}}, [])
    result = audit_findability(site, [task("^http:..s.$")])["t"]
    assert result.clicks == 0 and path_of(result) == [""] and result.entry_text == ""


def test_error_pages_are_dead_ends():
    pages = {"": {}, "broken": {"status": 500}, "goal": {"targets": ["t"]}}
    site = model(pages, [("", "broken", "b"), ("broken", "goal", "g")])
    result = audit_findability(site, [task("goal")])["t"]
    assert not result.reachable and result.clicks is None
    assert "no links lead there" in result.reason


def test_missing_target_says_so():
    result = audit_findability(model({"": {}}, []), [task("nowhere")])["t"]
    assert not result.reachable and result.reason == "no crawled page matches the task's target"


def test_redirected_link_leads_to_final_page():
    pages = {"": {}, "old": {"final_url": "new"}, "goal": {"targets": ["t"]}}
    site = model(pages, [("", "old", "Old link"), ("new", "goal", "Go")])
    result = audit_findability(site, [task("goal")])["t"]
    assert path_of(result) == ["", "new", "goal"]
    assert result.steps[0].link_url == S + "old"


def test_unreachable_start_page_makes_every_task_unreachable():
    site = model({"": {"status": None, "error": "refused"}, "goal": {"targets": ["t"]}}, [])
    result = audit_findability(site, [task("goal")])["t"]
    assert not result.reachable and result.reason == "the start page could not be fetched"
