"""Scale benchmark: each vector store on synthetic corpora of 1x, 10x and 100x the passages.

    python bench/scale.py --index index                   # FAISS, PostgreSQL (pgserver), numpy; 1x 10x 100x
    python bench/scale.py --index index --scales 1 10 --stores faiss postgres --out runs/scale

A synthetic corpus of N x copies every passage of a built index N times, under new chunk and report
ids ("<report>~3"), with every vector perturbed (Gaussian noise of 0.01 per dimension, renormalised;
cosine to the original about 0.98), so copies are near, not equal, neighbours. For each store and
size, in a fresh process: build (writing the store), load (reading the index and making the chat
engine), `ask` p50/p95 over 30 dev questions (extractive, after a warm-up), recall@10 of the store's
chunk and sentence search against exact search over the same vectors, and peak RSS. The stores:
FAISS (the default), PostgreSQL with pgvector (a pgserver started for the run, on a Unix socket),
and "numpy", today's in-memory matrices searched by a full dot product, as the candidate that has
to earn a place. Every figure is also given as a ratio to FAISS at 1x measured in the same run.
Writes summary.json, scale.md (the table) and scale.png (log-log) to --out.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Collection, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

DEV_SET = ROOT.parent / "shared" / "evals" / "dev.jsonl"
QUESTIONS = 30
NOISE = 0.01
STORES = ("faiss", "postgres", "numpy")
REFERENCE = ("faiss", 1)


def synthetic(index_dir: Path, copies: int, seed: int = 0):
    """IndexData of `copies` x the index's passages, re-ided, vectors perturbed."""
    from indexer import load_index
    from indexer.store import IndexData

    index = load_index(index_dir)
    chunk_vectors, sentence_vectors = index.all_vectors()
    rng = np.random.default_rng(seed)
    chunks, reports, files, cv, sv = [], [], [], [], []
    for n in range(copies):
        suffix = f"~{n}" if n else ""
        for c in index.chunks:
            chunks.append(c.model_copy(update={"id": c.id + suffix, "report_id": c.report_id + suffix}))
        reports += [r.model_copy(update={"id": r.id + suffix}) for r in index.manifest.reports]
        files += [f.model_copy(update={"report_id": f.report_id + suffix, "sha256": f.sha256 + suffix})
                  for f in index.manifest.files]
        cv.append(_perturbed(chunk_vectors, rng) if n else chunk_vectors)
        sv.append(_perturbed(sentence_vectors, rng) if n else sentence_vectors)
    chunk_vectors, sentence_vectors = np.concatenate(cv), np.concatenate(sv)
    manifest = index.manifest.model_copy(update={
        "reports": reports, "files": files, "chunks": len(chunks), "sentences": len(sentence_vectors),
        "vector_sets": {}, "index_files": {},
        "multilingual_model": None, "multilingual_words": []})  # the synthetic corpus has English vectors only
    return IndexData(manifest=manifest, chunks=chunks, chunk_vectors=chunk_vectors, sentence_vectors=sentence_vectors)


def _perturbed(vectors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    noisy = vectors + rng.normal(scale=NOISE, size=vectors.shape).astype(np.float32)
    return noisy / np.linalg.norm(noisy, axis=1, keepdims=True)


class NumpyStore:
    """Today's way, as a store: the vectors in memory, every search a full matrix product."""

    def __init__(self, data) -> None:
        from indexer.vectors import CHUNKS, SENTENCES, VectorSetInfo, set_name

        reports = [c.report_id for c in data.chunks]
        self._sets = {set_name(CHUNKS): (data.chunk_vectors, np.array(reports)),
                      set_name(SENTENCES): (data.sentence_vectors, np.array(data.reports_of_sentences()))}
        self._info = {n: VectorSetInfo(dimension=v.shape[1], count=len(v), search="exact")
                      for n, (v, _) in self._sets.items()}

    def sets(self):
        return self._info

    def search(self, name: str, query: np.ndarray, k: int, reports: Collection[str] | None = None):
        from indexer.vectors import Hits

        vectors, owners = self._sets[name]
        scores = vectors @ query
        if reports is not None:
            scores = np.where(np.isin(owners, list(reports)), scores, -np.inf)
        top = np.argpartition(-scores, min(k, len(scores) - 1))[:k]
        top = top[np.argsort(-scores[top])]
        top = top[np.isfinite(scores[top])]
        return Hits(top.astype(np.int64), scores[top].astype(np.float32))

    def search_report(self, name: str, query: np.ndarray, k: int, report_id: str):
        return self.search(name, query, k, [report_id])

    def fetch(self, name: str, ids: np.ndarray) -> np.ndarray:
        return self._sets[name][0][np.asarray(ids, dtype=np.int64)]

    def add(self, name: str, ids: np.ndarray, reports: Sequence[str], vectors: np.ndarray) -> None:
        raise NotImplementedError

    def delete_report(self, report_id: str) -> None:
        raise NotImplementedError


def measure(store: str, copies: int, index_dir: Path, location: str) -> dict:
    """One store at one size, in this process."""
    from chat.engine import ChatEngine
    from evals.questions import load_questions
    from indexer import load_index
    from indexer.embedding import SentenceEmbedder
    from indexer.store import write_index
    from indexer.vectors import CHUNKS, SENTENCES, set_name

    data = synthetic(index_dir, copies)
    started = time.perf_counter()
    write_index(location, data)  # for numpy too: its chunk table and BM25 (and vectors, as today's index)
    build_s = time.perf_counter() - started
    del data
    started = time.perf_counter()
    index = load_index(location)
    if store == "numpy":
        index.vectors = NumpyStore(_data_of(index))
    engine = ChatEngine(index=index, encoder=SentenceEmbedder(index.manifest.settings.model_id,
                                                              backend=index.manifest.settings.backend))
    load_s = time.perf_counter() - started
    questions = [q for q in load_questions(DEV_SET) if not q.history and q.lang == "en"][:QUESTIONS]
    engine.ask(questions[0].question)
    latencies, retrieve_ms = [], []
    for q in questions:
        t = time.perf_counter()
        answer = engine.ask(q.question)
        latencies.append((time.perf_counter() - t) * 1000)
        retrieve_ms.append(answer.timings_ms.get("retrieve_ms", 0.0))
    recall = {}
    queries = engine.encoder.encode([q.question for q in questions])
    for level in (CHUNKS, SENTENCES):
        name = set_name(level)
        count = index.vectors.sets()[name].count
        all_vectors = index.vectors.fetch(name, np.arange(count))
        exact = np.argsort(-(queries @ all_vectors.T), axis=1)[:, :10]
        found = [index.vectors.search(name, q, 10).ids for q in queries]
        recall[level] = float(np.mean([len(set(f) & set(e)) / 10 for f, e in zip(found, exact)]))
        del all_vectors
    sets = index.vectors.sets()
    return {"store": store, "copies": copies, "chunks": len(index.chunks),
            "sentences": sets[set_name(SENTENCES)].count,
            "search": {level: sets[set_name(level)].search for level in (CHUNKS, SENTENCES)},
            "build_s": round(build_s, 2), "load_s": round(load_s, 2),
            "ask_p50_ms": round(statistics.median(latencies), 1),
            "ask_p95_ms": round(float(np.percentile(latencies, 95)), 1),
            "retrieve_p50_ms": round(statistics.median(retrieve_ms), 1),
            "retrieve_p95_ms": round(float(np.percentile(retrieve_ms, 95)), 1),
            "recall_at_10": recall, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def _data_of(index):
    from indexer.store import IndexData

    chunk_vectors, sentence_vectors = index.all_vectors()
    return IndexData(manifest=index.manifest, chunks=index.chunks, chunk_vectors=chunk_vectors,
                     sentence_vectors=sentence_vectors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=ROOT / "index", help="A built index of the real corpus.")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--stores", nargs="+", choices=STORES, default=list(STORES))
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "scale")
    parser.add_argument("--one", nargs=3, metavar=("STORE", "COPIES", "LOCATION"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        store, copies, location = args.one
        print(json.dumps(measure(store, int(copies), args.index, location)))
        return
    import pgserver

    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="scale-"))
    server = pgserver.get_server(work / "pg", cleanup_mode="delete") if "postgres" in args.stores else None
    rows = []
    try:
        for copies in args.scales:
            for store in args.stores:
                if store == "postgres":
                    database = f"scale{copies}"
                    server.psql(f"DROP DATABASE IF EXISTS {database}; CREATE DATABASE {database};")
                    location = server.get_uri(database)
                else:
                    location = str(work / f"{store}-{copies}")
                run = subprocess.run([sys.executable, __file__, "--index", str(args.index), "--one", store,
                                      str(copies), location], capture_output=True, text=True, cwd=ROOT)
                if run.returncode:
                    print(f"{store} {copies}x failed:\n{run.stderr[-2000:]}", file=sys.stderr)
                    continue
                rows.append(json.loads(run.stdout.strip().splitlines()[-1]))
                print(json.dumps(rows[-1]), flush=True)
                (args.out / "summary.json").write_text(json.dumps(rows, indent=2))
    finally:
        if server:
            server.cleanup()
    (args.out / "scale.md").write_text(table(rows))
    plot(rows, args.out / "scale.png")
    print(table(rows))


FIGURES = [("build_s", "build s"), ("load_s", "load s"), ("ask_p50_ms", "ask p50 ms"),
           ("ask_p95_ms", "ask p95 ms"), ("peak_rss_mb", "peak RSS MB")]


def table(rows: list[dict]) -> str:
    """Markdown: each figure, and its ratio to FAISS at 1x."""
    ref = next((r for r in rows if (r["store"], r["copies"]) == REFERENCE), None)
    head = ["store", "passages", "search (chunks / sentences)"] + [label for _, label in FIGURES] + [
        "recall@10 chunks / sentences"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for r in rows:
        cells = [r["store"], f"{r['chunks']:,} ({r['copies']}x)", " / ".join(r["search"].values())]
        for key, _ in FIGURES:
            ratio = f" ({r[key] / ref[key]:.2g}x)" if ref and ref[key] else ""
            cells.append(f"{r[key]:g}{ratio}")
        cells.append(f"{r['recall_at_10']['chunks']:.3f} / {r['recall_at_10']['sentences']:.3f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ref = next((r for r in rows if (r["store"], r["copies"]) == REFERENCE), None)
    fig, axes = plt.subplots(1, len(FIGURES), figsize=(4 * len(FIGURES), 3.6))
    for ax, (key, label) in zip(axes, FIGURES):
        for store in dict.fromkeys(r["store"] for r in rows):
            mine = sorted((r for r in rows if r["store"] == store), key=lambda r: r["chunks"])
            ax.plot([r["chunks"] for r in mine], [r[key] / (ref[key] if ref else 1) for r in mine], "o-", label=store)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(f"{label} (÷ FAISS 1x)")
        ax.set_xlabel("passages")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
