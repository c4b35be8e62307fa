"""Run a question set through the chat engine and score every answer."""

from __future__ import annotations

import json
from collections import Counter
import subprocess
import sys
import time
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from tqdm import tqdm

from chat.engine import ChatEngine
from evals.metrics import aggregate, score_question
from evals.questions import Question
from indexer.pdf_reader import load_pages


def run_questions(engine: ChatEngine, questions: list[Question], mode: str, k: int,
                  progress: bool = True) -> tuple[list[dict], dict]:
    """Results lines (with per-question scores) and the summary of a run."""
    page_texts = _page_reader(engine)
    results: list[dict] = []
    started = time.perf_counter()
    for q in tqdm(questions, desc="Questions", unit="q", disable=not progress):
        record = {"id": q.id, "question": q.question, "type": q.type, "lang": q.lang}
        try:
            answer = engine.ask(q.question, q.history)
        except Exception as exc:  # a failing item is reported, never scored as zero or dropped
            record["error"] = f"{type(exc).__name__}: {exc}"
            results.append(record)
            continue
        record.update(answer.model_dump(mode="json"))
        record["retrieved"] = record["retrieved"][:max(k, 10)]
        record["scores"] = score_question(q, record, page_texts)
        results.append(record)
    return results, summarise(engine, questions, results, mode, k, time.perf_counter() - started)


def summarise(engine: ChatEngine, questions: list[Question], results: list[dict], mode: str, k: int,
              seconds: float) -> dict:
    scored = [r for r in results if "scores" in r]
    by_type: dict[str, list[dict]] = {}
    by_lang: dict[str, list[dict]] = {}
    for r in scored:
        by_type.setdefault(r["type"], []).append(r["scores"])
        by_lang.setdefault(r.get("lang", "en"), []).append(r["scores"])
    manifest = engine.index.manifest
    return {
        "provenance": {
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "git_commit": git_commit(),
            "command": " ".join(["python -m evals", *sys.argv[1:]]),
            "mode": mode,
            "k": k,
            "index_hash": manifest.content_hash,
            "index_settings": manifest.settings.model_dump(),
            "engine_settings": engine.settings.model_dump(),
            "fitted_models": {m.name: m.provenance for m in (engine.models.sentence, engine.models.answerability,
                                                                   engine.models.followup)},
            "llm": engine.llm.settings.model_dump(mode="json") if engine.llm else None,  # key masked
        },
        "answer_modes": dict(Counter(("fallback" if r.get("notice") else r.get("mode", "extractive"))
                                     for r in scored)),
        "questions": len(questions),
        "scored": len(scored),
        "failed": [{"id": r["id"], "question": r["question"], "error": r["error"]}
                   for r in results if "error" in r],
        "run_seconds": round(seconds, 1),
        "index_build_seconds": manifest.build_seconds,
        "overall": aggregate([r["scores"] for r in scored]),
        "by_type": {t: aggregate(s) for t, s in sorted(by_type.items())},
        "by_lang": {lang: aggregate(s) for lang, s in sorted(by_lang.items())},
    }


def write_results(out_dir: Path, results: list[dict], summary: dict) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "results.jsonl").open("w", encoding="utf-8") as fh:
        for record in results:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")


def read_run(run_dir: Path) -> tuple[list[dict], dict]:
    with (run_dir / "results.jsonl").open(encoding="utf-8") as fh:
        results = [json.loads(line) for line in fh if line.strip()]
    return results, json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))


def _page_reader(engine: ChatEngine):
    """Page texts of an indexed report, read from its PDF (for citation validity)."""
    manifest = engine.index.manifest
    files = {f.report_id: Path(manifest.corpus_dir) / f.file_name for f in manifest.files}

    @lru_cache(maxsize=None)
    def page_texts(doc: str) -> list[str]:
        return [p.text for p in load_pages(files[doc])] if doc in files else []

    return page_texts


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10,
                             cwd=Path(__file__).resolve().parent)
        dirty = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True, timeout=10,
                               cwd=Path(__file__).resolve().parent).stdout.strip()
        return out.stdout.strip() + ("+dirty" if dirty else "") if out.returncode == 0 else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"
