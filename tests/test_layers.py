"""The floors of the code, read from the source: contract/ at the bottom, crawler/ (gathering)
and audits/ (analysis) on it, toptasks/ (phases, writers, CLI) on top, and no import circle."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("contract", "crawler", "audits", "toptasks")


def imports_of(path: Path) -> set[str]:
    """Every project module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name.split(".")[0] in PACKAGES}


def module_graph() -> dict[str, set[str]]:
    modules = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts): path
        for package in PACKAGES
        for path in (ROOT / package).glob("*.py")
    }
    return {
        name: {imported for imported in imports_of(path) if imported in modules} - {name}
        for name, path in modules.items()
    }


def test_each_floor_imports_only_floors_below_it() -> None:
    allowed = {
        "contract": {"contract"},
        "crawler": {"contract", "crawler"},
        "audits": {"contract", "audits"},
        "toptasks": set(PACKAGES),
    }
    wrong = [
        f"{name} imports {imported}"
        for name, imported_names in module_graph().items()
        for imported in imported_names
        if imported.split(".")[0] not in allowed[name.split(".")[0]]
    ]
    assert wrong == []


def test_no_module_imports_itself_through_others() -> None:
    graph = module_graph()
    state: dict[str, str] = {}
    circles: list[list[str]] = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for imported in sorted(graph[name]):
            if state.get(imported) == "open":
                circles.append([*trail[trail.index(imported) :], imported])
            elif imported not in state:
                visit(imported, [*trail, imported])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []


def test_the_checks_see_the_real_imports() -> None:
    """The graph is not empty by mistake: known arrows are in it."""
    graph = module_graph()
    assert "contract.config" in graph["audits.findability"]
    assert "contract.site_model" in graph["audits.visibility"]
    assert "toptasks.gather" in graph["toptasks.pipeline"]
    assert "contract.records" in graph["crawler.spider"]
