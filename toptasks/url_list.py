"""`--urls FILE`, the list mode analysts know from crawlers: the pages to audit, one address a
line (or a sitemap's address, whose pages are taken), read and checked before any request."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from contract.errors import UsageError
from contract.records import URL_LIST_FILE
from crawler.links import classify_url, normalize_url

# A line is a sitemap when its last path segment names one or ends as sitemaps do.
SITEMAP_ADDRESS = re.compile(r"(sitemap[^/]*|\.xml|\.xml\.gz)$", re.IGNORECASE)


def read_url_list(path: Path) -> list[str]:
    """The file's addresses in order; blank lines and `#` comments are skipped."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read --urls: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: --urls takes a UTF-8 text file, one URL a line") from None
    urls = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = urlsplit(line)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"{path}:{number}: not an http(s) URL: {line[:200]!r}")
        urls.append(line)
    if not urls:
        raise UsageError(f"{path}: --urls lists no URL")
    return urls


def first_url(path: Path | None) -> str | None:
    """The list's first address: the start page when neither URL nor start_url is given."""
    return read_url_list(path)[0] if path is not None else None


def plan_url_list(urls: list[str], allowed: list[str]) -> tuple[dict[str, list[str]], int]:
    """{"urls": pages, "sitemaps": sitemaps to read} within allowed_domains, each once and
    normalised; and how many lines were outside allowed_domains."""
    pages: list[str] = []
    sitemaps: list[str] = []
    outside = 0
    for raw in urls:
        url = normalize_url(raw)
        if classify_url(url, allowed) != "internal":
            outside += 1
            continue
        found = sitemaps if SITEMAP_ADDRESS.search(urlsplit(url).path) else pages
        if url not in found:
            found.append(url)
    return {"urls": pages, "sitemaps": sitemaps}, outside


def write_url_list(model_dir: Path, path: Path, allowed: list[str], resume: bool) -> list[str]:
    """The list as the crawl reads it, in the model folder (a resumed run keeps its own);
    what the user should be told about it."""
    planned, outside = plan_url_list(read_url_list(path), allowed)
    saved = model_dir / URL_LIST_FILE
    if resume:
        if not saved.exists() or json.loads(saved.read_text(encoding="utf-8")) != planned:
            raise UsageError(f"{model_dir.parent} was crawled with another --urls list")
        return []
    saved.write_text(json.dumps(planned, indent=1), encoding="utf-8")
    if outside:
        hosts = ", ".join(allowed)
        return [f"{outside} address(es) of {path} are outside allowed_domains ({hosts}); left out"]
    return []
