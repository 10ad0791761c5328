"""A run's folder: where it goes, one run to a folder, resumed only with the same config,
and held by one process at a time."""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from contract.config import Config
from contract.errors import UsageError
from crawler.run import JOB_FILE

MODEL_DIR = "model"
LOCK_FILE = ".lock"
LOCK_WAIT_S = 15.0  # a killed run's crawl notices within a second or two and lets go


def default_out_dir(start_url: str) -> Path:
    host = (urlsplit(start_url).netloc or "site").replace(":", "_")
    return Path("results") / f"{host}-{datetime.now():%Y%m%d-%H%M%S}"


def refuse_a_run_in(out_dir: Path, force: bool) -> None:
    if ((out_dir / "summary.json").exists() or (out_dir / MODEL_DIR).exists()) and not force:
        raise UsageError(f"{out_dir} already holds a run; use --force to replace it")


def prepare_out_dir(out_dir: Path, force: bool) -> Path:
    """An output folder holds one run: refuse to mix a new run into an old one unless forced."""
    model_dir = out_dir / MODEL_DIR
    refuse_a_run_in(out_dir, force)
    if (out_dir / "summary.json").exists() or model_dir.exists():
        (out_dir / "summary.json").unlink(missing_ok=True)
        shutil.rmtree(model_dir, ignore_errors=True)
    try:
        model_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write to {out_dir}: {exc.strerror}") from None
    return model_dir


def _comparable(config: Config) -> dict:
    """What must not change between a run and its resumption (pace and time limit may)."""
    data = config.model_dump(mode="json")
    for key in ("max_duration_s", "throttle"):
        data["site"].pop(key)
    return data


def prepare_resume(out_dir: Path, config: Config) -> Path:
    """A folder to resume holds an unfinished crawl of the same configuration."""
    model_dir = out_dir / MODEL_DIR
    job = model_dir / JOB_FILE
    if not job.exists():
        raise UsageError(f"nothing to resume in {out_dir} (no {MODEL_DIR}/{JOB_FILE})")
    saved = Config.model_validate_json(job.read_text(encoding="utf-8"))
    if _comparable(saved) != _comparable(config):
        raise UsageError(f"{out_dir} was crawled with another URL or config; resume with the same")
    (out_dir / "summary.json").unlink(missing_ok=True)
    return model_dir


def lock_run(model_dir: Path, wait_s: float) -> int:
    """Hold the folder for this run; the crawl process inherits the lock, so a crawl orphaned
    by a killed CLI keeps it until it has stopped writing."""
    fd = os.open(model_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    give_up = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= give_up:
                os.close(fd)
                raise UsageError(f"another toptasks run is writing to {model_dir.parent}") from None
            time.sleep(0.2)
