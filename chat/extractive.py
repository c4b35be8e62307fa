"""Compose an answer from selected sentences: grouped by report, in reading order, each cited."""

from __future__ import annotations

import math
import re
from dataclasses import replace

from chat.evidence import Candidate, passage_overlap
from chat.models import Citation
from indexer import LoadedIndex


def compose(index: LoadedIndex, selected: list[Candidate]) -> tuple[str, list[Citation]]:
    """Answer text with [n] markers, and the citations they point to."""
    quotes = _contiguous_quotes(index, selected)
    by_report: dict[str, list[list[Candidate]]] = {}
    best: dict[str, float] = {}
    for quote in quotes:
        report_id = index.chunks[quote[0].chunk].report_id
        by_report.setdefault(report_id, []).append(quote)
        best[report_id] = max(best.get(report_id, -math.inf), max(c.score for c in quote))  # log-odds
    paragraphs: list[str] = []
    citations: list[Citation] = []
    for report_id in sorted(by_report, key=lambda r: -best[r]):
        report = index.reports[report_id]
        parts = []
        for quote in by_report[report_id]:
            citation = _citation(index, quote, len(citations) + 1)
            citations.append(citation)
            parts.append(f"{citation.text} [{citation.n}]")
        year = f" ({report.year})" if report.year else ""
        # With several reports, each paragraph opens with its report on a line of its own.
        lead = f"{report.title}{year}:\n" if len(by_report) > 1 else ""
        paragraphs.append(lead + " ".join(parts))
    return "\n\n".join(paragraphs), citations


def citations_for(index: LoadedIndex, selected: list[Candidate], first_number: int = 1) -> list[Citation]:
    """One citation per run of consecutive sentences, numbered from first_number, in reading order."""
    return [_citation(index, quote, first_number + i) for i, quote in enumerate(_contiguous_quotes(index, selected))]


def _contiguous_quotes(index: LoadedIndex, selected: list[Candidate]) -> list[list[Candidate]]:
    """Runs of consecutive sentences become one quote, also across a passage border within a
    section (a sentence cut for length often runs on into the next passage: its pieces are one
    quote, not a quote ending mid-sentence and another starting there); repeated sentences are
    dropped."""
    quotes: list[list[Candidate]] = []
    seen: set[str] = set()
    in_order = sorted((_in_first_passage(index, c) for c in selected), key=lambda c: (c.chunk, c.index_in_chunk))
    for cand in in_order:
        key = _comparable(cand.sentence.text)
        if key in seen:
            continue
        seen.add(key)
        last = quotes[-1][-1] if quotes else None
        if last and _next_to(index, last, cand):
            quotes[-1].append(cand)
        else:
            quotes.append([cand])
    return quotes


def _in_first_passage(index: LoadedIndex, cand: Candidate) -> Candidate:
    """A sentence of a passage's overlap as the sentence of the passage before, where it comes first."""
    m = passage_overlap(index, cand.chunk)
    if cand.index_in_chunk >= m:
        return cand
    j = len(index.chunks[cand.chunk - 1].sentences) - m + cand.index_in_chunk
    return replace(cand, chunk=cand.chunk - 1, index_in_chunk=j, sentence=index.chunks[cand.chunk - 1].sentences[j])


def _next_to(index: LoadedIndex, last: Candidate, cand: Candidate) -> bool:
    """Whether cand is the sentence right after last: in the same passage, or the first after the
    overlap of the next passage of the section when last ends its passage."""
    if last.chunk == cand.chunk:
        return last.index_in_chunk + 1 == cand.index_in_chunk
    m = passage_overlap(index, cand.chunk) if last.chunk + 1 == cand.chunk else 0
    return m > 0 and last.index_in_chunk == len(index.chunks[last.chunk].sentences) - 1 and cand.index_in_chunk == m


def _comparable(text: str) -> str:
    """A pull quote repeats a sentence inside quotation marks; treat both as one."""
    return " ".join(re.findall(r"\w+", text.lower()))


def _citation(index: LoadedIndex, quote: list[Candidate], n: int) -> Citation:
    chunk = index.chunks[quote[0].chunk]
    report = index.reports[chunk.report_id]
    page, page_end = quote[0].sentence.page, max(c.sentence.page_end for c in quote)
    # A quote that runs on into the next passage shows in its first passage, followed by its sentences
    # from the next.
    passage = " ".join([chunk.text] + [c.sentence.text for c in quote if c.chunk != quote[0].chunk])
    return Citation(
        n=n, doc=chunk.report_id, title=report.title, publisher=report.publisher, year=report.year,
        page=page, page_end=page_end if page_end != page else None, section=chunk.section,
        text=" ".join(c.sentence.text for c in quote), passage=passage,
    )
