"""The catalogue of common customer tasks, per sector (YAML under audits/catalogue/), and
the guess of a site's sector from its own words.

A task is phrased in customers' words with the phrases and URL patterns that sites' links use
for it; `toptasks init` matches a site's navigation against it (audits/task_matching.py).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

GENERIC = "generic"
SECTORS = (
    "bank",
    "insurance",
    "utility",
    "telecom",
    "retail",
    "university",
    "government",
    "saas",
    GENERIC,
)
MIN_SIGNALS = 2  # distinct sector words a site must use before its sector is guessed


class FixedTarget(BaseModel):
    """A target that is not the linked page: the search box, wherever it is."""

    model_config = ConfigDict(extra="forbid")
    selector: str


class CatalogueTask(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    name: str
    phrases: list[str] = Field(min_length=1)
    urls: list[str] = Field(default_factory=list)
    target: FixedTarget | Literal["link"] = "link"


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sector: str
    signals: list[str] = Field(default_factory=list)
    tasks: list[CatalogueTask]


@cache
def load_catalogue(sector: str) -> Catalogue:
    """One sector's file as written (no generic tasks added)."""
    text = resources.files("audits").joinpath(f"catalogue/{sector}.yaml").read_text("utf-8")
    return Catalogue.model_validate(yaml.safe_load(text))


def sector_tasks(sector: str) -> list[CatalogueTask]:
    """The sector's tasks first, then the generic ones it does not already name."""
    own = [] if sector == GENERIC else load_catalogue(sector).tasks
    ids = {task.id for task in own}
    return own + [task for task in load_catalogue(GENERIC).tasks if task.id not in ids]


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A phrase as whole words, any spacing and case: "log in" finds "Log in", not "blog in"."""
    words = [re.escape(word) for word in phrase.lower().split()]
    return re.compile(r"(?<![a-z0-9])" + r"\s+".join(words) + r"(?![a-z0-9])")


def guess_sector(words: str) -> tuple[str, list[str]]:
    """The sector whose signal words the text uses most (at least MIN_SIGNALS of them), and
    those words; the generic catalogue when no sector stands out."""
    text = words.lower()
    best, found = GENERIC, []
    for sector in SECTORS:
        if sector == GENERIC:
            continue
        used = [s for s in load_catalogue(sector).signals if phrase_pattern(s).search(text)]
        if len(used) >= MIN_SIGNALS and len(used) > len(found):
            best, found = sector, used
    return best, found
