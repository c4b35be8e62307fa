"""What the model says about each token of a batch of texts, and the vectors pooled from it.

One pass over a passage gives its own vector and a vector for each of its sentences: a sentence's
tokens have attended to the whole passage, so "it" or "the agreement" carries what it refers to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Span = tuple[int, int]  # character positions [start, end) in a text


@dataclass
class TokenStates:
    hidden: np.ndarray  # (texts, tokens, dimension) float32: the model's last layer
    mask: np.ndarray  # (texts, tokens) bool: real tokens, not padding
    offsets: np.ndarray  # (texts, tokens, 2): each token's character span; (0, 0) for [CLS], [SEP], padding

    def text_vectors(self) -> np.ndarray:
        """Normalised mean of each text's tokens: what sentence-transformers' mean pooling gives."""
        summed = (self.hidden * self.mask[..., None]).sum(axis=1) / np.maximum(self.mask.sum(axis=1)[:, None], 1)
        return _normalised(summed)

    def span_vectors(self, row: int, spans: list[Span]) -> list[np.ndarray | None]:
        """Normalised mean of the tokens inside each span of one text; None for a span the token
        limit cut off, which must be embedded on its own."""
        starts, ends = self.offsets[row, :, 0], self.offsets[row, :, 1]
        words = self.mask[row] & (ends > starts)
        covered_until = int(ends[words].max()) if words.any() else 0
        out: list[np.ndarray | None] = []
        for start, end in spans:
            inside = words & (starts >= start) & (ends <= end)
            out.append(_normalised(self.hidden[row, inside].mean(axis=0))
                       if end <= covered_until and inside.any() else None)
        return out


def _normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
