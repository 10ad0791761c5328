"""Real servers for the tests, from Debian's packages (installed by `make setup`), each started in
a temp folder on a Unix socket and stopped afterwards."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from crawler.redis_server import RedisServer


def _postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run `make setup`")
    return found[-1]


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as Debian's `postgres` user."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster; yields its URL (trust authentication, socket only)."""
    folder = Path(tempfile.mkdtemp(prefix="toptasks-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    subprocess.run(
        _as_postgres([_postgres_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]),
        **run,
    )
    options = f"-k {folder} -c listen_addresses='' -c fsync=off"
    pg_ctl = [_postgres_bin("pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w"]
    subprocess.run(_as_postgres([*pg_ctl, "-o", options, "start"]), **run)
    try:
        yield f"postgresql://postgres@/postgres?host={folder}"
    finally:
        subprocess.run(_as_postgres([*pg_ctl, "-m", "immediate", "stop"]), **run)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def redis_server(persistent: bool = False) -> Iterator[RedisServer]:
    """A throwaway Redis on a Unix socket (toptasks' own way of starting one); `server.url`."""
    folder = Path(tempfile.mkdtemp(prefix="toptasks-redis-"))
    server = RedisServer(folder, persistent=persistent).start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
