"""Read a question once (see chat.reading): report names, the exchange it leans on, the answer it wants."""

from __future__ import annotations

from chat.abstention import counted_things, later_year, unknown_names
from chat.acronyms import Acronyms
from chat.answer_types import subject, wanted_answer
from chat.evidence import AUTHORSHIP_QUESTION, COMPARISON, YEAR, comparison_targets, comparison_topic
from chat.fitted import LinearModel
from chat.models import Turn
from chat.names import SentenceTerms
from chat.query import followed_question, retrieval_query
from chat.reading import Reading
from chat.report_hints import ReportHints
from indexer.lexical import tokenize


class QuestionReader:
    """What the corpus tells about a question's words: report names, acronyms, names it never uses."""

    def __init__(self, hints: ReportHints, acronyms: Acronyms | None, sentence_terms: SentenceTerms,
                 report_years: dict[str, int | None], content):
        self.hints = hints
        self.acronyms = acronyms
        self.sentence_terms = sentence_terms
        self.report_years = report_years
        self.newest_year = max((y or 0 for y in report_years.values()), default=0) or None
        self.content = content  # the text without report names: what is matched against passages

    def read(self, question: str, history: list[Turn], followup: LinearModel, compare: bool = True) -> Reading:
        question = " ".join(question.split())
        own_names = self.hints.scores(question)
        # "And what did the 2021 report say about that?": the previous answer quotes other reports,
        # and its words would pull them back in; the previous question says what "that" is.
        query = retrieval_query(question, history, followup, with_reply=not own_names)
        if self.acronyms:
            query = self.acronyms.expand(query)
        followed = followed_question(question, history, followup)
        named = own_names
        if not named and followed:  # "And what did they say about that?" stays with the report asked about
            named = self.hints.scores(followed)
        unknown = unknown_names(question, self.sentence_terms)
        unknown += [n for n in self.sentence_terms.unknown(question) if not any(w in n for w in unknown)]
        targets = comparison_targets(question, named, self.report_years) if compare else []
        texts = [query] if query == question else [query, question]
        return Reading(
            question=question, query=query, matched_texts=[self.content(t) for t in texts],
            followed_question=followed, named_reports=named,
            years=sorted({int(y) for y in YEAR.findall(question)}),
            later_year=later_year(question, self.newest_year), figure=wanted_answer(question),
            counted=counted_things(question), wants_author=bool(AUTHORSHIP_QUESTION.search(question)),
            subject_terms=[tokenize(self.content(subject(t))) for t in (question, followed) if t],
            unknown_names=unknown, says_compare=bool(COMPARISON.search(question)),
            compared_reports=targets, comparison_topic=comparison_topic(self.content(question)),
        )
