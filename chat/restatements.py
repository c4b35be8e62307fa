"""Passages that restate what their report says elsewhere: a chapter's "Key Policy Recommendations"
box, the volume's recommendations "at a glance", an executive summary's list.

Such a passage matches a question as well as the text it sums up, and often better: it is short and
dense with the topic's words. But it rarely holds the detail asked for, which stands in the body.
A sentence is restated when a sentence of the same report, pages away, is nearly the same (cosine
of their MiniLM vectors); a passage's share of restated sentences lowers its retrieval score.
"""

from __future__ import annotations

import numpy as np

# A sentence repeated on its own page or the next (a paragraph's neighbours, a sentence cut by a page
# break, a pull quote beside its text) is not a restatement.
MIN_PAGES_APART = 3


def restated_share(vectors: np.ndarray, pages: np.ndarray, reports: np.ndarray, offsets: np.ndarray,
                   similarity: float) -> np.ndarray:
    """Per passage, the share of its sentences that the same report says again, nearly the same, at
    least MIN_PAGES_APART pages away. vectors, pages, reports: per sentence, in passage order;
    offsets: each passage's first sentence row, and one past the last."""
    restated = np.zeros(len(vectors), dtype=bool)
    for report in np.unique(reports):
        rows = np.flatnonzero(reports == report)
        near = vectors[rows] @ vectors[rows].T >= similarity
        apart = np.abs(pages[rows][:, None] - pages[rows][None, :]) >= MIN_PAGES_APART
        restated[rows] = (near & apart).any(axis=1)
    counts = np.diff(offsets)
    sums = np.add.reduceat(restated.astype(float), offsets[:-1]) if len(offsets) > 1 else np.zeros(0)
    return np.where(counts > 0, sums / np.maximum(counts, 1), 0.0)
