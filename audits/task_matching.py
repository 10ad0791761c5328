"""Which link of a site's start page and menus serves each catalogue task, per viewport.

A pure function of the rendered start page (its elements, menus opened as the audit opens
them) and the catalogue: a link serves a task when its text or `aria-label` holds one of the
task's phrases as whole words, or its path matches one of the task's URL patterns. Among those,
the one a customer is likeliest to take wins: a phrase before a URL alone, the catalogue's
first phrases (its plainest words: "Log in" before "Online banking") before later ones, then
the better scent (the TF-IDF scorer of audits/scent.py, over the page's own link texts), then
shown at load before inside a menu, the header before the footer, fewer menu openings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from audits.catalogue import CatalogueTask, comparable, phrase_pattern
from audits.scent import TfidfScorer
from audits.words import is_language_switch
from contract.records import RenderedPage

NOT_CHOICES = ("toggle", "placeholder", "anchor")  # collect.js linkRole: these lead nowhere
# Where a customer looks first: the header and its navigation, then the page, then the footer.
PROMINENCE = {"header": 3, "nav": 3, "main": 2, "aside": 1, "footer": 0}


@dataclass(frozen=True)
class NavLink:
    """Something a customer can choose on the start page: a link, or a button (no href)."""

    viewport: str
    text: str
    href: str
    region: str
    menu_path: tuple[str, ...] = ()
    shown_at_load: bool = True

    @property
    def path(self) -> str:
        return urlsplit(self.href).path or "/"

    def where(self) -> str:
        inside = f"in the menu {' › '.join(self.menu_path)}" if self.menu_path else "at load"
        return f"{self.region}, {inside}"


@dataclass
class Match:
    task: CatalogueTask
    by_viewport: dict[str, NavLink | None] = field(default_factory=dict)

    @property
    def link(self) -> NavLink | None:
        """The link the draft uses: desktop's when found there, else the first viewport's."""
        found = [link for link in self.by_viewport.values() if link is not None]
        desktop = self.by_viewport.get("desktop")
        return desktop or (found[0] if found else None)

    def difference(self) -> str:
        """How the viewports differ for this task, or "" when they agree."""
        links = self.by_viewport
        if (
            len(links) < 2
            or len({(lk.path, lk.text) if lk else None for lk in links.values()}) == 1
        ):
            return ""
        parts = []
        for viewport, link in links.items():
            parts.append(
                f"{viewport}: '{link.text}' ({link.where()})" if link else f"{viewport}: none"
            )
        return "; ".join(parts)

    def _where_by_viewport(self) -> dict[str, str]:
        link = self.link
        assert link is not None
        return {
            vp: lk.where() for vp, lk in self.by_viewport.items() if lk and lk.path == link.path
        }

    def places(self) -> str:
        """Where the chosen link is, per viewport when that differs ('Log in' is in the
        header on desktop and behind the menu button on mobile)."""
        where = self._where_by_viewport()
        if len(set(where.values())) == 1:
            return f"{next(iter(where.values()))}, on {' and '.join(where)}"
        return "; ".join(f"{viewport} {place}" for viewport, place in where.items())

    def seen(self) -> str:
        assert self.link is not None
        if len(set(self._where_by_viewport().values())) == 1:
            return f"'{self.link.text}' ({self.places()})"
        return f"'{self.link.text}': {self.places()}"

    def reason(self, phrases_shown: int = 3) -> str:
        quoted = [f"'{p}'" for p in self.task.phrases[:phrases_shown]]
        said = ", ".join(quoted[:-1]) + f" or {quoted[-1]}" if len(quoted) > 1 else quoted[0]
        return f"no link on the start page or in its menus says {said}"


def nav_links(record: RenderedPage, host: str) -> list[NavLink]:
    """A rendered page's choices: shown at load or revealed by opening a menu, leading to a
    page of the site (or a button, for tasks such as search whose target is on the page)."""
    links = []
    for element in record["elements"] if record["ok"] else []:
        shown, revealed = element["displayed"], element["menu_depth"] > 0
        if not (shown or revealed) or element["link_role"] in NOT_CHOICES or not element["name"]:
            continue
        href = element["href"]
        if href and (not href.startswith(("http:", "https:")) or urlsplit(href).hostname != host):
            continue
        links.append(
            NavLink(
                record["viewport"],
                element["name"],
                href,
                element["region"],
                tuple(element["menu_path"]),
                shown,
            )
        )
    return links


def _best(
    task: CatalogueTask, links: Sequence[NavLink], scorer: TfidfScorer, lang: str = "en"
) -> NavLink | None:
    patterns = [phrase_pattern(p, lang) for p in task.phrases]
    urls = [re.compile(u, re.IGNORECASE) for u in task.urls]
    query = " ".join([task.name, *task.phrases])
    scents = scorer.score(query, [link.text for link in links])
    ranked = []
    for link, scent in zip(links, scents, strict=True):
        if not link.href and task.target == "link":
            continue  # a button leads to no page that could be the target
        text = comparable(link.text, lang)
        phrase = next((i for i, p in enumerate(patterns) if p.search(text)), len(patterns))
        said = phrase < len(patterns)
        pointed = bool(link.href) and any(u.search(link.path) for u in urls)
        if said or pointed:
            prominence = PROMINENCE.get(link.region, 1)
            key = (
                said,
                pointed,
                -phrase,
                scent,
                link.shown_at_load,
                prominence,
                -len(link.menu_path),
            )
            ranked.append((key, link))
    return max(ranked, key=lambda pair: pair[0])[1] if ranked else None


def match_tasks(
    tasks: Iterable[CatalogueTask], links_by_viewport: dict[str, list[NavLink]], lang: str = "en"
) -> list[Match]:
    """Each task's best link per viewport, the links' words read in `lang`. Tasks are taken in
    order (a sector's own before the generic ones), and a link one task took is not offered to
    the next: "Rates" serves the bank's savings task, not also the generic "prices". A
    language switcher's links ("English", "FR") serve no task."""
    taken: dict[str, set[str]] = {viewport: set() for viewport in links_by_viewport}
    links_by_viewport = {
        vp: [link for link in links if not is_language_switch(link.text)]
        for vp, links in links_by_viewport.items()
    }
    scorers = {
        vp: TfidfScorer((link.text for link in links), lang)
        for vp, links in links_by_viewport.items()
    }
    matches = []
    for task in tasks:
        match = Match(task)
        for viewport, links in links_by_viewport.items():
            free = [link for link in links if (link.href or link.text) not in taken[viewport]]
            best = _best(task, free, scorers[viewport], lang)
            match.by_viewport[viewport] = best
            if best is not None:
                taken[viewport].add(best.href or best.text)
        matches.append(match)
    return matches
