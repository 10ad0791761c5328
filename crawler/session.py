"""A signed-in user's session, handed from the browser that logged in to the crawl and renders.

The session is the browser's cookies (Playwright's `storage_state`). It travels to the crawl
process in an environment variable, never through a file, so no output folder (often uploaded
as a CI artifact) holds a live session. While signed in, links that would end the session or
change the account are never followed: a default deny list, extended by `login.deny`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

from contract.config import DENY_TEXT, DENY_URL, Login

SESSION_ENV = "TOPTASKS_SESSION"


@dataclass(frozen=True)
class DenyList:
    url: re.Pattern[str]
    text: re.Pattern[str]

    @classmethod
    def for_login(cls, login: Login) -> DenyList:
        def joined(patterns: list[str]) -> re.Pattern[str]:
            return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)

        return cls(joined(DENY_URL + login.deny.url), joined(DENY_TEXT + login.deny.text))

    def blocks(self, url: str, text: str = "") -> bool:
        return bool(self.url.search(url) or (text and self.text.search(text)))


def session_env(state: dict[str, Any] | None) -> dict[str, str]:
    """Environment entries that carry the session to a crawl process (none when signed out)."""
    return {} if state is None else {SESSION_ENV: json.dumps(state)}


def session_from_env() -> dict[str, Any] | None:
    raw = os.environ.get(SESSION_ENV)
    return json.loads(raw) if raw else None


def scrapy_cookies(state: dict[str, Any]) -> list[dict[str, Any]]:
    """Playwright's cookies in the form Scrapy's `Request(cookies=...)` takes."""
    return [
        {"name": c["name"], "value": c["value"], "domain": c["domain"], "path": c["path"]}
        for c in state.get("cookies", [])
    ]
