"""The real-site corpus (issue 34 part 5): whole sites that nobody on this project wrote.

Each site is installed from a registry by `setup.sh` into a cache outside the repository
($TOPTASKS_REAL_SITES, default ~/.cache/toptasks-real-sites) or comes from the Debian packages it
names; this file only says where it lands, how it is served, and where its tasks and truth are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


def cache() -> Path:
    default = Path.home() / ".cache" / "toptasks-real-sites"
    return Path(os.environ.get("TOPTASKS_REAL_SITES", default))


@dataclass(frozen=True)
class Site:
    name: str
    built: str  # how it was built
    language: str
    source: str  # registry and package (version pinned in setup.sh / npm/package.json)
    root: str  # folder served; "{cache}" is the cache folder
    start: str  # path of the start page
    server: str = "static"  # "static" (serve.py) or "php" (php -S)

    @property
    def folder(self) -> Path:
        return Path(self.root.format(cache=cache()))

    @property
    def tasks(self) -> Path:
        return HERE / "tasks" / f"{self.name}.yaml"

    @property
    def truth(self) -> Path:
        return HERE / "truth" / f"{self.name}.yaml"

    def installed(self) -> bool:
        return self.folder.is_dir()


NPM = "{cache}/npm/node_modules"

SITES: list[Site] = [
    Site(
        "sb-admin-2",
        "Bootstrap 4 admin template (jQuery, collapsing sidebar, dropdowns, modal)",
        "en",
        "npm startbootstrap-sb-admin-2 4.1.4 (MIT, Start Bootstrap)",
        f"{NPM}/startbootstrap-sb-admin-2",
        "/index.html",
    ),
    Site(
        "sb-admin",
        "Bootstrap 5 admin template (off-canvas side navigation, nested collapses)",
        "en",
        "npm startbootstrap-sb-admin 7.0.7 (MIT, Start Bootstrap)",
        f"{NPM}/startbootstrap-sb-admin/dist",
        "/index.html",
    ),
    Site(
        "clean-blog",
        "Bootstrap 5 blog template (navbar collapsing into a 'Menu' button)",
        "en",
        "npm startbootstrap-clean-blog 6.0.9 (MIT, Start Bootstrap)",
        f"{NPM}/startbootstrap-clean-blog/dist",
        "/index.html",
    ),
    Site(
        "adminlte",
        "Bootstrap 4 admin template AdminLTE 3 (jQuery, push-menu sidebar, treeview)",
        "en",
        "npm admin-lte 3.2.0 (MIT, ColorlibHQ), its plugins/ filled from its dependencies",
        f"{NPM}/admin-lte",
        "/index.html",
    ),
    Site(
        "dsfr",
        "public-sector design system: the French State's DSFR example pages",
        "fr",
        "npm @gouvfr/dsfr 1.15.3 (etalab-2.0, SIG / DINUM)",
        f"{NPM}/@gouvfr/dsfr",
        "/example/index.html",
    ),
    Site(
        "docusaurus",
        "built React app: Docusaurus 3 'classic' starter site, production build (SSR + hydration)",
        "en",
        "npm create-docusaurus 3.10.2 (MIT, Meta), built with @docusaurus/core",
        "{cache}/docusaurus/site/build",
        "/",
    ),
    Site(
        "dokuwiki",
        "PHP with includes (DokuWiki, 'dokuwiki' template) served by php -S",
        "de",
        "Debian dokuwiki 0.0.20220731.a (GPL-2), configured in German",
        "{cache}/dokuwiki",
        "/doku.php?id=wiki:dokuwiki",
        server="php",
    ),
    Site(
        "mkdocs",
        "static site generator: MkDocs's own documentation, MkDocs theme (Bootstrap 4)",
        "en",
        "Debian mkdocs-doc 1.4.2 (BSD-2-Clause)",
        "/usr/share/doc/mkdocs/html",
        "/index.html",
    ),
    Site(
        "python-docs",
        "Sphinx documentation, python-docs-theme (CSS checkbox hamburger on phones)",
        "en",
        "Debian python3.11-doc (PSF-2.0)",
        "/usr/share/doc/python3.11/html",
        "/index.html",
    ),
    Site(
        "gitpython-docs",
        "Sphinx documentation, Read the Docs theme (icon hamburger on phones)",
        "en",
        "Debian python-git-doc 3.1.30 (BSD-3-Clause)",
        "/usr/share/doc/python-git-doc/html",
        "/index.html",
    ),
    Site(
        "debian-reference-de",
        "DocBook XSL documentation site: Debian Reference, German",
        "de",
        "Debian debian-reference-de 2.100 (GPL-2+)",
        "/usr/share/debian-reference",
        "/index.de.html",
    ),
    Site(
        "debian-handbook-fr",
        "Publican (DocBook) book site: The Debian Administrator's Handbook, French",
        "fr",
        "Debian debian-handbook 11.20220922 (GPL-2+ / CC-BY-SA-3.0)",
        "/usr/share/doc/debian-handbook/html",
        "/fr-FR/index.html",
    ),
]


def by_name(name: str) -> Site:
    for site in SITES:
        if site.name == name:
            return site
    raise KeyError(f"no real site named {name!r}: {', '.join(s.name for s in SITES)}")
