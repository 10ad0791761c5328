"""Writers for a run's files: every file appears whole or not at all (temp file + rename)."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd

from contract.columns import TABLES, Kind


def write_atomically(path: Path, write: Callable[[TextIO], None]) -> None:
    """Write through a temp file in the same folder, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _as_cells(series: pd.Series, kind: Kind) -> pd.Series:
    """SPEC §5 cell format: booleans true/false, a missing value empty.

    Whole-column operations only: links.csv has millions of rows at 100,000 pages.
    """
    if kind == "bool":
        values = series.to_numpy(dtype=object)
        cells = np.full(len(values), "", dtype=object)
        cells[values == True] = "true"  # noqa: E712 (element-wise, and 1 == True is wanted)
        cells[values == False] = "false"  # noqa: E712
        return pd.Series(cells, index=series.index)
    if kind == "int":
        if pd.api.types.is_integer_dtype(series.dtype):
            return series
        return pd.to_numeric(series, errors="coerce").round().astype("Int64")
    if kind == "float":
        return pd.to_numeric(series, errors="coerce").round(3)
    text = series.astype("object").fillna("").astype(str)
    risky = np.fromiter((t[:1] in FORMULA_STARTS for t in text.tolist()), bool, len(text))
    return text.mask(risky, "'" + text[risky]) if risky.any() else text


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = frozenset("=+-@\t\r")


def contract_frame(rows: pd.DataFrame | list[dict[str, Any]], table: str) -> pd.DataFrame:
    """The table with exactly its declared columns, in order, each in its declared format."""
    columns = TABLES[table]
    frame = pd.DataFrame(rows) if isinstance(rows, list) else rows
    frame = frame.reindex(columns=list(columns))
    return pd.DataFrame({name: _as_cells(frame[name], kind) for name, kind in columns.items()})


def _json_value(value: Any, kind: Kind) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if kind == "float":
        return round(float(value), 4)
    if kind == "int":
        return int(value)
    if kind == "bool":
        return bool(value)
    return str(value)


def json_records(rows: list[dict[str, Any]], table: str) -> list[dict[str, Any]]:
    """Rows with the declared columns as JSON values (null when missing), for summary.json."""
    columns = TABLES[table]
    return [
        {name: _json_value(row.get(name), kind) for name, kind in columns.items()} for row in rows
    ]


def write_table(rows: pd.DataFrame | list[dict[str, Any]], out_dir: Path, table: str) -> None:
    frame = contract_frame(rows, table)
    write_atomically(out_dir / table, lambda handle: frame.to_csv(handle, index=False))


def write_json(data: dict[str, Any], path: Path) -> None:
    write_atomically(path, lambda handle: json.dump(data, handle, indent=2, ensure_ascii=False))


def _defused(cells: list[str]) -> list[str]:
    return ["'" + c if c[:1] in FORMULA_STARTS else c for c in cells]


def _plain(text: str) -> bool:
    """No quoted cell and no cell that starts like a formula, in a block of whole CRLF lines.

    One-character tests first (memchr-fast; two-character ones are 40 times slower). A tab
    or a lone CR (csv.writer quotes cells holding one) sends the block the slow way.
    """
    if '"' in text or "\t" in text or text[:1] in FORMULA_STARTS:
        return False
    if text.count("\r") != text.count("\n"):
        return False
    return not any(c in text and (f",{c}" in text or f"\n{c}" in text) for c in "=+-@")


ALIASES_SEARCHED = 50  # a page's other addresses looked for in a block; with more, all are read


def _copy_links(
    lines: TextIO, area: str, handle: TextIO, writer: Any, aliases: dict[str, str]
) -> None:
    """Copy a model link file (csv.writer's CRLF lines) about 4 MB at a time. A page's other
    addresses (crawler.aliases) read as the page's own: their rows, its own links read twice,
    are left out, and a link to one leads to the page."""
    width = len(TABLES["links.csv"]) - 1
    lines.readline()  # the model file's header
    while text := lines.read(1 << 22):
        text += lines.readline()  # up to the end of a line
        whole = text.count(",true\r\n") + text.count(",false\r\n") == text.count("\n")
        if whole and _plain(text):
            if aliases and (
                len(aliases) > ALIASES_SEARCHED or any(f"{a}," in text for a in aliases)
            ):
                text = _unaliased(text, aliases)
            handle.write(text.replace("\r\n", f",{area}\n"))
            continue
        block = io.StringIO(text, newline="")
        for first in block:
            line = first
            while line.count('"') % 2:  # a quoted cell goes on over the next line
                more = block.readline() or lines.readline()
                if not more:
                    break
                line += more
            for row in csv.reader(io.StringIO(line, newline="")):
                if len(row) == width and row[-1] in ("true", "false"):
                    if row[0] in aliases:
                        continue
                    row[1] = aliases.get(row[1], row[1])
                    writer.writerow([*_defused(row), area])


def _unaliased(text: str, aliases: dict[str, str]) -> str:
    """Plain CRLF lines with each alias read as its page (a line a link: about the cost of
    the plain copy itself, measured on 60,000 rows)."""
    kept = []
    for line in text.split("\r\n"):
        source, _, rest = line.partition(",")
        if source in aliases:
            continue
        target, _, rest = rest.partition(",")
        kept.append(f"{source},{aliases[target]},{rest}" if target in aliases else line)
    return "\r\n".join(kept)


def write_links(out_dir: Path, sources: list[tuple]) -> None:
    """links.csv: each area's model link file, its `area` added, copied a line at a time.

    At 100,000 pages there are millions of rows, and serialising them again from pandas took
    most of the report phase. A block of plain lines (no quote, no cell a spreadsheet would
    run) is copied as it is; any other block goes through the csv module and is defused.
    Rows a kill cut short are left out, as the audits leave them out.
    """

    def write(handle: TextIO) -> None:
        handle.write(",".join(TABLES["links.csv"]) + "\n")
        writer = csv.writer(handle, lineterminator="\n")
        for path, area, *aliases in sources:  # (model link file, area[, other addresses])
            if path.exists():
                with path.open(encoding="utf-8", newline="") as lines:
                    _copy_links(lines, area, handle, writer, aliases[0] if aliases else {})

    write_atomically(out_dir / "links.csv", write)
