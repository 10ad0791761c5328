"""The real-world corpus (issue 24): pages built from third-party front-end code as sites really
use it, served on 127.0.0.1 for the audit.

Nothing of that code is in the repository. `built()` installs the pinned npm packages of
package-lock.json (Bootstrap, superfish, Alpine.js, Bulma, three consent libraries, React
Router, Vue Router and a Start Bootstrap template) and builds the router apps with esbuild, once,
into a cache folder keyed by the lock file and the app sources; later runs reuse it. The pages
under pages/ are ours: each one wires a library the way its documentation shows.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import subprocess
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.sites.server import NOT_FOUND, Reply, Route

HERE = Path(__file__).parent
SOURCES = ["package.json", "package-lock.json", "build.mjs", "apps"]
ROBOTS = Reply("User-agent: *\nAllow: /\n", content_type="text/plain")
PLACEHOLDER = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400">'
    '<rect width="100%" height="100%" fill="#ced4da"/></svg>'
)
# What the Start Bootstrap template loads from CDNs, served from the npm packages instead.
TEMPLATE_REWRITES = {
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.3/dist/js/bootstrap.bundle.min.js": (
        "/vendor/bootstrap/dist/js/bootstrap.bundle.min.js"
    ),
    "https://cdn.jsdelivr.net/npm/bootstrap-icons@1.5.0/font/bootstrap-icons.css": (
        "/vendor/bootstrap/dist/css/bootstrap-grid.min.css"  # icons only; no font offline
    ),
}


class CorpusUnavailable(RuntimeError):
    """npm or node is missing, or the install failed: the corpus cannot be built here."""


def _key() -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        path = HERE / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(file.relative_to(HERE).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def cache_root() -> Path:
    default = Path.home() / ".cache" / "toptasks" / "corpus"
    return Path(os.environ.get("TOPTASKS_CORPUS_CACHE", default))


def built() -> Path:
    """The folder holding node_modules/ and dist/ for this corpus, installed and built once."""
    folder = cache_root() / _key()
    if (folder / ".built").exists():
        return folder
    if not (shutil.which("npm") and shutil.which("node")):
        raise CorpusUnavailable("the corpus needs Node.js and npm (Debian: apt-get install npm)")
    work = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name in SOURCES:
        source = HERE / name
        if source.is_dir():
            shutil.copytree(source, work / name)
        else:
            shutil.copy2(source, work / name)
    steps = [
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        ["node", "build.mjs"],
    ]
    for step in steps:
        done = subprocess.run(step, cwd=work, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise CorpusUnavailable(f"{' '.join(step)} failed: {done.stderr.strip()[-400:]}")
    (work / ".built").touch()
    shutil.rmtree(folder, ignore_errors=True)
    work.rename(folder)
    return folder


def _file(path: Path, rewrite: Callable[[str], str] | None = None) -> Reply:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
        text = path.read_text(encoding="utf-8")
        return Reply(rewrite(text) if rewrite else text, content_type=f"{kind}; charset=utf-8")
    return Reply(path.read_bytes(), content_type=kind)


def _inside(root: Path, relative: str) -> Path | None:
    path = (root / relative).resolve()
    return path if path.is_file() and path.is_relative_to(root.resolve()) else None


def page(title: str, brand: str) -> Reply:
    """A plain destination page: the corpus is about the way there, not the page itself."""
    return Reply(
        f"<!doctype html><html lang=en><head><meta charset=utf-8>"
        f'<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{title} | {brand}</title></head><body>"
        f'<header><a href="/">{brand}</a></header>'
        f"<main><h1>{title}</h1><p>What you came for: {title.lower()}.</p></main></body></html>"
    )


def routes(site: str, targets: dict[str, str], brand: str) -> tuple[dict[str, Route], Route]:
    """A pattern site's routes and its fallback: its own pages, its destination pages, the npm
    packages under /vendor/, and for the router apps their build and the server's fallback
    (every path under the app's base answers with the app's shell)."""
    cache = built()
    modules = cache / "node_modules"
    folder = HERE / "pages" / site
    table: dict[str, Route] = {"/robots.txt": ROBOTS}
    for path, title in targets.items():
        table[path] = page(title, brand)
    if folder.is_dir():
        for file in folder.rglob("*"):
            if file.is_file():
                relative = file.relative_to(folder).as_posix()
                table["/" + relative] = _file(file)
        table["/"] = _file(folder / "index.html")
    base, shell = "", None
    if site == "modern-business":
        dist = modules / "startbootstrap-modern-business" / "dist"
        for file in dist.rglob("*"):
            if file.is_file():
                table["/" + file.relative_to(dist).as_posix()] = _file(file, _offline)
        table["/"] = _file(dist / "index.html", _offline)
        table["/placeholder.svg"] = Reply(PLACEHOLDER, content_type="image/svg+xml")
    elif site == "react":
        base, shell = "/app/", _file(folder / "index.html")
        table["/app/assets/app.js"] = _file(cache / "dist" / "react" / "app.js")
        del table["/"]
    elif site == "vue-hash":
        table["/assets/app.js"] = _file(cache / "dist" / "vue-hash" / "app.js")
    elif site == "vue-history":
        base, shell = "/vue/", _file(folder / "index.html")
        table["/vue/assets/app.js"] = _file(cache / "dist" / "vue-history" / "app.js")
        del table["/"]

    def fallback(handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?")[0]
        vendored = path.startswith("/vendor/") and _inside(modules, path[len("/vendor/") :])
        if vendored:
            handler.reply(_file(vendored))  # type: ignore[attr-defined]
        elif shell is not None and (path + "/").startswith(base):
            handler.reply(shell)  # type: ignore[attr-defined]
        else:
            handler.reply(NOT_FOUND)  # type: ignore[attr-defined]

    return table, fallback


def _offline(text: str) -> str:
    for online, local in TEMPLATE_REWRITES.items():
        text = text.replace(online, local)
    return text.replace("https://dummyimage.com/", "/placeholder.svg?")
