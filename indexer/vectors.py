"""The vector-store interface the chat engine searches: named sets of vectors, inner product.

A store holds vector sets named "<space>/<level>": the embedding space ("minilm"; a second model's
vectors are one more space, each with its own dimension) and what a row is ("chunks", "sentences").
A row has an integer id (a chunk's position in the chunk table, a sentence's row in reading order)
and the report it belongs to, so that a search can be limited to some reports and a report's rows
deleted. Two implementations: FAISS, embedded in the index folder (indexer/faiss_store.py), and
PostgreSQL with pgvector through langchain-postgres (indexer/pg_store.py).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from pydantic import BaseModel

DEFAULT_SPACE = "minilm"
MULTILINGUAL_SPACE = "multilingual"  # multilingual-e5-small (indexer/multilingual.py): chunks, sentences, words
CHUNKS, SENTENCES, WORDS = "chunks", "sentences", "words"

# Up to this many rows a set is searched exactly; past it, by an inverted-file index (IVF). Exact
# search reads every vector: in FAISS, 100,000 rows of 384 dimensions take about 10 ms a query on one
# core, the budget of one `ask`; pgvector's exact scan is about 15 times slower a row (1 µs: 6.7 ms
# for the 6,576 sentences of the five reports), so it switches at 10,000 rows (bench/scale.py).
APPROXIMATE_FROM = 100_000
PG_APPROXIMATE_FROM = 10_000


def set_name(level: str, space: str = DEFAULT_SPACE) -> str:
    """The name of a space's chunk or sentence vectors, e.g. "minilm/chunks"."""
    return f"{space}/{level}"


class VectorSetInfo(BaseModel):
    """One vector set as the manifest records it."""

    dimension: int
    count: int
    search: str  # "exact", or "ivf" with its lists and probes: how this set is searched


def search_method(count: int, approximate_from: int = APPROXIMATE_FROM) -> tuple[int, int]:
    """(lists, probes) of the IVF index for a set of this size; (0, 0) for exact search.

    4·√n lists (the usual rule) and 1/8 of them probed: recall@10 against exact ≥ 0.95 in
    bench/scale.py."""
    if count < approximate_from:
        return 0, 0
    lists = int(4 * math.sqrt(count))
    return lists, max(1, lists // 8)


def describe(lists: int, probes: int) -> str:
    return f"ivf lists={lists} probes={probes}" if lists else "exact"


@dataclass
class Hits:
    """Ids of the nearest rows, best first, and their inner products with the query."""

    ids: np.ndarray
    scores: np.ndarray


class VectorStore(Protocol):
    """What retrieval needs of a vector store; every method names the vector set it works on."""

    def sets(self) -> dict[str, VectorSetInfo]:
        """The sets the store holds."""

    def add(self, name: str, ids: np.ndarray, reports: Sequence[str], vectors: np.ndarray) -> None:
        """Add rows to a set (created on first use with the vectors' dimension)."""

    def delete_report(self, report_id: str) -> None:
        """Remove a report's rows from every set."""

    def search(self, name: str, query: np.ndarray, k: int, reports: Collection[str] | None = None) -> Hits:
        """The k rows nearest the query, among the given reports' rows (None: all rows)."""

    def search_report(self, name: str, query: np.ndarray, k: int, report_id: str) -> Hits:
        """The k rows of one report nearest the query."""

    def fetch(self, name: str, ids: np.ndarray) -> np.ndarray:
        """The stored vectors of the given rows, in the given order."""
