"""`python -m chat`: ask the reports from the command line (the web chat comes with `serve`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from pydantic import ValidationError

from chat.engine import ChatEngine, InvalidQuestion
from chat.errors import user_message
from chat.llm_settings import LlmConfigError, load_llm_settings
from chat.messages import say
from chat.models import Answer, Filters
from chat.presentation import checking_note
from chat.retrieval import UnknownFilter
from indexer import IndexMissing
from indexer.cli import index_option
from indexer.embedding import ModelUnavailable
from indexer.store import Location

def load_engine(index_dir: Location, llm_config: Path | None = None) -> ChatEngine:
    """The engine (with the LLM, if one is configured), or a one-line error telling the user what to do."""
    try:
        return ChatEngine.from_folder(index_dir, llm=load_llm_settings(llm_config))
    except (IndexMissing, ModelUnavailable, LlmConfigError) as exc:
        raise click.ClickException(str(exc)) from None


llm_config_option = click.option(
    "--llm-config", type=click.Path(path_type=Path, dir_okay=False), default=None,
    help="TOML file with an [llm] table (base_url, model, api_key, ...); CHAT_LLM_* variables override it. "
         "No LLM configured: extractive answers.")


@click.group(invoke_without_command=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; 0.0.0.0 serves other machines on your network (no public share).")
@click.option("--port", default=7860, show_default=True, type=int)
@index_option()
@click.option("--feedback", "feedback_file", type=click.Path(path_type=Path), default=Path("feedback.jsonl"),
              show_default=True, help="JSONL file the thumbs up/down ratings are appended to.")
@llm_config_option
@click.pass_context
def cli(ctx: click.Context, host: str, port: int, index_dir: Location, feedback_file: Path,
        llm_config: Path | None) -> None:
    """Questions and answers over the U.S.-Mexico policy reports.

    Without a command, starts the web chat on http://HOST:PORT.
    """
    if ctx.invoked_subcommand is None:
        serve(host, port, index_dir, feedback_file, llm_config)


def serve(host: str, port: int, index_dir: Location, feedback_file: Path, llm_config: Path | None) -> None:
    """Load the index once and serve the web chat until interrupted."""
    import uvicorn

    from chat.feedback import FeedbackLog
    from chat.web import WebChat, build_app

    try:
        engine, error = load_engine(index_dir, llm_config), ""
    except click.ClickException as exc:
        engine, error = None, exc.message
        click.echo(f"warning: {error}", err=True)
    if engine and engine.llm:
        click.echo(f"Answers written by {engine.llm.settings.model} at {engine.llm.settings.base_url}, "
                   "citations checked.")
    app = build_app(WebChat(engine, FeedbackLog(feedback_file), load_error=error))
    click.echo(f"Web chat on http://{host}:{port}  (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@cli.command()
@click.argument("question")
@index_option("Index built by `python -m indexer build`: a folder, or postgresql://...")
@click.option("--report", "reports", multiple=True, help="Only this report id (repeatable).")
@click.option("--publisher", default=None, help="Only reports whose publisher contains this text.")
@click.option("--year", default=None, help="A year (2021) or a range (2017-2020).")
@click.option("--json", "as_json", is_flag=True, help="Print the Answer as JSON.")
@llm_config_option
def ask(question: str, index_dir: Location, reports: tuple[str, ...], publisher: str | None,
        year: str | None, as_json: bool, llm_config: Path | None) -> None:
    """Answer QUESTION from the reports, with numbered sources.

    With an LLM, its draft streams to stderr as it is written; the checked answer goes to stdout.
    """
    filters = _filters(reports=list(reports), publisher=publisher, **_year_range(year))
    engine = load_engine(index_dir, llm_config)
    drafting = bool(engine.llm) and not as_json
    try:
        for item in engine.stream(question, filters=filters):
            if isinstance(item, Answer):
                answer = item
            elif drafting:
                click.echo(item, nl=False, err=True)
    except (InvalidQuestion, UnknownFilter, IndexMissing) as exc:
        raise click.ClickException(str(exc)) from None
    if drafting:
        click.echo("\n", err=True)
    click.echo(answer.model_dump_json(indent=2) if as_json else format_answer(answer))


@cli.command("compare")
@click.argument("topic")
@index_option()
@click.option("--report", "reports", multiple=True, help="Only this report id (repeatable).")
@click.option("--year", default=None, help="A year (2021) or a range (2017-2020).")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the comparison as CSV.")
@click.option("--app-url", default="", metavar="URL",
              help="Web chat address the PDF page links of the Markdown and CSV start with, e.g. "
                   "http://127.0.0.1:7860 (default: links relative to the app, /pdf/REPORT#page=N).")
def compare_command(topic: str, index_dir: Location, reports: tuple[str, ...], year: str | None, as_json: bool,
                    as_csv: bool, app_url: str) -> None:
    """Where each report stands on TOPIC: a row per report, by year, with quoted statements."""
    from chat.compare import compare_reports, comparison_csv, comparison_markdown

    filters = _filters(reports=list(reports), **_year_range(year))
    engine = load_engine(index_dir)
    try:
        comparison = compare_reports(engine, topic, filters)
    except (InvalidQuestion, UnknownFilter, IndexMissing) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(comparison.model_dump_json(indent=2))
    elif as_csv:
        click.echo(comparison_csv(comparison, app_url), nl=False)
    else:
        click.echo(comparison_markdown(comparison, app_url), nl=False)


def _filters(**fields) -> Filters:
    try:
        return Filters(**fields)
    except ValidationError as exc:  # an empty year range: say what to change, not pydantic's report
        raise click.UsageError(user_message(exc)) from None


def _year_range(year: str | None) -> dict[str, int]:
    if not year:
        return {}
    try:
        first, _, last = year.partition("-")
        return {"year_from": int(first), "year_to": int(last or first)}
    except ValueError:
        raise click.BadParameter(f"{year!r} is not a year or a range like 2017-2020",
                                 param_hint="--year") from None


def format_answer(answer: Answer) -> str:
    """The answer, then its sources: report, year, page, and the quoted words."""
    notes = [n for n in (answer.notice, checking_note(answer)) if n]
    lines = [*notes, answer.text, ""]
    if answer.citations:
        lines.append(f"{say('sources', answer.lang)}:")
        for c in answer.citations:
            pages = f"pp. {c.page}-{c.page_end}" if c.page_end else f"p. {c.page}"
            lines.append(f"[{c.n}] {c.title} ({c.publisher}, {c.year}), {pages}")
            lines.append(f"    \u201c{c.text}\u201d")
    else:
        lines.append(f"{say('nearest', answer.lang)}:")
        for p in answer.retrieved[:3]:
            lines.append(f"- {p.title} ({p.year}), p. {p.page}: {p.text[:200]}...")
    return "\n".join(lines)


def main() -> None:
    cli(prog_name="python -m chat")


if __name__ == "__main__":
    sys.exit(main())
