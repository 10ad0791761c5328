"""Whether a site must be crawled in the browser: its start page's HTML against what the browser
shows. A single-page app answers every URL with the same near-empty shell, so an HTTP crawl
would report its pages unreachable; a server-rendered site keeps the fast HTTP crawl.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from crawler.links import classify_url

CrawlMode = Literal["http", "browser"]
MODE_FILE = "crawl_mode.json"  # in the model folder: the decision survives --resume

# The thresholds, and why: a server-rendered page that adds a link or two by script (a
# "recently viewed" box, a consent link) is still read well over HTTP, so links must at least
# double and grow by three; text under a quarter of what is shown means the words come from
# script; and a framework mount point with almost no text is the empty shell itself.
MIN_NEW_LINKS = 3
MAX_HTML_LINK_SHARE = 0.5
MAX_HTML_TEXT_SHARE = 0.25
MIN_RENDERED_TEXT = 200
SHELL_TEXT = 200


@dataclass(frozen=True)
class ShellFigures:
    """The start page measured twice: as fetched over HTTP and as rendered in Chromium."""

    html_links: int  # distinct internal link targets in the HTML
    rendered_links: int  # distinct internal link targets in the rendered DOM
    html_text_chars: int
    rendered_text_chars: int
    app_root: str  # a framework's mount point found in the HTML ("" when none)


@dataclass(frozen=True)
class CrawlDecision:
    mode: CrawlMode
    reason: str
    figures: ShellFigures | None = None

    def save(self, model_dir: Path) -> None:
        record = asdict(self)
        (model_dir / MODE_FILE).write_text(json.dumps(record, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, model_dir: Path) -> CrawlDecision | None:
        path = model_dir / MODE_FILE
        if not path.exists():
            return None
        record = json.loads(path.read_text(encoding="utf-8"))
        figures = record["figures"] and ShellFigures(**record["figures"])
        return cls(record["mode"], record["reason"], figures or None)


def decide(figures: ShellFigures) -> CrawlDecision:
    """Browser when the HTML lacks most of the links or the text a customer is shown."""
    f = figures
    said = (
        f"start page HTML has {f.html_links} internal links and {f.html_text_chars} characters "
        f"of text, the rendered page {f.rendered_links} and {f.rendered_text_chars}"
    )
    if f.app_root:
        said += f"; app root {f.app_root}"
    links_missing = (
        f.rendered_links - f.html_links >= MIN_NEW_LINKS
        and f.html_links <= MAX_HTML_LINK_SHARE * f.rendered_links
    )
    text_missing = (
        f.rendered_text_chars >= MIN_RENDERED_TEXT
        and f.html_text_chars < MAX_HTML_TEXT_SHARE * f.rendered_text_chars
    )
    empty_shell = (
        bool(f.app_root)
        and f.html_text_chars < SHELL_TEXT
        and f.rendered_text_chars > f.html_text_chars
    )
    if links_missing or text_missing or empty_shell:
        return CrawlDecision("browser", f"built by script: {said}", figures)
    return CrawlDecision("http", f"served as HTML: {said}", figures)


def measure(
    page: dict[str, Any], html_targets: set[str], rendered: dict[str, Any], allowed: list[str]
) -> ShellFigures:
    """Figures from the crawled start page (its model row and link targets) and its render."""
    shown = {
        e["href"]
        for e in rendered["elements"]
        if e["href"].startswith(("http:", "https:"))
        and classify_url(e["href"], allowed) == "internal"
    }
    internal = {u for u in html_targets if classify_url(u, allowed) == "internal"}
    return ShellFigures(
        html_links=len(internal),
        rendered_links=len(shown),
        html_text_chars=int(page.get("text_chars") or 0),
        rendered_text_chars=int(rendered.get("text_chars") or 0),
        app_root=page.get("app_root") or "",
    )
