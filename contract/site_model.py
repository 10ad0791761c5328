"""The site model as the audits see it: the pages and link occurrences of one crawl as pandas
tables, and the rendered pages and site searches as records (contract/records.py).

Gathering writes the model to disk and `crawler.model.load_model` reads it back into this
shape; audits receive it and never read files or the network. Tests build one in memory with
`SiteModel.from_records`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from contract.records import (
    LINK_FIELDS,
    PAGE_COLUMNS,
    PageRecord,
    RenderedPage,
    SearchRecord,
    Sitemaps,
)


@dataclass
class SiteModel:
    """Pages and link occurrences of one crawl, as the audits see them."""

    start_url: str
    pages: pd.DataFrame
    links: pd.DataFrame
    rendered: dict[tuple[str, str], RenderedPage] = field(default_factory=dict)
    searches: list[SearchRecord] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # an address -> the page's own
    sitemaps: Sitemaps = field(default_factory=Sitemaps)
    # The run's language (contract/languages.py): site.lang, else the start page's; "" is
    # read as English, as every site was before languages.
    lang: str = ""

    @classmethod
    def from_records(
        cls,
        start_url: str,
        pages: list[dict[str, Any]],
        links: list[dict[str, Any]],
        rendered: list[dict[str, Any]] = (),
    ) -> SiteModel:
        """Build a model in memory, for audits on hand-made sites and for tests."""
        page_rows = [asdict(PageRecord(**p)) for p in pages]
        link_defaults = {"text": "", "region": "main", "kind": "internal", "rendered_only": False}
        link_rows = [{**link_defaults, **link} for link in links]
        for i, row in enumerate(link_rows):
            row.setdefault("position", i + 1)
        return cls(
            start_url,
            pd.DataFrame(page_rows, columns=PAGE_COLUMNS),
            pd.DataFrame(link_rows, columns=LINK_FIELDS),
            {(r["url"], r["viewport"]): r for r in rendered},
        )

    def links_from(self, url: str) -> pd.DataFrame:
        """The link rows of one page, in page order. A scan of the 32-bit codes of a model
        read from disk: 15 ms at 27 million rows, where an index over them took 650 MB (and
        a hash table of its million URLs 100 MB: the URL is found by a scan too)."""
        source = self.links["source_url"]
        if isinstance(source.dtype, pd.CategoricalDtype):
            code = np.flatnonzero(source.cat.categories.to_numpy(dtype=object) == url)
            found = source.array.codes == code[0] if len(code) else np.zeros(0, bool)
        else:
            found = (source == url).to_numpy(dtype=bool)
        return self.links.iloc[np.flatnonzero(found)]

    def page(self, url: str) -> dict[str, Any] | None:
        match = self.pages[self.pages["url"] == url]
        return None if match.empty else match.iloc[0].to_dict()
