"""What the multilingual vectors cost: index build time and `ask` latency, against an index without them.

    python bench/multilingual.py [--corpus DIR] [--questions FILE] [--out docs/multilingual-bench.json]

Builds the corpus twice into temporary folders, from scratch, one after the other in this run (the
MiniLM export cached beforehand): IndexSettings(multilingual=False), today's index before issue 21,
and the default. Then asks the dev set's English questions on both indexes and its Spanish ones on
the default, and reports p50/p95. Figures are ratios against the run's own reference (the index
without multilingual vectors), because the absolute times depend on what else the 2 cores are doing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from chat.engine import ChatEngine  # noqa: E402
from evals.questions import load_questions  # noqa: E402
from indexer.build import build_index  # noqa: E402
from indexer.cli import make_encoder  # noqa: E402
from indexer.settings import IndexSettings  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed_asks(engine: ChatEngine, questions) -> dict[str, float]:
    engine.ask(questions[0].question, questions[0].history)  # loads what the first question loads
    times = []
    for q in questions:
        started = time.perf_counter()
        engine.ask(q.question, q.history)
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(percentile(times, 0.5), 1), "p95_ms": round(percentile(times, 0.95), 1), "n": len(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "pdf")
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared" / "evals" / "dev.jsonl")
    parser.add_argument("--out", type=Path, default=None, help="Also write the figures as JSON here.")
    args = parser.parse_args()
    make_encoder(IndexSettings())  # the int8 export is cached before either build is timed
    questions = load_questions(args.questions)
    english = [q for q in questions if q.lang == "en"]
    spanish = [q for q in questions if q.lang == "es"]
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        engines = {}
        for name, settings in (("reference", IndexSettings(multilingual=False)), ("multilingual", IndexSettings())):
            started = time.perf_counter()
            report = build_index(args.corpus, Path(tmp) / name, settings, make_encoder, progress=True)
            figures[f"build_s_{name}"] = round(time.perf_counter() - started, 1)
            figures[f"embedded_{name}"] = report.embedded_texts
            engines[name] = ChatEngine.from_folder(Path(tmp) / name)
        started = time.perf_counter()
        build_index(args.corpus, Path(tmp) / "multilingual", IndexSettings(), make_encoder, progress=False)
        figures["rebuild_unchanged_s"] = round(time.perf_counter() - started, 1)
        figures["ask_en_reference"] = timed_asks(engines["reference"], english)
        figures["ask_en_multilingual"] = timed_asks(engines["multilingual"], english)
        figures["ask_es_multilingual"] = timed_asks(engines["multilingual"], spanish)
    ref = figures["ask_en_reference"]["p50_ms"]
    figures["ratios"] = {
        "build": round(figures["build_s_multilingual"] / figures["build_s_reference"], 2),
        "ask_en_p50": round(figures["ask_en_multilingual"]["p50_ms"] / ref, 2),
        "ask_es_p50": round(figures["ask_es_multilingual"]["p50_ms"] / ref, 2),
    }
    print(json.dumps(figures, indent=1))
    if args.out:
        args.out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
