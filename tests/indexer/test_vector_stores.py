"""Every vector store behind the one interface: FAISS (exact and IVF) and a real PostgreSQL with pgvector."""

import numpy as np
import pytest

from indexer.faiss_store import FaissStore
from indexer.vectors import search_method

ROWS, DIMENSION = 3000, 16


def _vectors(rows: int, dimension: int, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(rows, dimension)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture(params=["faiss-exact", "faiss-ivf", "postgres-exact", "postgres-ivf"])
def store(request, tmp_path):
    """A store of each kind, with the IVF threshold lowered so 3,000 rows get an approximate index."""
    approximate_from = 1000 if request.param.endswith("ivf") else 10**9
    if request.param.startswith("faiss"):
        return FaissStore(approximate_from=approximate_from)
    from indexer.pg_store import PostgresStore

    url = request.getfixturevalue("postgres_url")
    return PostgresStore(url, version=1, approximate_from=approximate_from)


def _filled(store, vectors):
    reports = ["alpha" if i < 1000 else "beta" for i in range(len(vectors))]
    store.add("m/chunks", np.arange(len(vectors)), reports, vectors)
    store.add("e5/chunks", np.arange(10), ["alpha"] * 10, _vectors(10, 8, seed=1))  # another space, dimension
    if hasattr(store, "finish"):
        store.finish()
    return store


def _exact(vectors, query, k, rows=None):
    rows = np.arange(len(vectors)) if rows is None else rows
    return rows[np.argsort(-(vectors[rows] @ query), kind="stable")[:k]]


def test_search_finds_the_nearest_rows_and_says_how_it_searches(store):
    vectors = _vectors(ROWS, DIMENSION)
    _filled(store, vectors)
    sets = store.sets()
    assert sets["m/chunks"].count == ROWS and sets["m/chunks"].dimension == DIMENSION
    assert sets["e5/chunks"].dimension == 8 and sets["e5/chunks"].search == "exact"
    approximate = search_method(ROWS, store.approximate_from)[0] > 0
    assert sets["m/chunks"].search.startswith("ivf" if approximate else "exact")
    recalls = []
    for q in range(20):
        query = vectors[q * 7] + 0.3 * _vectors(1, DIMENSION, seed=q)[0]
        hits = store.search("m/chunks", query, 10)
        assert list(hits.scores) == sorted(hits.scores, reverse=True)
        np.testing.assert_allclose(hits.scores, vectors[hits.ids] @ query, rtol=1e-4, atol=1e-5)
        recalls.append(len(set(hits.ids) & set(_exact(vectors, query, 10))) / 10)
    # on 3,000 random vectors pgvector's rule makes 3 lists and probes 1; bench/scale.py measures recall
    # on the real vectors
    assert np.mean(recalls) >= (0.5 if approximate else 1.0)


def test_search_with_a_report_filter_and_within_one_report(store):
    vectors = _vectors(ROWS, DIMENSION)
    _filled(store, vectors)
    query = vectors[5]  # a row of alpha
    beta = store.search("m/chunks", query, 10, reports=["beta"])
    assert len(beta.ids) == 10 and (beta.ids >= 1000).all()
    alpha = store.search_report("m/chunks", query, 5, "alpha")
    assert alpha.ids[0] == 5 and (alpha.ids < 1000).all()
    assert len(store.search("m/chunks", query, 5, reports=["gamma"]).ids) == 0


def test_fetch_returns_the_stored_vectors_in_the_order_asked(store):
    vectors = _vectors(ROWS, DIMENSION)
    _filled(store, vectors)
    ids = np.array([2999, 0, 1500])
    np.testing.assert_allclose(store.fetch("m/chunks", ids), vectors[ids], atol=1e-6)


def test_delete_report_removes_its_rows_from_every_set(store):
    vectors = _vectors(ROWS, DIMENSION)
    _filled(store, vectors)
    store.delete_report("alpha")
    assert store.sets()["m/chunks"].count == ROWS - 1000
    assert store.sets()["e5/chunks"].count == 0
    hits = store.search("m/chunks", vectors[5], 10)
    assert (hits.ids >= 1000).all()
