"""The on-disk index: writing it atomically and the one function that loads it.

Layout (no pickle anywhere, so a folder a user points us at cannot run code):
  manifest.json          format version, model, settings, source files with hashes, counts
  chunks.jsonl           one Chunk per line, in vector order
  vectors.faiss          inner-product FAISS index over chunk embeddings
  sentence_vectors.npy   float32, one row per sentence of each chunk, in chunk order
  multilingual_vectors.npy  float32, the same rows from multilingual-e5-small (zeros: not embedded);
                         absent when the index was built without them
  multilingual_words.json, multilingual_word_vectors.npy  the corpus's words and their vectors, to
                         look a question's words up in English (chat/translation.py)
  lexical/               bm25s index over the chunk texts
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

import faiss
import numpy as np
from pydantic import BaseModel

from indexer.lexical import LexicalIndex
from indexer.multilingual import MULTILINGUAL_MODEL_ID
from indexer.models import Chunk, ReportMeta, SkippedFile, SourceFile
from indexer.settings import IndexSettings

FORMAT_VERSION = 5  # 2: the manifest records the embedding backend; 3: sentence vectors pooled in their passage;
# 4: the int8 model is exported with eager attention (its vectors differ slightly: cosine ≥ 0.997);
# 5: every sentence has a kind (statement, heading, reference...)
MANIFEST = "manifest.json"
MULTILINGUAL_FILE = "multilingual_vectors.npy"
WORDS_FILE = "multilingual_words.json"
WORD_VECTORS_FILE = "multilingual_word_vectors.npy"


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
    multilingual_model: str | None = None  # the model of multilingual_vectors.npy, when there is one
    index_files: dict[str, str] = {}  # path inside the folder -> sha256, checked at load

    @property
    def content_hash(self) -> str:
        """Identifies what the index holds: sources, settings and format (not when it was built)."""
        key = json.dumps({"v": self.format_version, "settings": self.settings.model_dump(),
                          "files": sorted(f.sha256 for f in self.files)}, sort_keys=True)
        return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass
class IndexData:
    """Everything an index holds, in memory."""

    manifest: Manifest
    chunks: list[Chunk]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray
    multilingual_vectors: np.ndarray | None = None
    multilingual_words: list[str] | None = None
    multilingual_word_vectors: np.ndarray | None = None

    @cached_property
    def sentence_offsets(self) -> np.ndarray:
        """Row in sentence_vectors of each chunk's first sentence (one extra entry at the end)."""
        return np.concatenate([[0], np.cumsum([len(c.sentences) for c in self.chunks])]).astype(np.int64)


@dataclass(kw_only=True)
class LoadedIndex(IndexData):
    """An index ready for search: vectors in FAISS, BM25 over the same chunks."""

    dense: faiss.Index
    lexical: LexicalIndex
    folder: Path

    @cached_property
    def reports(self) -> dict[str, ReportMeta]:
        return {r.id: r for r in self.manifest.reports}


def load_index(folder: Path) -> LoadedIndex:
    """Load an index folder written by `python -m indexer build`. Raises IndexMissing."""
    folder = Path(folder)
    recover(folder)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise IndexMissing(f"No index at {folder}/. Build it with: python -m indexer build --index {folder}")
    try:
        manifest = Manifest.model_validate_json(manifest_path.read_text(encoding="utf-8"))
        if manifest.format_version != FORMAT_VERSION:
            raise IndexMissing(
                f"The index at {folder}/ has format {manifest.format_version}, this version reads "
                f"{FORMAT_VERSION}. Rebuild it with: python -m indexer build --index {folder}")
        for name, digest in manifest.index_files.items():
            if file_sha256(folder / name) != digest:
                raise IndexMissing(f"The index at {folder}/ is damaged: {name} does not match its manifest. "
                                   f"Rebuild it with: python -m indexer build --index {folder}")
        with (folder / "chunks.jsonl").open(encoding="utf-8") as fh:
            chunks = [Chunk.model_validate_json(line) for line in fh if line.strip()]
        dense = faiss.read_index(str(folder / "vectors.faiss"))
        sentence_vectors = np.load(folder / "sentence_vectors.npy", allow_pickle=False)
        multilingual_vectors = words = word_vectors = None
        if manifest.multilingual_model:
            multilingual_vectors = np.load(folder / MULTILINGUAL_FILE, allow_pickle=False)
            words = json.loads((folder / WORDS_FILE).read_text(encoding="utf-8"))
            word_vectors = np.load(folder / WORD_VECTORS_FILE, allow_pickle=False)
        lexical = LexicalIndex.load(str(folder / "lexical"))
    except IndexMissing:
        raise
    except Exception as exc:  # any damage means the same thing to the user: rebuild
        raise IndexMissing(f"The index at {folder}/ is damaged ({type(exc).__name__}: {exc}). "
                           f"Rebuild it with: python -m indexer build --index {folder}") from None
    chunk_vectors = dense.reconstruct_n(0, dense.ntotal) if dense.ntotal else np.zeros(
        (0, manifest.dimension), dtype=np.float32)
    sentences = sum(len(c.sentences) for c in chunks)
    if (dense.ntotal != len(chunks) or len(sentence_vectors) != sentences
            or (multilingual_vectors is not None and (len(multilingual_vectors) != sentences
                                                      or len(words) != len(word_vectors)))):
        raise IndexMissing(f"The index at {folder}/ is inconsistent (vector and chunk counts differ). "
                           f"Rebuild it with: python -m indexer build --index {folder}")
    return LoadedIndex(manifest=manifest, chunks=chunks, chunk_vectors=chunk_vectors,
                       sentence_vectors=sentence_vectors, multilingual_vectors=multilingual_vectors,
                       multilingual_words=words, multilingual_word_vectors=word_vectors,
                       dense=dense, lexical=lexical, folder=folder)


def write_index(folder: Path, data: IndexData) -> None:
    """Write beside the target folder, then swap it in, so a crash leaves the old index intact."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.with_name(f"{folder.name}.building-{os.getpid()}")
    _remove_stale_siblings(folder)
    staging.mkdir()
    try:
        with (staging / "chunks.jsonl").open("w", encoding="utf-8") as fh:
            for chunk in data.chunks:
                fh.write(chunk.model_dump_json() + "\n")
        dense = faiss.IndexFlatIP(data.manifest.dimension)
        if len(data.chunk_vectors):
            dense.add(np.ascontiguousarray(data.chunk_vectors, dtype=np.float32))
        faiss.write_index(dense, str(staging / "vectors.faiss"))
        np.save(staging / "sentence_vectors.npy", data.sentence_vectors.astype(np.float32), allow_pickle=False)
        manifest = data.manifest
        if data.multilingual_vectors is not None:
            np.save(staging / MULTILINGUAL_FILE, data.multilingual_vectors.astype(np.float32), allow_pickle=False)
            (staging / WORDS_FILE).write_text(json.dumps(data.multilingual_words or []), encoding="utf-8")
            np.save(staging / WORD_VECTORS_FILE, np.asarray(
                data.multilingual_word_vectors if data.multilingual_word_vectors is not None
                else np.zeros((0, 384)), dtype=np.float32), allow_pickle=False)
            manifest = manifest.model_copy(update={"multilingual_model": MULTILINGUAL_MODEL_ID})
        LexicalIndex.build([lexical_text(c) for c in data.chunks]).save(str(staging / "lexical"))
        files = {str(p.relative_to(staging)): file_sha256(p) for p in sorted(staging.rglob("*")) if p.is_file()}
        manifest = manifest.model_copy(update={"index_files": files})
        # The manifest goes last: a folder without one is never mistaken for an index.
        (staging / MANIFEST).write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
        _swap_in(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
def build_lock(folder: Path):
    """Hold the index folder for one build at a time; a second build fails at once with IndexBusy."""
    folder = Path(folder)
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
