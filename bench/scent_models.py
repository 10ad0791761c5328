"""The two scent scorers on a labelled set of task/link pairs (bench/data/scent_labels.csv: 7
bank tasks x 10 labels, 5 that serve the task, synonyms included, and 5 that do not, word
traps included): agreement with the labels and speed.

    python -m bench.scent_models        -> prints a table (the embedding row needs the extra)
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from audits.scent import MIN_SCENT, TfidfScorer
from audits.semantic_scent import FLOOR, EmbeddingScorer, unavailable

LABELS = Path(__file__).parent / "data" / "scent_labels.csv"


def auc(scores: np.ndarray, related: np.ndarray) -> float:
    """The chance that a related label outscores an unrelated one (ties count half)."""
    yes, no = scores[related], scores[~related]
    wins = (yes[:, None] > no[None, :]).sum() + 0.5 * (yes[:, None] == no[None, :]).sum()
    return float(wins / (len(yes) * len(no)))


def best_threshold(scores: np.ndarray, related: np.ndarray) -> tuple[float, float]:
    """The threshold with the highest accuracy, and that accuracy."""
    candidates = np.unique(scores)
    accuracy = [((scores >= t) == related).mean() for t in candidates]
    best = int(np.argmax(accuracy))
    return float(candidates[best]), float(accuracy[best])


def measure(name: str, scorer, pairs: pd.DataFrame) -> dict:
    started = time.perf_counter()
    scores = np.concatenate(
        [
            scorer.score(task, list(group["link"]))
            for task, group in pairs.groupby("task", sort=False)
        ]
    )
    seconds = time.perf_counter() - started
    related = pairs["related"].to_numpy() == 1
    threshold, best = best_threshold(scores, related)
    return {
        "scorer": name,
        "auc": round(auc(scores, related), 3),
        "accuracy_at_0.15": round(float(((scores >= MIN_SCENT) == related).mean()), 3),
        "synonyms_found": int(((scores >= MIN_SCENT) & related).sum()),
        "traps_passed": int(((scores >= MIN_SCENT) & ~related).sum()),
        "best_threshold": round(threshold, 3),
        "best_accuracy": round(best, 3),
        "pairs_per_s": round(len(pairs) / seconds),
    }


def main() -> None:
    pairs = pd.read_csv(LABELS)
    rows = [measure("lexical (TF-IDF)", TfidfScorer(pairs["link"].unique()), pairs)]
    missing = unavailable()
    if missing:
        print(f"embedding: skipped: {missing}")
    else:
        started = time.perf_counter()
        scorer = EmbeddingScorer()
        load_s = time.perf_counter() - started
        row = measure("embedding (MiniLM)", scorer, pairs)
        raw = row["best_threshold"] * (1 - FLOOR) + FLOOR
        rows.append(row | {"note": f"model load {load_s:.1f} s; raw cosine threshold {raw:.2f}"})
    print(f"{len(pairs)} pairs, {int(pairs['related'].sum())} related")
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
