"""Serve one real site on 127.0.0.1: a static server, or `php -S` for the PHP sites.

The static server answers like a plain static host (a folder's URL without its slash is
redirected to it, index.html is its page, a missing file is a 404). The templates load a few
libraries from public CDNs, which this machine cannot reach; a visitor's browser would, so the
exact versions are installed from npm by setup.sh and the server rewrites those CDN prefixes in
HTML to local copies under /_cdn/ (nothing else in a page is changed).

    python bench/real_sites/serve.py SITE [--port N]     # serve until Ctrl-C
"""

from __future__ import annotations

import argparse
import contextlib
import mimetypes
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

try:
    from sites import Site, by_name, cache
except ImportError:  # imported as bench.real_sites.serve
    from .sites import Site, by_name, cache

# CDN prefix -> (alias under /_cdn/, folder under the npm cache's node_modules)
CDN = {
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.3/": ("bootstrap-5.2.3", "cdn-bootstrap-5.2.3"),
    "https://use.fontawesome.com/releases/v6.3.0/": (
        "fontawesome-6.3.0",
        "cdn-fontawesome-free-6.3.0",
    ),
    "https://cdn.jsdelivr.net/npm/simple-datatables@7.1.2/": (
        "simple-datatables-7.1.2",
        "cdn-simple-datatables-7.1.2",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Chart.js/2.8.0/": (
        "chartjs-2.8.0",
        "cdn-chart.js-2.8.0/dist",
    ),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rewrite(html: bytes) -> bytes:
    for prefix, (alias, _) in CDN.items():
        html = html.replace(prefix.encode(), f"/_cdn/{alias}/".encode())
    return html


def _handler(root: Path) -> type[BaseHTTPRequestHandler]:
    modules = cache() / "npm" / "node_modules"
    local = {alias: modules / folder for alias, folder in CDN.values()}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, code: int, body: bytes, kind: str, extra: dict | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)  # a browser may drop a request it no longer needs

        def _file(self, path: str) -> Path | None:
            parts = [p for p in unquote(path).split("/") if p not in ("", ".")]
            if ".." in parts:
                return None
            if parts[:1] == ["_cdn"] and len(parts) > 2 and parts[1] in local:
                return local[parts[1]].joinpath(*parts[2:])
            return root.joinpath(*parts)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = urlsplit(self.path).path
            file = self._file(path)
            if file is not None and file.is_dir():
                if not path.endswith("/"):
                    query = urlsplit(self.path).query
                    target = path + "/" + (f"?{query}" if query else "")
                    self._send(301, b"", "text/plain", {"Location": target})
                    return
                file = file / "index.html"
            if file is None or not file.is_file():
                self._send(404, b"<h1>404 Not Found</h1>", "text/html; charset=utf-8")
                return
            body = file.read_bytes()
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if kind == "text/html":
                body = _rewrite(body)
            if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
                kind += "; charset=utf-8"
            self._send(200, body, kind)

        do_HEAD = do_GET  # noqa: N815

    return Handler


def _wait(port: int, seconds: float = 10) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


@contextlib.contextmanager
def serving(site: Site, port: int | None = None) -> Iterator[str]:
    """Serve the site; yields its start URL."""
    port = port or free_port()
    if site.server == "php":
        proc = subprocess.Popen(
            ["php", "-S", f"127.0.0.1:{port}", "-t", str(site.folder)],
            cwd=site.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait(port)
            yield f"http://127.0.0.1:{port}{site.start}"
        finally:
            proc.terminate()
            proc.wait(10)
        return
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(site.folder))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}{site.start}"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site")
    parser.add_argument("--port", type=int)
    args = parser.parse_args()
    with serving(by_name(args.site), args.port) as url:
        print(url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":
    main()
