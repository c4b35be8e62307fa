"""Which reports a question names: "COMEXI", "the 2021 outlook", "Wayne's slides", "Charting a New Course".

A question that names a report usually wants that report, so its passages get a boost (not a
filter: comparison questions name several reports, and a name can be a false lead). The evidence
is the report metadata, read as names, not as topic words: the publisher's short name and acronym,
authors' surnames, the short title (before its colon), and the year where it dates a document. Title
words alone ("policy", "partnership", "U.S.-Mexico") are topics, not names: counting them pointed
a third of the dev questions at the wrong report. A name shared by every report carries no weight.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from chat.evidence import YEAR
from chat.names import POSSESSIVE
from chat.voices import speaker_terms
from indexer.lexical import tokenize
from indexer.models import ReportMeta

# A year names a report when it dates a document ("the 2021 outlook") or a name ("COMEXI's 2017 stance"),
# not an event ("the 2020 election").
DOCUMENT = re.compile(r"(?i)reports?|outlook|deck|slides?|presentation|volume|study|chapters?|papers?|document|"
                      r"publication|edition|convocation|proposals?|recommendations?|analysis|"
                      # the same in Spanish: "el informe de 2021", "la Convocatoria 2020"
                      r"informes?|perspectivas?|panorama|presentaci[oó]n|l[aá]minas?|diapositivas?|volumen|estudio|"
                      r"cap[ií]tulos?|documento|"
                      r"publicaci[oó]n|edici[oó]n|convocatoria|propuestas?|recomendaciones|an[aá]lisis")
DATED = "published"
VOICE = "voice:"  # a name of a report's speakers (chat.voices), said where the question asks for a speaker's view
# What joins two years or two sources in a list or a contrast ("2017, 2018 and 2021", "COMEXI and
# Wayne", "el de 2017 y el de 2021"); between years also a range or a pairing ("de 2017 a 2021", "the
# 2017 report with the 2021 one"), not between sources ("¿Qué le recomendó COMEXI a Wayne?").
CONJUNCTIONS = frozenset("and or vs versus y e o u ni".split())
RANGE_WORDS = frozenset("to a with con".split())
# What else may stand between them: an article, "of", a pronoun for the document ("the 2021 one").
OF = frozenset("of de del".split())
ARTICLES = frozenset("the el la los las one ones".split()) | OF
# Words that open a document's topic as a phrase of its own, not as a part of its name.
TOPIC_PREPOSITIONS = frozenset("sobre acerca en para con entre respecto hacia".split())
SENTENCE_BREAK = re.compile(r"[?!;:¿¡]|\.(?!\s*\d)")
READINGS_KEPT = 64  # questions whose names are kept: each is read by scores, singled_out, joined, without_names
SHORT_TITLE_TERMS = 4
ACRONYM = re.compile(r"\b[A-Z]{3,}\b")
WORD = re.compile(r"\S+")
SPOKEN_WORD = re.compile(r"[\w'’]+")  # a word with its possessive: "Wayne's"
MIN_CONTENT_TERMS = 2
ORGANISATION = re.compile(r"\b(Center|Centre|Institute|Foundation|Council|Office|Department|University)\b")
PARENTHESIS = re.compile(r"\(([^)]*)\)")
SPELLED_OUT = re.compile(r"([^,(]+)\(([^)]*)\)")  # a name with its acronym in parenthesis
# A title's parenthesis may say what form the document takes ("Building Partnership with Mexico
# (presentation slides)"); a question names that form in any of these words ("Wayne's deck", "las
# láminas de Wayne"), which tells the deck from the author's chapters in other reports. Stemmed.
SLIDE_DECK = frozenset(tokenize("slides deck presentation láminas diapositivas presentación"))


class ReportHints:
    def __init__(self, reports: list[ReportMeta], voices: dict[str, set[str]] | None = None):
        """voices: per report, the terms of who speaks in it (chat.voices.report_voices)."""
        self.report_ids = [r.id for r in reports]
        self._names = {r.id: report_names(r) | {VOICE + t for t in (voices or {}).get(r.id, ())} for r in reports}
        counts: dict[str, int] = {}
        for names in self._names.values():
            for name in names:
                counts[name] = counts.get(name, 0) + 1
        n = len(reports)
        self._weight = {t: math.log(n / c) for t, c in counts.items()} if n > 1 else {}
        self._only = {name: next((rid for rid, names in self._names.items() if name in names)) if c == 1 else None
                      for name, c in counts.items()}  # the report a name names alone, if any
        # The years of the reports each one-word name names ("wayne": 2017, 2018, 2021), for "Wayne 2018"
        self._name_years: dict[str, set[int]] = {}
        for report in reports:
            for name in self._names[report.id]:
                if self._weight.get(name, 0) > 0 and " " not in name and not name.startswith(VOICE) and report.year:
                    self._name_years.setdefault(name, set()).add(report.year)
        self._said = lru_cache(maxsize=READINGS_KEPT)(self._names_said)

    def _names_said(self, question: str) -> tuple[frozenset[str], frozenset[int]]:
        """The question's terms and names (question_names), and where its years date a document (dated_years)."""
        dated = dated_years(question, self._name_years)
        said = question_names(question, self._name_years, dated)
        if not any(self._weight.get(name, 0.0) > 0 for name in said):  # a report named otherwise is the one asked
            said |= {VOICE + term for term in speaker_terms(question)}
        return frozenset(said), frozenset(dated)

    def scores(self, question: str) -> dict[str, float]:
        """Per report, 0..1: how strongly the question points at it (relative to the best)."""
        said, _ = self._said(question)
        raw = {rid: sum(self._weight.get(t, 0.0) for t in said & self._names[rid]) for rid in self.report_ids}
        top = max(raw.values(), default=0.0)
        return {rid: s / top for rid, s in raw.items() if s > 0} if top > 0 else {}

    def voiced(self, terms: list[str]) -> dict[str, float]:
        """The reports that speak with any of the terms (chat.voices), each 1: the speakers of a
        question in another language, once its words are looked up in English."""
        return {rid: 1.0 for rid in self.report_ids if {VOICE + t for t in terms} & self._names[rid]}

    def singled_out(self, question: str) -> list[str]:
        """The reports the question names by a name that names one report alone ("COMEXI", "Olson",
        "the 2021 outlook"); a name several share ("Wayne", "the Wilson Center") singles none out."""
        said, _ = self._said(question)
        return [rid for rid in self.report_ids
                if any(self._weight.get(name, 0.0) > 0 and self._only[name] == rid for name in said & self._names[rid])]

    def joined(self, question: str) -> list[str]:
        """The reports of sources the question joins that share no report ("what did COMEXI and Wayne
        warn…": COMEXI's report and those Wayne wrote), else none: sources asked about together."""
        said, dated = self._said(question)
        mentions = []  # (start, end, reports) of each word that names reports, in order
        for match in SPOKEN_WORD.finditer(question):
            word = match.group()
            names = ({f"{DATED} {word}"} if match.start() in dated
                     else {n for n in set(tokenize(word)) & said if self._weight.get(n, 0.0) > 0})
            reports = {rid for rid in self.report_ids if names & self._names[rid]}
            if reports:
                mentions.append((match.start(), match.end(), reports))
        out: set[str] = set()
        for (_, end, first), (start, _, second) in zip(mentions, mentions[1:]):
            if first.isdisjoint(second) and _coordinates(question[end:start], years=False):
                out |= first | second
        return [rid for rid in self.report_ids if rid in out]

    def without_names(self, question: str) -> str:
        """The question with the words that name a report taken out, for matching its content.

        "COMEXI" in "What does COMEXI propose on consulates?" picks the report (see scores); left in
        the query, it also matches the report's title page and its "About COMEXI" passage better
        than the passage on consulates.
        """
        said, dated = self._said(question)  # a year goes where it dates a document only
        named = {name.removeprefix(VOICE) for name in said
                 if self._weight.get(name, 0.0) > 0 and not name.startswith(DATED)}
        terms = {name for name in named if " " not in name}
        phrases = [name.split() for name in named if " " in name]
        if not named and not dated:
            return question
        tokens = list(WORD.finditer(question))
        words = [t.group() for t in tokens]
        gone = [any(t.start() <= at < t.end() for at in dated) or (bool(tokenize(w)) and set(tokenize(w)) <= terms)
                for t, w in zip(tokens, words)]
        # A name of several words goes where its words stand together, not each of its words wherever
        # it stands: "foreign" of "the Mexican Council on Foreign Relations" is a topic elsewhere.
        for start in range(len(words) if phrases else 0):
            for end in range(start + 1, min(start + 2 * SHORT_TITLE_TERMS, len(words)) + 1):
                if (tokenize(words[start]) and tokenize(words[end - 1])  # from its first word to its last
                        and tokenize(" ".join(words[start:end])) in phrases):
                    gone[start:end] = [True] * (end - start)
        if _content_terms(words, gone) < MIN_CONTENT_TERMS:
            return question  # "What is COMEXI?" is about the name itself
        # The word for the document beside a year that dates it goes too: "the 2021 outlook" (left in,
        # "outlook" matched the report's title page), "el informe de 2017", "the report of 2017".
        with_documents = list(gone)
        for i, token in enumerate(tokens):
            if any(token.start() <= at < token.end() for at in dated):
                beside = [i - 1, i + 1] + ([i - 2] if i > 1 and words[i - 1].lower() in OF else [])
                for k in (k for k in beside if 0 <= k < len(words) and DOCUMENT.fullmatch(words[k].strip(".,;:?!()¿¡"))):
                    with_documents[k] = True
        if _content_terms(words, with_documents):  # not when nothing would be left to match
            gone = with_documents
        return " ".join(w for w, out in zip(words, gone) if not out)


def report_names(report: ReportMeta) -> set[str]:
    """The terms and phrases a question could name the report by."""
    names = set(tokenize(report.id.split("-")[0]))  # ids start with the publisher's or author's short name
    names |= {t for acronym in ACRONYM.findall(report.publisher) for t in tokenize(acronym)}
    names |= organisation_names(report.publisher)
    for author in report.authors:
        if ORGANISATION.search(author):
            continue
        names |= {t for acronym in ACRONYM.findall(author) for t in tokenize(acronym)}
        names |= set(tokenize(surname(author) or ""))
    if report.year:
        names.add(f"{DATED} {report.year}")
    for form in PARENTHESIS.findall(report.title):
        terms = set(tokenize(form))
        names |= terms | (SLIDE_DECK if terms & SLIDE_DECK else set())
    short_title = tokenize(report.title.split(":")[0])  # "Charting a New Course: Policy Options …"
    if 0 < len(short_title) <= SHORT_TITLE_TERMS:
        names.add(" ".join(short_title))
    return names


def organisation_names(publisher: str) -> set[str]:
    """The spelled-out name of a publisher the catalog gives with its acronym ("Mexican Council on
    Foreign Relations (COMEXI)"), which names the report as the acronym does. Not a part of it ("the
    Mexican Council" is also the Mexican Council of Foreign Trade), and only a name given with its
    acronym: a catalog's other organisation names are shared or shortened in use ("Woodrow Wilson
    International Center for Scholars" for the "Wilson Center" that also co-published the
    convocation), and one such name is the topic of questions ("What programs does the U.S.-Mexico
    Foundation run?")."""
    return {" ".join(tokenize(spelled)) for spelled, acronym in SPELLED_OUT.findall(publisher)
            if ACRONYM.fullmatch(acronym.strip()) and ORGANISATION.search(spelled)
            and len(tokenize(spelled)) <= SHORT_TITLE_TERMS}  # question_names reads runs of up to 4 terms


def surname(author: str) -> str | None:
    """A catalog author's surname, the last word of a person's name ("Olson" of "Eric L. Olson"); None
    for an organisation or a single word ("COMEXI")."""
    words = author.split()
    return words[-1] if len(words) > 1 and not ORGANISATION.search(author) else None


def question_names(question: str, name_years: dict[str, set[int]] | None = None,
                   dated: set[int] | None = None) -> set[str]:
    """Every term and run of terms of the question, and each year that dates a document there
    (dated_years, unless given), as a name."""
    terms = tokenize(question)
    said = {" ".join(terms[i:j]) for i in range(len(terms)) for j in range(i + 1, min(i + 5, len(terms) + 1))}
    dated = dated_years(question, name_years) if dated is None else dated
    return said | {f"{DATED} {question[at:at + 4]}" for at in dated}


def dated_years(question: str, name_years: dict[str, set[int]] | None = None) -> set[int]:
    """Where (character offsets) the question has a year that dates a document, not an event: near a
    word for one ("the 2021 outlook"), after a possessive ("COMEXI's 2017 stance"), after the name
    of a report of that year, as a citation puts it ("Wayne 2018", "Olson (2017)", "el Wilson Center
    de 2021": name_years), or joined to such a year ("the 2017, 2018 and 2021 reports", "the 2017
    report and the 2021 one", "el informe de 2017 y el de 2021")."""
    matches = list(SPOKEN_WORD.finditer(question))
    words = [m.group() for m in matches]
    years = [i for i, word in enumerate(words) if YEAR.fullmatch(word)]
    dated = {i for i in years
             if any(DOCUMENT.fullmatch(w) for w in words[max(0, i - 2):i] + words[i + 1:i + 3])
             or _document_of_the_year(words, i)
             or (i > 0 and words[i - 1].endswith(POSSESSIVE)) or _after_name_of_its_year(words, i, name_years or {})}
    links = [(a, b) for a, b in zip(years, years[1:])
             if _coordinates(question[matches[a].end():matches[b].start()], years=True)]
    for a, b in links + links[::-1]:  # along a list, one way then the other
        if {a, b} & dated:
            dated |= {a, b}
    return {matches[i].start() for i in dated}


def _document_of_the_year(words: list[str], i: int) -> bool:
    """Whether the year words[i] closes a document's name said with "de", its topic between: "el
    capítulo de seguridad de 2021", "el capítulo económico de 2021" (as "the 2021 security chapter").
    Not when a preposition opens what stands between ("el informe sobre elecciones de 2018": the
    year of the elections)."""
    if i < 3 or words[i - 1].lower() not in ("de", "del"):
        return False
    for k in range(i - 2, max(-1, i - 6), -1):  # up to three words of topic: "de salud pública"
        if DOCUMENT.fullmatch(words[k]):
            return not any(w.lower() in TOPIC_PREPOSITIONS for w in words[k + 1:i - 1])
    return False


def _after_name_of_its_year(words: list[str], i: int, name_years: dict[str, set[int]]) -> bool:
    """Whether the year words[i] follows the name of a report of that year, with only articles, "de"
    or an organisation's word between ("el Wilson Center de 2021"; not "Olson say about 2017")."""
    for word in reversed(words[:i]):
        if any(int(words[i]) in name_years.get(t, ()) for t in tokenize(word)):
            return True
        if word.lower() not in ARTICLES and not ORGANISATION.fullmatch(word):
            return False
    return False


def _coordinates(between: str, years: bool) -> bool:
    """Whether the text between two years (or two sources) joins them ("2017, 2018 and", "report and
    the", "y el de"), rather than runs on to another thing ("2017 in Mexico, according to Wayne's
    2018") or into another sentence ("Was it COMEXI? Or Wayne?")."""
    between = re.sub(r"(?i)\bvs\.", "vs", between)
    if SENTENCE_BREAK.search(between):
        return False
    words = [w.lower() for w in SPOKEN_WORD.findall(between)]
    links = CONJUNCTIONS | RANGE_WORDS if years else CONJUNCTIONS
    if not ("," in between or "&" in between or any(w in links for w in words)):
        return False
    return all(w in links or w in ARTICLES or DOCUMENT.fullmatch(w) or (not years and ORGANISATION.fullmatch(w.title()))
               for w in words)


def _content_terms(words: list[str], gone: list[bool]) -> int:
    return len(tokenize(" ".join(w for w, out in zip(words, gone) if not out)))
