"""The docs site: its reference is generated from the code, every config key, column, finding
kind and command-line option has a description, the site builds strictly, and the README stays
short with links that lead somewhere."""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from audits.distraction import DISTRACTOR_KINDS
from contract.columns import DESCRIPTIONS, TABLES
from contract.findings import FAMILIES, KINDS, finding_kind

ROOT = Path(__file__).resolve().parent.parent


def _hooks() -> ModuleType:
    """scripts/docs_hooks.py, loaded as MkDocs loads it: from its path."""
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "scripts/docs_hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["docs_hooks"] = module
    spec.loader.exec_module(module)
    return module


HOOKS = _hooks()


def test_every_config_key_and_section_has_a_description() -> None:
    sections = HOOKS.config_sections()
    missing = [
        f"{section.paths[0] or '(top level)'}: {name}"
        for section in sections
        for name, info in section.model.model_fields.items()
        if not (info.description or "").strip()
    ]
    assert not missing, f"config keys without Field(description=...): {missing}"
    bare = [s.model.__name__ for s in sections if not (s.model.__doc__ or "").strip()]
    assert not bare, f"config sections without a docstring: {bare}"


def test_every_column_has_a_description() -> None:
    assert set(DESCRIPTIONS) == set(TABLES)
    for table, columns in TABLES.items():
        described = DESCRIPTIONS[table]
        missing = [c for c in columns if not described.get(c, "").strip()]
        assert not missing, f"{table}: columns without a description in columns.py: {missing}"
        gone = sorted(set(described) - set(columns))
        assert not gone, f"{table}: descriptions of columns that are not in the table: {gone}"


def test_every_command_and_option_has_help() -> None:
    missing = []
    for name, command, _ in HOOKS.cli_contexts():
        if not (command.help or "").strip():
            missing.append(name)
        missing += [f"{name} {p.name}" for p in HOOKS.cli_parameters(command) if not p.help]
    assert not missing, f"commands or options without help: {missing}"


# -- finding kinds: what the code can write, against the registry ----------------------------

KIND_SHAPE = re.compile(r"^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*$")
SEVERITIES = {"high", "medium", "low"}


def _text(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _prefix(node: ast.AST) -> str | None:
    """`f"a11y_{kind}"`: a family's prefix in front of the kind a module passes on."""
    if isinstance(node, ast.JoinedStr) and len(node.values) == 2:
        head, tail = node.values
        if (
            _text(head)
            and isinstance(tail, ast.FormattedValue)
            and isinstance(tail.value, ast.Name)
        ):
            return _text(head)
    return None


def kinds_written(source: str) -> set[str]:
    """The finding kinds a module writes, read from its source: the `kind` of a dict that also
    has a `severity` (a finding built in place), a string passed to a `*_finding(...)` helper,
    a value assigned to `kind`, and a string returned in a tuple by a function whose docstring
    speaks of a finding. A module whose findings' kind is `f"prefix{kind}"` writes each of
    those strings with the prefix."""
    tree = ast.parse(source)
    prefix = ""
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [_text(k) if k is not None else None for k in node.keys]
            if "kind" in keys and "severity" in keys:
                prefix = _prefix(node.values[keys.index("kind")]) or prefix
    found: set[str] = set()

    def add(value: str | None, with_prefix: bool = True) -> None:
        if value and value not in SEVERITIES and KIND_SHAPE.match(value):
            found.add((prefix if with_prefix else "") + value)

    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [_text(k) if k is not None else None for k in node.keys]
            if "kind" in keys and "severity" in keys:
                add(_text(node.values[keys.index("kind")]), with_prefix=False)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name.endswith("_finding"):
                for arg in node.args:
                    add(_text(arg))
        elif isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == "kind" for t in node.targets):
                add(_text(node.value))
        elif isinstance(node, ast.FunctionDef) and "finding" in (ast.get_docstring(node) or ""):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and isinstance(inner.value, ast.Tuple):
                    for element in inner.value.elts:
                        text = _text(element)
                        add(text if text and "_" in text else None)
    return found


def distractor_kinds_observed() -> set[str]:
    """The kinds the renderer's page script reports as distractors: `add(el, 'carousel')`."""
    script = (ROOT / "crawler/collect.js").read_text()
    calls = re.findall(r"\badd\(([^;]*)\);", script)
    return {kind for call in calls for kind in re.findall(r"'([a-z_]+)'", call)}


def all_kinds_written() -> dict[str, list[str]]:
    where: dict[str, list[str]] = {}
    for folder in ("audits", "crawler", "toptasks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for kind in kinds_written(path.read_text(encoding="utf-8")):
                where.setdefault(kind, []).append(str(path.relative_to(ROOT)))
    for kind in DISTRACTOR_KINDS | distractor_kinds_observed():
        where.setdefault(kind, []).append("crawler/collect.js")
    return where


def test_the_scan_reads_the_shapes_findings_are_written_in() -> None:
    source = '''
def audit(task):
    kind = "menu_opener_unlabelled"
    return [{"task_id": task.id, "kind": "weak_scent", "severity": "low"}, _finding("soft_404")]

def why(element):
    """(kind, severity, detail) of a finding."""
    return "entry_hidden", "high", "not displayed"

def _finding(kind):
    return {"kind": f"a11y_{kind}", "severity": "high"}
'''
    found = kinds_written(source)
    assert found == {
        "weak_scent",
        "a11y_menu_opener_unlabelled",
        "a11y_soft_404",
        "a11y_entry_hidden",
    }


def test_every_finding_kind_the_code_writes_is_in_the_registry() -> None:
    unknown = {k: w for k, w in all_kinds_written().items() if finding_kind(k) is None}
    assert not unknown, f"finding kinds missing from contract/findings.py: {unknown}"


def test_every_kind_in_the_registry_is_written_by_the_code() -> None:
    written = set(all_kinds_written())
    stale = sorted(set(KINDS) - written)
    assert not stale, f"contract/findings.py lists kinds no code writes: {stale}"


def test_every_finding_kind_has_a_meaning_and_its_severities() -> None:
    for kind in [*KINDS.values(), *FAMILIES.values()]:
        assert kind.meaning.strip(), kind.kind
        assert kind.severities and set(kind.severities) <= SEVERITIES, kind.kind
        assert len(kind.severities) == 1 or kind.severity_rule, f"{kind.kind}: say what decides"
    assert finding_kind("a11y_button-name") is FAMILIES["a11y_"]
    assert finding_kind("no_such_kind") is None


# -- the site and the README ------------------------------------------------------------------


def test_the_docs_build_strictly_with_the_generated_reference(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    pages = {
        name: (site / "reference" / name / "index.html").read_text()
        for name in ("config", "columns", "findings", "cli")
    }
    for page in pages.values():
        assert "reference:" not in page  # every marker was replaced
    for kind in KINDS:
        assert f"<code>{kind}</code>" in pages["findings"], kind
    for table, columns in TABLES.items():
        assert f"<code>{table}</code>" in pages["columns"]
        for column in columns:
            assert f"<code>{column}</code>" in pages["columns"], (table, column)
    for section in HOOKS.config_sections():
        for name in section.model.model_fields:
            assert f"<code>{name}</code>" in pages["config"], name
    for name, command, _ in HOOKS.cli_contexts():
        assert f"<code>{name}</code>" in pages["cli"], name
        for param in HOOKS.cli_parameters(command):
            assert (param.opts[0] if param.opts else param.name) in pages["cli"], param.name


def test_the_readme_is_short_and_its_links_lead_somewhere() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme)
    targets += re.findall(r'<img src="([^"]+)"', readme)
    local = [t for t in targets if not re.match(r"[a-z]+:", t)]
    assert local, "the README links into the docs"
    missing = [t for t in local if not (ROOT / t).exists()]
    assert not missing, f"README links to files that do not exist: {missing}"
    for picture in [t for t in local if t.endswith(".png")]:
        width, height = struct.unpack(">II", (ROOT / picture).read_bytes()[16:24])
        assert width >= 390 and height >= 768, f"{picture} is {width}x{height}: a real screenshot?"
