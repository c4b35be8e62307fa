"""Decide whether the retrieved evidence supports an answer at all."""

from __future__ import annotations

import re
from dataclasses import dataclass

from chat.evidence import Candidate, TermWeights
from indexer.lexical import tokenize

# Capitalised words and numbers of three or more digits: the names and figures a question hinges
# on. If the reports never contain one of them, they cannot answer the question.
NAME_OR_FIGURE = re.compile(r"\b[A-Z][a-zA-Z\u00C0-\u017F'’-]+|\b\d{3,}\b")


@dataclass(frozen=True)
class AbstentionSettings:
    # Best sentence similarity below which nothing retrieved is about the question.
    # Calibrated on dev.jsonl: every answerable question scored above it (lowest 0.49).
    min_similarity: float = 0.48


@dataclass
class Support:
    similarity: float
    unknown_terms: list[str]

    def sufficient(self, settings: AbstentionSettings) -> bool:
        return not self.unknown_terms and self.similarity >= settings.min_similarity


def assess(question: str, pool: list[Candidate], weights: TermWeights) -> Support:
    """How well the candidate sentences support an answer to the question."""
    unknown = []
    for match in NAME_OR_FIGURE.finditer(question.strip()):
        terms = tokenize(match.group(0))
        if terms and all(weights.df.get(t, 0) == 0 for t in terms):
            unknown.append(match.group(0))
    return Support(similarity=max((c.support for c in pool), default=0.0), unknown_terms=unknown)
