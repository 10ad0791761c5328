"""The site's own search, used as a customer uses it: the search form of the start page (or
`site.search_url`), each task's words typed into it, the first page of results read in order.

GET only: a form that sends a POST may change something, and toptasks never submits one.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote_plus, urlencode, urljoin, urlsplit

from lxml import html as lxml_html

from contract.config import Task
from contract.records import Link

SEARCH_FIELDS = ("q", "query", "search", "s", "keywords", "keyword", "term", "searchterm", "k")
MAX_QUERIES = 5  # per task: its name and its entry phrases
RESULTS_READ = 10  # the first page of results
NOT_RESULTS = ("header", "nav", "footer")  # the regions every page repeats


@dataclass(frozen=True)
class SearchForm:
    """Where the site's search answers: `template` holds `{query}`; empty, with a `note`
    saying why, when the site has no search toptasks may use."""

    template: str
    source: str  # "config", "form" or ""
    note: str = ""


def _is_search_form(form: lxml_html.HtmlElement) -> bool:
    in_search = form.xpath("ancestor-or-self::*[@role='search']")
    return bool(in_search or form.xpath(".//input[@type='search']") or _search_field(form))


def _search_field(form: lxml_html.HtmlElement) -> str:
    """The name of the box a customer types into."""
    for field in form.xpath(".//input[@type='search'][@name]"):
        return field.get("name")
    for field in form.xpath(".//input[@name]"):
        kind = (field.get("type") or "text").lower()
        if kind in ("text", "search") and field.get("name").lower() in SEARCH_FIELDS:
            return field.get("name")
    return ""


def find_search_form(root: lxml_html.HtmlElement, page_url: str) -> SearchForm:
    """The page's search form as a GET URL template, or why there is none to use."""
    for form in root.iter("form"):
        if not _is_search_form(form):
            continue
        field = _search_field(form)
        if not field:
            continue
        if (form.get("method") or "get").strip().lower() != "get":
            return SearchForm(
                "", "", "the search form sends a POST: not run (no form is submitted)"
            )
        action = urljoin(page_url, (form.get("action") or "").strip() or page_url)
        if urlsplit(action).scheme not in ("http", "https"):
            continue
        hidden = [
            (i.get("name"), i.get("value") or "")
            for i in form.xpath(".//input[@type='hidden'][@name]")
        ]
        joiner = "&" if urlsplit(action).query else "?"
        fixed = urlencode(hidden) + "&" if hidden else ""
        return SearchForm(f"{action.split('#')[0]}{joiner}{fixed}{field}={{query}}", "form")
    return SearchForm("", "", "no search form on the start page")


def task_queries(task: Task) -> list[str]:
    """What a customer types: the task's name, then each of its entry phrases."""
    queries: list[str] = []
    for text in [task.name, *task.entry.text]:
        if text.strip() and text.strip().lower() not in (q.lower() for q in queries):
            queries.append(text.strip())
    return queries[:MAX_QUERIES]


def query_url(template: str, query: str) -> str:
    return template.replace("{query}", quote_plus(query))


def result_links(links: list[Link]) -> list[str]:
    """The results, in order: internal links outside the header, navigation and footer."""
    results = [
        link.target_url
        for link in links
        if link.kind == "internal" and link.region not in NOT_RESULTS
    ]
    return list(dict.fromkeys(results))[:RESULTS_READ]
