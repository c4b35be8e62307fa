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
from scipy.optimize import minimize
from scipy.special import logsumexp, softmax
from sklearn.model_selection import StratifiedKFold
from tqdm import tqdm

from chat.abstention import ANSWERABILITY_FEATURES, ANSWERABILITY_SIGNS
from chat.engine import ChatEngine, Examination
from chat.evidence import SENTENCE_FEATURES, SENTENCE_SIGNS, quotable
from chat.fitted import FittedModelError, FittedModels, LinearModel, SimilarityScale, load_scale
from chat.query import FOLLOWUP_FEATURES, FOLLOWUP_SIGNS, followup_features, shipped_followup_model
from evals.matching import sentence_in_quote
from indexer.multilingual import UNMATCHED_KINDS
from indexer.vectors import DEFAULT_SPACE, MULTILINGUAL_SPACE, SENTENCES, set_name
from evals.questions import Question

# Questions added to what the answerability model is fitted on, never scored, written for this
# purpose: dev's unanswerable questions are all near the reports' topics and its answerable ones all
# full questions, so nothing in it teaches that a question on cooking or sport is not answered
# (off_topic.jsonl) or that a keyword search or a question about the reports themselves is
# (on_topic.jsonl: type "search", no gold evidence).
EXTRA_QUESTIONS = [Path(__file__).parent / "data" / name for name in ("off_topic.jsonl", "on_topic.jsonl")]
# Inverse regularisation strength of both regressions (scikit-learn's default).
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
    """Fit the sentence scorer on the answerable examples and the answerability model on all of them.

    Answerability does not weigh the scorer's log-odds: a conditional logit's are relative within a
    question, and out of fold on dev they made it abstain on more answerable questions (false
    abstention 0.037 -> 0.045, runs/cv-s38-clogit against runs/cv-s38-clogit-nobs)."""
    groups = [_quotable(e) for e in examples if e.question.answerable and e.seen.pool]
    groups = [(x, y) for x, y in groups if len(y)]
    sentence_signs = [SENTENCE_SIGNS[f] for f in SENTENCE_FEATURES]
    sentence = fit_conditional_logit("sentence", SENTENCE_FEATURES, groups, sentence_signs,
                                     provenance={**(provenance or {}), "examples": int(sum(len(y) for _, y in groups)),
                                                 "positives": int(sum(y.sum() for _, y in groups)),
                                                 "questions": len(groups), "objective": "conditional logit"})
    support_rows = [engine.support(e.seen.reading, e.seen.pool).features for e in examples]
    answerable_labels = np.array([e.question.type != "unanswerable" for e in examples])
    support_matrix = np.array(support_rows)
    signs = [ANSWERABILITY_SIGNS[f] for f in ANSWERABILITY_FEATURES]
    threshold = abstention_threshold(support_matrix, answerable_labels, signs)
    answerability = fit_linear("answerability", ANSWERABILITY_FEATURES, support_matrix, answerable_labels, True, signs,
                               provenance={**(provenance or {}), "examples": len(examples),
                                           "unanswerable": int((~answerable_labels).sum()),
                                           "false_abstention_budget": FALSE_ABSTENTION_BUDGET})
    return FittedModels(sentence=sentence, answerability=answerability.model_copy(update={"threshold": threshold}),
                        followup=fit_followup([e.question for e in examples], provenance),
                        multilingual_scale=engine.models.multilingual_scale)  # fitted apart: fit_scale


def _quotable(example: Example) -> tuple[np.ndarray, np.ndarray]:
    """The features and labels of the candidates evidence choice ranks (chat.evidence.select): the
    quotable ones."""
    keep = [i for i, c in enumerate(example.seen.pool) if quotable(c.sentence)]
    x = np.array([example.seen.pool[i].features for i in keep]).reshape(len(keep), len(SENTENCE_FEATURES))
    return x, example.evidence_labels[keep]


def fit_scale(engine: ChatEngine, examples: list[Example], provenance: dict | None = None,
              translations: dict[str, str] | None = None) -> SimilarityScale:
    """The line from multilingual cosines to MiniLM's: least squares over the English questions'
    candidate sentences, each pair the same question and sentence in both spaces. No labels are used.

    With translations (question id -> the question in another language), the multilingual cosine is
    the translation's: what a Spanish question meets, as the engine uses the space. Matched across
    languages, the best sentence's cosine falls (dev's English questions machine-translated: the
    best sentence's scaled e5 similarity 0.66 in English, 0.57 in Spanish), and a line fitted on
    English questions would put every Spanish question's support too low."""
    space = engine.multilingual_space
    if space is None:
        raise FittedModelError("the index has no multilingual vectors to fit their scale on; rebuild it "
                               "with the default settings: python -m indexer build")
    offsets, store = engine.index.sentence_offsets, engine.index.vectors
    multilingual, minilm = [], []
    for e in examples:
        if not e.seen.pool or e.seen.views[0].space.name != DEFAULT_SPACE:  # matched in MiniLM's space
            continue
        text = e.seen.reading.matched_texts[0] if translations is None else translations.get(e.question.id)
        if text is None:  # an untranslated question
            continue
        query = engine.multilingual.query(text)
        pool = [c for c in e.seen.pool if c.sentence.kind not in UNMATCHED_KINDS]
        rows = np.array([offsets[c.chunk] + c.index_in_chunk for c in pool], dtype=np.int64)
        multilingual += (store.fetch(set_name(SENTENCES, MULTILINGUAL_SPACE), rows) @ query).tolist()
        minilm += (store.fetch(set_name(SENTENCES), rows) @ e.seen.views[0].vector).tolist()
    if len(minilm) < 2:
        raise FittedModelError("no English question with candidate sentences to fit the multilingual scale on")
    slope, intercept = np.polyfit(np.array(multilingual), np.array(minilm), 1)
    return SimilarityScale(slope=float(slope), intercept=float(intercept),
                           provenance={**(provenance or {}), "pairs": len(minilm), "translated": translations is not None,
                                       "correlation": float(np.corrcoef(multilingual, minilm)[0, 1])})


def fit_followup(questions: list[Question], provenance: dict | None = None) -> LinearModel:
    """Fit the follow-up detector: the set's follow-ups (with their history) against its standalone
    questions, which name their own topic (the web chat showed what reading those as follow-ups costs)."""
    followups = [q for q in questions if q.type == "followup" and q.history]
    standalone = [q for q in questions if q.type != "followup" and not q.history]
    rows = np.array([followup_features(" ".join(q.question.split())) for q in followups + standalone])
    labels = np.array([True] * len(followups) + [False] * len(standalone))
    return fit_linear("followup", FOLLOWUP_FEATURES, rows, labels, True, [FOLLOWUP_SIGNS[f] for f in FOLLOWUP_FEATURES],
                      {**(provenance or {}), "examples": len(labels), "followups": len(followups)})


def abstention_threshold(x: np.ndarray, answerable: np.ndarray, signs: list[int]) -> float:
    """The probability below which to abstain: the highest that abstains on at most the budgeted share
    of answerable questions, judged on probabilities each question got from a model not fitted on it
    (an in-sample probability is too confident, and so would be the threshold)."""
    folds = min(INNER_FOLDS, int((~answerable).sum()), int(answerable.sum()))
    if folds < 2:
        return 0.5
    probabilities = np.zeros(len(answerable))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(x, answerable):
        model = fit_linear("inner", [str(i) for i in range(x.shape[1])], x[train], answerable[train], True, signs, {})
        probabilities[test] = model.probability(x[test])
    answered = np.sort(probabilities[answerable])
    allowed = int(FALSE_ABSTENTION_BUDGET * len(answered))  # answerable questions we may abstain on
    return round(float(answered[allowed]), 6)


def fit_linear(name: str, features: list[str], x: np.ndarray, y: np.ndarray, balanced: bool, signs: list[int],
               provenance: dict) -> LinearModel:
    """A logistic regression on standardised features, L2-regularised, each weight kept to the sign
    its feature should have (+1: the more, the likelier; -1: the less; 0: free). The signs keep the
    model from learning quirks of the question set: dev's unanswerable questions are long and
    specific, and unconstrained, a short general question ("What is the Mérida Initiative?") came
    out as unanswerable for holding every word of the question."""
    mean, scale = _standardisation(x)
    z = (x - mean) / scale
    y = np.asarray(y, dtype=float)
    weight = np.ones(len(y))
    if balanced:  # each class weighs as much as the other
        positives = y.sum()
        weight = np.where(y == 1, len(y) / (2 * max(positives, 1)), len(y) / (2 * max(len(y) - positives, 1)))

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:-1], params[-1]
        margin = z @ w + b
        p = 1.0 / (1.0 + np.exp(-margin))
        value = np.sum(weight * (np.logaddexp(0, margin) - y * margin)) + 0.5 / REGULARISATION_C * w @ w
        residual = weight * (p - y)
        return value, np.append(z.T @ residual + w / REGULARISATION_C, residual.sum())

    fitted = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B",
                      bounds=_sign_bounds(signs) + [(None, None)])
    _converged(name, fitted)
    return _linear_model(name, features, mean, scale, fitted.x[:-1], float(fitted.x[-1]), provenance, balanced=balanced)


def fit_conditional_logit(name: str, features: list[str], groups: list[tuple[np.ndarray, np.ndarray]],
                          signs: list[int], provenance: dict) -> LinearModel:
    """A ranking model: for each group (a question's candidate sentences, features and labels), the
    softmax of w · z over the group gives each candidate's chance of being the evidence, and the fit
    maximises the chance mass of the group's positives. Evidence choice compares sentences within
    one question only; a logistic regression over all questions' sentences at once spends its
    weights on what sets questions apart (how close a question's best sentence is at all), so
    "named report" weighed nothing there. Same standardisation, regularisation and signs as
    fit_linear; no bias (a constant cancels within a group), so its log-odds are relative: a
    sentence 3 below the best is e⁻³ times as likely to be the evidence. Groups without a positive,
    or without a negative, teach nothing and are left out."""
    x = np.vstack([g for g, _ in groups]) if groups else np.zeros((0, len(features)))
    mean, scale = _standardisation(x)
    taught = [((g - mean) / scale, np.asarray(y, dtype=bool)) for g, y in groups if np.any(y) and not np.all(y)]

    fitted = minimize(conditional_logit_loss, np.zeros(len(features)), args=(taught,), jac=True, method="L-BFGS-B",
                      bounds=_sign_bounds(signs))
    _converged(name, fitted)
    return _linear_model(name, features, mean, scale, fitted.x, 0.0, {**provenance, "groups": len(taught)})


def conditional_logit_loss(w: np.ndarray, groups: list[tuple[np.ndarray, np.ndarray]]) -> tuple[float, np.ndarray]:
    """The L2-regularised negative log chance mass of each group's positives, and its gradient; a
    group is standardised features and a boolean label per candidate."""
    value, gradient = 0.5 / REGULARISATION_C * w @ w, w / REGULARISATION_C
    for z, positive in groups:
        s = z @ w
        # in log-sum-exp form: no underflow when the positives score far below the best
        value += logsumexp(s) - logsumexp(s[positive])
        gradient = gradient + z.T @ softmax(s) - z[positive].T @ softmax(s[positive])
    return value, gradient


def _converged(name: str, fitted) -> None:
    if not fitted.success:
        raise FittedModelError(f"fitting the {name} model did not converge ({fitted.message}); "
                               "the shipped models are unchanged")


def _standardisation(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0) if len(x) else np.zeros(x.shape[1])
    scale = x.std(axis=0) if len(x) else np.ones(x.shape[1])
    scale[scale == 0] = 1.0  # a constant feature carries no information
    return mean, scale


def _sign_bounds(signs: list[int]) -> list[tuple[float | None, float | None]]:
    return [(0, None) if sign > 0 else (None, 0) if sign < 0 else (None, None) for sign in signs]


def _linear_model(name: str, features: list[str], mean: np.ndarray, scale: np.ndarray, weights: np.ndarray,
                  bias: float, provenance: dict, **fit: object) -> LinearModel:
    return LinearModel(name=name, features=features, mean=mean.round(6).tolist(), scale=scale.round(6).tolist(),
                       weights=np.asarray(weights).round(6).tolist(), bias=round(bias, 6),
                       provenance={**provenance, "fitted": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                   "C": REGULARISATION_C, **fit})


def neutral_models() -> FittedModels:
    """Models that weigh nothing: every sentence scores alike and every question is answered. The
    starting point for fitting, when no fitted model exists yet."""
    return FittedModels(sentence=neutral_model("sentence", SENTENCE_FEATURES),
                        answerability=neutral_model("answerability", ANSWERABILITY_FEATURES),
                        followup=shipped_or_neutral_followup(), multilingual_scale=shipped_or_identity_scale())


def shipped_or_identity_scale() -> SimilarityScale:
    """The shipped multilingual scale (fitted without labels, so every fold may use it), else the identity."""
    try:
        return load_scale()
    except FittedModelError:
        return SimilarityScale()


def neutral_model(name: str, features: list[str], bias: float = 0.0) -> LinearModel:
    """A model weighing no feature: its probability is sigmoid(bias) for every input."""
    n = len(features)
    return LinearModel(name=name, features=features, mean=[0.0] * n, scale=[1.0] * n, weights=[0.0] * n,
                       bias=bias, provenance={"neutral": True})


def shipped_or_neutral_followup() -> LinearModel:
    """The follow-up detector examples are read with before fitting: the shipped one, if any (a
    question's reading decides its retrieval); else one that takes no question for a follow-up."""
    try:
        return shipped_followup_model()
    except FittedModelError:
        return neutral_model("followup", FOLLOWUP_FEATURES, bias=-10.0)


def question_set_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
