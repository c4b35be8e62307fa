"""Passages that sum up what their report says elsewhere: a chapter's "Key Policy Recommendations"
box, the volume's recommendations "at a glance", an executive summary's list.

Such a passage matches a question as well as the text it sums up, and often better: it is short and
dense with the topic's words. But it rarely holds the detail asked for, which stands in the body.
A sentence is restated when a sentence of the same report, pages away, is nearly the same (cosine
of their MiniLM vectors). A summary is made of restated sentences, while the body it sums up says
other things too: a sentence sums up when its twin stands in a passage with a smaller share of
restated sentences. A passage's share of such sentences lowers its retrieval score. Two copies
alike (a report printed in a short and a long version) sum up neither: demoting both only demoted
the report, and "How many people of Mexican heritage live in the United States?" lost COMEXI's
count.
"""

from __future__ import annotations

import numpy as np

# A sentence repeated on its own page or the next (a paragraph's neighbours, a sentence cut by a page
# break, a pull quote beside its text) is not a restatement.
MIN_PAGES_APART = 3


def summary_share(vectors: np.ndarray, pages: np.ndarray, owners: np.ndarray, reports: np.ndarray,
                  passages: int, similarity: float) -> np.ndarray:
    """Per passage, the share of its sentences that sum up another passage of the same report: said
    again, nearly the same, at least MIN_PAGES_APART pages away, in a passage with a smaller share
    of restated sentences. vectors, pages, owners (the passage's position), reports: per sentence."""
    twins = np.zeros((0, 2), dtype=np.int64)  # (sentence, its twin) pairs, as sentence rows
    for report in np.unique(reports):
        rows = np.flatnonzero(reports == report)
        near = vectors[rows] @ vectors[rows].T >= similarity
        apart = np.abs(pages[rows][:, None] - pages[rows][None, :]) >= MIN_PAGES_APART
        twins = np.concatenate([twins, rows[np.argwhere(near & apart)]])
    restated = np.zeros(len(vectors), dtype=bool)
    restated[twins[:, 0]] = True
    share = _share(restated, owners, passages)
    fuller = share[owners[twins[:, 1]]] < share[owners[twins[:, 0]]]  # its twin's passage says more besides
    sums_up = np.zeros(len(vectors), dtype=bool)
    sums_up[twins[fuller, 0]] = True
    return _share(sums_up, owners, passages)


def _share(flags: np.ndarray, owners: np.ndarray, passages: int) -> np.ndarray:
    """Per passage, the share of its sentences flagged (0 for a passage without sentences)."""
    counts = np.bincount(owners, minlength=passages)
    return np.bincount(owners, weights=flags.astype(float), minlength=passages) / np.maximum(counts, 1)
