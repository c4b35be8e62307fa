"""Who speaks in a report, read from the report itself, and whose views a question asks for.

The catalog names a report by its publisher, authors and title; a question often names it by the
people it speaks for instead: "How do the former ambassadors judge…?" asks the 2020 convocation,
whose catalog entry names two institutions. A report says who speaks in it on its opening pages
("brought together 6 former U.S. ambassadors…") and has them act in its text ("The ambassadors
recognized…"), in a plural noun the other reports hardly use. Such a noun names the report where a
question puts it as the speaker (the subject of a verb of saying or wanting, or after "according
to"); elsewhere it is a topic ("When did Wayne serve as ambassador?").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from indexer.lexical import STOPWORDS, tokenize
from indexer.multilingual import WORD

OPENING_PAGES = 3  # title, participants or contents, and the summary
# A plural noun of the opening pages names who speaks when its report holds this share of the
# corpus's uses of it, and at least MIN_USES. Set on the counts of this corpus's five reports, not
# on questions: "ambassadors" has 9 of its 10 lower-case uses in the convocation; nouns the reports
# share ("officials", "experts", "leaders") are spread over two or more.
VOICE_SHARE = 0.8
MIN_USES = 3
PLURAL_NOUN = r"[a-z]{3,}(?<![siu])s"  # "ambassadors", "academics"; not "across", "status", "basis"
PLURAL = re.compile(PLURAL_NOUN)
# A noun the report has act ("The ambassadors recognized…"): people, not "the coming weeks".
ACTS = re.compile(rf"\b[Tt]he ({PLURAL_NOUN}) [a-z]+ed\b")
# Words any report uses of its own makers or parts: they say who speaks in every report, not in one.
ANY_REPORT = frozenset(tokenize("authors editors contributors writers papers chapters reports sections pages"))
SPEAKER_WORDS = 4  # a speaker is a short phrase: "the former U.S. ambassadors"
SAYING = (r"say|think|judge|see|view|regard|recommend|propose|suggest|want|argue|warn|believe|describe|"
          r"characteri[sz]e|assess|expect|call|urge|ask|blame|credit|consider|advocate|favou?r|prefer|envision|"
          r"predict|conclude|note|stress|emphasi[sz]e|hope|fear|insist|oppose")
PHRASE = rf"(?:[\w'’.-]+\s+){{0,{SPEAKER_WORDS - 1}}}?[\w'’.-]+"
SPEAKER = re.compile(rf"\b(?:do|does|did|would|will|should|could|can)\s+(?P<asked>{PHRASE})\s+(?:{SAYING})\b|"
                     rf"\baccording to\s+(?P<cited>{PHRASE})(?=\s*(?:[,?.;:]|$))", re.IGNORECASE)


# The same in Spanish, where the speaker may also follow its verb ("¿Qué recomiendan los
# exembajadores sobre…?"): then it is the noun after the article.
SAYING_ES = (r"dicen|dijeron|opinan|piensan|creen|juzgan|ven|consideran|eval[uú]an|recomiendan|recomendaron|"
             r"proponen|propusieron|sugieren|sugirieron|quieren|piden|pidieron|advierten|esperan|insisten|"
             r"critican|destacan|subrayan|prefieren|apoyan")
ARTICLE_ES = r"(?:los|las|el|la)"
SPEAKER_ES = re.compile(rf"\b{ARTICLE_ES}\s+(?P<before>{PHRASE})\s+(?:{SAYING_ES})\b|"
                        rf"\b(?:{SAYING_ES})\s+{ARTICLE_ES}\s+(?P<after>[\w'’-]+)|"
                        rf"\bseg[uú]n\s+(?:{ARTICLE_ES}\s+)?(?P<cited>{PHRASE})(?=\s*(?:[,?¿.;:]|$))", re.IGNORECASE)
PLURAL_ES = re.compile(r"[a-záéíóúñ]{3,}(?<![siu])s")  # "exembajadores", "embajadores"


class ReportSentence(NamedTuple):
    report_id: str
    page: int
    text: str


def report_voices(sentences: Iterable[ReportSentence]) -> dict[str, set[str]]:
    """Per report, the terms of who speaks in it: plural nouns of its opening pages that it has act
    and that the other reports hardly use. A sentence repeated (passages overlap) counts once."""
    uses: dict[str, Counter[str]] = {}
    opening: dict[str, set[str]] = {}
    acting: set[tuple[str, str]] = set()
    for report_id, page, text in dict.fromkeys(sentences):
        acting.update((report_id, noun) for noun in ACTS.findall(text))
        for word in WORD.findall(text):
            if not PLURAL.fullmatch(word) or word in STOPWORDS:  # lower-case only: not a name
                continue
            uses.setdefault(word, Counter())[report_id] += 1
            if page <= OPENING_PAGES:
                opening.setdefault(report_id, set()).add(word)
    voices: dict[str, set[str]] = {}
    for report_id, words in opening.items():
        for word in words:
            held, total = uses[word][report_id], sum(uses[word].values())
            terms = set(tokenize(word)) - ANY_REPORT
            if terms and (report_id, word) in acting and held >= MIN_USES and held >= VOICE_SHARE * total:
                voices.setdefault(report_id, set()).update(terms)
    return voices


def speaker_terms(question: str) -> set[str]:
    """The terms of the plural nouns of whom the question asks for views: "ambassadors" in "How do
    the former ambassadors judge…?" (not "the former ambassador Jacobson": one person is no voice)."""
    phrases = [m.group("asked") or m.group("cited") for m in SPEAKER.finditer(question)]
    return {term for phrase in phrases for word in WORD.findall(phrase)
            if PLURAL.fullmatch(word.lower()) for term in tokenize(word)}


def spanish_speakers(question: str) -> list[str]:
    """The plural nouns of whom a Spanish question asks for views, as written ("exembajadores" in
    "¿Qué recomiendan los exembajadores sobre…?"): to be looked up in English, then read as voices."""
    words = []
    for m in SPEAKER_ES.finditer(question):
        phrase = m.group("before") or m.group("after") or m.group("cited")
        words += [w for w in WORD.findall(phrase) if PLURAL_ES.fullmatch(w.lower())]
    return list(dict.fromkeys(words))
