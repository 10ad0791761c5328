"""A private Redis (Debian's `redis-server`) on a Unix socket, for an audit's crawl workers when
no `--redis` URL is given; the tests start theirs the same way.

No TCP port is opened. The server dies with the process that started it (PR_SET_PDEATHSIG), so
a killed audit leaves no server behind.
"""

from __future__ import annotations

import ctypes
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import redis

REDIS_SERVER = "/usr/bin/redis-server"
START_TIMEOUT_S = 10.0
SOCKET_PATH_MAX = 100  # sun_path holds 108 bytes


def _die_with_parent() -> None:
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class RedisServer:
    """`persistent`: an append-only file fsynced on every write, so that a restart loses
    nothing a client was told was done (what a shared Redis should run with)."""

    def __init__(self, folder: Path, persistent: bool = False) -> None:
        self.folder = folder
        self.persistent = persistent
        socket = folder / "redis.sock"
        if len(str(socket)) > SOCKET_PATH_MAX:
            socket = Path(tempfile.mkdtemp(prefix="toptasks-redis-")) / "redis.sock"
        self.socket = socket
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server") or REDIS_SERVER
        if not Path(binary).exists():
            raise FileNotFoundError("redis-server is not installed (make setup installs it)")
        self.folder.mkdir(parents=True, exist_ok=True)
        persistence = (
            ["--appendonly", "yes", "--appendfsync", "always"]
            if self.persistent
            else ["--appendonly", "no"]
        )
        command = [
            binary,
            "--port",
            "0",
            "--unixsocket",
            str(self.socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(self.folder),
            "--save",
            "",
            *persistence,
            "--logfile",
            str(self.folder / "redis.log"),
        ]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a terminal's Ctrl-C reaches the audit, which stops it
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                redis.Redis(unix_socket_path=str(self.socket)).ping()
                return self
            except redis.RedisError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"redis-server did not start; see {self.folder / 'redis.log'}"
                    ) from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        self.socket.unlink(missing_ok=True)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
