"""Fit the engine's models on a question set: the evidence-sentence scorer and the answerability model.

Labels come from the question set: a candidate sentence inside a gold quote (of the gold report) is
evidence; a question of type "unanswerable" is not answerable. Features are what the engine computes
(chat.evidence.SENTENCE_FEATURES, chat.abstention.ANSWERABILITY_FEATURES), so what is fitted here is
exactly what the engine applies.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from tqdm import tqdm

from chat.abstention import ANSWERABILITY_FEATURES
from chat.engine import ChatEngine, Examination
from chat.evidence import SENTENCE_FEATURES
from chat.fitted import FittedModels, LinearModel
from evals.matching import sentence_in_quote
from evals.questions import Question

# Inverse regularisation strength of both regressions: the default of scikit-learn. Out-of-fold
# on dev.jsonl (5 folds), 0.1 and 10 were within noise of it; it stays at the default.
REGULARISATION_C = 1.0
# Share of answerable questions the answerability threshold may abstain on (the target is <= 0.05;
# a little below it leaves room for new questions).
FALSE_ABSTENTION_BUDGET = 0.04
INNER_FOLDS = 5


@dataclass
class Example:
    """One question as the engine saw it, with the labels the question set gives."""

    question: Question
    seen: Examination
    evidence_labels: np.ndarray  # per candidate: inside a gold quote


def collect(engine: ChatEngine, questions: list[Question], progress: bool = True) -> list[Example]:
    """Run retrieval and feature extraction once per question (no decision is made here)."""
    examples = []
    for q in tqdm(questions, desc="Features", unit="q", disable=not progress):
        seen = engine.examine(q.question, q.history)
        labels = np.array([is_evidence(q, engine.index.chunks[c.chunk].report_id, c.sentence.text)
                           for c in seen.pool], dtype=bool)
        examples.append(Example(q, seen, labels))
    return examples


def is_evidence(q: Question, report_id: str, sentence: str) -> bool:
    """A sentence of a gold quote of its report, or one holding a string the answer must include."""
    lowered = sentence.lower()
    return (any(e.doc == report_id and sentence_in_quote(sentence, e.quote) for e in q.evidence)
            or any(len(m) >= 3 and m.lower() in lowered for m in q.must_include))


def fit_models(engine: ChatEngine, examples: list[Example], provenance: dict | None = None) -> FittedModels:
    """Fit the sentence scorer on the answerable examples, then the answerability model on all of them
    (its features include the new scorer's best log-odds)."""
    answerable = [e for e in examples if e.question.answerable and e.seen.pool]
    rows = np.vstack([np.vstack([c.features for c in e.seen.pool]) for e in answerable])
    labels = np.concatenate([e.evidence_labels for e in answerable])
    sentence = fit_linear("sentence", SENTENCE_FEATURES, rows, labels, class_weight=None,
                          provenance={**(provenance or {}), "examples": int(len(labels)),
                                      "positives": int(labels.sum()), "questions": len(answerable)})
    support_rows = []
    for e in examples:
        for c in e.seen.pool:
            c.score = float(sentence.logit(c.features))
        support_rows.append(engine.support(e.seen.reading, e.seen.pool).features)
    answerable_labels = np.array([e.question.answerable for e in examples])
    support_matrix = np.array(support_rows)
    threshold = abstention_threshold(support_matrix, answerable_labels)
    answerability = fit_linear("answerability", ANSWERABILITY_FEATURES, support_matrix, answerable_labels,
                               class_weight="balanced",
                               provenance={**(provenance or {}), "examples": len(examples),
                                           "unanswerable": int((~answerable_labels).sum()),
                                           "false_abstention_budget": FALSE_ABSTENTION_BUDGET})
    return FittedModels(sentence=sentence, answerability=answerability.model_copy(update={"threshold": threshold}))


def abstention_threshold(x: np.ndarray, answerable: np.ndarray) -> float:
    """The probability below which to abstain: the highest that abstains on at most the budgeted share
    of answerable questions, judged on probabilities each question got from a model not fitted on it
    (an in-sample probability is too confident, and so would be the threshold)."""
    folds = min(INNER_FOLDS, int((~answerable).sum()), int(answerable.sum()))
    if folds < 2:
        return 0.5
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    regression = LogisticRegression(C=REGULARISATION_C, class_weight="balanced", max_iter=2000)
    probabilities = cross_val_predict(regression, (x - mean) / scale, answerable,
                                      cv=StratifiedKFold(folds, shuffle=True, random_state=0),
                                      method="predict_proba")[:, 1]
    answered = np.sort(probabilities[answerable])
    allowed = int(FALSE_ABSTENTION_BUDGET * len(answered))  # answerable questions we may abstain on
    return round(float(answered[allowed]), 6)


def fit_linear(name: str, features: list[str], x: np.ndarray, y: np.ndarray, class_weight: str | None,
               provenance: dict) -> LinearModel:
    """A standardised logistic regression, as a LinearModel."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0  # a constant feature carries no information
    regression = LogisticRegression(C=REGULARISATION_C, class_weight=class_weight, max_iter=2000)
    regression.fit((x - mean) / scale, y)
    return LinearModel(name=name, features=features, mean=mean.round(6).tolist(), scale=scale.round(6).tolist(),
                       weights=regression.coef_[0].round(6).tolist(), bias=round(float(regression.intercept_[0]), 6),
                       provenance={**provenance, "fitted": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                   "C": REGULARISATION_C, "class_weight": class_weight})


def neutral_models() -> FittedModels:
    """Models that weigh nothing: every sentence scores alike and every question is answered. The
    starting point for fitting, when no fitted model exists yet."""
    def neutral(name: str, features: list[str]) -> LinearModel:
        n = len(features)
        return LinearModel(name=name, features=features, mean=[0.0] * n, scale=[1.0] * n, weights=[0.0] * n,
                           bias=0.0, provenance={"neutral": True})
    return FittedModels(sentence=neutral("sentence", SENTENCE_FEATURES),
                        answerability=neutral("answerability", ANSWERABILITY_FEATURES))


def question_set_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
