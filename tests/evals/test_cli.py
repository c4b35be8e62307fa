"""The evaluation commands end to end: a smoke subset of the dev set on the real index."""

import json
import subprocess
import sys

import click
import pytest

from evals.cli import _check_set, _translations
from evals.questions import Question, unknown_reports, without_gold
from tests.conftest import DEV_SET


def _evals(*args):
    return subprocess.run([sys.executable, "-m", "evals", *args], capture_output=True, text=True, timeout=600)


@pytest.mark.real_corpus
def test_smoke_run_writes_results_reports_and_gates_on_quality(real_index, tmp_path):
    out = tmp_path / "run"
    result = _evals("run", "--questions", str(DEV_SET), "--out", str(out), "--index", str(real_index),
                    "--limit", "8", "--no-progress", "--fail-under", "citation_validity=1.0")
    assert result.returncode == 0, result.stderr
    assert {p.name for p in out.iterdir()} == {"results.jsonl", "summary.json", "report.md", "report.html"}
    lines = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(lines) == 8 and all(len(r["retrieved"]) >= 10 for r in lines)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["provenance"]["index_hash"] and summary["provenance"]["git_commit"]
    assert "<img" in (out / "report.html").read_text()

    gated = _evals("run", "--questions", str(DEV_SET), "--out", str(tmp_path / "gated"), "--index",
                   str(real_index), "--limit", "3", "--no-progress", "--fail-under", "hit@5=1.01")
    assert gated.returncode == 1 and "FAIL hit@5" in gated.stderr

    same = _evals("compare", str(out), str(out))
    assert same.returncode == 0 and "within noise" in same.stdout and "better" not in same.stdout


@pytest.mark.real_corpus
def test_k_sets_how_many_retrieved_passages_a_run_keeps(real_index, tmp_path):
    kept = {}
    for k in (10, 15):
        out = tmp_path / f"k{k}"
        result = _evals("run", "--questions", str(DEV_SET), "--out", str(out), "--index", str(real_index),
                        "--limit", "3", "--no-progress", "--k", str(k))
        assert result.returncode == 0, result.stderr
        kept[k] = {len(json.loads(line)["retrieved"]) for line in (out / "results.jsonl").read_text().splitlines()}
        assert json.loads((out / "summary.json").read_text())["provenance"]["k"] == k
    assert kept == {10: {10}, 15: {15}}


def test_bad_question_file_names_line_and_field(tmp_path):
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"id": "a", "question": "ok"}\n{"id": "b"}\n')
    result = _evals("run", "--questions", str(bad), "--out", str(tmp_path / "o"), "--index", str(tmp_path))
    assert result.returncode != 0
    assert "q.jsonl:2" in result.stderr and "question" in result.stderr and "Traceback" not in result.stderr


def test_a_translation_of_a_question_the_set_lacks_is_refused_naming_the_file_and_id(tmp_path):
    path = tmp_path / "es.jsonl"
    path.write_text(json.dumps({"id": "q-9", "question": "¿Qué propone el COMEXI?", "type": "factoid"}) + "\n",
                    encoding="utf-8")
    with pytest.raises(click.ClickException) as raised:
        _translations(path, [Question(id="q-1", question="What does COMEXI propose?")])
    assert str(path) in raised.value.message and "q-9" in raised.value.message
    assert _translations(path, [Question(id="q-9", question="What does COMEXI propose?")]) == {
        "q-9": "¿Qué propone el COMEXI?"}


@pytest.mark.real_corpus
def test_cv_answers_a_check_set_out_of_fold_each_question_in_its_ids_fold(real_index, tmp_path):
    asked = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()]
    subset = [q for q in asked if q["type"] == "unanswerable"][:3] + [q for q in asked if q["type"] == "factoid"][:5]
    questions, check = tmp_path / "q.jsonl", tmp_path / "es.jsonl"
    questions.write_text("".join(json.dumps(q) + "\n" for q in subset), encoding="utf-8")
    # the same questions asked otherwise (here: shouted), ids kept
    check.write_text("".join(json.dumps({**q, "question": q["question"].upper()}) + "\n" for q in subset[:4]),
                     encoding="utf-8")
    out = tmp_path / "cv"
    result = _evals("cv", "--questions", str(questions), "--out", str(out), "--index", str(real_index),
                    "--folds", "2", "--check", str(check), "--no-progress")
    assert result.returncode == 0, result.stderr
    folds = {json.loads(line)["id"]: json.loads(line)["fold"]
             for line in (out / "out-of-fold" / "results.jsonl").read_text().splitlines()}
    checked = [json.loads(line) for line in (out / "check-es" / "results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in checked] == [q["id"] for q in subset[:4]]
    assert all(r["fold"] == folds[r["id"]] for r in checked) and set(folds.values()) == {0, 1}
    assert checked[0]["question"] == subset[0]["question"].upper()
    summary = json.loads((out / "check-es" / "summary.json").read_text())
    assert summary["provenance"]["cross_validation"]["scored"] == "out-of-fold check set"


def test_a_check_set_asking_a_question_the_set_lacks_is_refused_naming_the_file_and_id(tmp_path):
    path = tmp_path / "check.jsonl"
    path.write_text(json.dumps({"id": "q-9", "question": "¿Qué propone el COMEXI?"}) + "\n", encoding="utf-8")
    with pytest.raises(click.ClickException) as raised:
        _check_set(path, [Question(id="q-1", question="What does COMEXI propose?")])
    assert str(path) in raised.value.message and "q-9" in raised.value.message


def test_a_question_file_that_is_not_utf8_is_named_without_a_traceback(tmp_path):
    bad = tmp_path / "q.jsonl"
    bad.write_bytes(b"\xff\xfe\x00bad")
    result = _evals("run", "--questions", str(bad), "--out", str(tmp_path / "o"), "--index", str(tmp_path))
    assert result.returncode != 0
    assert "q.jsonl is not UTF-8 text" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_question_type_is_refused_with_the_known_ones(tmp_path):
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"id": "a", "question": "ok", "type": "trivia"}\n')
    result = _evals("run", "--questions", str(bad), "--out", str(tmp_path / "o"), "--index", str(tmp_path))
    assert result.returncode != 0 and "q.jsonl:1" in result.stderr and "'trivia'" in result.stderr
    assert "unanswerable" in result.stderr and "Traceback" not in result.stderr


def test_a_misspelt_gate_metric_is_refused_before_the_run(tmp_path):
    good = tmp_path / "q.jsonl"
    good.write_text('{"id": "a", "question": "ok"}\n')
    result = _evals("run", "--questions", str(good), "--out", str(tmp_path / "o"), "--index", str(tmp_path),
                    "--fail-under", "hitat5=0.8")
    assert result.returncode != 0 and "no metric 'hitat5'" in result.stderr and "hit@5" in result.stderr
    assert not (tmp_path / "o").exists()


def test_questions_without_gold_and_reports_the_index_lacks_are_found():
    questions = [Question(id="a", question="q", type="factoid"),
                 Question(id="b", question="q", type="unanswerable"),
                 Question(id="c", question="q", evidence=[{"doc": "gone", "quote": "x", "pages": [1]}])]
    assert without_gold(questions) == ["a"]
    assert unknown_reports(questions, {"here"}) == ["gone"]


def test_compare_warns_when_the_runs_answered_different_questions(tmp_path):
    for name, ids in (("a", ["q1", "q2"]), ("b", ["q1"])):
        run = tmp_path / name
        run.mkdir()
        run.joinpath("results.jsonl").write_text(
            "".join(json.dumps({"id": i, "scores": {"hit@5": 1.0}}) + "\n" for i in ids))
        run.joinpath("summary.json").write_text("{}")
    result = _evals("compare", str(tmp_path / "a"), str(tmp_path / "b"))
    assert result.returncode == 0
    assert "2 in A, 1 in B, 1 in both" in result.stderr and f"A = {tmp_path / 'a'}" in result.stdout
