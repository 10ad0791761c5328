"""The docs site's reference, generated from the code at every `mkdocs build` (an MkDocs hook).

A page asks for a table with a marker such as `<!-- reference: config -->`; the hook puts in
its place the Markdown made from the code itself: the config's pydantic models
(contract/config.py), the output columns (contract/columns.py), the finding kinds
(contract/findings.py) and the command line (toptasks/cli.py's click tree). Nothing of it is
written twice, so it cannot drift; tests/test_docs.py fails when something has no description.
"""

from __future__ import annotations

import posixpath
import re
import types
from collections.abc import Callable, Iterator
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
import typer
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from contract import columns, config
from contract.findings import FAMILIES, KINDS, FindingKind

MARKER = re.compile(r"<!--\s*reference:\s*([a-z_]+)\s*-->")


# -- the task configuration ------------------------------------------------------------------


class Section:
    """One pydantic model of the config, and the key paths where a task file uses it."""

    def __init__(self, model: type[BaseModel], path: str) -> None:
        self.model = model
        self.paths = [path]

    @property
    def anchor(self) -> str:
        key = re.sub(r"[^a-z0-9]+", "-", self.paths[0].lower()).strip("-")
        return f"config-{key or 'top-level'}"

    @property
    def link(self) -> str:
        return f"[`{self.paths[0]}`](#{self.anchor})"


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The config models an annotation holds (through Optional, list, dict, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models_in(arg)


def _is_list(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return any(_is_list(a) for a in get_args(annotation) if a is not type(None))
    if origin is Annotated:
        return _is_list(get_args(annotation)[0])
    return origin is list


def config_sections(root: type[BaseModel] = config.Config) -> list[Section]:
    """Every model reachable from the top of a task file, depth first, each once."""
    found: dict[type[BaseModel], Section] = {}

    def visit(model: type[BaseModel], path: str) -> None:
        if model in found:
            found[model].paths.append(path)
            return
        found[model] = Section(model, path)
        for name, info in model.model_fields.items():
            suffix = "[]" if _is_list(info.annotation) else ""
            for inner in _models_in(info.annotation):
                visit(inner, f"{path}.{name}{suffix}".lstrip("."))

    visit(root, "")
    return list(found.values())


VALIDATED = {config._check_regex: "regex", config._check_selector: "CSS selector"}


def type_name(annotation: Any, sections: dict[type[BaseModel], Section]) -> str:
    """An annotation as a reader of the YAML file thinks of it."""
    origin, args = get_origin(annotation), get_args(annotation)
    if annotation is type(None):
        return "null"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return sections[annotation].link
    if origin is Annotated:
        for meta in args[1:]:
            func = getattr(meta, "func", None)
            if func in VALIDATED:
                return VALIDATED[func]
        return type_name(args[0], sections)
    if origin in (Union, types.UnionType):
        return " or ".join(type_name(a, sections) for a in args)
    if origin is Literal:
        return " or ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of {type_name(args[0], sections)}"
    if origin is dict:
        return f"mapping of {type_name(args[0], sections)} to {type_name(args[1], sections)}"
    return {str: "string", int: "integer", float: "number", bool: "boolean"}.get(
        annotation, getattr(annotation, "__name__", str(annotation))
    )


CONSTRAINTS: dict[type, tuple[str, str]] = {
    annotated_types.Ge: ("ge", "≥ {}"),
    annotated_types.Gt: ("gt", "> {}"),
    annotated_types.Le: ("le", "≤ {}"),
    annotated_types.Lt: ("lt", "< {}"),
    annotated_types.MinLen: ("min_length", "at least {}"),
}


def field_type(info: FieldInfo, sections: dict[type[BaseModel], Section]) -> str:
    shown = type_name(info.annotation, sections)
    if any(getattr(m, "func", None) is config._as_list for m in info.metadata):
        shown = shown.replace("list of ", "one or a list of ", 1)
    limits = []
    for meta in info.metadata:
        if type(meta) in CONSTRAINTS:
            attribute, form = CONSTRAINTS[type(meta)]
            limits.append(form.format(getattr(meta, attribute)))
        elif getattr(meta, "pattern", None):
            limits.append(f"matches `{meta.pattern}`")
    return shown + (f" ({', '.join(limits)})" if limits else "")


def field_default(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    if info.default_factory is not None:
        made = info.default_factory()  # type: ignore[call-arg]
        return "`{}`" if isinstance(made, BaseModel | dict) else f"`{made!r}`"
    value = info.default
    if value is None or value is PydanticUndefined:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def _cell(text: str) -> str:
    """Text for a table cell: on one line, a pipe escaped unless it is inside `code`."""
    parts = " ".join(text.split()).split("`")
    return "`".join(p if i % 2 else p.replace("|", "\\|") for i, p in enumerate(parts))


def config_reference() -> str:
    sections = {s.model: s for s in config_sections()}
    out = []
    for section in sections.values():
        title = ", ".join(f"`{p}`" for p in section.paths) if section.paths[0] else "Top level"
        out += [f"### {title} {{#{section.anchor}}}", "", _cell(section.model.__doc__ or ""), ""]
        out += ["| key | type | default | description |", "|---|---|---|---|"]
        for name, info in section.model.model_fields.items():
            cells = (field_type(info, sections), field_default(info), info.description or "")
            out.append(f"| `{name}` | " + " | ".join(_cell(c) for c in cells) + " |")
        out.append("")
    return "\n".join(out)


# -- output columns --------------------------------------------------------------------------


def columns_reference() -> str:
    """One table per column set; files that share one (trend.csv, history.csv) share it."""
    files: dict[int, list[str]] = {}
    for name, table in columns.TABLES.items():
        files.setdefault(id(table), []).append(name)
    out = []
    for names in files.values():
        table, described = columns.TABLES[names[0]], columns.DESCRIPTIONS[names[0]]
        anchor = names[0].replace(".", "-")
        out += [f"### {', '.join(f'`{n}`' for n in names)} {{#{anchor}}}", ""]
        out += ["| column | type | description |", "|---|---|---|"]
        for column, kind in table.items():
            out.append(f"| `{column}` | {kind} | {_cell(described.get(column, ''))} |")
        out.append("")
    return "\n".join(out)


# -- finding kinds ---------------------------------------------------------------------------

AUDIT_TITLES = {
    "findability": "Findability",
    "visibility": "Visibility",
    "scent": "Scent",
    "simulation": "Simulated customers",
    "site_search": "The site's search",
    "distraction": "Distraction",
    "crawl_health": "Crawl health",
    "sitemaps": "Sitemaps",
    "accessibility": "Accessibility",
}


def _severity(kind: FindingKind) -> str:
    shown = ", ".join(kind.severities)
    return f"{shown}: {kind.severity_rule}" if kind.severity_rule else shown


def findings_reference() -> str:
    by_audit: dict[str, list[FindingKind]] = {}
    for kind in [*KINDS.values(), *FAMILIES.values()]:
        by_audit.setdefault(kind.audit, []).append(kind)
    out = []
    for audit, kinds in by_audit.items():
        out += [f"### {AUDIT_TITLES.get(audit, audit)} {{#findings-{audit.replace('_', '-')}}}"]
        out += ["", f"Raised by `audits/{audit}.py`.", ""]
        out += ["| kind | severity | concerns | meaning |", "|---|---|---|---|"]
        for k in kinds:
            cells = (_severity(k), "a task" if k.scope == "task" else f"the {k.scope}", k.meaning)
            out.append(f"| `{k.kind}` | " + " | ".join(_cell(c) for c in cells) + " |")
        out.append("")
    return "\n".join(out)


# -- the command line ------------------------------------------------------------------------


def cli_command() -> Any:
    """The click command tree Typer builds from toptasks/cli.py."""
    from toptasks.cli import app

    return typer.main.get_command(app)


def cli_contexts() -> Iterator[tuple[str, Any, Any]]:
    """(name, command, help context) of `toptasks` and each of its commands."""
    from typer._click import Context  # Typer 0.29 carries its own click

    root = cli_command()
    parent = Context(root, info_name="toptasks")
    yield "toptasks", root, parent
    for name, command in root.commands.items():
        yield f"toptasks {name}", command, Context(command, info_name=name, parent=parent)


def cli_parameters(command: Any) -> list[Any]:
    return [p for p in command.params if not getattr(p, "hidden", False)]


def cli_reference() -> str:
    out = []
    for name, command, ctx in cli_contexts():
        anchor = "cli-" + name.replace(" ", "-")
        out += [f"### `{name}` {{#{anchor}}}", "", (command.help or "").strip(), ""]
        if name != "toptasks":
            out += ["```", command.get_usage(ctx).removeprefix("Usage: "), "```", ""]
        records = [p.get_help_record(ctx) for p in cli_parameters(command)]
        rows = [f"| {_cell(f'`{form}`')} | {_cell(text)} |" for form, text in records]
        if rows:
            out += ["| argument or option | description |", "|---|---|", *rows, ""]
    return "\n".join(out)


def cli_summary(page_dir: str) -> str:
    """A table of the commands, each linked to its entry in the CLI reference page."""
    page = posixpath.relpath(CLI_PAGE, page_dir or ".")
    rows = ["| command | what it does |", "|---|---|"]
    for name, command, _ in cli_contexts():
        if name != "toptasks":
            first = (command.help or "").strip().split("\n\n")[0]
            link = f"[`{name}`]({page}#cli-{name.replace(' ', '-')})"
            rows.append(f"| {link} | {_cell(first)} |")
    return "\n".join(rows) + "\n"


# -- the hook ---------------------------------------------------------------------------------

CLI_PAGE = "reference/cli.md"
REFERENCES: dict[str, Callable[[str], str]] = {
    "config": lambda _: config_reference(),
    "columns": lambda _: columns_reference(),
    "findings": lambda _: findings_reference(),
    "cli": lambda _: cli_reference(),
    "cli_summary": cli_summary,
}


@cache
def reference(name: str, page_dir: str = "") -> str:
    """The Markdown a marker stands for, on a page in `page_dir` (links are relative)."""
    return REFERENCES[name](page_dir)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """MkDocs event: each marker becomes its generated table; an unknown one fails the build."""
    page_dir = posixpath.dirname(page.file.src_uri)

    def generated(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in REFERENCES:
            from mkdocs.exceptions import PluginError

            raise PluginError(f"{page.file.src_uri}: unknown reference marker {match.group(0)!r}")
        return reference(name, page_dir)

    return MARKER.sub(generated, markdown)
