"""Fitting the engine's models: folds, sign-constrained regressions, the abstention threshold."""

import numpy as np
import pytest

from chat.fitted import FittedModelError, load_model, save_model
from evals.crossval import assign_folds
from evals.fitting import (FALSE_ABSTENTION_BUDGET, abstention_threshold, conditional_logit_loss, fit_conditional_logit,
                           fit_linear)
from evals.questions import Question


def test_folds_spread_every_question_type_evenly():
    questions = [Question(id=f"{kind}-{i}", question="?", type=kind)
                 for kind, n in (("factoid", 23), ("unanswerable", 7), ("followup", 5)) for i in range(n)]
    folds = assign_folds(questions, 5)
    assert set(folds.values()) == set(range(5))
    for kind in ("factoid", "unanswerable", "followup"):
        per_fold = np.bincount([folds[q.id] for q in questions if q.type == kind], minlength=5)
        assert per_fold.max() - per_fold.min() <= 1
    assert assign_folds(questions, 5) == folds  # the same split every run


def test_a_weight_never_takes_the_sign_its_feature_forbids():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] - x[:, 1] + rng.normal(scale=0.5, size=400)) > 0  # feature 1 lowers the odds
    free = fit_linear("m", ["a", "b"], x, y, False, [0, 0], {})
    kept = fit_linear("m", ["a", "b"], x, y, False, [1, 1], {})
    assert free.weights[0] > 0 > free.weights[1]
    assert kept.weights[0] > 0 and kept.weights[1] == pytest.approx(0.0, abs=1e-6)


def test_the_ranking_model_learns_what_ranks_within_a_question_not_what_sets_questions_apart():
    # Feature "closeness" is the same for every sentence of a question and high for the questions
    # that have evidence at all; feature "on_point" marks the evidence among a question's sentences.
    # Pooled over questions, a logistic regression leans on closeness; within a question it ranks
    # nothing, and the ranking model gives it no weight.
    rng = np.random.default_rng(2)
    groups = []
    for i in range(60):
        closeness = 1.0 if i % 2 else 0.0
        on_point = rng.normal(size=12)
        labels = np.zeros(12, dtype=bool)
        if closeness:
            labels[np.argmax(on_point + rng.normal(scale=0.3, size=12))] = True
        groups.append((np.column_stack([np.full(12, closeness), on_point]), labels))
    ranking = fit_conditional_logit("s", ["closeness", "on_point"], groups, [1, 1], {})
    pooled = fit_linear("s", ["closeness", "on_point"], np.vstack([g for g, _ in groups]),
                        np.concatenate([y for _, y in groups]), False, [1, 1], {})
    assert ranking.weights[0] == pytest.approx(0.0, abs=1e-3) and ranking.weights[1] > 1.0
    assert pooled.weights[0] > 0.5
    assert ranking.provenance["groups"] == 30  # questions without evidence teach nothing
    x, y = groups[1]
    assert np.argmax(ranking.logit(x)) == np.argmax(y)


def test_the_ranking_loss_gradient_matches_its_finite_differences_even_where_positives_score_far_below():
    from scipy.optimize import check_grad

    rng = np.random.default_rng(3)
    groups = [(rng.normal(size=(n, 3)), rng.random(n) < 0.3) for n in (5, 9, 2)]
    groups = [(z, y) for z, y in groups if y.any()] + [(np.array([[0.0, 0, 0], [1, 0, 0]]), np.array([False, True]))]
    for w in (np.zeros(3), rng.normal(size=3), np.array([-900.0, 0, 0])):
        value, _ = conditional_logit_loss(w, groups)
        assert np.isfinite(value)
        assert check_grad(lambda v: conditional_logit_loss(v, groups)[0],
                          lambda v: conditional_logit_loss(v, groups)[1], w) < 1e-4 * max(1.0, abs(value))


def test_the_threshold_abstains_on_at_most_the_budgeted_share_of_answerable_questions():
    rng = np.random.default_rng(1)
    answerable = rng.random(300) > 0.15
    x = (answerable * 1.0 + rng.normal(scale=0.8, size=300)).reshape(-1, 1)
    threshold = abstention_threshold(x, answerable, [1])
    model = fit_linear("m", ["a"], x, answerable, True, [1], {})
    abstained = model.probability(x) < threshold
    assert abstained[answerable].mean() <= FALSE_ABSTENTION_BUDGET + 0.03  # in-sample, so a little slack
    assert abstained[~answerable].mean() > 0.3


def test_a_model_fitted_on_other_features_is_refused(tmp_path):
    save_model(fit_linear("sentence", ["a"], np.array([[0.0], [1.0]]), np.array([0, 1]), False, [0], {}), tmp_path)
    assert load_model("sentence", ["a"], tmp_path).features == ["a"]
    with pytest.raises(FittedModelError, match="Refit it with"):
        load_model("sentence", ["a", "b"], tmp_path)
    with pytest.raises(FittedModelError, match="cannot read"):
        load_model("answerability", ["a"], tmp_path)
