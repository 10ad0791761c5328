"""A threaded HTTP server for fixture sites, on 127.0.0.1 and a free port, that logs requests.

Routes map a path (with query) to a `Reply`, or to a function that writes its own answer, so a
site can misbehave on purpose: redirects, 500s, slow or endless answers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST_TOKEN = "{{OTHER_HOST}}"


@dataclass
class Reply:
    body: str | bytes = ""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def redirect(location: str, status: int = 301) -> Reply:
    return Reply("", status, headers={"Location": location})


Route = Reply | Callable[[BaseHTTPRequestHandler], None]
NOT_FOUND = Reply("<!doctype html><title>Page not found</title><h1>Page not found</h1>", 404)


@dataclass
class Request:
    method: str
    path: str
    host: str
    user_agent: str
    at: float = field(default_factory=time.monotonic)


class FixtureSite:
    """Serves `routes` until stopped; `requests` lists what was asked, in order."""

    def __init__(self, routes: dict[str, Route], fallback: Route = NOT_FOUND) -> None:
        """`fallback` answers paths no route names: a single-page app serves its shell."""
        self.routes = routes
        self.requests: list[Request] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                site.requests.append(
                    Request(
                        self.command,
                        self.path,
                        self.headers.get("Host", ""),
                        self.headers.get("User-Agent", ""),
                    )
                )
                route = site.routes.get(self.path) or site.routes.get(
                    self.path.split("?")[0], fallback
                )
                if callable(route):
                    route(self)
                else:
                    self.reply(route)

            do_POST = do_GET  # a route that takes forms reads self.command and the body

            def reply(self, reply: Reply) -> None:
                body = reply.body
                if isinstance(body, str):
                    body = body.replace(HOST_TOKEN, f"localhost:{site.port}").encode("utf-8")
                self.send_response(reply.status)
                if reply.content_type:
                    self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FixtureSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def paths_requested(self) -> list[str]:
        return [r.path for r in self.requests]
