"""Machine-translating a question set for the multilingual scale's fit."""

import subprocess

import pytest

from chat.models import Turn
from evals import translate as translating
from evals.questions import Question, QuestionSetError


def test_standalone_english_questions_are_translated_keeping_their_ids_and_follow_ups_are_left_out(monkeypatch):
    sent: list[str] = []

    def apertium(args, input, capture_output, text):
        sent.append(input)
        return subprocess.CompletedProcess(args, 0, stdout="¿Qué propone COMEXI?\n¿Cuántos?\n", stderr="")

    monkeypatch.setattr(translating.shutil, "which", lambda name: "/usr/bin/apertium")
    monkeypatch.setattr(translating.subprocess, "run", apertium)
    questions = [Question(id="a", question="What does  COMEXI propose?", type="position"),
                 Question(id="b", question="And that?", type="followup",
                          history=[Turn(role="user", content="What does COMEXI propose?")]),
                 Question(id="c", question="¿Ya en español?", lang="es"),
                 Question(id="d", question="How many?", type="unanswerable")]
    out = translating.translate(questions)
    assert sent == ["What does COMEXI propose?\nHow many?"]
    assert [(q.id, q.question, q.lang, q.type) for q in out] == [
        ("a", "¿Qué propone COMEXI?", "es", "position"), ("d", "¿Cuántos?", "es", "unanswerable")]


def test_without_apertium_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setattr(translating.shutil, "which", lambda name: None)
    with pytest.raises(translating.TranslatorMissing, match="apt-get install apertium-en-es"):
        translating.translate([Question(id="a", question="What?")])


def test_translations_written_by_hand_keep_labels_and_history_and_bad_lines_are_named(tmp_path):
    history = [Turn(role="user", content="Who wrote the security chapter?")]
    questions = [Question(id="a", question="Who wrote that chapter?", type="followup", history=history,
                          must_include=["Olson"])]
    path = tmp_path / "es.jsonl"
    path.write_text('{"id": "a", "question": "¿Quién escribió ese capítulo?"}\n', encoding="utf-8")
    [out] = translating.written(questions, path)
    assert (out.question, out.lang, out.history, out.must_include) == (
        "¿Quién escribió ese capítulo?", "es", history, ["Olson"])
    path.write_text('{"id": "a", "question": "¿Quién?"}\n{"id": "zz", "question": "¿Qué?"}\n', encoding="utf-8")
    with pytest.raises(QuestionSetError, match=r"es.jsonl:2: id 'zz' is not in the question set"):
        translating.written(questions, path)
    path.write_text('{"id": "a"\n', encoding="utf-8")
    with pytest.raises(QuestionSetError, match=r"es.jsonl:1: not valid JSON"):
        translating.written(questions, path)
    path.write_text('["a"]\n', encoding="utf-8")
    with pytest.raises(QuestionSetError, match=r'es.jsonl:1: expected a JSON object with "id" and "question"'):
        translating.written(questions, path)
