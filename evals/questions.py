"""Question sets: the JSONL format of shared/evals/README.md, validated with clear errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ValidationError, field_validator

from chat.models import Turn


class Evidence(BaseModel):
    doc: str
    quote: str
    pages: list[int]


# The kinds of question of shared/evals/README.md, and "search": a keyword search with no gold
# passage, only ever training data for the answerability model (evals/data/on_topic.jsonl).
TYPES = ("factoid", "position", "explanation", "list", "comparison", "followup", "unanswerable", "search")
WITHOUT_EVIDENCE = ("unanswerable", "search")


class Question(BaseModel):
    id: str
    question: str
    history: list[Turn] = []
    answer: str = ""
    must_include: list[str] = []
    evidence: list[Evidence] = []
    type: str = "factoid"
    difficulty: str = ""
    section: str = ""
    lang: str = "en"

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in TYPES:
            raise ValueError(f"unknown type {value!r}; use one of {', '.join(TYPES)}")
        return value

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable" and bool(self.evidence)


class QuestionSetError(Exception):
    """The question file cannot be used; the message names the file, line and field."""


def json_lines(path: Path) -> Iterator[tuple[int, object]]:
    """Each non-blank line of a JSONL file, parsed, with its line number."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QuestionSetError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise QuestionSetError(f"{path} is not UTF-8 text (byte {exc.start} cannot be read): "
                               "save it as UTF-8") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionSetError(f"{path}:{number}: not valid JSON ({exc.msg})") from None


def load_questions(path: Path) -> list[Question]:
    path = Path(path)
    questions: list[Question] = []
    for number, item in json_lines(path):
        try:
            question = Question.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(map(str, err["loc"]))
            raise QuestionSetError(f"{path}:{number}: field {field!r}: {err['msg']}") from None
        questions.append(question)
    if not questions:
        raise QuestionSetError(f"{path} holds no questions")
    duplicates = {q.id for q in questions if sum(o.id == q.id for o in questions) > 1}
    if duplicates:
        raise QuestionSetError(f"{path}: duplicate ids {', '.join(sorted(duplicates))}")
    return questions


def without_gold(questions: list[Question]) -> list[str]:
    """Ids of the questions of an answerable type that have no gold passage: they are scored as
    questions the reports do not answer (abstention), which a forgotten field would pass for."""
    return [q.id for q in questions if not q.evidence and q.type not in WITHOUT_EVIDENCE]


def unknown_reports(questions: list[Question], reports: set[str]) -> list[str]:
    """The report ids the questions' evidence names that are not in the index (their questions would
    score 0 whatever the answer)."""
    return sorted({e.doc for q in questions for e in q.evidence} - reports)
