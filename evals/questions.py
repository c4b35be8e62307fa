"""Question sets: the JSONL format of shared/evals/README.md, validated with clear errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ValidationError

from chat.models import Turn


class Evidence(BaseModel):
    doc: str
    quote: str
    pages: list[int]


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
            questions.append(Question.model_validate(item))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(map(str, err["loc"]))
            raise QuestionSetError(f"{path}:{number}: field {field!r}: {err['msg']}") from None
    if not questions:
        raise QuestionSetError(f"{path} holds no questions")
    duplicates = {q.id for q in questions if sum(o.id == q.id for o in questions) > 1}
    if duplicates:
        raise QuestionSetError(f"{path}: duplicate ids {', '.join(sorted(duplicates))}")
    return questions
