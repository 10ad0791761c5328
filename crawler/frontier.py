"""The frontier that crawl workers share, in Redis: one audit's keys under `toptasks:<run>:`.

What a worker asks of Redis per page is one script for the links it found (it admits the new
ones: shared seen-set, `max_pages`, the per-pattern trap budget) and one for the page it wrote
(the item and the end of its claim), sent for 16 pages at a time in one pipeline; URLs are
claimed 8 at a time. scrapy-redis's own duplicate filter would cost a round trip per link;
measured here, that gained nothing with two processes.

Work in flight is never lost: taking a URL from the queue claims it for the worker in one
step (`claimed`: entry -> worker), the page's item ends the claim in one step, and the claims
of a worker whose heartbeat stops go back to the front of the queue. The audit is over when
the queue and the claims are both empty; a page's links are admitted before its claim ends,
so the two are never empty while work remains.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

# A worker sends its pages' links and items in batches: one round trip for this many pages
# (or whatever waits after FLUSH_EVERY_S), rather than two a page.
BATCH_PAGES = 16
FLUSH_EVERY_S = 0.05
REDIS_ENV = "TOPTASKS_REDIS"  # the URL, kept out of command lines (it may hold a password)
KEY_PREFIX = "toptasks"
COORDINATOR = "coordinator"  # the audit's own process: it claims nothing
RUNS_KEY = f"{KEY_PREFIX}:runs"  # sorted set: run id -> start time, the audits under way
HEARTBEAT_S = 1.0  # a worker says it is alive this often
DEAD_AFTER_S = 15.0  # and is taken for dead (its claims requeued) after this much silence
# Redis unreachable this long mid-crawl: give up (exit 3). TOPTASKS_REDIS_WAIT_S overrides.
REDIS_WAIT_S = float(os.environ.get("TOPTASKS_REDIS_WAIT_S", "30"))

T = TypeVar("T")

_ADMIT = """
local max_pages = tonumber(ARGV[1])
local budget = tonumber(ARGV[2])
local n = 0
for i = 3, #ARGV, 3 do
  if tonumber(redis.call('GET', KEYS[3]) or '0') >= max_pages then break end
  if redis.call('SADD', KEYS[1], ARGV[i]) == 1 then
    local ok = true
    if ARGV[i + 1] ~= '' and redis.call('HINCRBY', KEYS[4], ARGV[i + 1], 1) > budget then
      redis.call('HINCRBY', KEYS[5], ARGV[i + 1], 1)
      ok = false
    end
    if ok then
      redis.call('INCR', KEYS[3])
      redis.call('LPUSH', KEYS[2], ARGV[i + 2])
      n = n + 1
    end
  end
end
return n
"""

_CLAIM = """
local entries = redis.call('RPOP', KEYS[1], ARGV[2])
if entries then
  for _, e in ipairs(entries) do redis.call('HSET', KEYS[2], e, ARGV[1]) end
end
return entries
"""

# An item whose claim went elsewhere (this worker was taken for dead) is dropped: the worker
# now holding the entry writes it, so a page is in the model once.
_COMPLETE = """
if ARGV[2] ~= '' then
  if redis.call('HGET', KEYS[1], ARGV[2]) ~= ARGV[1] then return 0 end
  redis.call('HDEL', KEYS[1], ARGV[2])
end
redis.call('RPUSH', KEYS[2], ARGV[3])
return 1
"""

# The items a drain read are removed only once written, and only if they are still at the
# head of the list: a trim whose answer was lost in an outage and is sent again removes
# nothing more. (LPOP lost them: popped, persisted, and the reply never arrived.)
_TRIM = """
if redis.call('LINDEX', KEYS[1], tonumber(ARGV[1]) - 1) == ARGV[2] then
  redis.call('LTRIM', KEYS[1], tonumber(ARGV[1]), -1)
  return 1
end
return 0
"""

_REQUEUE = """
local claims = redis.call('HGETALL', KEYS[1])
local n = 0
for i = 1, #claims, 2 do
  if claims[i + 1] == ARGV[1] then
    redis.call('HDEL', KEYS[1], claims[i])
    redis.call('RPUSH', KEYS[2], claims[i])
    n = n + 1
  end
end
redis.call('SREM', KEYS[3], ARGV[1])
return n
"""


# A heartbeat for an audit that is still open (a closed one's keys are not made again).
_BEAT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[5], ARGV[1])
redis.call('SET', KEYS[3], 1, 'PX', ARGV[2])
return redis.call('GET', KEYS[4])
"""


class FrontierError(Exception):
    """Redis cannot be reached, or no longer holds the audit (restarted without persistence)."""


def connect(url: str) -> redis.Redis:
    """A client for `url` (redis://, rediss:// for TLS, unix://; password in the URL), checked
    with a PING so that a wrong address is one clear message before anything starts."""
    try:
        # No silent reconnects inside the client: an outage must reach Frontier.retrying,
        # which checks what the server still holds once it answers again.
        client = redis.Redis.from_url(
            url, socket_timeout=10, socket_connect_timeout=5, retry=Retry(NoBackoff(), 0)
        )
        client.ping()
    except ValueError as exc:
        raise FrontierError(f"bad Redis URL {mask(url)}: {exc}") from None
    except redis.RedisError as exc:
        raise FrontierError(f"cannot reach Redis at {mask(url)}: {exc}") from None
    return client


def mask(url: str) -> str:
    """The URL with its password hidden, for messages."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else url


def entry(url: str, depth: int, search: tuple[str, str] | None = None, via: str = "link") -> str:
    """A queue entry: what a worker needs to rebuild the request (each URL is queued once):
    the URL and its depth, then a search's (task, query), or how the URL was found when that
    is not a link (crawler.spider: found_via)."""
    if search:
        return json.dumps([url, depth, *search], ensure_ascii=False)
    return json.dumps([url, depth] if via == "link" else [url, depth, via], ensure_ascii=False)


class Frontier:
    """One audit's shared state in Redis, for the coordinator and for every worker."""

    def __init__(self, client: redis.Redis, run: str, worker: str = "") -> None:
        self.client = client
        self.run = run
        self.worker = worker
        key = f"{KEY_PREFIX}:{run}:".__add__
        self.job, self.state, self.queue, self.claimed = (
            key("job"),
            key("state"),
            key("queue"),
            key("claimed"),
        )
        self.seen, self.admitted, self.patterns = key("seen"), key("admitted"), key("patterns")
        self.trapped, self.items, self.workers = key("trapped"), key("items"), key("workers")
        self.stats, self.joined = key("stats"), key("joined")  # joined: every worker, ever
        self._admit = client.register_script(_ADMIT)
        self._claim = client.register_script(_CLAIM)
        self._complete = client.register_script(_COMPLETE)
        self._requeue = client.register_script(_REQUEUE)
        self._trim = client.register_script(_TRIM)
        self._beat = client.register_script(_BEAT)
        self._outbox: list[tuple[Any, list[str], list[Any]]] = []  # a worker's calls, batched
        self._pages_waiting = 0

    def heartbeat_key(self, worker: str) -> str:
        return f"{KEY_PREFIX}:{self.run}:alive:{worker}"

    def keys(self) -> list[str]:
        return [
            self.job,
            self.state,
            self.queue,
            self.claimed,
            self.seen,
            self.admitted,
            self.patterns,
            self.trapped,
            self.items,
            self.workers,
            self.stats,
            self.joined,
        ]

    def retrying(self, call: Callable[[], T]) -> T:
        """Redis calls wait out a restart (up to REDIS_WAIT_S); a server that comes back
        without this audit's keys lost the frontier."""
        give_up = time.monotonic() + REDIS_WAIT_S
        interrupted = False
        while True:
            try:
                result = call()
                if interrupted:
                    self._after_reconnect()
                return result
            except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError) as exc:
                if time.monotonic() > give_up:
                    raise FrontierError(
                        f"Redis unreachable for {REDIS_WAIT_S:.0f} s ({exc}); the crawl stopped"
                    ) from None
                interrupted = True
                time.sleep(0.5)

    def _after_reconnect(self) -> None:
        """A call cut off by the outage may have run without its answer reaching us (a claim
        we never saw would stay claimed for ever): a worker gives its claims back, and a page
        crawled twice because of it is written once (see _COMPLETE)."""
        if not self.client.exists(self.job):
            raise FrontierError(
                "Redis no longer holds this audit (restarted without persistence?); "
                "the crawl stopped"
            )
        if self.worker and self.worker != COORDINATOR:
            self.requeue(self.worker)
            self.client.sadd(self.workers, self.worker)

    # The coordinator's side.

    def publish(self, job: dict[str, Any], known: Iterable[str], admitted: int) -> None:
        """Open the audit: its config, the URLs already in the model, the page count so far."""
        pipe = self.client.pipeline(transaction=False)
        pipe.set(self.job, json.dumps(job))
        pipe.set(self.state, "crawling")
        pipe.set(self.admitted, admitted)
        batch: list[str] = []
        for url in known:
            batch.append(url)
            if len(batch) == 10_000:
                pipe.sadd(self.seen, *batch)
                batch = []
        if batch:
            pipe.sadd(self.seen, *batch)
        pipe.zadd(RUNS_KEY, {self.run: time.time()})
        pipe.execute()

    def seed(self, entries: list[str], patterns: dict[str, int]) -> None:
        pipe = self.client.pipeline(transaction=False)
        if patterns:
            pipe.hset(self.patterns, mapping=patterns)
        if entries:
            pipe.lpush(self.queue, *entries)
        pipe.execute()

    def remaining(self) -> int:
        """Entries queued or claimed: zero means the crawl is over, if the audit is still
        there (an empty server after a restart is not a finished crawl)."""
        pipe = self.client.pipeline(transaction=True)
        pipe.llen(self.queue)
        pipe.hlen(self.claimed)
        pipe.exists(self.job)
        queued, claimed, there = pipe.execute()
        if not there:
            raise FrontierError(
                "Redis no longer holds this audit (restarted without persistence?); "
                "the crawl stopped"
            )
        return queued + claimed

    def drain(self, count: int = 1000) -> list[str]:
        """Items the workers sent (crawler.worker.wire_item), oldest first; they stay in Redis
        until `drained` says they were written."""
        return [item.decode() for item in self.client.lrange(self.items, 0, count - 1)]

    def drained(self, items: list[str]) -> None:
        """Remove the items a drain returned, now written (safe to send again)."""
        if items:
            self._trim(keys=[self.items], args=[len(items), items[-1]])

    def requeue_dead(self) -> list[str]:
        """Workers whose heartbeat stopped: their claims go back to the front of the queue."""
        dead = []
        for raw in self.client.smembers(self.workers):
            worker = raw.decode()
            if not self.client.exists(self.heartbeat_key(worker)):
                self.requeue(worker)
                dead.append(worker)
        return dead

    def requeue(self, worker: str) -> int:
        return int(self._requeue(keys=[self.claimed, self.queue, self.workers], args=[worker]))

    def live_workers(self) -> int:
        return sum(
            1
            for raw in self.client.smembers(self.workers)
            if self.client.exists(self.heartbeat_key(raw.decode()))
        )

    def finish(self, state: str) -> None:
        self.client.set(self.state, state)

    def close(self) -> None:
        """Remove the audit's keys (workers still running see it gone and stop)."""
        pipe = self.client.pipeline(transaction=False)
        for worker in self.client.smembers(self.workers):
            pipe.delete(self.heartbeat_key(worker.decode()))
        pipe.delete(*self.keys())
        pipe.zrem(RUNS_KEY, self.run)
        pipe.execute()

    # A worker's side.

    def admit(self, candidates: list[tuple[str, str, str]], max_pages: int, budget: int) -> None:
        """(url, pattern, entry) of a page's new links: queued when unseen and within limits."""
        args: list[Any] = [max_pages, budget]
        for candidate in candidates:
            args.extend(candidate)
        keys = [self.seen, self.queue, self.admitted, self.patterns, self.trapped]
        self._outbox.append((self._admit, keys, args))

    def admit_now(self, candidates: list[tuple[str, str, str]], max_pages: int, budget: int) -> int:
        """`admit` at once, from the coordinator: how many of the candidates were queued."""
        args: list[Any] = [max_pages, budget]
        for candidate in candidates:
            args.extend(candidate)
        keys = [self.seen, self.queue, self.admitted, self.patterns, self.trapped]
        return int(self._admit(keys=keys, args=args))

    def pages_admitted(self) -> int:
        return int(self.client.get(self.admitted) or 0)

    def complete(self, claimed_entry: str, item: str) -> None:
        """Hand the page's item to the coordinator and end its claim, in one step."""
        args = [self.worker, claimed_entry, item]
        self._outbox.append((self._complete, [self.claimed, self.items], args))
        self._pages_waiting += 1
        if self._pages_waiting >= BATCH_PAGES:
            self.flush()

    def flush(self) -> None:
        """Send what waits in one round trip, in the order it happened (a page's links are
        admitted before its claim ends)."""
        if not self._outbox:
            return
        calls, self._outbox, self._pages_waiting = self._outbox, [], 0

        def call() -> None:
            pipe = self.client.pipeline(transaction=False)
            for script, keys, args in calls:
                script(keys=keys, args=args, client=pipe)
            pipe.execute()

        self.retrying(call)

    def push(self, entries: list[str]) -> None:
        self.retrying(lambda: self.client.lpush(self.queue, *entries))

    def claim(self, count: int) -> list[str]:
        keys = [self.queue, self.claimed]
        raw = self.retrying(lambda: self._claim(keys=keys, args=[self.worker, count]))
        return [e.decode() for e in raw or []]

    def beat(self) -> str:
        """Say this worker is alive; the audit's state (crawling, done, stopped)."""

        keys = [self.job, self.workers, self.heartbeat_key(self.worker), self.state, self.joined]
        args = [self.worker, int(DEAD_AFTER_S * 1000)]
        state = self.retrying(lambda: self._beat(keys=keys, args=args))
        return state.decode() if state else "done"

    def leave(self, stats: dict[str, int]) -> None:
        """A worker that stops: its counts added, any claims it still holds given back (once
        the audit is closed, nothing: its keys are gone and stay gone)."""
        pipe = self.client.pipeline(transaction=True)  # all or nothing against close()
        pipe.watch(self.job)
        if not pipe.exists(self.job):
            pipe.reset()
            return
        pipe.multi()
        for name, value in stats.items():
            pipe.hincrby(self.stats, name, value)
        pipe.delete(self.heartbeat_key(self.worker))
        try:
            pipe.execute()
        except redis.WatchError:  # the audit closed meanwhile
            return
        self.requeue(self.worker)

    def job_config(self) -> dict[str, Any]:
        raw = self.client.get(self.job)
        if raw is None:
            raise FrontierError(f"no audit {self.run} in Redis")
        return json.loads(raw)


def open_runs(client: redis.Redis) -> list[str]:
    """The audits under way in this Redis, oldest first."""
    return [raw.decode() for raw in client.zrange(RUNS_KEY, 0, -1)]
