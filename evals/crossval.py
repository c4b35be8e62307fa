"""k-fold cross-validation of the fitted models: every figure scored on questions they were not fitted on.

Folds are stratified by question type. For each fold the models are fitted on the other folds and
the held-out questions are answered with them; the out-of-fold results of all folds make one run.
The in-fold run fits on every question and answers the same questions: the gap between the two is
what fitting to these questions is worth and would not carry over to new ones.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from chat.engine import ChatEngine
from evals.fitting import collect, fit_models
from evals.questions import Question
from evals.runner import run_questions, summarise

HEADLINE = ["hit@5", "mrr@10", "must_include", "citation_accuracy", "abstention", "false_abstention",
            "citation_validity", "groundedness"]
MAX_GAP = 0.03  # in-fold minus out-of-fold above this: the lever is fitted to these questions


@dataclass
class CrossValidation:
    folds: int
    out_of_fold: tuple[list[dict], dict]  # results, summary
    in_fold: tuple[list[dict], dict]
    checks: list[tuple[list[dict], dict]] = field(default_factory=list)  # per check set, out of fold


def assign_folds(questions: list[Question], folds: int, seed: int = 0) -> dict[str, int]:
    """Question id -> fold, each type spread evenly over the folds."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for q in questions:
        by_type[q.type].append(q.id)
    rng = random.Random(seed)
    assignment = {}
    offset = 0
    for kind in sorted(by_type):
        ids = sorted(by_type[kind])
        rng.shuffle(ids)
        for i, qid in enumerate(ids):
            assignment[qid] = (i + offset) % folds
        offset += len(ids)  # small types do not all start in fold 0
    return assignment


def cross_validate(engine: ChatEngine, questions: list[Question], folds: int, seed: int = 0,
                   progress: bool = True, extra: list[Question] | None = None,
                   checks: list[list[Question]] = ()) -> CrossValidation:
    """Out-of-fold and in-fold runs of the question set. extra questions join every fold's training
    data and are never scored. Each check set (the set's questions asked otherwise, e.g. translated:
    every id one of the set's) is answered out of fold too, each question by the models of its id's
    fold. Leaves the engine with the in-fold models."""
    if folds < 2:
        raise ValueError(f"--folds must be at least 2, not {folds}")
    started = time.perf_counter()
    examples = collect(engine, questions, progress)
    extra_examples = collect(engine, extra or [], progress=False)
    assignment = assign_folds(questions, folds, seed)
    by_id: dict[str, dict] = {}
    checked: list[dict[str, dict]] = [{} for _ in checks]
    for fold in range(folds):
        train = [e for e in examples if assignment[e.question.id] != fold] + extra_examples
        held_out = [q for q in questions if assignment[q.id] == fold]
        engine.models = fit_models(engine, train, {"fold": fold, "folds": folds})
        by_id.update(_answered(engine, held_out, fold))
        for check, answered in zip(checks, checked):
            answered.update(_answered(engine, [q for q in check if assignment[q.id] == fold], fold))
        if progress:
            print(f"fold {fold + 1}/{folds}: fitted on {len(train)} questions ({len(extra_examples)} extra), "
                  f"scored {len(held_out)}" + (f" and {sum(assignment[q.id] == fold for c in checks for q in c)} "
                                               "of the check sets" if checks else ""))
    elapsed = time.perf_counter() - started
    out_results = [by_id[q.id] for q in questions]
    out_summary = summarise(engine, questions, out_results, "extractive", 10, elapsed)
    check_runs = []
    for check, answered in zip(checks, checked):
        results = [answered[q.id] for q in check]
        check_runs.append((results, summarise(engine, check, results, "extractive", 10, elapsed)))
    engine.models = fit_models(engine, examples + extra_examples, {"folds": "all"})
    in_results, in_summary = run_questions(engine, questions, "extractive", 10, progress=False)
    for summary, kind in ((out_summary, "out-of-fold"), (in_summary, "in-fold"),
                          *((summary, "out-of-fold check set") for _, summary in check_runs)):
        summary["provenance"]["cross_validation"] = {"folds": folds, "seed": seed, "scored": kind}
    return CrossValidation(folds, (out_results, out_summary), (in_results, in_summary), check_runs)


def _answered(engine: ChatEngine, questions: list[Question], fold: int) -> dict[str, dict]:
    """Each question's result by the engine's models of this fold, by id, marked with the fold."""
    results, _ = run_questions(engine, questions, "extractive", 10, progress=False)
    return {r["id"]: {**r, "fold": fold} for r in results}


def gap_table(cv: CrossValidation) -> str:
    """Markdown: each headline metric in-fold and out-of-fold, with 95% intervals and the gap."""
    out_all, in_all = cv.out_of_fold[1]["overall"], cv.in_fold[1]["overall"]
    lines = [f"| metric | in-fold | out-of-fold ({cv.folds} folds) | in − out | |", "| --- | --- | --- | --- | --- |"]
    for metric in HEADLINE:
        if metric not in out_all:
            continue
        a, b = in_all[metric], out_all[metric]
        gap = a["mean"] - b["mean"]
        lines.append(f"| {metric} | {_cell(a)} | {_cell(b)} | {gap:+.3f} | {'✗ fitted in-fold' if gap > MAX_GAP else ''} |")
    return "\n".join(lines) + "\n"


def _cell(stat: dict) -> str:
    return f"{stat['mean']:.3f} [{stat['low']:.3f}, {stat['high']:.3f}]"
