"""A Top Tasks survey read into votes per task: the weights of McGovern's method.

Two layouts are accepted, as survey tools export them:
- a tally: a `task_id` (or `task`) column and a `votes` (or `count`) column;
- one row per respondent: every other column holds one chosen task id (up to MAX_CHOICES a
  row), except a `respondent`, `id` or `timestamp` column, which is ignored.
Errors name the file, the row (as a spreadsheet numbers it, the header being row 1) and the
id, because a survey export is fixed by hand in a spreadsheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from contract.errors import ConfigError

MAX_CHOICES = 5  # McGovern's survey: each respondent picks up to five tasks
TASK_COLUMNS = ("task_id", "task")
VOTE_COLUMNS = ("votes", "count")
IGNORED = ("respondent", "respondent_id", "id", "timestamp", "submitted")
TOP_SHARE = 0.25  # the "long neck": the few tasks that take the first quarter of the votes


@dataclass(frozen=True)
class Survey:
    votes: dict[str, int]  # every known task id, in vote order (most first); 0 when unvoted
    respondents: int | None  # None for a tally
    layout: str  # "tally" or "respondents"

    @property
    def total(self) -> int:
        return sum(self.votes.values())

    def shares(self) -> dict[str, float]:
        return {task: n / self.total for task, n in self.votes.items()}

    def missing(self) -> list[str]:
        return [task for task, n in self.votes.items() if n == 0]


def long_neck(votes: dict[str, int]) -> list[dict[str, object]]:
    """Tasks in vote order with their share and the cumulative share; `top` marks the tasks
    that together take the first TOP_SHARE of the votes (the last of them crosses it)."""
    total = sum(votes.values()) or 1
    rows, running = [], 0
    for task, n in sorted(votes.items(), key=lambda item: -item[1]):
        top = running / total < TOP_SHARE and n > 0
        running += n
        rows.append(
            {
                "task_id": task,
                "votes": n,
                "share": round(n / total, 4),
                "cumulative": round(running / total, 4),
                "top": top,
            }
        )
    return rows


def _column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    return next((c for c in frame.columns if c.strip().lower() in names), None)


def _check_id(path: Path, row: int, task: str, known: set[str]) -> None:
    if task not in known:
        raise ConfigError(
            f"{path}: row {row}: unknown task id {task!r} (the config's tasks are "
            f"{', '.join(sorted(known))})"
        )


def read_survey(path: Path, known: list[str]) -> Survey:
    """Votes per task of the config (`known`, in its order), from either layout."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=True)
    except FileNotFoundError:
        raise ConfigError(f"{path}: votes file not found") from None
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        reason = "empty" if isinstance(exc, pd.errors.EmptyDataError) else "not a CSV file"
        raise ConfigError(f"{path}: votes file is {reason}") from None
    known_set = set(known)
    counts = dict.fromkeys(known, 0)
    task_column, vote_column = _column(frame, TASK_COLUMNS), _column(frame, VOTE_COLUMNS)
    if task_column and vote_column:
        layout, respondents = "tally", None
        for i, (task, votes) in enumerate(
            zip(frame[task_column], frame[vote_column], strict=True), 2
        ):
            task = task.strip()
            if not task:
                continue
            _check_id(path, i, task, known_set)
            if not votes.strip().isdigit():
                raise ConfigError(f"{path}: row {i}: votes for {task!r} is not a count: {votes!r}")
            counts[task] += int(votes)
    else:
        layout = "respondents"
        choices = [c for c in frame.columns if c.strip().lower() not in IGNORED]
        respondents = 0
        for i, row in enumerate(frame[choices].itertuples(index=False), 2):
            picked = [cell.strip() for cell in row if cell.strip()]
            if not picked:
                continue
            if len(picked) > MAX_CHOICES:
                raise ConfigError(
                    f"{path}: row {i}: {len(picked)} tasks chosen, at most {MAX_CHOICES}"
                )
            respondents += 1
            for task in dict.fromkeys(picked):  # one vote per task per respondent
                _check_id(path, i, task, known_set)
                counts[task] += 1
    if not sum(counts.values()):
        raise ConfigError(f"{path}: the survey holds no votes")
    ordered = dict(sorted(counts.items(), key=lambda item: -item[1]))
    return Survey(ordered, respondents, layout)
