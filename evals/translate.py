"""A question set's English questions in another language: machine-translated, for fitting the
multilingual scale, or written by hand, as a check set.

Apertium (Debian's `apertium-en-es`, rule-based, offline) translates each standalone English
question; follow-ups are left out (their history would stay English). The translation keeps its
question's id and labels: `evals fit --translations` reads only the words. Translations written by
hand (`written`) may include follow-ups: their history stays as the set has it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from evals.questions import Question, QuestionSetError, json_lines

APERTIUM_PAIR = {"es": "eng-spa"}


class TranslatorMissing(Exception):
    """Apertium or its language pair is not installed."""


def translate(questions: list[Question], lang: str = "es") -> list[Question]:
    """The set's standalone English questions, each in `lang`."""
    if lang not in APERTIUM_PAIR:
        raise TranslatorMissing(f"no Apertium pair for {lang!r}; known: {', '.join(APERTIUM_PAIR)}")
    if shutil.which("apertium") is None:
        raise TranslatorMissing("apertium is not installed: apt-get install apertium-en-es")
    chosen = [q for q in questions if q.lang == "en" and not q.history and q.type != "followup"]
    text = "\n".join(" ".join(q.question.split()) for q in chosen)
    done = subprocess.run(["apertium", "-u", APERTIUM_PAIR[lang]], input=text, capture_output=True, text=True)
    lines = done.stdout.rstrip("\n").split("\n") if done.stdout.strip() else []
    if done.returncode != 0 or len(lines) != len(chosen):
        raise TranslatorMissing(f"apertium {APERTIUM_PAIR[lang]} failed ({done.stderr.strip()[:200] or 'no output'}); "
                                "is apertium-en-es installed?")
    return [q.model_copy(update={"question": line.strip(), "lang": lang}) for q, line in zip(chosen, lines)]


def written(questions: list[Question], path: Path, lang: str = "es") -> list[Question]:
    """The set's questions a file translates by hand (JSON lines of "id" and "question"), in the
    file's order, each with its labels and history from the set."""
    by_id = {q.id: q for q in questions}
    out = []
    for number, item in json_lines(path):
        try:
            qid, text = item["id"], item["question"]
        except (KeyError, TypeError):
            raise QuestionSetError(f'{path}:{number}: expected a JSON object with "id" and "question"') from None
        if qid not in by_id:
            raise QuestionSetError(f"{path}:{number}: id {qid!r} is not in the question set")
        out.append(by_id[qid].model_copy(update={"question": text, "lang": lang}))
    if not out:
        raise QuestionSetError(f"{path} holds no translations")
    return out
