"""The coordinator of a shared crawl: opens the audit in Redis, starts the local workers, writes
the pages every worker sends into the one site model, gives a dead worker's claims back to the
queue, and ends the audit when nothing is queued or claimed.

The model is written here and only here, in the same append-only way as a one-process crawl
(links before their page line), so `--resume` and the audits read it unchanged; at the end,
pages are put in order (depth, then URL) rather than the order workers happened to finish in.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import redis

from contract.config import Config
from contract.records import PAGES_FILE
from crawler.frontier import COORDINATOR, REDIS_ENV, Frontier, FrontierError, connect, entry, mask
from crawler.links import url_pattern
from crawler.pipelines import ModelFiles
from crawler.redis_server import RedisServer
from crawler.spider import LATER_BATCH, SiteSpider, pattern_budget
from crawler.stats import STATS_FILE, write_account

CHECK_DEAD_EVERY_S = 2.0
NO_WORKER_GRACE_S = 30.0  # work left, no live worker and none of ours running: give up
WORKER_EXIT_S = 30.0  # for workers to finish their in-flight pages once the audit ends


@dataclass
class SharedCrawl:
    """What the run needs to know about a shared crawl once it ends."""

    redis: str  # the URL, password masked
    workers: int
    pages: int = 0
    reason: str = "finished"
    joined: set[str] = field(default_factory=set)  # every worker that took part


def start_worker(redis_url: str, run: str, log_dir: Path, env: dict[str, str]) -> subprocess.Popen:
    """A local worker; the URL goes in its environment, not its command line (`ps` shows that).
    Its messages go to its folder: the audit speaks for it, in one line."""
    log_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "crawler.run", "--worker", run, str(log_dir)]
    with (log_dir / "worker.log").open("ab") as log:
        return subprocess.Popen(
            command,
            env={**env, REDIS_ENV: redis_url},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def shared_crawl(
    config: Config,
    model_dir: Path,
    seeds: list[tuple[str, int]],
    known: set[str],
    workers: int,
    redis_url: str | None,
    env: dict[str, str],
    later: list[tuple[str, str]] = (),
    follow: bool = True,
) -> SharedCrawl:
    """Crawl with `workers` local processes on a shared frontier (a private Redis on a Unix
    socket in the model folder unless `redis_url` names one). FrontierError: Redis is not
    there, or lost the audit; KeyboardInterrupt-like errors stop the workers and keep what they
    sent. `later` (url, found_via) are queued once the links run out, as a one-process crawl
    does; `follow` False: no link is followed (a --urls list)."""
    server = None if redis_url else RedisServer(model_dir / "redis").start()
    url = redis_url or server.url
    try:
        frontier = Frontier(connect(url), uuid.uuid4().hex[:12], COORDINATOR)
        crawl = SharedCrawl(mask(url), workers)
        _open(frontier, config, seeds, known, follow)
        logs = model_dir / "workers"
        local = [start_worker(url, frontier.run, logs / str(k), env) for k in range(1, workers + 1)]
        try:
            addresses = LaterAddresses(deque(later), config)
            _coordinate(frontier, model_dir, local, crawl, config.site.max_duration_s, addresses)
        finally:
            _end(frontier, local)
        crawl.joined = {w.decode() for w in frontier.client.smembers(frontier.joined)}
        _write_account(frontier, model_dir, crawl, config)
        frontier.close()
        canonical_order(model_dir / PAGES_FILE)
        return crawl
    finally:
        if server is not None:
            server.stop()


def _open(
    frontier: Frontier,
    config: Config,
    seeds: list[tuple[str, int]],
    known: set[str],
    follow: bool = True,
) -> None:
    """The audit's config, seen-set, counters and first entries, as a one-process crawl would
    start (the same admission rules, run by the same spider class)."""
    start = SiteSpider(config=config, seeds=seeds, known=known)
    job = {"config": json.loads(config.model_dump_json()), "follow": follow}
    frontier.publish(job, start.seen, start.admitted)
    entries = [
        entry(url, depth, via="start" if (url, depth) == (start.start_url, 0) else "link")
        for url, depth in start.seeds
    ]
    frontier.seed(entries, dict(start.per_pattern))
    if start.trapped:
        frontier.client.hset(frontier.trapped, mapping=dict(start.trapped))


@dataclass
class LaterAddresses:
    """What sitemaps or a --urls list name, queued a batch at a time once the links run out,
    through the same admission as every link (seen-set, max_pages, the trap budget)."""

    waiting: deque[tuple[str, str]]
    config: Config

    def queue_next(self, frontier: Frontier) -> bool:
        """Queue the next addresses not crawled yet; False when none is left to queue."""
        site = self.config.site
        budget = pattern_budget(site.max_per_pattern, site.max_pages)
        while self.waiting:
            batch = [self.waiting.popleft() for _ in range(min(LATER_BATCH, len(self.waiting)))]
            candidates = [(url, url_pattern(url), entry(url, 0, via=via)) for url, via in batch]
            if frontier.retrying(partial(frontier.admit_now, candidates, site.max_pages, budget)):
                return True
            if frontier.retrying(frontier.pages_admitted) >= site.max_pages:
                self.waiting.clear()
        return False


def _coordinate(
    frontier: Frontier,
    model_dir: Path,
    local: list[subprocess.Popen],
    crawl: SharedCrawl,
    max_duration_s: float | None,
    later: LaterAddresses | None = None,
) -> None:
    files = ModelFiles(model_dir)
    started = time.monotonic()
    next_check, alone_since = 0.0, None
    try:
        while True:
            if _write(files, frontier, crawl):
                continue
            if frontier.retrying(frontier.remaining) == 0:
                _write(files, frontier, crawl)  # sent just before the end
                if later is not None and later.queue_next(frontier):
                    continue
                return
            now = time.monotonic()
            if max_duration_s and now - started > max_duration_s:
                crawl.reason = "closespider_timeout"
                return
            if now >= next_check:
                next_check = now + CHECK_DEAD_EVERY_S
                frontier.retrying(frontier.requeue_dead)
                if frontier.retrying(frontier.live_workers) or any(p.poll() is None for p in local):
                    alone_since = None
                elif alone_since is None:
                    alone_since = now
                elif now - alone_since > NO_WORKER_GRACE_S:
                    raise FrontierError(
                        f"every crawl worker stopped with pages left to crawl; see "
                        f"{model_dir / 'workers'}/*/worker.log and crawl.log"
                    )
            time.sleep(0.02)
    except BaseException:
        crawl.reason = "shutdown"
        _drain_after_stop(frontier, files, local, crawl)
        raise
    finally:
        files.close()


def _write(
    files: ModelFiles, frontier: Frontier, crawl: SharedCrawl, count: int = 1000, wait: bool = True
) -> int:
    """The workers' items into the model, then out of Redis; how many there were. With
    `wait`, a Redis restart is waited out (Frontier.retrying)."""
    run = frontier.retrying if wait else (lambda call: call())
    items = run(lambda: frontier.drain(count))
    for item in items:
        crawl.pages += files.write_wire(item)
    run(lambda: frontier.drained(items))
    return len(items)


def _drain_after_stop(
    frontier: Frontier, files: ModelFiles, local: list[subprocess.Popen], crawl: SharedCrawl
) -> None:
    """Interrupted: workers finish the pages they hold, and those pages are written."""
    # Redis itself may be what failed; what is on disk stays whole either way.
    with contextlib.suppress(redis.RedisError):
        frontier.finish("stopped")
    _wait(local)
    with contextlib.suppress(redis.RedisError):
        _write(files, frontier, crawl, 100_000, wait=False)


def _wait(local: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + WORKER_EXIT_S
    for process in local:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _end(frontier: Frontier, local: list[subprocess.Popen]) -> None:
    with contextlib.suppress(redis.RedisError):  # Redis gone: workers find out for themselves
        frontier.finish("done")
    _wait(local)


def _write_account(frontier: Frontier, model_dir: Path, crawl: SharedCrawl, config: Config) -> None:
    client = frontier.client
    counts = {k.decode(): int(v) for k, v in client.hgetall(frontier.stats).items()}
    trapped = {k.decode(): int(v) for k, v in client.hgetall(frontier.trapped).items()}
    budget = pattern_budget(config.site.max_per_pattern, config.site.max_pages)
    write_account(model_dir / STATS_FILE, crawl.reason, counts, trapped, budget)


def canonical_order(pages_path: Path) -> None:
    """Page lines sorted by depth, then URL: the order workers finish in is chance."""
    lines = pages_path.read_text(encoding="utf-8").splitlines(keepends=True)
    keyed = []
    for line in lines:
        if line.endswith("\n"):
            page = json.loads(line)
            keyed.append((page["depth"], page["url"], line))
    keyed.sort()
    tmp = pages_path.with_suffix(".sorting")
    tmp.write_text("".join(line for *_, line in keyed), encoding="utf-8")
    tmp.replace(pages_path)
