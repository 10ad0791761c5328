"""The catalogue of common customer tasks, per sector and language (YAML under
audits/catalogue/: English at its top, every other language in a folder of its code, `nl/`,
`de/`...), and the guess of a site's sector from its own words.

A task is phrased in customers' words with the phrases and URL patterns that sites' links use
for it; `toptasks init` matches a site's navigation against it (audits/task_matching.py). A
task keeps its English id in every language, so that runs compare across languages; a sector
a language has no file for is read in English.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from audits.words import COMPOUNDING, MIN_PART, fold
from contract.languages import DEFAULT, language_of_tag

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


def catalogue_file(sector: str, lang: str = DEFAULT) -> Traversable:
    """The sector's file in the language, or the English one when the language has none."""
    folder = resources.files("audits").joinpath("catalogue")
    lang = language_of_tag(lang) or DEFAULT
    own = folder.joinpath(f"{lang}/{sector}.yaml")
    return own if lang != DEFAULT and own.is_file() else folder.joinpath(f"{sector}.yaml")


@cache
def load_catalogue(sector: str, lang: str = DEFAULT) -> Catalogue:
    """One sector's file as written (no generic tasks added), in the language when it has one."""
    text = catalogue_file(sector, lang).read_text("utf-8")
    return Catalogue.model_validate(yaml.safe_load(text))


def sector_tasks(sector: str, lang: str = DEFAULT) -> list[CatalogueTask]:
    """The sector's tasks first, then the generic ones it does not already name."""
    own = [] if sector == GENERIC else load_catalogue(sector, lang).tasks
    ids = {task.id for task in own}
    return own + [task for task in load_catalogue(GENERIC, lang).tasks if task.id not in ids]


def comparable(text: str, lang: str = DEFAULT) -> str:
    """Text as phrases are matched in it: lowercased; outside English, accents folded too."""
    return text.lower() if lang in ("", DEFAULT) else fold(text.lower())


def phrase_pattern(phrase: str, lang: str = DEFAULT) -> re.Pattern[str]:
    """A phrase as whole words, any spacing and case: "log in" finds "Log in", not "blog in".
    Outside English, words are any letters and accents are folded ("demarches" finds
    "Démarches"); in a language that writes compounds as one word, a one-word phrase may also
    begin or end a word ("afval" finds "Afvalkalender", "Konto" "Girokonto")."""
    if lang in ("", DEFAULT):
        words = [re.escape(word) for word in phrase.lower().split()]
        return re.compile(r"(?<![a-z0-9])" + r"\s+".join(words) + r"(?![a-z0-9])")
    words = [re.escape(word) for word in comparable(phrase, lang).split()]
    body = r"\s+".join(words)
    if lang in COMPOUNDING and len(words) == 1 and len(phrase) > MIN_PART:
        return re.compile(rf"(?<![^\W_]){body}|{body}(?![^\W_])")
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])")


def guess_sector(words: str, lang: str = DEFAULT) -> tuple[str, list[str]]:
    """The sector whose signal words the text uses most (at least MIN_SIGNALS of them), and
    those words; the generic catalogue when no sector stands out. The signals are those of
    the language's files (which name the English words such sites use, "Online-Banking")."""
    text = comparable(words, lang)
    best, found = GENERIC, []
    for sector in SECTORS:
        if sector == GENERIC:
            continue
        signals = load_catalogue(sector, lang).signals
        used = [s for s in dict.fromkeys(signals) if phrase_pattern(s, lang).search(text)]
        if len(used) >= MIN_SIGNALS and len(used) > len(found):
            best, found = sector, used
    return best, found
