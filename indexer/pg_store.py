"""An index in PostgreSQL with pgvector, shared by several app replicas (`--index postgresql://...`).

The vector sets are tables searched through langchain-postgres (`PGEngine`, `PGVectorStore`): one
table per set and index version, `qa_v<version>_<space>_<level>`, rows keyed by their id with the
report in a metadata column (search filters and delete by report use it). A set is scanned exactly
up to PG_APPROXIMATE_FROM rows; past that it gets a pgvector IVFFlat index (pgvector's rule for
lists and probes: pg_search_method).

Versions make a rebuild atomic for the replicas: a build writes a new version's tables and its
manifest and chunk table (`qa_index_versions`), then points `qa_index_current` at it in one
statement. A replica checks that pointer between requests (ChatEngine.refreshed) and loads the new
version; the previous version's tables are kept until the next build, so a request that started on
it finishes on it.

BM25 stays in each replica's memory, built from the version's chunk texts at load (0.2 s for the
five reports): the same tokenizer (light stemming, accents folded, numbers kept) and the same BM25
scores over every chunk that the fused ranking was tuned on. Postgres full-text search ranks by
ts_rank, which is not BM25 and would change the dev figures; a replica holds the chunk texts for
evidence anyway.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from contextlib import contextmanager
from types import SimpleNamespace

import numpy as np

from indexer.lexical import LexicalIndex
from indexer.models import Chunk
from indexer.store import (IndexBusy, IndexData, IndexMissing, LoadedIndex, Manifest, check_counts, check_format,
                           lexical_text, redacted)
from indexer.vectors import PG_APPROXIMATE_FROM, Hits, VectorSetInfo, describe

INSTALL = 'pip install -e ".[postgres]"'
INDEX_BUILD_MEMORY = "2GB"
LOCK_KEY = 7_019_019  # pg_advisory_lock key held by a build
SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS qa_index_versions (
    version BIGINT PRIMARY KEY, manifest TEXT NOT NULL, chunks TEXT NOT NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS qa_index_current (
    one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one), version BIGINT NOT NULL);
"""


class PgUnavailable(IndexMissing):
    """The database cannot be reached, or the PostgreSQL packages are not installed."""


def _modules() -> SimpleNamespace:
    """The optional packages, imported when an index in PostgreSQL is used."""
    try:
        import psycopg
        from langchain_postgres import Column, PGEngine, PGVectorStore
        from langchain_postgres.v2.indexes import DistanceStrategy, IVFFlatIndex, IVFFlatQueryOptions
        from pgvector.psycopg import register_vector
    except ImportError as exc:
        raise PgUnavailable(f"An index in PostgreSQL needs the PostgreSQL packages ({exc.name} is missing). "
                            f"Install them with: {INSTALL}") from None
    return SimpleNamespace(psycopg=psycopg, Column=Column, PGEngine=PGEngine, PGVectorStore=PGVectorStore,
                           DistanceStrategy=DistanceStrategy, IVFFlatIndex=IVFFlatIndex,
                           IVFFlatQueryOptions=IVFFlatQueryOptions, register_vector=register_vector)


def _connect(url: str):
    pg = _modules()
    psycopg, register_vector = pg.psycopg, pg.register_vector
    try:
        conn = psycopg.connect(_libpq_url(url), autocommit=True)
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PgUnavailable(f"Cannot reach the index database {redacted(url)} ({reason}). Start PostgreSQL, "
                            f"or check the URL (--index or INDEX_STORE).") from None
    conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
    register_vector(conn)
    for statement in filter(str.strip, SCHEMA_SQL.split(";")):
        conn.execute(statement)
    return conn


def _libpq_url(url: str) -> str:
    return re.sub(r"^postgres(?:ql)?(?:\+\w+)?://", "postgresql://", url)


def _sqlalchemy_url(url: str) -> str:
    return re.sub(r"^postgres(?:ql)?(?:\+\w+)?://", "postgresql+psycopg://", url)


@contextmanager
def _answering(url: str):
    """A database that stops answering mid-serving is a message, not a traceback."""
    psycopg = _modules().psycopg
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except (psycopg.OperationalError, psycopg.InterfaceError, DBAPIError, OSError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PgUnavailable(f"The index database {redacted(url)} is not answering ({reason}). Check that "
                            f"PostgreSQL is running; the next question will use it again.") from None


class _NoEmbeddings:
    """PGVectorStore wants an embedding service; every search here comes with its vector."""

    def embed_query(self, text: str) -> list[float]:
        raise NotImplementedError("the index is searched by vector")

    embed_documents = aembed_query = aembed_documents = embed_query


class PostgresStore:
    """The vector sets of one index version, as pgvector tables."""

    _engines: dict[str, object] = {}  # one PGEngine (a connection pool) per database and process

    def __init__(self, url: str, version: int, sets: dict[str, VectorSetInfo] | None = None,
                 approximate_from: int = PG_APPROXIMATE_FROM):
        self.url, self.version, self.approximate_from = url, version, approximate_from
        self._info = dict(sets or {})
        self._stores: dict[str, object] = {}
        self._conn = _connect(url)

    def table(self, name: str) -> str:
        return f"qa_v{self.version}_" + re.sub(r"[^a-z0-9]+", "_", name.lower())

    def sets(self) -> dict[str, VectorSetInfo]:
        return dict(self._info)

    def add(self, name: str, ids: np.ndarray, reports: Sequence[str], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if name not in self._info:
            pg = _modules()
            self._engine().init_vectorstore_table(
                self.table(name), vectors.shape[1], metadata_columns=[pg.Column("report_id", "TEXT")],
                id_column=pg.Column("row_id", "BIGINT"), store_metadata=False)
            self._info[name] = VectorSetInfo(dimension=vectors.shape[1], count=0, search="exact")
        # PGVectorStore.add_embeddings runs and commits one INSERT per row; COPY into the same table
        # loads them in one statement (the 771,200 rows of the 100x benchmark corpus, with their IVF
        # indexes, in a 43 s build).
        with self._conn.cursor().copy(f'COPY "{self.table(name)}" (row_id, content, embedding, report_id) '
                                      f"FROM STDIN WITH (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "text", "vector", "text"])
            for row_id, report, vector in zip(np.asarray(ids).tolist(), reports, vectors):
                copy.write_row((row_id, "", vector, report))
        info = self._info[name]
        self._info[name] = info.model_copy(update={"count": info.count + len(vectors)})

    def finish(self) -> dict[str, VectorSetInfo]:
        """After the last add: an IVF index on each set past approximate_from rows; returns the sets."""
        pg = _modules()
        for name, info in self._info.items():
            lists, probes = pg_search_method(info.count, self.approximate_from)
            if lists:
                self._vector_store(name).apply_vector_index(pg.IVFFlatIndex(
                    name=f"{self.table(name)}_ivf", lists=lists, distance_strategy=pg.DistanceStrategy.INNER_PRODUCT))
            self._conn.execute(f'ANALYZE "{self.table(name)}"')
            self._info[name] = info.model_copy(update={"search": describe(lists, probes)})
            self._stores.pop(name, None)  # re-created with the probes to search with
        return self.sets()

    def delete_report(self, report_id: str) -> None:
        for name in self._info:
            self._vector_store(name).delete(filter={"report_id": {"$eq": report_id}})
            count = self._conn.execute(f'SELECT count(*) FROM "{self.table(name)}"').fetchone()[0]
            self._info[name] = self._info[name].model_copy(update={"count": count})

    def search(self, name: str, query: np.ndarray, k: int, reports: Collection[str] | None = None) -> Hits:
        where = {"report_id": {"$in": list(reports)}} if reports is not None else None
        if reports is not None and not reports:
            return Hits(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
        with _answering(self.url):
            found = self._vector_store(name).similarity_search_with_score_by_vector(
                np.asarray(query, dtype=np.float32).tolist(), k=k, filter=where)
        return Hits(np.array([int(doc.id) for doc, _ in found], dtype=np.int64),
                    np.array([score for _, score in found], dtype=np.float32))

    def search_report(self, name: str, query: np.ndarray, k: int, report_id: str) -> Hits:
        return self.search(name, query, k, [report_id])

    def fetch(self, name: str, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        # Binary results: parsing vectors from text took 0.1 ms a row.
        with _answering(self.url):
            rows = self._conn.execute(f'SELECT row_id, embedding FROM "{self.table(name)}" '
                                      f'WHERE row_id = ANY(%s)', (ids.tolist(),), binary=True).fetchall()
        by_id = {row_id: vector for row_id, vector in rows}
        if len(by_id) != len(set(ids.tolist())):
            raise KeyError(f"vector set {name} lacks rows asked for")
        if not len(ids):
            return np.zeros((0, self._info[name].dimension), dtype=np.float32)
        return np.stack([np.asarray(by_id[i], dtype=np.float32) for i in ids.tolist()])

    def is_current(self) -> bool:
        """Whether this is still the version the index's current pointer names."""
        with _answering(self.url):
            if self._conn.closed:  # the server restarted: connect again
                self._conn = _connect(self.url)
            return current_version(self._conn) == self.version

    def _engine(self):
        if self.url not in self._engines:
            # Building an IVFFlat index of 65,760 rows needs 284 MB of maintenance_work_mem (default
            # 64 MB); it is taken only while an index is built.
            self._engines[self.url] = _modules().PGEngine.from_connection_string(
                _sqlalchemy_url(self.url), connect_args={"options": f"-c maintenance_work_mem={INDEX_BUILD_MEMORY}"})
        return self._engines[self.url]

    def _vector_store(self, name: str):
        if name not in self._stores:
            pg = _modules()
            probes = int(re.search(r"probes=(\d+)", self._info[name].search).group(1)) \
                if "probes=" in self._info[name].search else 0
            self._stores[name] = pg.PGVectorStore.create_sync(
                self._engine(), _NoEmbeddings(), self.table(name), id_column="row_id",
                metadata_columns=["report_id"], metadata_json_column=None,
                distance_strategy=pg.DistanceStrategy.INNER_PRODUCT,
                index_query_options=pg.IVFFlatQueryOptions(probes=probes) if probes else None)
        return self._stores[name]


def pg_search_method(count: int, approximate_from: int = PG_APPROXIMATE_FROM) -> tuple[int, int]:
    """pgvector's own rule: rows/1000 lists up to a million rows, √rows past it; √lists probed. The
    FAISS rule (4·√n lists) asked 2.3 GB of maintenance_work_mem for 657,600 rows."""
    if count < approximate_from:
        return 0, 0
    lists = max(1, count // 1000) if count <= 1_000_000 else int(math.sqrt(count))
    return lists, max(1, int(math.sqrt(lists)))


def current_version(conn) -> int | None:
    row = conn.execute("SELECT version FROM qa_index_current").fetchone()
    return row[0] if row else None


def load_pg_index(url: str) -> LoadedIndex:
    """The current version of the index in the database. Raises IndexMissing (PgUnavailable)."""
    conn = _connect(url)
    try:
        version = current_version(conn)
        if version is None:
            raise IndexMissing(f"No index in {redacted(url)}. Build it with: python -m indexer build --index {redacted(url)}")
        manifest_json, chunks_jsonl = conn.execute(
            "SELECT manifest, chunks FROM qa_index_versions WHERE version = %s", (version,)).fetchone()
    finally:
        conn.close()
    where = f"{redacted(url)} (version {version})"
    try:
        manifest = Manifest.model_validate_json(manifest_json)
    except ValueError as exc:
        raise IndexMissing(f"The index in {where} is damaged ({exc}). Rebuild it with: "
                           f"python -m indexer build --index {redacted(url)}") from None
    check_format(manifest, where, redacted(url))
    chunks = [Chunk.model_validate_json(line) for line in chunks_jsonl.splitlines() if line.strip()]
    check_counts(manifest, chunks, where, redacted(url))
    return LoadedIndex(manifest=manifest, chunks=chunks, vectors=PostgresStore(url, version, manifest.vector_sets),
                       lexical=LexicalIndex.build([lexical_text(c) for c in chunks]), location=url)


def write_pg_index(url: str, data: IndexData) -> None:
    """Write a new version and make it current in one statement; keep the one before it (replicas
    may be answering from it), drop older ones."""
    conn = _connect(url)
    try:
        version = conn.execute("SELECT coalesce(max(version), 0) + 1 FROM qa_index_versions").fetchone()[0]
        _drop_version(conn, version)  # what a killed build of this number left (builds hold the lock)
        store = PostgresStore(url, version)
        try:
            vector_sets = data.vector_store(store).finish()
            manifest = data.manifest.model_copy(update={"vector_sets": vector_sets})
            chunks = "".join(c.model_dump_json() + "\n" for c in data.chunks)
            with conn.transaction():
                conn.execute("INSERT INTO qa_index_versions (version, manifest, chunks) VALUES (%s, %s, %s)",
                             (version, manifest.model_dump_json(), chunks))
                conn.execute("INSERT INTO qa_index_current (one, version) VALUES (TRUE, %s) "
                             "ON CONFLICT (one) DO UPDATE SET version = EXCLUDED.version", (version,))
        except BaseException:
            _drop_version(conn, version)
            raise
        # Every version but this one and the one before: the tables of builds that were killed too.
        for (old,) in conn.execute("SELECT DISTINCT substring(tablename FROM '^qa_v([0-9]+)_')::bigint "
                                   "FROM pg_tables WHERE tablename ~ '^qa_v[0-9]+_'").fetchall():
            if old < version - 1:
                _drop_version(conn, old)
    finally:
        conn.close()


def _drop_version(conn, version: int) -> None:
    """Drop a version's tables and its row (a build that failed leaves nothing behind)."""
    for (table,) in conn.execute("SELECT tablename FROM pg_tables WHERE tablename ~ %s",
                                 (f"^qa_v{version}_",)).fetchall():
        conn.execute(f'DROP TABLE IF EXISTS "{table}"')
    conn.execute("DELETE FROM qa_index_versions WHERE version = %s", (version,))


@contextmanager
def pg_build_lock(url: str):
    """One build at a time per database: a second fails at once with IndexBusy."""
    conn = _connect(url)
    try:
        if not conn.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()[0]:
            raise IndexBusy(f"another build is writing the index in {redacted(url)}; wait for it to finish, "
                            f"then run again")
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
    finally:
        conn.close()
