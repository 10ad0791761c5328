"""`toptasks init URL`: a first tasks.yaml drafted from the site itself.

The start page is rendered on desktop and mobile with its menus opened as the audit opens them
(crawler/render.py), its links are matched against the sector's catalogue
(audits/task_matching.py), and every catalogue task is written down: found ones with the link
text the site uses as `entry.text` and the page it leads to as `target.url`, the others
commented out with the reason. The same drafting serves `toptasks audit URL` with no --tasks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from audits.catalogue import GENERIC, catalogue_file, guess_sector, sector_tasks
from audits.task_matching import Match, match_tasks, nav_links
from contract.config import load_config
from contract.errors import SiteError
from crawler.language import start_page_language
from crawler.links import normalize_url
from crawler.render import RenderJob, render_pages

VIEWPORTS = ["desktop", "mobile"]
CATALOGUE_TASKS = "catalogue-tasks.yaml"  # the draft `audit URL` makes without --tasks


@dataclass
class Draft:
    url: str
    sector: str
    signals: list[str]  # the words the sector was guessed from; [] when it was given
    matches: list[Match]
    lang: str = ""  # the site's language (given, declared or detected); "" read as English

    @property
    def found(self) -> list[Match]:
        return [m for m in self.matches if m.link is not None]


def read_start_page(url: str, timeout_s: float) -> tuple[dict[str, list], str]:
    """Each viewport's choices on the rendered start page, and the words the page uses."""
    records = render_pages([RenderJob(url, watch=False)], VIEWPORTS, None, timeout_s)
    failed = [r for r in records if not r["ok"] or (r["status"] or 0) >= 400]
    if len(failed) == len(records):
        first = failed[0]
        reason = first["error"] or f"HTTP {first['status']}"
        raise SiteError(f"{url} could not be read: {reason}")
    host = urlsplit(url).hostname or ""
    links = {r["viewport"]: nav_links(r, host) for r in records if r not in failed}
    words = " ".join(f"{e['name']} {e['href']}" for r in records for e in r["elements"])
    return links, words


def draft_tasks(
    url: str, sector: str | None, timeout_s: float = 15.0, lang: str | None = None
) -> Draft:
    """The catalogue's tasks matched on the start page, in the site's language: `lang`, else
    the one the start page declares, else the one its links' words read as."""
    url = normalize_url(url)
    links, words = read_start_page(url, timeout_s)
    lang = lang or start_page_language(url, timeout_s, link_words(links))
    signals: list[str] = []
    if sector is None:
        sector, signals = guess_sector(words, lang or "en")
    matches = match_tasks(sector_tasks(sector, lang or "en"), links, lang or "en")
    return Draft(url, sector, signals, matches, lang)


def link_words(links: dict[str, list]) -> str:
    """The start page's link labels, each once: what its language is read from."""
    return " ".join(dict.fromkeys(link.text for found in links.values() for link in found))


def _q(text: str) -> str:
    """A YAML scalar that cannot be misread (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def target_url(path: str) -> str:
    """A regex on the page URL for the page a link leads to, with or without its final '/'."""
    bare = path.rstrip("/")
    return f"{re.escape(bare)}/?$" if bare else r"://[^/]+/?$"


def task_lines(match: Match) -> list[str]:
    task, link = match.task, match.link
    if link is None:
        return [
            f"  # - id: {task.id}",
            f"  #   name: {_q(task.name)}",
            f"  #   not found: {match.reason()}",
        ]
    lines = [f"  # found: {match.seen()}"]
    if match.difference():
        lines.append(f"  # differs by viewport: {match.difference()}")
    lines += [
        f"  - id: {task.id}",
        f"    name: {_q(task.name)}",
        "    entry:",
        f"      text: [{_q(link.text)}]",
    ]
    if link.href:
        lines.append(f"      url: [{_q(re.escape(link.path))}]")
    lines.append("    target:")
    if isinstance(task.target, str):
        lines.append(f"      url: {_q(target_url(link.path))}")
    else:
        lines.append(f"      selector: {_q(task.target.selector)}")
    return lines


def draft_yaml(draft: Draft) -> str:
    if draft.signals:
        how = f"guessed from the site's words: {', '.join(draft.signals[:6])}; --sector to choose"
    else:
        how = "as given" if draft.sector != GENERIC else "no sector's words stood out"
    found = len(draft.found)
    foreign = draft.lang not in ("", "en")
    lang = draft.lang or "en"
    files = [_catalogue_name(draft.sector, lang), _catalogue_name(GENERIC, lang)]
    lines = [
        f"# Top tasks for {draft.url}, drafted by `toptasks init` on {date.today()}.",
        f"# Sector: {draft.sector} ({how}).",
        f"# Catalogue: audits/catalogue/{files[0]} and {files[1]}. "
        f"{found} of {len(draft.matches)} of its tasks",
        "# were found in the start page's navigation (desktop and mobile, menus opened); the",
        "# others are commented out with the reason. Check each target, add weights (or",
        "# weights_from: votes.csv, a Top Tasks vote) and budgets, then run:",
        f"#   toptasks audit {draft.url} --tasks tasks.yaml",
        "site:",
        f"  start_url: {_q(draft.url)}",
    ]
    if foreign:  # the words of the tasks are read in it (site.lang): English needs no line
        lines.append(f"  lang: {draft.lang}")
    lines += [
        "tasks:",
    ]
    for match in draft.matches:
        lines += task_lines(match)
    return "\n".join(lines) + "\n"


def _catalogue_name(sector: str, lang: str) -> str:
    """The catalogue file read, relative to audits/catalogue/ (`de/bank.yaml`, `bank.yaml`)."""
    file = catalogue_file(sector, lang)
    return f"{lang}/{file.name}" if file != catalogue_file(sector) else file.name


def write_draft(draft: Draft, out: Path) -> Path:
    """The draft, checked by the config loader itself: what init writes, audit accepts."""
    if not draft.found:
        raise SiteError(
            f"no task of the {draft.sector} catalogue was found on {draft.url} or in its menus; "
            "write the tasks by hand (see the README's Task configuration)"
        )
    out.write_text(draft_yaml(draft), encoding="utf-8")
    load_config(out)
    return out
