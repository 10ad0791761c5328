"""Decides, while a page is in hand, which tasks it is a target of (SPEC §4 `target`).

Deciding at crawl time means the HTML never has to be kept: the site model stores only the
task ids a page satisfies.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from cssselect import HTMLTranslator
from lxml import etree
from lxml import html as lxml_html

from contract.config import Task

_SPACES = re.compile(r"\s+")
_VISIBLE_TEXT = etree.XPath("//body//text()[not(ancestor::script) and not(ancestor::style)]")


@dataclass(frozen=True)
class _CompiledTarget:
    task_id: str
    url: re.Pattern[str] | None
    selector: etree.XPath | None
    text: str | None


def text_digest(text: str) -> int:
    """A 48-bit fingerprint of a page's text: exact in a float64 column, where pages with no
    text leave it empty."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=6).digest(), "big")


def page_text(root: lxml_html.HtmlElement) -> str:
    """Visible body text, lower-cased with whitespace collapsed, for `target.text` matching."""
    return _SPACES.sub(" ", " ".join(_VISIBLE_TEXT(root))).strip().lower()


class TargetMatcher:
    """Compiled once per crawl: a regex, an XPath and a lower-cased phrase per task."""

    def __init__(self, tasks: list[Task]) -> None:
        translator = HTMLTranslator()
        self._targets = [
            _CompiledTarget(
                task_id=t.id,
                url=re.compile(t.target.url) if t.target.url else None,
                selector=etree.XPath(translator.css_to_xpath(t.target.selector))
                if t.target.selector
                else None,
                text=_SPACES.sub(" ", t.target.text).strip().lower() if t.target.text else None,
            )
            for t in tasks
        ]
        self._needs_text = any(t.text for t in self._targets)

    def tasks_served_by(
        self, url: str, root: lxml_html.HtmlElement | None, text: str = ""
    ) -> list[str]:
        """Task ids whose target holds for this page (any one condition suffices); `text` is
        the page's `page_text`, when the caller has it already."""
        if not text and root is not None and self._needs_text:
            text = page_text(root)
        found = []
        for target in self._targets:
            if (
                (target.url is not None and target.url.search(url))
                or (root is not None and target.selector is not None and target.selector(root))
                or (root is not None and target.text is not None and target.text in text)
            ):
                found.append(target.task_id)
        return found
