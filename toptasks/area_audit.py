"""An area's model read back from disk, and each of its tasks' shortest click path: what the
render and analyse phases work on."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from audits.findability import (
    LinkGraph,
    TaskPath,
    shortest_click_path,
)
from contract.site_model import SiteModel
from crawler.model import load_model
from toptasks.gather import Area, start_page_problem


@dataclass
class AreaAudit:
    """An area's model read back from disk, with each of its tasks' shortest click path."""

    area: Area
    model: SiteModel
    graph: LinkGraph
    paths: dict[str, TaskPath]
    problem: str | None


def locate_paths(area: Area) -> AreaAudit:
    """Read an area's model back and find each of its tasks' shortest click path."""
    model = load_model(area.model_dir, area.start_url)
    model.lang = area.config.site.lang or model.lang
    problem = start_page_problem(model)
    if problem is None and area.name == "account":
        problem = _sent_to_login(model, area)
    if problem is not None and area.name == "account":
        problem = f"signed-in area: {problem}"
    graph = LinkGraph(model)
    paths = {task.id: shortest_click_path(graph, task) for task in area.tasks}
    return AreaAudit(area, model, graph, paths, problem)


def _sent_to_login(model: SiteModel, area: Area) -> str | None:
    """A signed-in start page that lands on the login page means the session was refused."""
    login = area.config.login
    first_goto = next((s.goto for s in login.steps if s.goto), None) if login else None
    if first_goto is None:
        return None
    login_path = urlsplit(urljoin(area.start_url, first_goto)).path
    landed = model.page(model.start_url)["final_url"]
    if urlsplit(landed).path == login_path:
        return f"{area.start_url} sent the crawler to the login page: the session was not accepted"
    return None
