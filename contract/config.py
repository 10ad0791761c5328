"""The task configuration (SPEC §4), validated before any request is sent.

Every mistake a user can make in the YAML file becomes a `ConfigError` whose message names
the file, the line and the field, because a typo must never pass silently in a CI job.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from cssselect import GenericTranslator, SelectorError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from contract.errors import ConfigError
from contract.languages import LANGUAGES
from contract.votes import read_survey

DEFAULT_USER_AGENT = "toptasks/0.1 (+https://github.com/toptasks/toptasks; top-task audit)"
Viewport = Literal["desktop", "mobile"]
Language = Literal[LANGUAGES]  # type: ignore[valid-type]
Area = Literal["public", "account"]  # account: audited as a signed-in user from login.start_url

# Links a signed-in crawl never follows: they end the session or change the account.
DENY_URL = [r"log-?(out|off)", r"sign-?(out|off)", r"/(delete|remove|close|cancel|transfer)\b"]
DENY_TEXT = [r"\b(log|sign) ?(out|off)\b", r"\b(delete|remove|close|cancel|transfer)\b"]


class Strict(BaseModel):
    """Base for every config section: unknown keys are errors, so typos cannot pass."""

    model_config = ConfigDict(extra="forbid")


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
    return pattern


def _check_selector(selector: str) -> str:
    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        raise ValueError(f"bad CSS selector {selector!r}: {exc}") from None
    return selector


def _as_list(value: Any) -> Any:
    """Let `text: "log in"` stand for `text: ["log in"]`."""
    return [value] if isinstance(value, str) else value


Regex = Annotated[str, AfterValidator(_check_regex)]
Selector = Annotated[str, AfterValidator(_check_selector)]
Phrases = Annotated[list[str], BeforeValidator(_as_list)]  # one string or a list of them
Regexes = Annotated[list[Regex], BeforeValidator(_as_list)]


class BasicAuth(Strict):
    """HTTP basic authentication, for the crawl and the browser alike."""

    username_env: str = Field(description="Environment variable that holds the user name.")
    password_env: str = Field(description="Environment variable that holds the password.")


class Auth(Strict):
    """How a staging site that asks for credentials is entered."""

    basic: BasicAuth | None = Field(None, description="HTTP basic authentication.")


class Site(Strict):
    """The site and how politely it is crawled."""

    start_url: str | None = Field(
        None, description="The start page, an http(s) URL; optional when URL is given to audit."
    )
    allowed_domains: list[str] = Field(
        default_factory=list,
        description="Hosts the crawl may enter; empty: the start URL's host (subdomains too).",
    )
    max_pages: int = Field(2000, ge=1, description="URLs requested, at most (as --max-pages).")
    max_depth: int = Field(6, ge=0, description="Clicks from the start page, at most.")
    obey_robots: bool = Field(True, description="Obey the site's robots.txt.")
    throttle: bool = Field(True, description="Scrapy's AutoThrottle; false as --no-throttle.")
    max_per_pattern: int = Field(
        500,
        ge=1,
        description="URLs of one query pattern (?page=N), at most; never over max_pages/10 "
        "(at least 50): the link-trap guard.",
    )
    download_timeout_s: float = Field(
        30.0, gt=0, description="Seconds a request may take, per attempt (two retries)."
    )
    max_duration_s: float | None = Field(
        None, gt=0, description="Stop the run cleanly after this many seconds, marked partial."
    )
    user_agent: str = Field(DEFAULT_USER_AGENT, description="The crawler's User-Agent header.")
    auth: Auth | None = Field(None, description="Credentials for a staging site.")
    crawl_with: Literal["auto", "http", "browser"] = Field(
        "auto",
        description="How pages are fetched: http, browser (single-page apps), or auto: "
        "decided from the start page (as --crawl-with).",
    )
    search_url: str | None = Field(
        None,
        description="The site's search as a URL template with {query}, when the start "
        "page's search form cannot be found or should not be used.",
    )
    search: bool = Field(
        True, description="Use the site's own search for search_rank; false: never."
    )
    lang: Language | None = Field(
        None,
        description="The site's language (en, nl, de, fr, es, it, nb, da, sv): its words are "
        "read in it (scent, task matching, catalogues); default: the start page's, declared or "
        "detected (as --lang).",
    )
    max_sitemap_urls: int = Field(
        50_000,
        ge=0,
        description="Page addresses read from the site's sitemaps, at most (50,000: one "
        "sitemap file's limit); 0: sitemaps are not read.",
    )

    @field_validator("start_url")
    @classmethod
    def _http_url(cls, url: str | None) -> str | None:
        if url is not None and urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"start_url must be an http(s) URL, got {url!r}")
        return url

    @field_validator("search_url")
    @classmethod
    def _search_template(cls, url: str | None) -> str | None:
        if url is not None and (
            urlsplit(url).scheme not in ("http", "https") or "{query}" not in url
        ):
            raise ValueError(f"search_url must be an http(s) URL with {{query}}, got {url!r}")
        return url


class Entry(Strict):
    """How the links and buttons toward a task are recognised."""

    text: Phrases = Field(
        default_factory=list,
        description="Phrases found in the link's text (case-insensitive substrings).",
    )
    url: Regexes = Field(
        default_factory=list, description="Regular expressions on the link's absolute URL."
    )


class Target(Strict):
    """A page where the task is done or begins in earnest: any condition given holds."""

    url: Regex | None = Field(None, description="Regular expression searched in the page's URL.")
    selector: Selector | None = Field(None, description="CSS selector present on the page.")
    text: str | None = Field(
        None, description="Text in the page's visible body text (any case, spaces collapsed)."
    )

    @model_validator(mode="after")
    def _at_least_one(self) -> Target:
        if not (self.url or self.selector or self.text):
            raise ValueError("needs at least one of url, selector, text")
        return self


class Budget(Strict):
    """What `toptasks check` holds the task to; every budget is optional."""

    max_clicks: int | None = Field(
        None, ge=0, description="Clicks, at most; the score also counts menu openings."
    )
    above_fold: list[Viewport] = Field(
        default_factory=list, description="Viewports where the entry must be above the fold."
    )
    max_time_s: float | None = Field(
        None, gt=0, description="Predicted time on task (est_time_s), at most."
    )
    min_score: float | None = Field(None, ge=0, le=100, description="Task score, at least.")
    max_a11y_blockers: int | None = Field(
        None, ge=0, description="Accessibility blockers on the task's path, at most."
    )


class Task(Strict):
    """A top task: what a customer comes to do, how its links look, where it ends."""

    id: Annotated[
        str, Field(pattern=r"^[a-z0-9_-]+$", description="Unique id, of a-z, 0-9, _ and -.")
    ]
    name: str = Field(description="What a customer wants, in their words.")
    weight: float | None = Field(
        None, ge=0, description="Share of customer votes; unset weights share what is left."
    )
    area: Area = Field("public", description="account: audited signed in, from login.start_url.")
    entry: Entry = Field(default_factory=Entry, description="How its links are recognised.")
    target: Target = Field(description="The pages where the task is done.")
    budget: Budget = Field(default_factory=Budget, description="Limits for `toptasks check`.")


def _exactly_one(model: BaseModel, keys: tuple[str, ...], what: str) -> None:
    given = [k for k in keys if getattr(model, k) is not None]
    if len(given) != 1:
        raise ValueError(f"{what} needs exactly one of {', '.join(keys)}, got {given or 'none'}")


class Fill(Strict):
    """Type into a field; the value only ever comes from an environment variable."""

    label: str | None = Field(None, description="The field's label.")
    placeholder: str | None = Field(None, description="The field's placeholder text.")
    selector: str | None = Field(None, description="A CSS selector for the field.")
    env: Annotated[
        str,
        Field(
            pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
            description="Environment variable whose value is typed in.",
        ),
    ]

    @model_validator(mode="after")
    def _one_field(self) -> Fill:
        _exactly_one(self, ("label", "placeholder", "selector"), "fill")
        return self


class Click(Strict):
    """What to click, as a person names it: a role and name, a visible text, a label, or CSS."""

    role: str | None = Field(None, description="An ARIA role: button, link, menuitem...")
    name: str | None = Field(None, description="With role: the element's accessible name.")
    text: str | None = Field(None, description="The element's visible text.")
    label: str | None = Field(None, description="The element's label.")
    selector: str | None = Field(None, description="A CSS selector.")

    @model_validator(mode="after")
    def _one_way(self) -> Click:
        _exactly_one(self, ("role", "text", "label", "selector"), "click")
        if self.name is not None and self.role is None:
            raise ValueError("click: name goes with role")
        return self


class Expect(Target):
    """What shows a step worked: a regex searched in the page URL, a CSS selector, a text."""


class Step(Strict):
    """One browser action: exactly one of goto, fill, click, expect."""

    goto: str | None = Field(None, description="Open this URL (relative to site.start_url).")
    fill: Fill | None = Field(None, description="Type a variable's value into a field.")
    click: Click | None = Field(None, description="Click an element.")
    expect: Expect | None = Field(None, description="Wait until the step shows it worked.")

    @model_validator(mode="after")
    def _one_action(self) -> Step:
        _exactly_one(self, ("goto", "fill", "click", "expect"), "a step")
        return self

    @property
    def action(self) -> str:
        """The step as journeys.csv shows it; a fill names its variable, never its value."""
        kind = next(k for k in ("goto", "fill", "click", "expect") if getattr(self, k) is not None)
        value = getattr(self, kind)
        if isinstance(value, str):
            return f"{kind} {value}"
        parts = [f"{k}={v!r}" for k, v in value.model_dump(exclude_none=True).items()]
        return f"{kind} {' '.join(parts)}"


class Deny(Strict):
    """More links a signed-in crawl must not follow (case-insensitive regexes)."""

    url: Regexes = Field(default_factory=list, description="Regexes on the link's URL.")
    text: Regexes = Field(default_factory=list, description="Regexes on the link's text.")


class Login(Strict):
    """Browser steps that sign in, played once before the crawl, for `area: account` tasks."""

    steps: list[Step] = Field(min_length=1, description="The steps, in order; at least one expect.")
    start_url: str = Field(
        description="Where the signed-in audit starts; relative to site.start_url."
    )
    deny: Deny = Field(
        default_factory=Deny, description="More links a signed-in crawl never follows."
    )

    @model_validator(mode="after")
    def _checks_success(self) -> Login:
        if not any(step.expect for step in self.steps):
            raise ValueError("login needs an expect step, to tell that signing in worked")
        return self


class Journey(Strict):
    """A task's flow, replayed and timed in the real browser on each viewport."""

    task: str = Field(description="The id of the task this journey does.")
    steps: list[Step] = Field(min_length=1, description="The steps, in order.")


class Simulation(Strict):
    """Simulated customers (audits/simulation.py): how many per task, and their patience."""

    customers: int = Field(
        default=1000, ge=1, le=100_000, description="Simulated customers per task."
    )
    max_clicks: int = Field(
        default=10, ge=1, le=50, description="Actions (going back included) before giving up."
    )
    seed: int = Field(0, description="Random seed: the same seed gives the same shares.")


class Scent(Strict):
    """How link labels are matched to tasks: words (lexical) or meaning (embedding, an extra)."""

    model: Literal["lexical", "embedding"] = Field(
        "lexical",
        description="lexical: TF-IDF on words; embedding: sentence embeddings (an extra).",
    )


class Config(Strict):
    """A task file: the site, its top tasks, and the optional sections."""

    site: Site = Field(default_factory=Site, description="The site and the crawl's limits.")
    login: Login | None = Field(None, description="How to sign in, for a staging site.")
    tasks: list[Task] = Field(min_length=1, description="The top tasks, at least one.")
    journeys: list[Journey] = Field(
        default_factory=list, description="Task flows replayed and timed in the browser."
    )
    simulation: Simulation = Field(
        default_factory=Simulation, description="The simulated customers."
    )
    scent: Scent = Field(default_factory=Scent, description="How labels are matched to tasks.")
    # A Top Tasks survey (CSV, contract/votes.py), relative to the config file: the tasks'
    # weights become its vote shares. `votes` is what load_config read from it (for the
    # report's long neck and the recorded config); a task file cannot set it itself.
    weights_from: str | None = Field(
        None, description="A Top Tasks survey (CSV), relative to this file: weights = vote shares."
    )
    votes: dict[str, int] = Field(
        default_factory=dict,
        description="Not a key of the file: the votes read from weights_from.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        ids = [t.id for t in self.tasks]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"task ids must be unique, repeated: {', '.join(dupes)}")
        if self.login is None and any(t.area == "account" for t in self.tasks):
            raise ValueError("tasks with area: account need a login section")
        journey_tasks = [j.task for j in self.journeys]
        unknown = sorted(set(journey_tasks) - set(ids))
        if unknown:
            raise ValueError(f"journeys name tasks that do not exist: {', '.join(unknown)}")
        if len(set(journey_tasks)) < len(journey_tasks):
            raise ValueError("one journey per task")
        return self

    def area_tasks(self, area: str) -> list[Task]:
        return [t for t in self.tasks if t.area == area]

    def fill_envs(self) -> list[str]:
        """The variables that `fill` steps (login and journeys) type in."""
        steps = [s for j in self.journeys for s in j.steps]
        steps += self.login.steps if self.login else []
        return sorted({s.fill.env for s in steps if s.fill})

    def secret_envs(self) -> list[str]:
        """Names of the environment variables whose values must never be shown or written."""
        names = self.fill_envs()
        if self.site.auth and self.site.auth.basic:
            names += [self.site.auth.basic.username_env, self.site.auth.basic.password_env]
        return sorted(set(names))

    def weights(self) -> dict[str, float]:
        """Task weights normalised to sum to 1; unset weights share what is left equally."""
        given = {t.id: t.weight for t in self.tasks if t.weight is not None}
        rest = [t.id for t in self.tasks if t.weight is None]
        left = max(0.0, 1.0 - sum(given.values()))
        share = left / len(rest) if rest else 0.0
        raw = {**given, **{i: share for i in rest}}
        total = sum(raw.values()) or 1.0
        return {t.id: raw[t.id] / total for t in self.tasks}


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Walk the YAML node tree along a pydantic error location to the line it came from."""
    line = None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = [(k, v) for k, v in node.value if k.value == key]
            if not match:
                break
            key_node, node = match[0]
            line = key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _describe(error: dict[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return f"unknown key {error['loc'][-1]!r}"
    message = error["msg"].removeprefix("Value error, ")
    return message


def load_config(path: Path) -> Config:
    """Read and validate a task file; raises ConfigError naming file, line and field."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror}") from None
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ConfigError(
            f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with 'site' and 'tasks'")
    if "votes" in data:
        where = f":{_line_of(node, ('votes',))}" if _line_of(node, ("votes",)) else ""
        raise ConfigError(f"{path}{where}: votes: unknown key 'votes' (use weights_from: FILE)")
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # A typo'd key explains the "field required" that follows from it: name the typo.
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = tuple(first["loc"])
        field = ".".join(str(p) for p in loc) or "(top level)"
        line = _line_of(node, loc)
        where = f":{line}" if line else ""
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(f"{path}{where}: {field}: {_describe(first)}{more}") from None
    return weighed_by_votes(config, path, node) if config.weights_from else config


def weighed_by_votes(config: Config, path: Path, node: yaml.Node | None) -> Config:
    """Each task's weight is its share of the survey's votes (`weights_from`)."""
    for i, task in enumerate(config.tasks):
        if task.weight is not None:
            line = _line_of(node, ("tasks", i, "weight"))
            raise ConfigError(
                f"{path}{f':{line}' if line else ''}: tasks.{i}.weight: given, but weights "
                "come from weights_from; remove one of the two"
            )
    assert config.weights_from is not None
    survey = read_survey(path.parent / config.weights_from, [t.id for t in config.tasks])
    shares = survey.shares()
    tasks = [t.model_copy(update={"weight": round(shares[t.id], 6)}) for t in config.tasks]
    return config.model_copy(update={"tasks": tasks, "votes": survey.votes})


def config_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
