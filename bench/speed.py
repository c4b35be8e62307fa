"""Speed benchmark: this project against the tutorial LangChain pipeline, measured in one run.

    python bench/speed.py                      # corpus ../shared/corpus/pdf, questions: the dev set
    python bench/speed.py --out runs/speed.json

Every figure runs in a fresh process, ours and the reference's alike, one after the other on this
machine, so their ratio is meaningful even when the absolute figures move between machines:
full index build and a rebuild with nothing changed; ask latency p50/p95 over the questions
(extractive, index loaded, after one warm-up question); cold start, from process start to the
first answer; web chat time to the first streamed words; peak RSS of the web server after serving
every question. Retrieval hit@5 on the questions checks that speed did not cost quality.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.load import peak_rss_mb, percentile, start_server, start_web_process  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"
DEV_SET = ROOT.parent / "shared" / "evals" / "dev.jsonl"
TTFT_QUESTIONS = 5


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def answering_phase(system: str, index: Path, questions_file: Path) -> dict:
    """Run in a fresh process: cold start, then latency over every question, then hit@5."""
    import psutil

    from evals.metrics import retrieval_scores
    from evals.questions import load_questions

    born = psutil.Process().create_time()
    items = load_questions(questions_file)
    questions = [q.question for q in items]  # without history: the reference has no conversation
    if system == "ours":
        from chat.engine import ChatEngine

        engine = ChatEngine.from_folder(index)

        def ask(q: str) -> list[dict]:
            return [{"doc": p.doc, "text": p.text} for p in engine.ask(q).retrieved]
    else:
        from bench.reference_pipeline import load

        store = load(index)

        def ask(q: str) -> list[dict]:
            docs = store.similarity_search(q, k=5)
            return [{"doc": Path(d.metadata["source"]).stem, "text": d.page_content} for d in docs]
    ask(questions[0])
    cold_start = time.time() - born
    latencies, retrieved = [], []
    for q in questions:
        started = time.perf_counter()
        retrieved.append(ask(q))
        latencies.append((time.perf_counter() - started) * 1000)
    return {"cold_start_s": cold_start, "ask_p50_ms": percentile(latencies, 0.5),
            "ask_p95_ms": percentile(latencies, 0.95),
            "hit@5": statistics.mean(retrieval_scores(q, r)["hit@5"] for q, r in zip(items, retrieved) if q.answerable)}


def web_phase(system: str, index: Path, questions: list[str]) -> dict:
    """Time to first streamed words over a few questions, then peak RSS after every question."""
    from gradio_client import Client

    process, url = start_server(index) if system == "ours" else start_reference_server(index)
    try:
        client = Client(url, verbose=False)
        firsts = []
        for q in questions[:TTFT_QUESTIONS]:
            started = time.perf_counter()
            job = (client.submit(q, [], [], None, None, fn_index=respond_fn(client)) if system == "ours"
                   else client.submit(q, api_name="/chat"))
            while not any(_has_words(update) for update in job.outputs()):
                if job.done() and not any(_has_words(update) for update in job.outputs()):
                    raise RuntimeError(f"{system}: no streamed words for {q!r}")
                time.sleep(0.005)
            firsts.append((time.perf_counter() - started) * 1000)
            job.result()
        for q in questions:
            if system == "ours":
                client.predict(q, [], None, None, api_name="/ask")
            else:
                client.predict(q, api_name="/chat")
        return {"first_words_ms": statistics.median(firsts), "server_peak_rss_mb": peak_rss_mb(process.pid)}
    finally:
        process.kill()
        process.wait()


def respond_fn(client) -> int:
    """The chat's submit event; the client passes (question, chatbot, reports, year_from, year_to)."""
    for index, dependency in enumerate(client.config["dependencies"]):
        if dependency.get("api_name") == "respond":
            return index
    raise RuntimeError("the chat's respond event was not found")


def _has_words(update) -> bool:
    """A streamed update carries answer text (ours: the chatbot's last message; reference: a string)."""
    if isinstance(update, str):
        return bool(update.strip())
    if isinstance(update, (list, tuple)) and update:
        messages = update[0]
        if isinstance(messages, list) and messages and isinstance(messages[-1], dict):
            last = messages[-1]
            content = last.get("content") or []
            text = content if isinstance(content, str) else " ".join(part.get("text", "") for part in content)
            return last.get("role") == "assistant" and bool(text.strip())
    return False


def start_reference_server(store: Path):
    return start_web_process(lambda port: [sys.executable, "bench/reference_pipeline.py", "serve", str(store),
                                           str(port)])


def in_fresh_process(phase: str, system: str, index: Path, questions: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", phase, "--system", system, "--index", str(index),
                          "--questions", str(questions)], cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--questions", type=Path, default=DEV_SET)
    parser.add_argument("--out", type=Path, default=None, help="Also write the figures as JSON here.")
    parser.add_argument("--phase", choices=["answer", "web"], help=argparse.SUPPRESS)
    parser.add_argument("--system", choices=["ours", "reference"], help=argparse.SUPPRESS)
    parser.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "answer":
        print(json.dumps(answering_phase(args.system, args.index, args.questions)))
        return
    if args.phase == "web":
        from evals.questions import load_questions

        print(json.dumps(web_phase(args.system, args.index, [q.question for q in load_questions(args.questions)])))
        return

    work = Path(tempfile.mkdtemp(prefix="bench-speed-"))
    ours, reference = work / "index", work / "reference"
    build_ours = [sys.executable, "-m", "indexer", "build", "--corpus", str(args.corpus), "--index", str(ours),
                  "--no-progress"]
    build_reference = [sys.executable, "bench/reference_pipeline.py", "build", str(args.corpus), str(reference)]
    figures: dict[str, dict] = {"ours": {}, "reference": {}}
    steps = [
        ("full build", lambda: figures["reference"].update(build_s=timed(build_reference))),
        ("full build", lambda: figures["ours"].update(build_s=timed(build_ours))),
        ("rebuild, nothing changed", lambda: figures["reference"].update(rebuild_s=timed(build_reference))),
        ("rebuild, nothing changed", lambda: figures["ours"].update(rebuild_s=timed(build_ours))),
    ]
    for system, index in (("reference", reference), ("ours", ours)):
        steps.append(("ask latency, cold start", lambda s=system, i=index: figures[s].update(
            in_fresh_process("answer", s, i, args.questions))))
        steps.append(("web chat", lambda s=system, i=index: figures[s].update(
            in_fresh_process("web", s, i, args.questions))))
    for n, (name, step) in enumerate(steps, start=1):
        print(f"[{n}/{len(steps)}] {name} ...", file=sys.stderr, flush=True)
        step()
    print(report(figures))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


ROWS = [("build_s", "full index build (s)"), ("rebuild_s", "rebuild, nothing changed (s)"),
        ("ask_p50_ms", "ask latency p50 (ms)"), ("ask_p95_ms", "ask latency p95 (ms)"),
        ("cold_start_s", "cold start to first answer (s)"), ("first_words_ms", "web: first streamed words (ms)"),
        ("server_peak_rss_mb", "web server peak RSS (MB)"), ("hit@5", "retrieval hit@5 (quality)")]


def report(figures: dict[str, dict]) -> str:
    lines = ["| figure | ours | reference | reference / ours |", "| --- | --- | --- | --- |"]
    for key, label in ROWS:
        a, b = figures["ours"].get(key), figures["reference"].get(key)
        ratio = f"{b / a:.2f}×" if a and b else "—"
        lines.append(f"| {label} | {a:.3g} | {b:.3g} | {ratio} |" if a is not None and b is not None
                     else f"| {label} | {a} | {b} | — |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
