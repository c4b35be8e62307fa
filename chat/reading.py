"""How the engine understood a question: the `Reading`, built once per question by chat.question.

Every step after it (retrieval, evidence, abstention, comparison) takes the Reading and never parses
the question again; the Answer's trace records it, so an evaluator sees how each question was read.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from chat.answer_types import ANSWER_PATTERNS
from indexer.language import Language

AnswerKind = Literal["amount", "percent", "date", "count", "number", "person"]


class Reading(BaseModel):
    """How the engine understood one question (with its conversation)."""

    question: str = Field(description="The question as asked")
    lang: Language = Field("en", description="The question's language; the reports' is English")
    query: str = Field(description="Retrieval query: the question, the exchange it leans on, defined acronyms")
    matched_texts: list[str] = Field(description="What is matched against passages: the query, and the "
                                                 "bare question when they differ, without report names")
    in_english: str | None = Field(None, description="A question not in English: its content words looked up "
                                                      "in the reports' words (chat/translation.py), for "
                                                      "counting words; None for an English question")
    followed_question: str | None = Field(None, description="The previous question a follow-up leans on")
    leans_on_nothing: bool = Field(False, description="Reads as a follow-up ('And what did they say about "
                                                      "that?') but comes with no conversation: read on its own, "
                                                      "with a notice")
    named_reports: dict[str, float] = Field(default_factory=dict,
                                            description="Reports the question names, 0..1 (a follow-up that "
                                                        "names none inherits the ones its question named)")
    named_chapters: dict[str, list[str]] = Field(
        default_factory=dict, description="Per report, the chapters the question names (chat/chapters.py), by "
                                          "their authors and first page: there only they are named. A "
                                          "follow-up inherits them like reports")
    years: list[int] = Field(default_factory=list, description="Years the question mentions")
    later_year: int | None = Field(None, description="A year asked about after the newest report, "
                                                     "unless the question asks what was expected")
    figure: AnswerKind | None = Field(None, description="What the answer must give, if the question says: "
                                                        "an amount of money, a share, a date, a count...")
    counted: str | None = Field(None, description="What a 'how many' question counts, as asked")
    counted_terms: list[str] = Field(default_factory=list,
                                     description="The counted things' terms in the reports' English")
    wants_author: bool = Field(False, description="Asks who wrote something")
    subject_terms: list[list[str]] = Field(default_factory=list,
                                           description="Terms a sentence must hold to be about the question "
                                                       "(without 'how much', 'cost'...), per question read")
    unknown_names: list[str] = Field(default_factory=list,
                                     description="Names and figures of the question no sentence contains")
    says_compare: bool = Field(False, description="The question says it compares ('differ', 'versus')")
    compared_reports: list[str] = Field(default_factory=list, description="Reports a comparison concerns")
    comparison_topic: list[str] = Field(default_factory=list, description="What a comparison compares, as terms")

    @property
    def lexical_query(self) -> str:
        """What BM25 and word counts match: the query's words, in English."""
        return self.in_english if self.in_english is not None else self.matched_texts[0]

    @property
    def figure_pattern(self) -> re.Pattern[str] | None:
        """What a sentence must hold to give the answer the question asks for."""
        return ANSWER_PATTERNS[self.figure] if self.figure else None
