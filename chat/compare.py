"""Where each report stands on a topic: one row per report, in year order, quoted and cited."""

from __future__ import annotations

import csv
import io
import time

from pydantic import BaseModel

from chat.engine import ChatEngine, checked_question
from chat.evidence import TOPIC_COVERAGE, Candidate, candidates, is_statement, select
from chat.extractive import citations_for
from chat.models import Citation, Filters
from chat.names import SentenceTerms, multiword_names
from chat.presentation import pages_label, pdf_link
from chat.reading import Reading
from indexer.lexical import tokenize

PASSAGES_PER_REPORT = 4
STATEMENTS_PER_REPORT = 2
NOT_FOUND = "No statement found in this report."


class ComparisonRow(BaseModel):
    doc: str
    title: str
    publisher: str
    year: int | None
    found: bool
    statements: list[Citation]


class Comparison(BaseModel):
    topic: str
    rows: list[ComparisonRow]
    index_hash: str
    latency_ms: float


def compare_reports(engine: ChatEngine, topic: str, filters: Filters | None = None) -> Comparison:
    """Each report's most relevant statements on the topic, or an explicit "no statement found".

    A report gets statements only when the topic holds no name or date the reports lack (the
    abstention test of an answer), the statements contain most of the topic's words, and they name
    what the topic names ("Border Health Commission"): a row is never filled with the least
    irrelevant passage. The answer's similarity floor does not apply: it is calibrated on questions,
    and a topic of a word or two ("energy") scores below it against the very sentences about it.
    """
    started = time.perf_counter()
    topic = checked_question(topic, kind="topic")
    # Each report is retrieved on its own, so no report is favoured for being named.
    reading = engine.read(topic, [], compare=False).model_copy(update={"named_reports": {}})
    views = engine.views(reading)
    within = engine.retriever.allowed_reports(filters) or sorted(engine.index.reports)
    scored = engine.retriever.score(reading, views[0].vector, filters, within=within,
                                    space=views[0].space)
    fused = engine.retriever.score_of(scored)
    evidence = engine.settings.evidence.model_copy(update={"max_sentences": STATEMENTS_PER_REPORT})
    topic_terms = set(tokenize(reading.lexical_query))  # a Spanish topic in the reports' English words
    reports = engine.index.reports
    allowed = {engine.index.chunks[p].report_id for p in scored.positions}
    rows, numbered = [], 0
    for report_id in sorted(allowed, key=lambda r: (reports[r].year or 0, reports[r].title)):
        top = engine.retriever.top_of_report(scored, report_id, PASSAGES_PER_REPORT)
        pool = candidates(engine.index, top, [fused[p] for p in top], views, reading, engine.term_weights,
                          engine.models.sentence)
        pool = [c for c in pool if is_statement(c.sentence) and _about_topic(c, topic_terms)]
        chosen = select(engine.index, pool, evidence) if _supported(engine, reading, pool) else []
        statements = citations_for(engine.index, chosen, first_number=numbered + 1)
        numbered += len(statements)
        meta = reports[report_id]
        rows.append(ComparisonRow(doc=report_id, title=meta.title, publisher=meta.publisher, year=meta.year,
                                  found=bool(statements), statements=statements))
    return Comparison(topic=topic, rows=rows, index_hash=engine.index.manifest.content_hash,
                      latency_ms=round((time.perf_counter() - started) * 1000, 1))


def _about_topic(candidate: Candidate, topic_terms: set[str]) -> bool:
    """Whether a statement holds most of the topic's words, counted as words: by weight alone, the
    rarer word of "energy reform" passed for both, and the judicial reform filled a row on energy."""
    held = topic_terms & set(tokenize(candidate.sentence.text))
    return len(held) > len(topic_terms) / 2


def _supported(engine: ChatEngine, reading: Reading, pool: list[Candidate]) -> bool:
    covered = max((c.coverage for c in pool), default=0.0) >= TOPIC_COVERAGE
    found = SentenceTerms([c.sentence.text for c in pool])
    named = reading.lang != "en" or all(found.mentions(name)
                                        for name in multiword_names(reading.question, first_word_counts=True))
    lacking = engine.support(reading, pool).reasons
    return covered and named and not lacking


def comparison_markdown(comparison: Comparison, app_url: str = "") -> str:
    """The table in Markdown, each statement linked to its PDF page in the web chat at app_url
    (links relative to the app when it is empty)."""
    lines = [f"# Where the reports stand: {comparison.topic}", "",
             "| report | year | statements (quoted, with page) |", "| --- | --- | --- |"]
    for row in comparison.rows:
        cell = " ".join(f"[{c.n}] “{c.text}” ([{pages_label(c)}]({_page_url(c, app_url)}))"
                        for c in row.statements) or NOT_FOUND
        lines.append(f"| {row.title} ({row.publisher}) | {row.year or ''} | {cell.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def comparison_csv(comparison: Comparison, app_url: str = "") -> str:
    """One line per statement (or per report without one), with a link to its PDF page as in the Markdown."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["report_id", "title", "publisher", "year", "n", "page", "page_end", "quote", "link"])
    for row in comparison.rows:
        for c in row.statements or [None]:
            writer.writerow([row.doc, row.title, row.publisher, row.year or "",
                             c.n if c else "", c.page if c else "", (c.page_end or "") if c else "",
                             c.text if c else NOT_FOUND, _page_url(c, app_url) if c else ""])
    return buffer.getvalue()


def _page_url(c: Citation, app_url: str) -> str:
    return app_url.rstrip("/") + pdf_link(c.doc, c.page)
