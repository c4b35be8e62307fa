"""Build or refresh an index from a folder of PDFs, re-embedding only what changed."""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

import numpy as np
from tqdm import tqdm

from indexer.catalog import find_catalog, load_catalog, metadata_for
from indexer.chunking import chunk_sections, embedding_text
from indexer.layout import sections
from indexer.models import Chunk, ReportMeta, SkippedFile, SourceFile
from indexer.multilingual import (MULTILINGUAL_MODEL_ID, MultilingualEncoder, sentence_vectors, vocabulary,
                                  word_vectors)
from indexer.pdf_reader import MAX_PAGES, UnreadablePdf, load_pages
from indexer.settings import ChunkingSettings, IndexSettings
from indexer.store import (IndexData, IndexMissing, LoadedIndex, Location, Manifest, build_lock, file_sha256,
                           index_location, load_index, now_iso, write_index)
from indexer.token_states import Span

IGNORED_NAMES = {"catalog.json"}
PARALLEL_MIN_BYTES = 256_000  # below this, reading takes about as long as starting worker processes

log = logging.getLogger(__name__)


# A passage's embedded text and its sentences; and the passage's vector with one row per sentence.
PassageKey = tuple[str, tuple[str, ...]]
PassageVectors = tuple[np.ndarray, np.ndarray]


class Encoder(Protocol):
    model_id: str
    dimension: int

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray: ...

    def encode_in_context(self, texts: list[str],
                          spans: list[list[Span]]) -> tuple[np.ndarray, list[list[np.ndarray | None]]]: ...


class BuildFailed(Exception):
    """Nothing could be indexed, or --strict met a skipped file; the previous index is untouched."""


@dataclass
class BuildReport:
    files: int = 0
    pages: int = 0
    chunks: int = 0
    reused_files: int = 0
    embedded_texts: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)
    ignored: list[SkippedFile] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"Indexed {self.files} file(s) ({self.reused_files} unchanged), {self.pages} pages, "
                f"{self.chunks} chunks; embedded {self.embedded_texts} texts; skipped {len(self.skipped)}; "
                f"{self.seconds:.1f} s")


@dataclass
class _FileResult:
    meta: ReportMeta
    source: SourceFile
    chunks: list[Chunk]
    chunk_vectors: np.ndarray | None = None
    sentence_vectors: np.ndarray | None = None


def build_index(corpus_dir: Path, index_dir: Path, settings: IndexSettings,
                make_encoder: Callable[[IndexSettings], Encoder], strict: bool = False,
                progress: bool = True, max_pages: int = MAX_PAGES, ray: str | None = None,
                make_multilingual: Callable[[], MultilingualEncoder] = MultilingualEncoder) -> BuildReport:
    """Index every PDF in corpus_dir into index_dir (a folder or a PostgreSQL URL). With ray (a
    cluster address, or "local"), new and changed PDFs are read, and their passages embedded, as Ray
    tasks, in the batches a single-process build makes (so the vectors are the same).
    Raises BuildFailed when nothing can be indexed, IndexBusy when another build is writing index_dir,
    MultilingualUnavailable."""
    with build_lock(index_location(index_dir)):
        return _build(Path(corpus_dir), index_location(index_dir), settings, make_encoder, strict, progress,
                      max_pages, ray, make_multilingual)


def _build(corpus_dir: Path, index_dir: Location, settings: IndexSettings,
           make_encoder: Callable[[IndexSettings], Encoder], strict: bool, progress: bool,
           max_pages: int, ray: str | None, make_multilingual: Callable[[], MultilingualEncoder]) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport()
    pdfs = _list_pdfs(corpus_dir, report)
    catalog = load_catalog(find_catalog(corpus_dir))
    previous = _previous_index(index_dir)
    reusable = previous if previous and _same_output(previous.manifest.settings, settings) else None
    old_vectors = previous.all_vectors() if previous else None

    results = _read_all(pdfs, catalog, settings, reusable, old_vectors, max_pages, report, progress, ray)
    skipped = "; ".join(f"{s.file_name}: {s.reason}" for s in report.skipped)
    if strict and report.skipped:
        raise BuildFailed(f"--strict: skipped {skipped}; the index was not changed")
    if not results:
        raise BuildFailed(f"nothing could be indexed in {corpus_dir} ({skipped}); the index was not changed")

    if ray is not None:
        from indexer.ray_build import RayBatches

        batches = RayBatches(settings, make_encoder)
    else:
        batches = LocalBatches(settings, make_encoder, progress)
    report.embedded_texts = _embed_missing(results, settings, batches, _known_vectors(previous, old_vectors, settings))
    data = _assemble(results, corpus_dir, settings, report, started)
    if settings.multilingual:
        encoder = _LazyEncoder(make_multilingual)
        known_sentences, known_words = _known_multilingual(previous)
        data.multilingual_vectors, embedded = sentence_vectors(data.chunks, encoder, known_sentences, progress)
        words = vocabulary(data.chunks)
        data.multilingual_word_vectors, words_embedded = word_vectors(words.words, encoder, known_words, progress)
        report.embedded_texts += embedded + words_embedded
        data.manifest = data.manifest.model_copy(update={
            "build_seconds": round(time.perf_counter() - started, 2), "multilingual_model": MULTILINGUAL_MODEL_ID,
            "multilingual_words": words.words, "multilingual_english": words.english,
            "multilingual_spanish": words.spanish})
    write_index(index_dir, data)
    report.files = len(results)
    report.reused_files = sum(1 for r in results if r.source.sha256 in _hashes(reusable))
    report.pages = sum(r.source.pages for r in results)
    report.chunks = len(data.chunks)
    report.seconds = time.perf_counter() - started
    return report


def _list_pdfs(corpus_dir: Path, report: BuildReport) -> list[Path]:
    if not corpus_dir.is_dir():
        raise BuildFailed(f"corpus folder {corpus_dir} does not exist; pass --corpus DIR with your PDFs")
    pdfs = []
    for path in sorted(corpus_dir.iterdir()):
        if path.name.startswith(".") or path.name in IGNORED_NAMES or path.is_dir():
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(corpus_dir.resolve()):
            report.skipped.append(SkippedFile(file_name=path.name, reason="a link to a file outside the corpus folder"))
        elif path.suffix.lower() == ".pdf":
            pdfs.append(path)
        else:
            report.ignored.append(SkippedFile(file_name=path.name, reason="not a .pdf file"))
    if not pdfs:
        raise BuildFailed(f"no PDF files in {corpus_dir}; put the reports there or pass --corpus DIR")
    return pdfs


def _same_output(a: IndexSettings, b: IndexSettings) -> bool:
    """Settings that produce the same chunks and MiniLM vectors (batch size and the multilingual
    vectors change neither)."""
    ignored = {"batch_size", "multilingual"}
    return a.model_dump(exclude=ignored) == b.model_dump(exclude=ignored)


def _known_multilingual(previous: LoadedIndex | None) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Multilingual vectors of the sentences and words the previous index holds, by text, to skip
    re-embedding them."""
    vectors = previous.multilingual_vectors() if previous else None
    if vectors is None:
        return {}, {}
    sentences, words = vectors
    by_text = {s.text: v for s, v in zip((s for c in previous.chunks for s in c.sentences), sentences) if v.any()}
    return by_text, dict(zip(previous.manifest.multilingual_words, words))


class _LazyEncoder:
    """Loads the multilingual model only if some sentence needs embedding."""

    def __init__(self, make: Callable[[], MultilingualEncoder]):
        self._make, self._encoder = make, None

    def passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        self._encoder = self._encoder or self._make()
        return self._encoder.passages(texts, progress)

    def queries(self, texts: list[str], progress: bool = False) -> np.ndarray:
        self._encoder = self._encoder or self._make()
        return self._encoder.queries(texts, progress)


def _previous_index(index_dir: Location) -> LoadedIndex | None:
    try:
        return load_index(index_dir)
    except IndexMissing:
        return None


def _known_vectors(previous: LoadedIndex | None, old_vectors: PassageVectors | None,
                   settings: IndexSettings) -> dict[PassageKey, PassageVectors]:
    """Vectors of passages the previous index embedded with the same model, to skip re-embedding them."""
    old_model = previous.manifest.settings if previous else None
    if old_model is None or (old_model.model_id, old_model.backend) != (settings.model_id, settings.backend):
        return {}
    old, offsets = previous.manifest.settings.chunking, previous.sentence_offsets
    chunk_vectors, sentence_vectors = old_vectors
    return {_passage_key(c, previous.reports[c.report_id], old):
            (chunk_vectors[i], sentence_vectors[offsets[i]:offsets[i + 1]])
            for i, c in enumerate(previous.chunks)}


def _hashes(index: LoadedIndex | None) -> set[str]:
    return {f.sha256 for f in index.manifest.files} if index else set()


def _read_all(pdfs: list[Path], catalog: dict[str, ReportMeta], settings: IndexSettings,
              previous: LoadedIndex | None, old_vectors: PassageVectors | None, max_pages: int, report: BuildReport,
              progress: bool, ray: str | None) -> list[_FileResult]:
    """Each PDF's passages, in folder order: reused from the previous index when the file is unchanged,
    else read anew (as Ray tasks with ray). Unreadable files go to report.skipped."""
    hashes = {pdf: file_sha256(pdf) for pdf in pdfs}
    reused = {pdf: _reuse(previous, old_vectors, pdf.stem, hashes[pdf]) for pdf in pdfs}
    to_read = [pdf for pdf in pdfs if reused[pdf] is None]
    if ray is not None:
        from indexer.ray_build import read_on_ray

        read = read_on_ray(to_read, settings, max_pages, ray, progress)
    else:
        read = _read_in_parallel(to_read, settings, max_pages, progress)
    results = []
    for pdf in pdfs:
        meta = metadata_for(pdf, catalog)
        if reused[pdf] is not None:
            reused[pdf].meta = meta
            results.append(reused[pdf])
            continue
        outcome = read[pdf]
        if isinstance(outcome, UnreadablePdf):
            report.skipped.append(SkippedFile(file_name=pdf.name, reason=str(outcome)))
            continue
        pages, chunks = outcome
        source = SourceFile(report_id=pdf.stem, file_name=pdf.name, sha256=hashes[pdf], pages=pages,
                            chunks=len(chunks), sentences=sum(len(c.sentences) for c in chunks))
        results.append(_FileResult(meta=meta, source=source, chunks=chunks))
    return results


def _read_in_parallel(pdfs: list[Path], settings: IndexSettings, max_pages: int,
                      progress: bool) -> dict[Path, tuple[int, list[Chunk]] | UnreadablePdf]:
    """pypdf is pure Python and single-threaded, so several files are read in worker processes, the
    largest first. A few small files are read here: starting workers would cost more than it saves."""
    if len(pdfs) < 2 or sum(p.stat().st_size for p in pdfs) < PARALLEL_MIN_BYTES:
        return {pdf: _read_one(pdf, settings.chunking, max_pages) for pdf in pdfs}
    largest_first = sorted(pdfs, key=lambda p: p.stat().st_size, reverse=True)
    workers = min(len(pdfs), os.cpu_count() or 1)
    read: dict[Path, tuple[int, list[Chunk]] | UnreadablePdf] = {}
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(_read_one, pdf, settings.chunking, max_pages): pdf for pdf in largest_first}
            for future in tqdm(as_completed(futures), total=len(futures), desc="Reading PDFs", unit="file",
                               disable=not progress):
                read[futures[future]] = future.result()
    except BrokenProcessPool:  # a worker died (out of memory, a crash in a parser): read the rest here
        log.warning("a PDF reading process stopped; reading the remaining files one by one")
    return {pdf: read[pdf] if pdf in read else _read_one(pdf, settings.chunking, max_pages) for pdf in pdfs}


def _read_one(pdf: Path, chunking: ChunkingSettings, max_pages: int) -> tuple[int, list[Chunk]] | UnreadablePdf:
    """Page count and passages of one PDF, or why it cannot be indexed (returned: it crosses processes)."""
    try:
        pages = load_pages(pdf, max_pages)
        chunks = chunk_sections(pdf.stem, sections(pages), chunking)
    except UnreadablePdf as exc:
        return exc
    return (len(pages), chunks) if chunks else UnreadablePdf("no usable text after cleaning")


def _reuse(previous: LoadedIndex | None, old_vectors: PassageVectors | None, report_id: str,
           sha: str) -> _FileResult | None:
    if previous is None:
        return None
    source = next((f for f in previous.manifest.files if f.report_id == report_id and f.sha256 == sha), None)
    if source is None:
        return None
    positions = [i for i, c in enumerate(previous.chunks) if c.report_id == report_id]
    offsets = previous.sentence_offsets
    sentence_rows = np.concatenate([np.arange(offsets[i], offsets[i + 1]) for i in positions])
    return _FileResult(
        meta=previous.reports[report_id], source=source,
        chunks=[previous.chunks[i] for i in positions],
        chunk_vectors=old_vectors[0][positions],
        sentence_vectors=old_vectors[1][sentence_rows],
    )


def _embed_missing(results: list[_FileResult], settings: IndexSettings, batches: BatchEncoder,
                   known: dict[PassageKey, PassageVectors]) -> int:
    """Vectors for passages and their sentences in new or changed files, each distinct passage
    embedded once. A sentence's vector comes from the same pass as its passage's; only sentences past
    the model's token limit are embedded again on their own. Returns how many texts were embedded."""
    pending = [r for r in results if r.chunk_vectors is None]
    if not pending:
        return 0
    vectors = dict(known)
    wanted = {_passage_key(c, r.meta, settings.chunking) for r in pending for c in r.chunks}
    # Length-sorted batches pad little: about twice as fast as batches of mixed lengths. Ties are
    # broken by the text, so the same corpus gives the same batches, wherever they run: int8
    # activations are scaled per batch, so a vector depends slightly on its batch-mates.
    missing = sorted(wanted - vectors.keys(), key=lambda key: (len(key[0]), key))
    step = settings.batch_size
    key_batches = [missing[i:i + step] for i in range(0, len(missing), step)]
    in_context = {key: out for batch, (passage_vectors, sentence_vectors) in
                  zip(key_batches, batches.in_context([[(k[0], _sentence_spans(k)) for k in b] for b in key_batches]))
                  for key, out in zip(batch, zip(passage_vectors, sentence_vectors))}
    alone = sorted({text for key, (_, rows) in in_context.items() for text, v in zip(key[1], rows) if v is None},
                   key=lambda text: (len(text), text))
    alone_batches = [alone[i:i + step] for i in range(0, len(alone), step)]
    own = {text: v for batch, out in zip(alone_batches, batches.alone(alone_batches)) for text, v in zip(batch, out)}
    for key, (vector, rows) in in_context.items():
        vectors[key] = (vector, np.stack([own[text] if v is None else v for text, v in zip(key[1], rows)]))
    for result in pending:
        _attach_vectors(result, vectors, settings)
    return len(missing) + len(alone)


class BatchEncoder(Protocol):
    """Runs embedding batches: here (LocalBatches) or as Ray tasks (indexer/ray_build.py)."""

    def in_context(self, batches: list[list[tuple[str, list[Span]]]]) -> list[tuple[np.ndarray, list]]: ...

    def alone(self, batches: list[list[str]]) -> list[np.ndarray]: ...


class LocalBatches:
    """Embedding batches in this process, the encoder made on first use."""

    def __init__(self, settings: IndexSettings, make_encoder: Callable[[IndexSettings], Encoder],
                 progress: bool = False):
        self.settings, self.make_encoder, self.progress = settings, make_encoder, progress
        self._encoder: Encoder | None = None

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = self.make_encoder(self.settings)
        return self._encoder

    def in_context(self, batches: list[list[tuple[str, list[Span]]]]) -> list[tuple[np.ndarray, list]]:
        return [self.encoder.encode_in_context([text for text, _ in b], [spans for _, spans in b])
                for b in tqdm(batches, desc="Embedding", unit="batch", disable=not self.progress)]

    def alone(self, batches: list[list[str]]) -> list[np.ndarray]:
        return [self.encoder.encode(b) for b in batches]


def _attach_vectors(result: _FileResult, vectors: dict[PassageKey, PassageVectors], settings: IndexSettings) -> None:
    keys = [_passage_key(c, result.meta, settings.chunking) for c in result.chunks]
    result.chunk_vectors = np.stack([vectors[k][0] for k in keys])
    result.sentence_vectors = np.concatenate([vectors[k][1] for k in keys])


def _passage_key(chunk: Chunk, meta: ReportMeta, chunking: ChunkingSettings) -> PassageKey:
    """What is embedded for a passage, and its sentences: the same key always gives the same vectors."""
    return embedding_text(chunk, meta, chunking), tuple(s.text for s in chunk.sentences)


def _sentence_spans(key: PassageKey) -> list[Span]:
    """Where each sentence sits in the embedded text: at its end, joined by single spaces."""
    text, sentences = key
    start = len(text) - len(" ".join(sentences))
    spans = []
    for sentence in sentences:
        spans.append((start, start + len(sentence)))
        start += len(sentence) + 1
    return spans


def _assemble(results: list[_FileResult], corpus_dir: Path, settings: IndexSettings,
              report: BuildReport, started: float) -> IndexData:
    chunks = [c for r in results for c in r.chunks]
    chunk_vectors = np.concatenate([r.chunk_vectors for r in results])
    sentence_vectors = np.concatenate([r.sentence_vectors for r in results])
    manifest = Manifest(
        built_at=now_iso(), build_seconds=round(time.perf_counter() - started, 2),
        corpus_dir=str(corpus_dir.resolve()), settings=settings,
        reports=[r.meta for r in results], files=[r.source for r in results], skipped=report.skipped,
        chunks=len(chunks), sentences=len(sentence_vectors), dimension=chunk_vectors.shape[1],
    )
    return IndexData(manifest=manifest, chunks=chunks, chunk_vectors=chunk_vectors,
                     sentence_vectors=sentence_vectors)
