"""FAISS vector store, embedded in the index folder: the default.

Each set is one FAISS file (an exact inner-product index, or an IVF index past APPROXIMATE_FROM
rows, chosen when the set is first written), with the id and report of each row beside it.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import faiss
import numpy as np

from indexer.vectors import APPROXIMATE_FROM, Hits, VectorSetInfo, describe, search_method

TRAINING_ROWS_PER_LIST = 64  # k-means on a sample: all rows of a 600,000-row set took minutes on two cores


@dataclass
class _Set:
    dimension: int
    index: faiss.Index | None = None
    lists: int = 0
    probes: int = 0
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    reports: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="<U1"))
    pending: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    _by_report: dict[str, np.ndarray] | None = None

    def by_report(self) -> dict[str, np.ndarray]:
        if self._by_report is None:
            names, inverse = np.unique(self.reports, return_inverse=True)
            self._by_report = {str(n): self.ids[inverse == i] for i, n in enumerate(names)}
        return self._by_report


class FaissStore:
    """Vector sets held in FAISS indexes, searched in this process."""

    def __init__(self, approximate_from: int = APPROXIMATE_FROM):
        self.approximate_from = approximate_from
        self._sets: dict[str, _Set] = {}

    def sets(self) -> dict[str, VectorSetInfo]:
        return {name: VectorSetInfo(dimension=s.dimension, count=len(s.ids), search=describe(s.lists, s.probes))
                for name, s in ((n, self._ready(n)) for n in self._sets)}

    def add(self, name: str, ids: np.ndarray, reports: Sequence[str], vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        s = self._sets.setdefault(name, _Set(dimension=vectors.shape[1]))
        if vectors.shape[1] != s.dimension:
            raise ValueError(f"vector set {name} has {s.dimension} dimensions, not {vectors.shape[1]}")
        ids = np.asarray(ids, dtype=np.int64)
        s.pending.append((ids, vectors))
        s.ids = np.concatenate([s.ids, ids])
        s.reports = np.concatenate([s.reports, np.asarray(list(reports), dtype=str)])
        s._by_report = None

    def delete_report(self, report_id: str) -> None:
        for name in self._sets:
            s = self._ready(name)
            gone = s.reports == report_id
            if gone.any():
                doomed = np.ascontiguousarray(s.ids[gone])
                # An array selector: the IVF index's id table (a hash map) takes no other kind.
                s.index.remove_ids(faiss.IDSelectorArray(len(doomed), faiss.swig_ptr(doomed)))
                s.ids, s.reports, s._by_report = s.ids[~gone], s.reports[~gone], None

    def search(self, name: str, query: np.ndarray, k: int, reports: Collection[str] | None = None) -> Hits:
        s = self._ready(name)
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        selector = None
        if reports is not None:
            by_report = s.by_report()
            if set(by_report) - set(reports):
                wanted = [by_report[r] for r in reports if r in by_report]
                if not wanted:
                    return Hits(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
                selector = faiss.IDSelectorBatch(np.concatenate(wanted))
        if s.lists:
            params = faiss.SearchParametersIVF(sel=selector, nprobe=s.probes)
        else:
            params = faiss.SearchParameters(sel=selector)
        with _threads(1):
            scores, ids = s.index.search(query, k, params=params)
        found = ids[0] >= 0
        return Hits(ids[0][found], scores[0][found])

    def search_report(self, name: str, query: np.ndarray, k: int, report_id: str) -> Hits:
        return self.search(name, query, k, [report_id])

    def fetch(self, name: str, ids: np.ndarray) -> np.ndarray:
        s = self._ready(name)
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids):
            return np.zeros((0, s.dimension), dtype=np.float32)
        return s.index.reconstruct_batch(ids)

    def save(self, folder: Path) -> dict[str, VectorSetInfo]:
        """Write every set under folder (one .faiss file and its row table each); returns the sets."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in self._sets:
            s = self._ready(name)
            stem = folder / name.replace("/", ".")
            faiss.write_index(s.index, f"{stem}.faiss")
            np.save(f"{stem}.ids.npy", s.ids, allow_pickle=False)
            np.save(f"{stem}.reports.npy", s.reports, allow_pickle=False)
        return self.sets()

    @classmethod
    def load(cls, folder: Path, sets: dict[str, VectorSetInfo]) -> "FaissStore":
        store = cls()
        for name, info in sets.items():
            stem = folder / name.replace("/", ".")
            index = faiss.read_index(f"{stem}.faiss")
            s = _Set(dimension=info.dimension, index=index,
                     ids=np.load(f"{stem}.ids.npy", allow_pickle=False),
                     reports=np.load(f"{stem}.reports.npy", allow_pickle=False))
            if isinstance(index, faiss.IndexIVF):
                s.lists, s.probes = index.nlist, index.nprobe
            if index.ntotal != len(s.ids) or index.d != info.dimension or len(s.ids) != info.count:
                raise ValueError(f"vector set {name} does not match the manifest")
            store._sets[name] = s
        return store

    def _ready(self, name: str) -> _Set:
        """The set with its pending rows in the index; the index kind is chosen on the first write."""
        try:
            s = self._sets[name]
        except KeyError:
            raise KeyError(f"no vector set {name!r}; this index holds {', '.join(sorted(self._sets))}") from None
        if not s.pending:
            return s
        ids = np.concatenate([p[0] for p in s.pending])
        vectors = np.concatenate([p[1] for p in s.pending])
        s.pending = []
        with _threads(os.cpu_count() or 1):
            if s.index is None:
                s.lists, s.probes = search_method(len(ids), self.approximate_from)
                s.index = _new_index(s.dimension, s.lists, s.probes, vectors)
            s.index.add_with_ids(vectors, ids)
        return s


@contextmanager
def _threads(n: int):
    """One query is searched on one thread: with more, FAISS's OpenMP threads wait on the embedding
    model's (onnxruntime keeps its threads spinning after a run), and `ask` took twice as long (36 ms
    against 15 ms on dev questions). Building an index uses every core."""
    faiss.omp_set_num_threads(n)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(1)


def _new_index(dimension: int, lists: int, probes: int, vectors: np.ndarray) -> faiss.Index:
    if not lists:
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
    quantizer = faiss.IndexFlatIP(dimension)
    index = faiss.IndexIVFFlat(quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT)
    index.own_fields = True
    quantizer.this.disown()  # the IVF index frees it
    sample = vectors
    if len(vectors) > lists * TRAINING_ROWS_PER_LIST:
        rows = np.random.default_rng(0).choice(len(vectors), lists * TRAINING_ROWS_PER_LIST, replace=False)
        sample = vectors[np.sort(rows)]
    index.train(sample)
    index.nprobe = probes
    index.set_direct_map_type(faiss.DirectMap.Hashtable)  # fetch by id
    return index
