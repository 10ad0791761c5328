"""`toptasks demo`: serve the bundled Harbour Bank site on 127.0.0.1 and audit it.

The site (package data in demo_site/) has deliberate top-task problems: the login hidden in the
mobile menu, a task four clicks deep, an auto-rotating carousel, a newsletter pop-up and a
"Card offers" link competing with "Report a lost or stolen card". No internet needed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from contract.config import load_config
from toptasks.options import AuditOptions
from toptasks.pipeline import RunResult, run_audit

DEMO_SITE = Path(__file__).parent / "demo_site"
DEMO_TASKS = DEMO_SITE / "tasks.yaml"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve_demo_site() -> Iterator[str]:
    """The demo site on a free port of 127.0.0.1, for as long as the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(DEMO_SITE)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def run_demo(out: Path) -> RunResult:
    with serve_demo_site() as url:
        options = AuditOptions(tasks_file=DEMO_TASKS, url=url, out=out, throttle=False, force=True)
        return run_audit(load_config(DEMO_TASKS), options)
