"""Each metric on hand-made cases whose right value is known."""

import math

import pytest

from evals.compare import compare
from evals.metrics import aggregate, bootstrap_interval, groundedness, score_question
from evals.questions import Question

PAGES = {"r": ["Intro page.", "Trade grew six-fold since 1994. Jobs followed.", "Migration fell sharply."]}


def _question(**overrides) -> Question:
    base = dict(id="q1", question="How much did trade grow?", must_include=["six-fold"], type="factoid",
                evidence=[{"doc": "r", "quote": "Trade grew six-fold since 1994.", "pages": [2]}])
    return Question.model_validate({**base, **overrides})


def _passage(page: int, text: str, doc: str = "r") -> dict:
    return {"doc": doc, "page": page, "text": text, "score": 1.0}


def _result(answer="Trade grew six-fold since 1994. [1]", retrieved=None, citations=None, abstained=False):
    if citations is None:
        citations = [{"n": 1, "doc": "r", "page": 2, "text": "Trade grew six-fold since 1994."}]
    return {"answer": answer, "abstained": abstained, "latency_ms": 12.0, "citations": citations,
            "retrieved": retrieved if retrieved is not None else []}


def _scores(q=None, **kw):
    return score_question(q or _question(), _result(**kw), lambda doc: PAGES.get(doc, []))


def test_gold_passage_at_rank_three():
    retrieved = [_passage(1, "Intro page."), _passage(3, "Migration fell sharply."),
                 _passage(2, "Trade grew six-fold since 1994. Jobs followed.")]
    s = _scores(retrieved=retrieved)
    assert (s["hit@1"], s["hit@3"], s["hit@5"]) == (0.0, 1.0, 1.0)
    assert s["mrr@10"] == pytest.approx(1 / 3)
    assert s["ndcg@10"] == pytest.approx(1 / math.log2(4))
    assert s["page_hit@1"] == 0.0 and s["page_mrr@10"] == pytest.approx(1 / 3)


def test_ndcg_stays_within_one_when_two_overlapping_passages_hold_the_quote():
    retrieved = [_passage(2, "Trade grew six-fold since 1994. Jobs followed."),
                 _passage(2, "Trade grew six-fold since 1994.")]
    assert _scores(retrieved=retrieved)["ndcg@10"] == pytest.approx(1.0)


def test_recall_counts_each_gold_quote():
    q = _question(evidence=[{"doc": "r", "quote": "Trade grew six-fold since 1994.", "pages": [2]},
                            {"doc": "r", "quote": "Migration fell sharply and for good.", "pages": [3]}])
    s = _scores(q, retrieved=[_passage(2, "Trade grew six-fold since 1994.")])
    assert s["recall@1"] == 0.5 and s["hit@1"] == 1.0


def test_passage_of_another_report_with_the_same_words_does_not_count():
    s = _scores(retrieved=[_passage(2, "Trade grew six-fold since 1994.", doc="other")])
    assert s["hit@10"] == 0.0 and s["mrr@10"] == 0.0


def test_must_include_needs_every_string():
    assert _scores()["must_include"] == 1.0
    q = _question(must_include=["six-fold", "1993"])
    assert _scores(q)["must_include"] == 0.0


def test_citation_accuracy_and_validity():
    s = _scores()
    assert s["citation_accuracy"] == 1.0 and s["citation_validity"] == 1.0
    wrong_page = [{"n": 1, "doc": "r", "page": 3, "text": "Trade grew six-fold since 1994."}]
    s = _scores(citations=wrong_page)
    assert s["citation_accuracy"] == 1.0  # the quote is gold, but...
    assert s["citation_validity"] == 0.0  # ...it does not stand on page 3
    invented = [{"n": 1, "doc": "r", "page": 2, "text": "Trade grew ten-fold."}]
    assert _scores(citations=invented)["citation_validity"] == 0.0


def test_groundedness_checks_each_sentence_against_what_it_cites():
    citations = [{"n": 1, "text": "Trade grew six-fold since 1994."}, {"n": 2, "text": "Migration fell."}]
    assert groundedness("Trade grew six-fold since 1994. [1] Migration fell. [2]", citations) == 1.0
    assert groundedness("Trade grew six-fold since 1994. [2] Migration fell. [2]", citations) == 0.5
    assert groundedness("No markers here.", citations) is None


def test_abstention_metrics_apply_to_the_right_questions():
    unanswerable = _question(type="unanswerable", evidence=[], must_include=[])
    s = _scores(unanswerable, abstained=True, citations=[], answer="The reports do not answer.")
    assert s["abstention"] == 1.0 and s["false_abstention"] is None and s["hit@5"] is None
    s = _scores(abstained=True, citations=[], answer="The reports do not answer.")
    assert s["false_abstention"] == 1.0 and s["abstention"] is None


def test_aggregate_skips_questions_where_a_metric_does_not_apply():
    summary = aggregate([{"hit@5": 1.0, "latency_ms": 10.0}, {"hit@5": None, "latency_ms": 30.0},
                         {"hit@5": 0.0, "latency_ms": 20.0}])
    assert summary["hit@5"]["mean"] == 0.5 and summary["hit@5"]["n"] == 2
    assert summary["latency_ms"]["p50"] == 20.0


def test_bootstrap_interval_brackets_the_mean_and_is_degenerate_for_constants():
    low, high = bootstrap_interval([0.0, 1.0] * 50)
    assert low < 0.5 < high and high - low < 0.3
    assert bootstrap_interval([1.0] * 10) == (1.0, 1.0)


def test_compare_flags_a_clear_improvement_and_not_noise():
    a = [{"id": str(i), "scores": {"hit@5": 0.0, "mrr@10": float(i % 2)}} for i in range(40)]
    b = [{"id": str(i), "scores": {"hit@5": 1.0, "mrr@10": float((i + 1) % 2)}} for i in range(40)]
    changes = {c.metric: c for c in compare(a, b)}
    assert changes["hit@5"].verdict == "better"
    assert changes["mrr@10"].verdict == "within noise"
