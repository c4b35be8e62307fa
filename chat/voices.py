"""Who speaks in a report, read from its opening pages, and whose views a question asks for.

The catalog names a report by its publisher, authors and title; a question often names it by the
people it speaks for instead: "How do the former ambassadors judge…?" asks the 2020 convocation,
whose catalog entry names two institutions. A report says who speaks in it on its opening pages
(participants, the summary: "brought together 6 former U.S. ambassadors…"), in plural nouns that
the other reports hardly use. Such a noun names the report where a question puts it as the speaker
(the subject of a verb of saying or wanting, or after "according to"); elsewhere it is a topic
("When did Wayne serve as ambassador?").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from indexer.lexical import STOPWORDS, tokenize

OPENING_PAGES = 3  # title, participants or contents, and the summary
# A plural noun of the opening pages names who speaks when its report holds this share of the
# corpus's uses of it, and at least MIN_USES. Set on the counts of this corpus's five reports, not
# on questions: "ambassadors" has 11 of its 13 uses in the convocation; words the reports share
# ("officials", "experts", "leaders") are spread over two or more.
VOICE_SHARE = 0.8
MIN_USES = 3
PLURAL = re.compile(r"[a-z]{3,}(?<!s)(?<!u)(?<!i)s")  # "ambassadors", "academics"; not "across", "status", "basis"
# Words any report uses of its own makers or parts: they say who speaks in every report, not in one.
ANY_REPORT = frozenset(tokenize("authors editors contributors writers papers chapters reports sections pages"))
WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")
SPEAKER_WORDS = 4  # a speaker is a short phrase: "the former U.S. ambassadors"
SAYING = (r"say|think|judge|see|view|regard|recommend|propose|suggest|want|argue|warn|believe|describe|"
          r"characteri[sz]e|assess|expect|call|urge|ask|blame|credit|consider|advocate|favou?r|prefer|envision|"
          r"predict|conclude|note|stress|emphasi[sz]e|hope|fear|insist|support|oppose|mean")
SPEAKER = re.compile(
    rf"\b(?:do|does|did|would|will|should|could|can)\s+(?P<asked>(?:[\w'’.-]+\s+){{0,{SPEAKER_WORDS - 1}}}?[\w'’.-]+)"
    rf"\s+(?:{SAYING})\b|"
    rf"\baccording to\s+(?P<cited>(?:[\w'’.-]+\s+){{0,{SPEAKER_WORDS - 1}}}?[\w'’.-]+)(?=\s*(?:[,?.;:]|$))",
    re.IGNORECASE)


def report_voices(sentences: Iterable[tuple[str, int, str]]) -> dict[str, set[str]]:
    """Per report, the terms of the plural nouns its opening pages use that the other reports hardly
    do: who speaks in it. sentences: (report id, page, text) of every sentence of the corpus."""
    uses: dict[str, Counter[str]] = {}
    opening: dict[str, set[str]] = {}
    for report_id, page, text in sentences:
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
            if held >= MIN_USES and held >= VOICE_SHARE * total:
                voices.setdefault(report_id, set()).update(set(tokenize(word)) - ANY_REPORT)
    return voices


def speaker_terms(question: str) -> set[str]:
    """The terms of whom the question asks for views: "the former ambassadors" in "How do the former
    ambassadors judge…?", "Olson" in "…, according to Olson?"."""
    return {term for m in SPEAKER.finditer(question) for term in tokenize(m.group("asked") or m.group("cited"))}
