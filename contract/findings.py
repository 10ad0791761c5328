"""Every kind of finding the audits write to findings.csv, with its severity and meaning.

One registry, read by the documentation's reference (scripts/docs_hooks.py) and checked by
tests/test_docs.py against the kinds the code emits: a new kind without an entry here fails.
`a11y_<axe rule>` is a family: any axe-core rule id after the prefix is a kind of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["high", "medium", "low"]
Scope = Literal["task", "page", "site"]  # task: task_id set; page and site: task_id empty


@dataclass(frozen=True)
class FindingKind:
    kind: str
    audit: str  # the module under audits/ that raises it
    scope: Scope
    severities: tuple[Severity, ...]  # the severities it can have
    meaning: str
    severity_rule: str = ""  # what decides the severity, when it can have more than one


def _kinds(*kinds: FindingKind) -> dict[str, FindingKind]:
    return {k.kind: k for k in kinds}


KINDS: dict[str, FindingKind] = _kinds(
    FindingKind(
        "unreachable",
        "findability",
        "task",
        ("high",),
        "No path of links from the start page reaches a target page of the task within "
        "`max_pages` and `max_depth`; `detail` says why.",
    ),
    FindingKind(
        "entry_in_collapsed_menu",
        "visibility",
        "task",
        ("medium",),
        "The entry shows only after a menu is opened (a click, or on desktop a hover); "
        "`detail` names the menus on the way.",
    ),
    FindingKind(
        "entry_below_fold",
        "visibility",
        "task",
        ("medium",),
        "The entry starts below the first screen of the viewport.",
    ),
    FindingKind(
        "entry_off_screen",
        "visibility",
        "task",
        ("medium",),
        "The entry sits right of the screen, within the first screen's height.",
    ),
    FindingKind(
        "entry_covered",
        "visibility",
        "task",
        ("high", "medium"),
        "Another element covers the entry's centre at load (a pop-up, a banner), or a consent "
        "layer covers it on a first visit; `detail` names the layer.",
        "high when covered at load; medium when only a first visit's consent layer covers it",
    ),
    FindingKind(
        "entry_hidden",
        "visibility",
        "task",
        ("high",),
        "The entry is in the page but not displayed (`display:none`, `visibility:hidden`, "
        "transparent or of no size).",
    ),
    FindingKind(
        "entry_not_rendered",
        "visibility",
        "task",
        ("medium",),
        "The first link of the task's path is not among the rendered start page's elements.",
    ),
    FindingKind(
        "entry_too_small",
        "visibility",
        "task",
        ("low",),
        "On a phone the entry is under 48 x 48 px on screen and either crowded by another "
        "target within that square or tiny (under 24 px both ways, or under 12 px one way).",
    ),
    FindingKind(
        "entry_not_keyboard_reachable",
        "visibility",
        "task",
        ("medium",),
        "Pressing Tab from page load (up to 60 times, desktop) never gives the entry focus, "
        "nor the opener of the menu that holds it.",
    ),
    FindingKind(
        "focus_not_visible",
        "visibility",
        "task",
        ("low",),
        "The entry takes keyboard focus with no outline, ring or change of colour.",
    ),
    FindingKind(
        "low_contrast",
        "visibility",
        "task",
        ("low",),
        "The entry's text contrast is below WCAG AA's 4.5:1.",
    ),
    FindingKind(
        "not_mobile_friendly",
        "visibility",
        "page",
        ("medium",),
        "On the mobile viewport the page has no mobile layout: no `<meta name=viewport>`, or "
        "content wider than the layout.",
    ),
    FindingKind(
        "menu_opener_unlabelled",
        "visibility",
        "task",
        ("medium",),
        "The entry is behind a menu opener with no name at all (no words, no alt text, no "
        "`aria-label`); `entry_menu_path` reads 'unlabelled'.",
    ),
    FindingKind(
        "dead_control",
        "visibility",
        "task",
        ("high",),
        "A call-to-action button that does nothing when pressed: no page opens, no request is "
        "sent, nothing on screen changes. With the task's id when it is the task's entry; with "
        "none when it stands elsewhere on a page of a task's path (once per page and viewport).",
    ),
    FindingKind(
        "render_lost",
        "visibility",
        "page",
        ("high",),
        "A page of a task's path could not be rendered at a viewport even on a second try (a "
        "timeout, a crash): the render columns of the tasks through it are empty for that "
        "viewport because nothing was seen. summary.json's `pages.renders_lost` counts them.",
    ),
    FindingKind(
        "competing_link",
        "scent",
        "task",
        ("high", "medium"),
        "A link on a path page whose wording matches the task at least 0.8 times as well as "
        "the link that leads on (and at least 0.15), but leads elsewhere.",
        "high when it scores higher than the link that leads on, else medium",
    ),
    FindingKind(
        "weak_scent",
        "scent",
        "task",
        ("low",),
        "The link that leads on toward the task scores under 0.15 against it, and holds none "
        "of the task's `entry.text` phrases.",
    ),
    FindingKind(
        "placeholder_link",
        "scent",
        "task",
        ("medium",),
        "A link on a path page that reads like the task but does nothing when clicked (`#`, "
        "`#!`, `javascript:void(0)`, an anchor to no element).",
    ),
    FindingKind(
        "scent_trap",
        "simulation",
        "task",
        ("high", "medium"),
        "The link through which the largest share of simulated customers first went the wrong "
        "way, when that share is at least 10%.",
        "high from 30% of the simulated customers, else medium",
    ),
    FindingKind(
        "search_misses_task",
        "site_search",
        "task",
        ("medium",),
        "The links reach the task, but the site's own search lists none of its target pages "
        "in its first 10 results for any of the task's queries.",
    ),
    FindingKind(
        "search_only",
        "site_search",
        "task",
        ("medium",),
        "The site's search finds the task, but no link leads there.",
    ),
    FindingKind(
        "carousel",
        "distraction",
        "page",
        ("high", "medium"),
        "A region of the first viewport that rotates by itself, or slider markup.",
        "high from 30% of the first viewport, else medium",
    ),
    FindingKind(
        "modal",
        "distraction",
        "page",
        ("high", "medium"),
        "A pop-up: a dialog (`role=dialog`, `aria-modal`) or a fixed layer over at least 20% "
        "of the first viewport, outside the site header.",
        "high from 30% of the first viewport, else medium",
    ),
    FindingKind(
        "cookie_wall",
        "distraction",
        "page",
        ("high", "medium"),
        "A pop-up with cookie wording, or a recognised consent platform's layer; one a "
        "viewport for the site, the start page's when it has one.",
        "high from 30% of the first viewport, else medium",
    ),
    FindingKind(
        "promo_banner",
        "distraction",
        "page",
        ("medium", "low"),
        "A promotion named as such (`promo`, `offer`, `campaign`... in its class or id).",
        "medium from 10% of the first viewport, else low",
    ),
    FindingKind(
        "autoplay_media",
        "distraction",
        "page",
        ("medium",),
        "A video that plays by itself.",
    ),
    FindingKind(
        "animated_image",
        "distraction",
        "page",
        ("low",),
        "An animated image (a GIF) on the first screen.",
    ),
    FindingKind(
        "large_image",
        "distraction",
        "page",
        ("medium", "low"),
        "An image over 25% of the first viewport that carries no link toward a top task.",
        "medium from 10% of the first viewport, else low",
    ),
    FindingKind(
        "link_clutter",
        "distraction",
        "page",
        ("low",),
        "More than 40 links in the first viewport; `detail` says how many lead toward a top task.",
    ),
    FindingKind(
        "crawl_trap",
        "crawl_health",
        "site",
        ("low",),
        "A URL pattern that looks endless (a calendar, paging, ids); `element` is the pattern, "
        "`detail` how many of its URLs were not followed.",
    ),
    FindingKind(
        "unsafe_link",
        "crawl_health",
        "page",
        ("low",),
        "A link to a file on the visitor's own computer (`file:`) or to a private or loopback "
        "address; never fetched.",
    ),
    FindingKind(
        "soft_404",
        "crawl_health",
        "page",
        ("medium",),
        "A page that answers 200 with exactly the home page's text under an address of its "
        "own, linked with words that promise something else.",
    ),
    FindingKind(
        "task_target_orphaned",
        "sitemaps",
        "task",
        ("high",),
        "The task is unreachable, but its page exists: a sitemap lists it and no crawled page "
        "links to it. `page_url` is the page; `element` the reachable page a link from would "
        "serve the task best (its incoming links read most like the task, else the page its "
        "breadcrumb or URL names as parent); fixes.csv says 'link it from' that page.",
    ),
    FindingKind(
        "orphan_page",
        "sitemaps",
        "task",
        ("medium",),
        "A target page of a task that customers reach another way is an orphan: in a sitemap, "
        "linked from no crawled page. `element` is where a link would serve the task best.",
    ),
    FindingKind(
        "sitemap_broken_entry",
        "sitemaps",
        "page",
        ("medium",),
        "A sitemap lists the page, and it answers 4xx or 5xx, or no answer comes; `element` is "
        "the sitemap.",
    ),
    FindingKind(
        "sitemap_redirect",
        "sitemaps",
        "page",
        ("low",),
        "A sitemap lists an address that redirects; `detail` names the address to list.",
    ),
    FindingKind(
        "sitemap_blocked_by_robots",
        "sitemaps",
        "page",
        ("medium",),
        "A sitemap lists an address that the site's robots.txt forbids crawling (never fetched).",
    ),
    FindingKind(
        "sitemap_noindex",
        "sitemaps",
        "page",
        ("low",),
        "A sitemap lists a page that asks search engines not to index it (`<meta "
        "name=robots content=noindex>` or an `X-Robots-Tag` header).",
    ),
    FindingKind(
        "sitemap_unreadable",
        "sitemaps",
        "site",
        ("low",),
        "A sitemap named by robots.txt, an index or `--urls` could not be read, or not whole: "
        "not XML, over 50 MB, a loop of indexes, on another host; `detail` says which. The "
        "crawl goes on without it.",
    ),
    FindingKind(
        "a11y_target-size",
        "accessibility",
        "task",
        ("high",),
        "On mobile the entry or a menu opener on its way is under WCAG 2.2's 24 x 24 CSS px "
        "(SC 2.5.8) and too close to another target for the spacing exception; a blocker.",
    ),
    FindingKind(
        "a11y_opener-not-a-control",
        "accessibility",
        "task",
        ("high",),
        "A menu opener on the entry's way is an element with no role and not in the Tab "
        "order, so only a pointer can open it (WCAG 2.1.1, 4.1.2); a blocker.",
    ),
    FindingKind(
        "a11y_focus-trap",
        "accessibility",
        "task",
        ("high",),
        "On the start page (desktop) Tab goes round inside a dialog and Escape does not let "
        "focus out (WCAG 2.1.2); a blocker for every task.",
    ),
)

# Kinds named by a prefix and a rule of another tool: any axe-core rule id is a kind.
FAMILIES: dict[str, FindingKind] = {
    "a11y_": FindingKind(
        "a11y_<axe rule>",
        "accessibility",
        "task",
        ("high", "medium", "low"),
        "An axe-core failure (WCAG 2.0-2.2 A and AA rules, and `landmark-one-main`) on an "
        "element the task's customer must use: the entry, a menu opener on its way, the link "
        "followed on each page of the path, the target page's form fields and main landmark. "
        "`detail` gives axe's rule, help, impact, WCAG criterion and help URL.",
        "high (a blocker) for a critical or serious failure on the entry or a menu opener; "
        "medium for a critical or serious failure elsewhere; low for moderate or minor",
    ),
}


def finding_kind(kind: str) -> FindingKind | None:
    """The registry's entry for a kind as written in findings.csv, or None if unknown."""
    if kind in KINDS:
        return KINDS[kind]
    return next((f for prefix, f in FAMILIES.items() if kind.startswith(prefix)), None)
