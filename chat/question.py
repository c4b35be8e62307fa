"""Read a question once (see chat.reading): report names, the exchange it leans on, the answer it wants."""

from __future__ import annotations

import re

from chat.acronyms import Acronyms
from chat.answer_types import subject, wanted_answer
from chat.chapters import Chapters
from chat.evidence import AUTHORSHIP_QUESTION, COMPARISON, YEAR, comparison_targets, comparison_topic
from chat.fitted import LinearModel
from indexer.language import SPANISH, Language, language_of
from chat.models import Turn
from chat.names import POSSESSIVE, SentenceTerms, opens_question, typed_in_capitals
from chat.query import followed_question, leans_back_plainly, retrieval_query
from chat.reading import Reading
from chat.lexicon import is_spanish_word
from chat.translation import WORD, WordTranslator, without_abbreviations
from chat.report_hints import ReportHints
from chat.voices import spanish_speakers
from indexer.lexical import tokenize

# Capitalised words and numbers of three or more digits: the names and figures a question hinges
# on. If the reports never contain one of them, they cannot answer the question.
NAME_OR_FIGURE = re.compile(r"\b[A-Z][a-zA-Z\u00C0-\u017F'’-]+|\b\d{3,}\b")
FIGURE = re.compile(r"\b\d{3,}\b")
# A question about what reports expected or proposed for a later year is answerable; one about
# what happened then is not.
FORWARD_LOOKING = re.compile(
    r"\b(expect\w*|will|would|plan\w*|propos\w*|recommend\w*|should|predict\w*|project\w*|forecast\w*|"
    r"anticipat\w*|foresee\w*|schedul\w*|due|prepar\w*|could|may|might|goal\w*|target\w*|aim\w*|"
    r"envision\w*|call\w* for|want\w*|hope\w*|by \d{4}|"
    # Spanish: "¿Qué proponen para 2030?", "se espera", "recomiendan", "prevé", "deberían", "podría"
    r"propon\w*|propuest\w*|esper\w*|recomiend\w*|recomend\w*|prev[eé]n?|previst\w*|pretend\w*|metas?|objetivos?|"
    r"deber\w*|podr\w*|planea\w*|para \d{4})\b", re.IGNORECASE)
# "How many <counted things> did/of/in …": the things are what a number in the answer must count.
HOW_MANY = re.compile(r"\bhow many\s+([^?,;:]*)", re.IGNORECASE)
HOW_MANY_ES = re.compile(r"\bcu[aá]nt[oa]s\s+([^?,;:]*)", re.IGNORECASE)
PHRASE_ENDS = frozenset("""did does do is are was were has have had will would can could in on at per of from to
by for with and or the a an its their his her this that these those each every""".split())
# Spanish: its function words (indexer.language) and the verbs a counted phrase runs into
PHRASE_ENDS_ES = SPANISH | frozenset("e u un una había habían hubo está están estaban estuvieron".split())
PHRASE_WORDS = 4
COMPLEMENT_ES = frozenset({"de", "del"})
ARTICLES_ES = frozenset({"la", "las", "los", "el"})


class QuestionReader:
    """What the corpus tells about a question's words: report names, acronyms, names it never uses."""

    def __init__(self, hints: ReportHints, acronyms: Acronyms | None, sentence_terms: SentenceTerms,
                 report_years: dict[str, int | None], content, translator: WordTranslator | None = None,
                 chapters: Chapters | None = None):
        self.hints = hints
        self.chapters = chapters  # None: no report is read as chapters by their authors
        self.acronyms = acronyms
        self.sentence_terms = sentence_terms
        self.report_years = report_years
        self.newest_year = max((y or 0 for y in report_years.values()), default=0) or None
        self.content = content  # the text without report names: what is matched against passages
        self.translator = translator  # None: words of other languages are counted as they are

    def read(self, question: str, history: list[Turn], followup: LinearModel, compare: bool = True) -> Reading:
        question = " ".join(question.split())
        lang = (language_of(question, self.translator.known, self.translator.spanish_words, is_spanish_word)
                if self.translator else language_of(question))
        own_names = self.hints.scores(question) or self._spanish_voices(question, lang)
        # "And what did the 2021 report say about that?": the previous answer quotes other reports,
        # and its words would pull them back in; the previous question says what "that" is.
        query = retrieval_query(question, history, followup, with_reply=not own_names)
        if self.acronyms:
            query = self.acronyms.expand(query)
        followed = followed_question(question, history, followup)
        leans_on_nothing = not history and leans_back_plainly(question)
        named = own_names
        if not named and followed:  # "And what did they say about that?" stays with the report asked about
            named = self.hints.scores(followed)
        unknown = unknown_names(question, self.sentence_terms, lang)
        if lang == "en":
            unknown += [n for n in self.sentence_terms.unknown(question) if not any(w in n for w in unknown)]
        unknown += [n for n in self.sentence_terms.unknown_identifiers(question)
                    if not any(n.endswith(f" {u}") for u in unknown)]  # "Section 232" when "232" is already
        targets = (comparison_targets(question, named, self.report_years, self.hints.singled_out(question),
                                      self.hints.joined(question)) if compare else [])
        if targets and set(targets) <= set(named):
            # Reports compared are wanted alike: "the 2017 and 2021 reports" names two of 2017 and one of 2021.
            named = {**named, **{r: 1.0 for r in targets}}
        counted = counted_things(question)
        texts = [query] if query == question else [query, question]
        # A question in another language: its words looked up once, in the light of the whole query.
        looked_up = self.translator.word_pairs(self.content(query)) if lang != "en" and self.translator else None
        in_english = " ".join(english for _, english in looked_up) if looked_up is not None else None
        # "And what did they say about that?" stays with the chapters asked about, like the reports
        chapters = self._named_chapters(question if own_names or not followed else followed)
        worded = [in_english] if in_english is not None else [question, followed]
        return Reading(
            question=question, lang=lang, query=query, matched_texts=[self.content(t) for t in texts],
            in_english=in_english,
            followed_question=followed, leans_on_nothing=leans_on_nothing, named_reports=named,
            named_chapters=chapters,
            years=sorted({int(y) for y in YEAR.findall(question)}),
            later_year=later_year(question, self.newest_year), figure=wanted_answer(question),
            counted=counted, counted_terms=_in_words(counted, looked_up) if counted else [],
            wants_author=bool(AUTHORSHIP_QUESTION.search(question)),
            subject_terms=[tokenize(self.content(subject(t))) for t in worded if t],
            unknown_names=unknown, says_compare=bool(COMPARISON.search(question)),
            compared_reports=targets, comparison_topic=comparison_topic(self.content(in_english or question)),
        )

    def _named_chapters(self, question: str) -> dict[str, list[str]]:
        """The chapters the question names by their authors ("according to Sarukhan"), per report: not
        in a report it also names otherwise ("Wayne's 2018 slides and the 2021 security chapter")."""
        authors = self.chapters.named(question) if self.chapters else []
        if not authors:
            return {}
        otherwise = self.hints.scores(self.chapters.without_surnames(question, authors))
        return {report: chapters for report, chapters in self.chapters.by_authors(authors).items()
                if report not in otherwise}

    def _spanish_voices(self, question: str, lang: Language) -> dict[str, float]:
        """The reports a Spanish question names by who speaks in them ("¿Qué recomiendan los
        exembajadores…?": "ambassadors", the convocation's), its speakers looked up in English."""
        speakers = spanish_speakers(question) if lang == "es" and self.translator else []
        if not speakers:
            return {}
        english = [found for _, found in self.translator.word_pairs(" ".join(speakers))]
        return self.hints.voiced(tokenize(" ".join(english)))


def _in_words(phrase: str, looked_up: list[tuple[str, str]] | None) -> list[str]:
    """A phrase's terms; in the reports' English for a question in another language (its words as the
    whole question looked them up: "americanos murieron" -> "americans", "died"). A word the lookup
    dropped (a function word) adds nothing."""
    if looked_up is None:
        return tokenize(phrase)
    english = {word.lower(): found for word, found in looked_up}
    return tokenize(" ".join(english.get(word.lower(), "") for word in WORD.findall(phrase)))


def unknown_names(question: str, sentences: SentenceTerms, lang: Language = "en") -> list[str]:
    """The question's names and figures that no sentence of the corpus contains, in the question's
    order, each once."""
    found = [(m.start(), m.group(0)) for m in (NAME_OR_FIGURE if lang == "en" else FIGURE).finditer(question)
             if lang != "en" or not _capitalised_first(question, m)]
    if lang == "es":
        found += spanish_names(question)
    unknown: list[str] = []
    for _, name in sorted(found):
        terms = tokenize(name)
        if terms and not any(sentences.knows(t) for t in terms) and name not in unknown:
            unknown.append(name)
    return unknown


def _capitalised_first(question: str, match: re.Match[str]) -> bool:
    """Whether the match is the question's first word, capitalised because it comes first ("Summarize
    the 2021 outlook.", "Tougher rules for cars: …"); a name there shows by its possessive
    ("Sheinbaum's border policy?")."""
    return (opens_question(question, match.start()) and match.group(0)[:1].isalpha()
            and not match.group(0).endswith(POSSESSIVE))


def spanish_names(question: str) -> list[tuple[int, str]]:
    """A Spanish question's capitalised words that are no Spanish word, with where they stand: "Estados
    Unidos" and "Casa Blanca" are names the English text says differently, "Sheinbaum" is one it
    would write the same. Not the abbreviations the lookup gives their English ("EE. UU.", "T-MEC"),
    nor anything in a question typed in capitals or title case, whose capitals name nothing."""
    if typed_in_capitals(question, SPANISH):
        return []
    return [(m.start(), m.group(0)) for m in NAME_OR_FIGURE.finditer(without_abbreviations(question))
            if not m.group(0)[0].isdigit() and not all(is_spanish_word(part) for part in m.group(0).split("-") if part)]


def later_year(question: str, newest_year: int | None) -> int | None:
    """A year the question asks about that comes after every report, unless it asks what was expected."""
    if not newest_year or FORWARD_LOOKING.search(question):
        return None
    later = [int(y) for y in YEAR.findall(question) if int(y) > newest_year]
    return min(later) if later else None


def _with_complement(words: list[str]) -> list[str]:
    """Spanish names what is counted with a complement after "de", where English puts it before the
    noun: "solicitudes de asilo" are "asylum applications", so the complement counts too (the words
    without "de" and its article). Not a place or a name ("cónsules de México", "empresas de Estados
    Unidos"): those say whose, and near any number they would pass the count check."""
    if len(words) < 3 or words[1].lower() not in COMPLEMENT_ES:
        return words
    rest = words[3:] if words[2].lower() in ARTICLES_ES else words[2:]
    if not rest or not rest[0][:1].islower():
        return words
    return words[:1] + rest


def counted_things(question: str) -> str | None:
    """What a "how many" question counts ("National Guard troops"), or None."""
    match, spanish = HOW_MANY.search(question), False
    if not match:
        match, spanish = HOW_MANY_ES.search(question), True
    if not match:
        return None
    following = _with_complement(match.group(1).split()) if spanish else match.group(1).split()
    ends = PHRASE_ENDS_ES if spanish else PHRASE_ENDS
    words: list[str] = []
    for word in following[:PHRASE_WORDS]:
        if word.lower() in ends:
            break
        words.append(word)
    phrase = " ".join(words)
    return phrase if tokenize(phrase) else None
