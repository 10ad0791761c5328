"""links.csv is copied from the model file a block at a time: every odd row must survive it."""

from __future__ import annotations

import csv

from contract.columns import TABLES
from tests.conftest import read_csv
from toptasks.output import write_links

LINK_FIELDS = list(TABLES["links.csv"])[:-1]


def _model_file(path, rows, cut_short: str = ""):
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)  # as the crawl writes it: CRLF, quotes only where needed
        writer.writerow(LINK_FIELDS)
        writer.writerows(rows)
        out.write(cut_short)


def test_plain_quoted_formula_and_cut_short_rows(tmp_path):
    page = "http://bank.test/"
    plain = [(page, f"{page}p/{i}", f"Page {i}", "main", i, "internal", "false") for i in range(3)]
    odd = [
        (page, f"{page}a", 'Say "hi", then go', "nav", 4, "internal", "true"),
        (page, f"{page}b", '=HYPERLINK("http://evil")', "main", 5, "internal", "false"),
        (page, f"{page}c", "Two\nlines", "footer", 6, "internal", "false"),
        (page, "-2+3", "@SUM(1)", "main", 7, "other", "false"),
    ]
    public = tmp_path / "public.csv"
    _model_file(public, plain + odd, cut_short=f"{page},{page}d,Cut sh")
    account = tmp_path / "account.csv"
    _model_file(account, plain[:1])
    write_links(tmp_path, [(public, "public"), (account, "account"), (tmp_path / "none", "x")])
    links = read_csv(tmp_path / "links.csv")
    assert list(links.columns) == list(TABLES["links.csv"])
    assert links["area"].tolist() == ["public"] * 7 + ["account"]
    assert links["text"].tolist() == [
        "Page 0",
        "Page 1",
        "Page 2",
        'Say "hi", then go',
        '\'=HYPERLINK("http://evil")',
        "Two\nlines",
        "'@SUM(1)",
        "Page 0",
    ]
    assert links["target_url"].tolist()[6] == "'-2+3"
    assert links["position"].tolist() == ["0", "1", "2", "4", "5", "6", "7", "0"]
    assert b"\r\n" not in (tmp_path / "links.csv").read_bytes().replace(b"Two\nlines", b"")
