"""The on-disk index: writing it atomically and the one function that loads it.

Layout (no pickle anywhere, so a folder a user points us at cannot run code):
  manifest.json          format version, model, settings, source files with hashes, counts, vector sets
  chunks.jsonl           one Chunk per line, in vector order
  vectors/               the FAISS vector store: per vector set ("minilm.chunks", "minilm.sentences",
                         "multilingual.chunks", "multilingual.sentences", "multilingual.words") a .faiss
                         index and the id and report of each row
  lexical/               bm25s index over the chunk texts

An index can live in PostgreSQL instead (indexer/pg_store.py): a location "postgresql://..."
wherever a folder is accepted.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np
from pydantic import BaseModel

from indexer.faiss_store import FaissStore
from indexer.lexical import LexicalIndex
from indexer.models import Chunk, ReportMeta, SkippedFile, SourceFile
from indexer.settings import IndexSettings
from indexer.vectors import CHUNKS, DEFAULT_SPACE, MULTILINGUAL_SPACE, SENTENCES, WORDS, VectorSetInfo, VectorStore, set_name

Location = Path | str  # an index folder, or a PostgreSQL URL (indexer/pg_store.py)

FORMAT_VERSION = 9  # 2: the manifest records the embedding backend; 3: sentence vectors pooled in their passage;
# 4: the int8 model is exported with eager attention (its vectors differ slightly: cosine ≥ 0.997);
# 5: every sentence has a kind (statement, heading, reference...);
# 6: vectors in named sets of a vector store (vectors/), each searched exactly or by IVF as the manifest says;
# multilingual-e5 sentence and word vectors as two more sets;
# 7: a table of contents is a heading, and multilingual passage vectors (their sentences' mean)
# 8: a piece of a sentence cut for length says it runs on (Sentence.runs_on), so a quote reads on;
# a statement that gives a web address is no reference; 9: a table of contents set out line by line is headings
MANIFEST = "manifest.json"


class IndexMissing(Exception):
    """No usable index in the folder; the message says how to build one."""


class IndexBusy(Exception):
    """Another build is writing the same index folder."""


class Manifest(BaseModel):
    format_version: int = FORMAT_VERSION
    built_at: str
    build_seconds: float
    corpus_dir: str
    settings: IndexSettings
    reports: list[ReportMeta]
    files: list[SourceFile]
    skipped: list[SkippedFile] = []
    chunks: int
    sentences: int
    dimension: int
    vector_sets: dict[str, VectorSetInfo] = {}
    multilingual_model: str | None = None  # the model of the multilingual sets, when there are some
    # The reports' English words, in the row order of the multilingual/words set (chat/translation.py).
    multilingual_words: list[str] = []
    # Of them, those the reports use as English words; and words they have only in Spanish (language_of).
    multilingual_english: list[str] = []
    multilingual_spanish: list[str] = []
    index_files: dict[str, str] = {}  # path inside the folder -> sha256, checked at load

    @property
    def content_hash(self) -> str:
        """Identifies what the index holds: sources, settings and format (not when it was built)."""
        key = json.dumps({"v": self.format_version, "settings": self.settings.model_dump(),
                          "files": sorted(f.sha256 for f in self.files)}, sort_keys=True)
        return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass
class IndexData:
    """What a build writes: the chunks and their vectors, in chunk order."""

    manifest: Manifest
    chunks: list[Chunk]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray
    multilingual_vectors: np.ndarray | None = None  # sentence rows in multilingual-e5's space (zeros: unmatched)
    multilingual_word_vectors: np.ndarray | None = None  # rows of manifest.multilingual_words

    def reports_of_sentences(self) -> list[str]:
        return [c.report_id for c in self.chunks for _ in c.sentences]

    def vector_store(self, store: VectorStore) -> VectorStore:
        """The store with this data's vectors added: ids are chunk positions and sentence rows (and
        word rows of the multilingual vocabulary, which belong to no report)."""
        if len(self.chunks):
            store.add(set_name(CHUNKS), np.arange(len(self.chunks)), [c.report_id for c in self.chunks],
                      self.chunk_vectors)
            store.add(set_name(SENTENCES), np.arange(len(self.sentence_vectors)), self.reports_of_sentences(),
                      self.sentence_vectors)
            if self.multilingual_vectors is not None:
                store.add(set_name(SENTENCES, MULTILINGUAL_SPACE), np.arange(len(self.multilingual_vectors)),
                          self.reports_of_sentences(), self.multilingual_vectors)
                store.add(set_name(CHUNKS, MULTILINGUAL_SPACE), np.arange(len(self.chunks)),
                          [c.report_id for c in self.chunks], passage_means(self.multilingual_vectors,
                                                                            self.chunks))
            if self.multilingual_word_vectors is not None and len(self.multilingual_word_vectors):
                words = self.multilingual_word_vectors
                store.add(set_name(WORDS, MULTILINGUAL_SPACE), np.arange(len(words)), [""] * len(words), words)
        return store


def passage_means(sentence_rows: np.ndarray, chunks: list[Chunk]) -> np.ndarray:
    """Each passage's vector as the normalised mean of its sentences' (zero rows, for sentences never
    matched, add nothing; a passage without any stays zero): multilingual-e5 on whole passages would
    take about 170 s more per build here, and on the 19 Spanish dev questions the means took
    retrieval hit@5 from 0.68 to 0.79."""
    bounds = np.concatenate([[0], np.cumsum([len(c.sentences) for c in chunks])]).astype(np.int64)
    running = np.concatenate([np.zeros((1, sentence_rows.shape[1]), np.float64), np.cumsum(sentence_rows, axis=0)])
    sums = running[bounds[1:]] - running[bounds[:-1]]
    return (sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)).astype(np.float32)


@dataclass
class LoadedIndex:
    """An index ready for search: vectors in a vector store, BM25 over the same chunks."""

    manifest: Manifest
    chunks: list[Chunk]
    vectors: VectorStore
    lexical: LexicalIndex
    location: Location

    @cached_property
    def reports(self) -> dict[str, ReportMeta]:
        return {r.id: r for r in self.manifest.reports}

    @cached_property
    def sentence_offsets(self) -> np.ndarray:
        """Row of each chunk's first sentence in the sentence order (one extra entry at the end)."""
        return np.concatenate([[0], np.cumsum([len(c.sentences) for c in self.chunks])]).astype(np.int64)

    def sentence_vectors_of(self, positions: list[int], space: str = DEFAULT_SPACE) -> list[np.ndarray]:
        """The sentence vectors of each given chunk in an embedding space, fetched from the store in one call."""
        offsets = self.sentence_offsets
        rows = [np.arange(offsets[p], offsets[p + 1]) for p in positions]
        fetched = self.vectors.fetch(set_name(SENTENCES, space), np.concatenate(rows) if rows else np.zeros(0, np.int64))
        return np.split(fetched, np.cumsum([len(r) for r in rows])[:-1]) if rows else []

    @property
    def multilingual(self) -> bool:
        """Whether the index holds multilingual sentence vectors (and the vocabulary's)."""
        return set_name(SENTENCES, MULTILINGUAL_SPACE) in self.manifest.vector_sets

    def multilingual_vectors(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Every multilingual sentence vector, in sentence order, and the vocabulary's word vectors
        (a build reuses them); None without them."""
        if not self.multilingual:
            return None
        words = set_name(WORDS, MULTILINGUAL_SPACE)
        return (self.vectors.fetch(set_name(SENTENCES, MULTILINGUAL_SPACE), np.arange(int(self.sentence_offsets[-1]))),
                self.vectors.fetch(words, np.arange(len(self.manifest.multilingual_words)))
                if words in self.manifest.vector_sets else np.zeros((0, 384), dtype=np.float32))

    def all_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Every chunk vector and sentence vector, in chunk order (a build reuses them)."""
        return (self.vectors.fetch(set_name(CHUNKS), np.arange(len(self.chunks))),
                self.vectors.fetch(set_name(SENTENCES), np.arange(int(self.sentence_offsets[-1]))))

    def is_current(self) -> bool:
        """False once a newer version of a shared (database) index is published; a folder is always current."""
        checker = getattr(self.vectors, "is_current", None)
        return checker() if checker else True


def is_database(location: Location) -> bool:
    return str(location).startswith(("postgresql://", "postgres://", "postgresql+"))


def index_location(value: str | Path) -> Location:
    """A command-line --index value: a PostgreSQL URL stays a string (a Path would fold its //)."""
    return str(value) if is_database(value) else Path(value)


def redacted(url: str) -> str:
    """A database URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


def rebuild_hint(location: Location) -> str:
    return f"python -m indexer build --index {location}"


def load_index(location: Location) -> LoadedIndex:
    """Load an index written by `python -m indexer build`: a folder, or a PostgreSQL URL. Raises IndexMissing."""
    if is_database(location):
        from indexer.pg_store import load_pg_index

        return load_pg_index(str(location))
    folder = Path(location)
    recover(folder)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise IndexMissing(f"No index at {folder}/. Build it with: {rebuild_hint(folder)}")
    try:
        manifest = Manifest.model_validate_json(manifest_path.read_text(encoding="utf-8"))
        check_format(manifest, f"{folder}/", folder)
        for name, digest in manifest.index_files.items():
            if file_sha256(folder / name) != digest:
                raise IndexMissing(f"The index at {folder}/ is damaged: {name} does not match its manifest. "
                                   f"Rebuild it with: {rebuild_hint(folder)}")
        with (folder / "chunks.jsonl").open(encoding="utf-8") as fh:
            chunks = [Chunk.model_validate_json(line) for line in fh if line.strip()]
        vectors = FaissStore.load(folder / "vectors", manifest.vector_sets)
        lexical = LexicalIndex.load(str(folder / "lexical"))
    except IndexMissing:
        raise
    except Exception as exc:  # any damage means the same thing to the user: rebuild
        raise IndexMissing(f"The index at {folder}/ is damaged ({type(exc).__name__}: {exc}). "
                           f"Rebuild it with: {rebuild_hint(folder)}") from None
    check_counts(manifest, chunks, f"{folder}/", folder)
    return LoadedIndex(manifest=manifest, chunks=chunks, vectors=vectors, lexical=lexical, location=folder)


def write_index(location: Location, data: IndexData) -> None:
    """Write beside the target folder, then swap it in, so a crash leaves the old index intact (in a
    database: write a new version, then make it current)."""
    if is_database(location):
        from indexer.pg_store import write_pg_index

        return write_pg_index(str(location), data)
    folder = Path(location)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.with_name(f"{folder.name}.building-{os.getpid()}")
    _remove_stale_siblings(folder)
    staging.mkdir()
    try:
        with (staging / "chunks.jsonl").open("w", encoding="utf-8") as fh:
            for chunk in data.chunks:
                fh.write(chunk.model_dump_json() + "\n")
        vector_sets = data.vector_store(FaissStore()).save(staging / "vectors")
        LexicalIndex.build([lexical_text(c) for c in data.chunks]).save(str(staging / "lexical"))
        files = {str(p.relative_to(staging)): file_sha256(p) for p in sorted(staging.rglob("*")) if p.is_file()}
        manifest = data.manifest.model_copy(update={"index_files": files, "vector_sets": vector_sets})
        # The manifest goes last: a folder without one is never mistaken for an index.
        (staging / MANIFEST).write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
        _swap_in(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def check_format(manifest: Manifest, where: str, location: Location) -> None:
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMissing(f"The index at {where} has format {manifest.format_version}, this version reads "
                           f"{FORMAT_VERSION}. Rebuild it with: {rebuild_hint(location)}")


def check_counts(manifest: Manifest, chunks: list[Chunk], where: str, location: Location) -> None:
    """The vector sets hold a row for every chunk and every sentence."""
    sets = manifest.vector_sets
    chunk_set, sentence_set = sets.get(set_name(CHUNKS)), sets.get(set_name(SENTENCES))
    if (chunk_set is None or sentence_set is None or chunk_set.count != len(chunks)
            or sentence_set.count != sum(len(c.sentences) for c in chunks)):
        raise IndexMissing(f"The index at {where} is inconsistent (vector and chunk counts differ). "
                           f"Rebuild it with: {rebuild_hint(location)}")


def lexical_text(chunk: Chunk) -> str:
    return f"{chunk.section}\n{chunk.text}"


def _swap_in(staging: Path, folder: Path) -> None:
    retired = folder.with_name(f"{folder.name}.previous-{os.getpid()}")
    if folder.exists():
        os.replace(folder, retired)
    os.replace(staging, folder)
    shutil.rmtree(retired, ignore_errors=True)


def recover(folder: Path) -> None:
    """Finish a swap a crash interrupted: put the retired index back if no index took its place."""
    if (folder / MANIFEST).is_file():
        return
    retired = sorted(folder.parent.glob(f"{folder.name}.previous-*"), key=lambda p: p.stat().st_mtime)
    if retired and (retired[-1] / MANIFEST).is_file():
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(retired[-1], folder)


def _remove_stale_siblings(folder: Path) -> None:
    """Staging folders of builds that died (killed, powered off), and retired indexes.

    Called under the build lock, so no live build owns any of them."""
    for sibling in folder.parent.glob(f"{folder.name}.building-*"):
        shutil.rmtree(sibling, ignore_errors=True)
    if (folder / MANIFEST).is_file():
        for sibling in folder.parent.glob(f"{folder.name}.previous-*"):
            shutil.rmtree(sibling, ignore_errors=True)


@contextmanager
def build_lock(location: Location):
    """Hold the index for one build at a time; a second build fails at once with IndexBusy."""
    if is_database(location):
        from indexer.pg_store import pg_build_lock

        with pg_build_lock(str(location)):
            yield
        return
    folder = Path(location)
    folder.parent.mkdir(parents=True, exist_ok=True)
    lock_path = folder.with_name(f"{folder.name}.lock")
    with lock_path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusy(f"another build is writing {folder}/; wait for it to finish, then run again") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
