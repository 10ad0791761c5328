"""Gathering, per area: crawl over HTTP or in the browser (and decide which), resume a crawl,
and add the links that scripts build to the site model."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from contract.config import Config, Task
from contract.errors import Interrupted, SiteError, UsageError
from contract.records import LINKS_FILE, PAGES_FILE, RENDERED_FILE, SEEDS_FILE
from contract.site_model import SiteModel
from crawler.browser import http_credentials
from crawler.crawl_mode import CrawlDecision, decide, measure
from crawler.frontier import FrontierError
from crawler.links import normalize_url
from crawler.model import append_links, load_model, read_jsonl
from crawler.render import RenderJob, render_pages, rendered_only_links
from crawler.resume import trim_and_find_frontier
from crawler.run import JOB_FILE, WRITE_FAILED
from crawler.scripted_pages import CLICK_LINKS_FILE
from crawler.session import DenyList, session_env
from crawler.shared_crawl import SharedCrawl, shared_crawl
from crawler.sitemaps import later_addresses, reading_wanted, url_list
from crawler.stats import STATS_FILE, reopen_stats
from toptasks.options import AuditOptions
from toptasks.url_list import write_url_list

ACCOUNT_DIR = "account"  # the signed-in area's model, inside the run's model folder
STOP_GRACE_S = 15.0  # beyond the download timeout, for Scrapy to close cleanly after a signal
MAX_LINKLESS_RENDERS = 20  # pages whose HTML has no link, rendered to find script-built ones
# A browser crawl that writes no page for this many page timeouts (plus a minute for Chromium to
# start) is stuck in the browser; it is stopped and the audit goes on with the pages it has.
STALL_PAGE_TIMEOUTS = 10
STALL_START_S = 60.0


@dataclass
class Area:
    """A part of the site audited as one kind of visitor: anyone, or the signed-in user.

    Each area has its own crawl and model; `config` is the whole config with this area's
    start URL, so every crawl setting and limit applies to both.
    """

    name: str
    config: Config
    model_dir: Path
    session: dict[str, Any] | None = None
    decision: CrawlDecision | None = None  # crawled over HTTP or in the browser, and why
    shared: SharedCrawl | None = None  # crawled by workers on a shared Redis frontier

    @property
    def tasks(self) -> list[Task]:
        return self.config.area_tasks(self.name)

    @property
    def start_url(self) -> str:
        return self.config.site.start_url or ""


def plan_areas(config: Config, model_dir: Path) -> list[Area]:
    """The public site always; the signed-in area when tasks are to be audited there."""
    areas = [Area("public", config, model_dir)]
    if config.login and config.area_tasks("account"):
        start = normalize_url(urljoin(config.site.start_url or "", config.login.start_url))
        site = config.site.model_copy(update={"start_url": start})
        account = config.model_copy(update={"site": site})
        areas.append(Area("account", account, model_dir / ACCOUNT_DIR))
    return areas


def _stop(child: subprocess.Popen, grace_s: float) -> None:
    """Ask the crawl to stop as Scrapy likes (one SIGINT: close the spider, flush the model)."""
    child.send_signal(signal.SIGINT)
    try:
        child.wait(timeout=grace_s)
    except (subprocess.TimeoutExpired, Interrupted):
        child.kill()
        child.wait()


def wait_unless_stalled(child: subprocess.Popen, pages: Path, stall_s: float | None) -> int:
    """The crawl's exit status; a crawl whose model has not grown in `stall_s` is stopped.

    Chromium can hang in ways no Playwright timeout covers (a page that redirects itself for
    ever once left `page.close()` waiting); the audit then goes on with every page written,
    which the model's line-by-line writes keep whole.
    """
    if stall_s is None:
        return child.wait()
    size, changed = -1, time.monotonic()
    while True:
        try:
            return child.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            pass
        now_size = pages.stat().st_size if pages.exists() else 0
        if now_size != size:
            size, changed = now_size, time.monotonic()
        elif time.monotonic() - changed > stall_s:
            print(
                f"toptasks: warning: the browser crawl wrote no page for {stall_s:.0f} s; "
                "stopped it, the audit goes on with the pages crawled",
                file=sys.stderr,
            )
            _stop(child, STOP_GRACE_S)
            return 0


def crawl(
    config: Config,
    model_dir: Path,
    seeds: list[tuple[str, int]] = (),
    lock: int | None = None,
    session: dict[str, Any] | None = None,
    browser_timeout_s: float | None = None,
) -> None:
    """Run the Scrapy crawl in a child process (Twisted's reactor cannot be restarted).

    With seeds, the crawl extends the model already on disk from those URLs. The child has its
    own process session, so a Ctrl-C reaches it once, from here, and it stops cleanly. A
    signed-in `session` reaches it in its environment, never in a file. With
    `browser_timeout_s`, pages are loaded in Chromium, each within that many seconds.
    """
    (model_dir / JOB_FILE).write_text(config.model_dump_json(indent=2), encoding="utf-8")
    seeds_file = model_dir / SEEDS_FILE
    if seeds:
        seeds_file.write_text(json.dumps(seeds), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **session_env(session)}
    command = [sys.executable, "-m", "crawler.run", str(model_dir)]
    if browser_timeout_s is not None:
        command.append(str(browser_timeout_s))
    fds = () if lock is None else (lock,)
    child = subprocess.Popen(command, env=env, start_new_session=True, pass_fds=fds)
    stall_s = None
    if browser_timeout_s is not None:
        stall_s = STALL_START_S + STALL_PAGE_TIMEOUTS * browser_timeout_s
    try:
        code = wait_unless_stalled(child, model_dir / PAGES_FILE, stall_s)
    except Interrupted:
        _stop(child, config.site.download_timeout_s + STOP_GRACE_S)
        raise
    finally:
        seeds_file.unlink(missing_ok=True)
    if code == WRITE_FAILED:
        raise UsageError(f"cannot write the site model in {model_dir} (disk full or read-only?)")
    if code != 0:
        raise SiteError(f"the crawl stopped with an error; see {model_dir / 'crawl.log'}")


def crawl_area(
    area: Area, options: AuditOptions, seeds: list[tuple[str, int]] = (), browser: bool = False
) -> None:
    if (options.workers or options.redis) and not browser and area.session is None:
        crawl_shared(area, options, list(seeds))
        return
    timeout = options.page_timeout if browser else None
    crawl(area.config, area.model_dir, seeds, options.lock_fd, area.session, timeout)


def read_sitemaps_first(area: Area, options: AuditOptions, env: dict[str, str]) -> None:
    """The sitemaps (or the --urls list's), read into the model in a child process of their
    own before a shared crawl: its workers take the addresses from the model."""
    if not reading_wanted(area.model_dir, area.config):
        return
    command = [sys.executable, "-m", "crawler.run", "--sitemaps", str(area.model_dir)]
    fds = () if options.lock_fd is None else (options.lock_fd,)
    child = subprocess.Popen(command, env=env, start_new_session=True, pass_fds=fds)
    try:
        child.wait()
    except Interrupted:
        _stop(child, area.config.site.download_timeout_s + STOP_GRACE_S)
        raise


def crawl_shared(area: Area, options: AuditOptions, seeds: list[tuple[str, int]]) -> None:
    """The public HTTP crawl spread over worker processes on a shared Redis frontier."""
    (area.model_dir / JOB_FILE).write_text(area.config.model_dump_json(indent=2), encoding="utf-8")
    known = {page["url"] for page in read_jsonl(area.model_dir / PAGES_FILE)}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    workers = options.workers or 1
    read_sitemaps_first(area, options, env)
    later = later_addresses(area.model_dir, known)
    follow = url_list(area.model_dir) is None
    try:
        done = shared_crawl(
            area.config,
            area.model_dir,
            seeds,
            known,
            workers,
            options.redis,
            env,
            later=later,
            follow=follow,
        )
    except FrontierError as error:
        raise SiteError(str(error)) from None
    except (FileNotFoundError, RuntimeError) as error:
        raise SiteError(f"cannot start a private Redis: {error}") from None
    area.shared = done
    print(
        f"toptasks: {done.pages} pages crawled by {len(done.joined) or workers} worker(s) "
        f"sharing Redis {done.redis}",
        file=sys.stderr,
    )


def resume_crawl(area: Area, options: AuditOptions, browser: bool) -> None:
    """Continue from the pages on disk: fetch what they link to and was not fetched yet."""
    fetched, frontier = trim_and_find_frontier(area.model_dir, area.config.site.max_depth)
    if url_list(area.model_dir) is not None:
        frontier = []  # a --urls list: exactly its pages, no link followed
    reopen_stats(area.model_dir)
    later = later_addresses(area.model_dir, fetched) or reading_wanted(area.model_dir, area.config)
    if not fetched:
        crawl_area(area, options, browser=browser)
    elif frontier or later:
        crawl_area(area, options, [(url, depth) for url, depth in frontier], browser)


def clear_model(model_dir: Path) -> None:
    """Forget an HTTP crawl that read only an app's empty shells, before crawling again."""
    for name in (PAGES_FILE, LINKS_FILE, CLICK_LINKS_FILE, STATS_FILE, RENDERED_FILE):
        (model_dir / name).unlink(missing_ok=True)


def linkless_pages(model: SiteModel) -> list[str]:
    """HTML pages without a single link in their HTML: whatever links they show, scripts
    build."""
    pages = model.pages
    ok = pages["status"].fillna(999).astype(int) < 400
    html = pages["content_type"].str.contains("html")
    linkless = pages[ok & html & (pages["n_links"] == 0) & (pages["url"] != model.start_url)]
    return linkless["final_url"].head(MAX_LINKLESS_RENDERS).tolist()


def render_for_links(area: Area, urls: list[str], options: AuditOptions) -> list[dict]:
    """Pages as the browser shows them (no screenshots, no distractor watch): their links."""
    jobs = [RenderJob(url, watch=False) for url in urls]
    credentials = http_credentials(area.config.site)
    records = render_pages(
        jobs, options.viewports, None, options.page_timeout, None, area.session, credentials
    )
    return [r for r in records if r["ok"]]


def choose_crawl_mode(
    area: Area, model: SiteModel, records: list[dict], wanted: str
) -> CrawlDecision:
    if wanted == "http":
        return CrawlDecision("http", "--crawl-with http")
    if not records:
        return CrawlDecision("http", "the start page could not be rendered to compare")
    start = model.page(model.start_url)
    html_targets = set(model.links_from(start["final_url"])["target_url"])
    allowed = area.config.site.allowed_domains
    return decide(measure(start, html_targets, records[0], allowed))


def add_scripted_links(
    area: Area, model: SiteModel, records: list[dict], options: AuditOptions
) -> bool:
    """Links that only scripts create on rendered pages join the model, and the pages they
    lead to are crawled, one click deeper than the page that shows them. True when any link
    was added."""
    by_page: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        if record["ok"]:
            by_page[record["url"]].append(record)
    rows: list[tuple] = []
    for url, shown in by_page.items():
        on_page = model.links_from(url)
        crawled = set(on_page["target_url"])
        allowed = area.config.site.allowed_domains
        rows += rendered_only_links(shown, crawled, allowed, len(on_page) + 1)
    if area.session and area.config.login:
        deny = DenyList.for_login(area.config.login)
        rows = [(*r[:5], "denied", r[6]) if deny.blocks(r[1], r[2]) else r for r in rows]
    if not rows:
        return False
    append_links(area.model_dir, rows)
    depth = dict(zip(model.pages["final_url"], model.pages["depth"], strict=True))
    known = set(model.pages["url"])
    seeds: dict[str, int] = {}
    for source, target, *_, kind, _ in rows:
        if kind == "internal" and target not in known:
            seeds.setdefault(target, int(depth.get(source, 0)) + 1)
    limit = area.config.site.max_depth
    within = sorted((url, d) for url, d in seeds.items() if d <= limit)
    if within and url_list(area.model_dir) is None:  # a --urls list follows no link
        crawl_area(area, options, within)
    return True


def start_page_problem(model: SiteModel) -> str | None:
    """Why the site cannot be audited at all (SPEC §3 exit 3), or None."""
    page = model.page(model.start_url)
    if page is None:
        return f"{model.start_url} was not fetched"
    if page["error"]:
        if "robots.txt" in page["error"]:
            return f"robots.txt forbids crawling {model.start_url}"
        return f"cannot reach {model.start_url}: {page['error']}"
    if page["status"] >= 400:
        return f"start page {model.start_url} answered HTTP {int(page['status'])}"
    if "html" not in page["content_type"].lower():
        return f"start page {model.start_url} is not HTML ({page['content_type'] or 'no type'})"
    return None


def gather_area(area: Area, options: AuditOptions) -> Interrupted | None:
    """Crawl (or resume), decide whether the site needs the browser, then find links scripts
    add; an interruption ends gathering early."""
    wanted = options.crawl_with or area.config.site.crawl_with
    try:
        area.model_dir.mkdir(exist_ok=True)
        if options.urls is not None and area.name == "public":
            allowed = area.config.site.allowed_domains
            for note in write_url_list(area.model_dir, options.urls, allowed, options.resume):
                print(f"toptasks: warning: {note}", file=sys.stderr)
        area.decision = CrawlDecision.load(area.model_dir) if options.resume else None
        if area.decision is None and wanted == "browser":
            area.decision = CrawlDecision("browser", "--crawl-with browser")
            area.decision.save(area.model_dir)
        browser = area.decision is not None and area.decision.mode == "browser"
        if options.resume:
            resume_crawl(area, options, browser)
        else:
            crawl_area(area, options, browser=browser)
        if area.decision is None:
            _decide_after_http_crawl(area, options, wanted)
    except Interrupted as stop:
        return stop
    return None


def _decide_after_http_crawl(area: Area, options: AuditOptions, wanted: str) -> None:
    """Render the crawled start page (and pages whose HTML has no link); an app's empty shell
    is crawled again in the browser, a server-rendered site keeps its HTTP crawl plus the
    links scripts add."""
    model = load_model(area.model_dir, area.start_url)
    if not options.render or start_page_problem(model) is not None or past(options.deadline):
        why = "--no-render" if not options.render else "the start page was not rendered"
        area.decision = CrawlDecision("http", f"{wanted} ({why})")
        area.decision.save(area.model_dir)
        return
    start = model.page(model.start_url)["final_url"]
    records = render_for_links(area, [start, *linkless_pages(model)], options)
    start_records = [r for r in records if r["url"] == start]
    area.decision = choose_crawl_mode(area, model, start_records, wanted)
    where = "" if area.name == "public" else "signed-in area: "
    print(
        f"toptasks: {where}crawl mode {area.decision.mode}: {area.decision.reason}", file=sys.stderr
    )
    if area.decision.mode == "browser":
        clear_model(area.model_dir)
        area.decision.save(area.model_dir)
        crawl_area(area, options, browser=True)
    else:
        add_scripted_links(area, model, records, options)
        area.decision.save(area.model_dir)


def past(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline
