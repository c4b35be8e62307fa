"""`python -m evals`: run a question set through the chat engine, score it, compare runs."""

from __future__ import annotations

from pathlib import Path

import click

from chat.engine import ChatEngine
from indexer.cli import index_option
from indexer.store import Location
from chat.fitted import FITTED_DIR, FittedModelError, FittedModels, save_model
from chat.settings import EngineSettings
from chat.llm_settings import LlmConfigError, load_llm_settings
from evals.compare import compare
from evals.crossval import cross_validate, gap_table
from evals.fitting import EXTRA_QUESTIONS, collect, fit_models, fit_scale, neutral_models, question_set_hash
from evals.metrics import DEFINITIONS
from evals.questions import Question, QuestionSetError, load_questions, unknown_reports, without_gold
from evals.report import write_reports
from evals.runner import git_commit, read_run, run_questions, write_results
from evals.translate import TranslatorMissing, translate, written
from indexer import IndexMissing


def _threshold(value: str) -> tuple[str, float]:
    metric, sep, number = value.partition("=")
    try:
        if not sep:
            raise ValueError
        metric, threshold = metric.strip(), float(number)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not METRIC=VALUE, e.g. hit@5=0.9",
                                 param_hint="--fail-under") from None
    if metric not in DEFINITIONS:  # checked before the run, not after it
        raise click.BadParameter(f"no metric {metric!r}; the metrics are {', '.join(DEFINITIONS)}",
                                 param_hint="--fail-under")
    return metric, threshold


EXTRA_OPTION = click.option(
    "--extra", "extra", type=click.Path(path_type=Path, dir_okay=False), multiple=True,
    default=EXTRA_QUESTIONS, show_default=True,
    help="Question files added to the answerability model's training data, never scored (repeatable).")


@click.group()
def cli() -> None:
    """Answer-quality evaluation over question sets (format: shared/evals/README.md)."""


@cli.command()
@click.option("--questions", type=click.Path(path_type=Path, exists=True, dir_okay=False), required=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder for results.jsonl, summary.json, report.md and report.html.")
@index_option()
@click.option("--mode", type=click.Choice(["extractive", "llm"]), default="extractive", show_default=True)
@click.option("--k", type=int, default=10, show_default=True, help="Retrieved passages kept per question in results.jsonl (at least 10: the metrics read the top 10).")
@click.option("--limit", type=int, default=None, help="Only the first N questions (a smoke run).")
@click.option("--fail-under", "fail_under", multiple=True, metavar="METRIC=VALUE",
              help="Exit non-zero when a metric's mean is below VALUE (repeatable).")
@click.option("--llm-config", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="For --mode llm: TOML file with an [llm] table; CHAT_LLM_* variables override it.")
@click.option("--no-progress", is_flag=True)
def run(questions: Path, out_dir: Path, index_dir: Location, mode: str, k: int, limit: int | None,
        fail_under: tuple[str, ...], llm_config: Path | None, no_progress: bool) -> None:
    """Run every question, write results and reports to --out."""
    thresholds = [_threshold(v) for v in fail_under]
    try:
        llm = load_llm_settings(llm_config) if mode == "llm" else None
        if llm and not llm.configured:
            raise LlmConfigError("--mode llm needs an endpoint: set CHAT_LLM_BASE_URL and CHAT_LLM_MODEL, "
                                 "or pass --llm-config FILE.")
        items = load_questions(questions)[:limit]
        # The metrics read the top 10; a larger --k keeps more passages in the results.
        engine = ChatEngine.from_folder(index_dir, llm=llm, settings=EngineSettings(retrieved=max(k, 10)))
    except (QuestionSetError, IndexMissing, LlmConfigError, FittedModelError) as exc:
        raise click.ClickException(str(exc)) from None
    if missing := unknown_reports(items, set(engine.index.reports)):
        click.echo(f"warning: {questions} cites reports the index does not hold ({', '.join(missing)}): their "
                   "questions score 0 for retrieval and citations. Index those PDFs, or fix the ids.", err=True)
    if unscored := without_gold(items):
        click.echo(f"warning: {len(unscored)} question(s) of {questions} have no evidence and are scored as questions "
                   f"the reports do not answer ({', '.join(unscored[:5])}{'…' if len(unscored) > 5 else ''}); give "
                   "them evidence, or type 'unanswerable'.", err=True)
    results, summary = run_questions(engine, items, mode, k, progress=not no_progress)
    write_results(out_dir, results, summary)
    write_reports(out_dir, summary, items, results)
    overall = summary["overall"]
    for metric in ("hit@5", "mrr@10", "must_include", "citation_accuracy", "citation_validity", "groundedness",
                   "abstention", "false_abstention"):
        if metric in overall:
            click.echo(f"{metric:<18} {overall[metric]['mean']:.3f}  (n={overall[metric]['n']})")
    if "latency_ms" in overall:
        click.echo(f"{'latency p50/p95':<18} {overall['latency_ms']['p50']:.0f} / {overall['latency_ms']['p95']:.0f} ms")
    if mode == "llm":
        click.echo(f"answers by mode    {summary['answer_modes']}")
    click.echo(f"{len(summary['failed'])} item(s) failed to run. Report: {out_dir / 'report.html'}")
    failing = [(m, v) for m, v in thresholds if m not in overall or overall[m]["mean"] < v]
    for metric, value in failing:
        got = f"{overall[metric]['mean']:.3f}" if metric in overall else "not measured"
        click.echo(f"FAIL {metric} = {got} < {value}", err=True)
    if failing or summary["failed"]:
        raise SystemExit(1)


@cli.command()
@click.option("--questions", type=click.Path(path_type=Path, exists=True, dir_okay=False), required=True)
@index_option()
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=FITTED_DIR,
              show_default=True, help="Folder for sentence.json and answerability.json (the engine reads "
                                      "the package's chat/fitted/).")
@EXTRA_OPTION
@click.option("--translations", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="A question set with ids of --questions, each question in another language (e.g. machine-"
                   "translated to Spanish): the multilingual scale is fitted on what those meet.")
@click.option("--no-progress", is_flag=True)
def fit(questions: Path, index_dir: Location, out_dir: Path, extra: tuple[Path, ...], translations: Path | None,
        no_progress: bool) -> None:
    """Fit the evidence scorer, the answerability model and the follow-up detector on a question set."""
    items, engine = _load(questions, index_dir)
    extra_items = _extra(extra)
    translated = _translations(translations, items) if translations else None
    provenance = {"git_commit": git_commit(), "questions": str(questions), "questions_sha256": question_set_hash(questions),
                  "extra": [str(p) for p in extra], "index_hash": engine.index.manifest.content_hash}
    if translations:
        provenance["translations"] = {"path": str(translations), "sha256": question_set_hash(translations)}
    examples = collect(engine, items + extra_items, progress=not no_progress)
    scale = fit_scale(engine, examples, provenance, translated)
    if scale != engine.models.multilingual_scale:  # the features of non-English questions change with it
        engine.models = engine.models.model_copy(update={"multilingual_scale": scale})
        examples = collect(engine, items + extra_items, progress=not no_progress)
    try:
        models = fit_models(engine, examples, provenance)  # saved together, after every fit succeeded
    except FittedModelError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"multilingual scale: {save_model(scale, out_dir)} ({scale.provenance['pairs']} pairs, "
               f"correlation {scale.provenance['correlation']:.3f})")
    for model in (models.sentence, models.answerability, models.followup):
        click.echo(f"{model.name}: {save_model(model, out_dir)} ({model.provenance['examples']} examples)")


@cli.command()
@click.option("--questions", type=click.Path(path_type=Path, exists=True, dir_okay=False), required=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder for out-of-fold/ and in-fold/ runs (as `run` writes them) and cv.md.")
@index_option()
@click.option("--folds", type=int, default=5, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the fold assignment.")
@EXTRA_OPTION
@click.option("--check", "check_paths", multiple=True, type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="A question set asking the same questions otherwise, ids kept (e.g. `evals translate`'s "
                   "output), answered out of fold too: each question by the models of its id's fold; "
                   "its run goes to check-<name>/ (repeatable).")
@click.option("--no-progress", is_flag=True)
def cv(questions: Path, out_dir: Path, index_dir: Location, folds: int, seed: int, extra: tuple[Path, ...],
       check_paths: tuple[Path, ...], no_progress: bool) -> None:
    """Cross-validate the fitted models: out-of-fold and in-fold figures side by side."""
    items, engine = _load(questions, index_dir, models=neutral_models())
    checks = [_check_set(path, items) for path in check_paths]
    try:
        result = cross_validate(engine, items, folds, seed, progress=not no_progress, extra=_extra(extra),
                                checks=checks)
    except ValueError as exc:  # FittedModelError among them
        raise click.ClickException(str(exc)) from None
    runs = [("out-of-fold", result.out_of_fold, items), ("in-fold", result.in_fold, items)]
    runs += [(f"check-{path.stem}", run, check) for path, run, check in zip(check_paths, result.checks, checks)]
    for name, (results, summary), asked in runs:
        write_results(out_dir / name, results, summary)
        write_reports(out_dir / name, summary, asked, results)
    table = gap_table(result)
    (out_dir / "cv.md").write_text(f"# Cross-validation: {questions}\n\n{table}", encoding="utf-8")
    click.echo(table)
    click.echo(f"Runs: {', '.join(str(out_dir / name) for name, _, _ in runs)} "
               "(compare them with `python -m evals compare`)")


def _check_set(path: Path, items: list[Question]) -> list[Question]:
    """A check set for `cv`: every id one of the question set's, so that it has a fold."""
    return _asked_otherwise(path, items, "a check set asks the question set's own questions, ids kept")


def _asked_otherwise(path: Path, items: list[Question], rule: str) -> list[Question]:
    """The questions of a file that asks the question set's questions otherwise; an id not among the
    set's is an error that says the rule."""
    try:
        asked = load_questions(path)
    except QuestionSetError as exc:
        raise click.ClickException(str(exc)) from None
    unknown = sorted({q.id for q in asked} - {q.id for q in items})
    if unknown:
        raise click.ClickException(f"{path}: {len(unknown)} id(s) not in the question set, e.g. {unknown[0]}; {rule}")
    return asked


def _translations(path: Path, items: list[Question]) -> dict[str, str]:
    """Question id -> its translation; every id must be one of the question set's."""
    translated = _asked_otherwise(path, items, "each translation keeps the id of the question it translates")
    return {q.id: q.question for q in translated}


def _extra(paths: tuple[Path, ...]) -> list[Question]:
    try:
        return [q for path in paths for q in load_questions(path)]
    except QuestionSetError as exc:
        raise click.ClickException(str(exc)) from None


def _load(questions: Path, index_dir: Location, models: FittedModels | None = None) -> tuple[list[Question], ChatEngine]:
    try:
        items = load_questions(questions)
        engine = ChatEngine.from_folder(index_dir, models=models or neutral_models())
    except (QuestionSetError, IndexMissing) as exc:
        raise click.ClickException(str(exc)) from None
    return items, engine


@cli.command("translate")
@click.option("--questions", type=click.Path(path_type=Path, exists=True, dir_okay=False), required=True)
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False), required=True)
@click.option("--lang", default="es", show_default=True)
@click.option("--from", "written_path", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help='Translations written by hand instead of Apertium: JSON lines of "id" and "question" '
                   "(follow-ups keep their history), e.g. evals/data/dev_followups_es.jsonl.")
def translate_command(questions: Path, out_path: Path, lang: str, written_path: Path | None) -> None:
    """Machine-translate the set's standalone English questions (for `fit --translations`), or take
    the translations of a file written by hand (a check set for `run`)."""
    try:
        items = load_questions(questions)
        translated = written(items, written_path, lang) if written_path else translate(items, lang)
    except (QuestionSetError, TranslatorMissing) as exc:
        raise click.ClickException(str(exc)) from None
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text("".join(q.model_dump_json() + "\n" for q in translated), encoding="utf-8")
    click.echo(f"{len(translated)} questions translated: {out_path}")


@cli.command("compare")
@click.argument("run_a", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.argument("run_b", type=click.Path(path_type=Path, exists=True, file_okay=False))
def compare_command(run_a: Path, run_b: Path) -> None:
    """Each metric of RUN_A and RUN_B, the difference, and whether it is outside the noise."""
    try:
        results_a, _ = read_run(run_a)
        results_b, _ = read_run(run_b)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"cannot read a run folder: {exc}") from None
    ids_a, ids_b = {r["id"] for r in results_a}, {r["id"] for r in results_b}
    if ids_a != ids_b:  # only the questions both answered are compared
        click.echo(f"warning: the runs answered different questions ({len(ids_a)} in A, {len(ids_b)} in B, "
                   f"{len(ids_a & ids_b)} in both); only those in both are compared.", err=True)
    click.echo(f"A = {run_a}\nB = {run_b}")
    click.echo(f"{'metric':<18} {'A':>8} {'B':>8} {'B-A':>8}  95% interval of B-A   n   verdict")
    for c in compare(results_a, results_b):
        click.echo(f"{c.metric:<18} {c.a:8.3f} {c.b:8.3f} {c.difference:+8.3f}  "
                   f"[{c.low:+.3f}, {c.high:+.3f}]  {c.n:>3}  {c.verdict}")


def main() -> None:
    cli(prog_name="python -m evals")
