"""The meaning-aware scent model (an optional extra): on the labelled set, and in an audit where
the site's words for a task are synonyms of the task's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from audits.scent import MIN_SCENT, TfidfScorer
from audits.semantic_scent import unavailable
from bench.scent_models import LABELS
from tests.conftest import audit_site, read_csv
from tests.sites.server import Reply

pytestmark = pytest.mark.skipif(
    unavailable() is not None, reason=f"{unavailable()} (the default install leaves it out)"
)


@pytest.fixture(scope="module")
def scorer():
    from audits.semantic_scent import EmbeddingScorer

    return EmbeddingScorer()


def test_synonyms_score_and_word_traps_do_not(scorer):
    lost = "Report a lost card"
    block, offers, careers = scorer.score(lost, ["Block my card", "Card offers", "Careers"])
    assert block >= MIN_SCENT > offers >= careers
    lexical = TfidfScorer(["Block my card", "Card offers", "Careers"])
    assert lexical.score(lost, ["Card offers"])[0] >= MIN_SCENT  # the trap words fall into


def test_agreement_with_the_labelled_set(scorer):
    pairs = pd.read_csv(LABELS)
    scores = np.concatenate(
        [scorer.score(task, list(g["link"])) for task, g in pairs.groupby("task", sort=False)]
    )
    related = pairs["related"].to_numpy() == 1
    assert ((scores >= MIN_SCENT) == related).mean() >= 0.7  # measured: 0.743
    assert ((scores >= MIN_SCENT) & ~related).sum() <= 3  # measured: 1 trap of 35


HOME = """<!doctype html><html><head><title>Bank</title></head><body>
<header><nav><a href="/offers">Card offers</a> <a href="/freeze">Block my card</a></nav></header>
<main><h1>Welcome</h1></main></body></html>"""


def test_an_audit_with_the_embedding_model_sees_a_synonym(tmp_path):
    routes = {
        "/": Reply(HOME),
        "/offers": Reply("<title>Offers</title><h1>Card offers</h1>"),
        "/freeze": Reply("<title>Freeze</title><h1>Your card is blocked</h1>"),
    }
    tasks = """tasks:
  - id: lost_card
    name: Report a lost card
    target: {url: "/freeze$"}
"""
    for name in ("lexical", "embedding"):
        (tmp_path / name).mkdir()
    _, lexical = audit_site(routes, tasks, tmp_path / "lexical", "--no-render", "--no-history")
    _, meaning = audit_site(
        routes, "scent: {model: embedding}\n" + tasks, tmp_path / "embedding", "--no-render",
        "--no-history",
    )  # fmt: skip
    kinds = {
        name: set(read_csv(run / "findings.csv")["kind"])
        for name, run in (("lexical", lexical), ("embedding", meaning))
    }
    # By words, "Card offers" is as close to a lost card as "Block my card" (both 0.19): it
    # competes, and a quarter of the simulated customers go astray through it.
    assert {"competing_link", "scent_trap"} <= kinds["lexical"]
    assert not {"weak_scent", "competing_link", "scent_trap"} & kinds["embedding"]
