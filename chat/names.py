"""Names a question uses ("Sheinbaum", "Supreme Court", "Border Health Commission"), and whether the
corpus ever mentions them.

A name of several words is missing when its words never stand together in one sentence, even if
each word occurs somewhere ("supreme", "court"): a question about the Supreme Court's ruling cannot
be answered from reports that never mention the Supreme Court.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection

from chat.answer_types import MONTH
from indexer.lexical import STOPWORDS, tokenize

WORD = re.compile(r"[\w\u00C0-\u017F'’.-]+")
POSSESSIVE = ("'s", "’s")
TITLE_CASE_STOPWORDS = 2
# Words a name's words may have between them in a sentence: "Christopher E. Wilson", "Commission
# on Border Health".
SLACK = 2
# A name with its number: "Round 2", "Title 42", "Ronda 1.4", "Convocation 2.0" (not "2,000")
IDENTIFIER = re.compile(r"\b([A-Z][a-zA-Z\u00C0-\u017F]+)\s+(\d+(?:\.\d+)*)\b(?![.,]?\d)")
YEAR = re.compile(r"(?:1[89]|20)\d\d")


def multiword_names(question: str, first_word_counts: bool = False) -> list[str]:
    """Runs of two or more capitalised words, not counting acronyms ("USMCA"), abbreviations ("U.S.")
    or months, nor the first word of a question (it is capitalised anyway; a topic such as "Border
    Health Commission" passes first_word_counts); a possessive ends a name ("Mexico's Southern Border")."""
    if typed_in_capitals(question):
        return []
    words = WORD.findall(question)
    names: list[list[str]] = []
    run: list[str] = []
    for i, word in enumerate(words):
        bare = word.removesuffix(POSSESSIVE[0]).removesuffix(POSSESSIVE[1])
        capitalised = bare[:1].isupper() and not bare.isupper() and bare.isalpha()
        if (i > 0 or first_word_counts) and capitalised and not re.fullmatch(MONTH, bare):
            run.append(bare)
            if word != bare:
                names.append(run)
                run = []
        else:
            names.append(run)
            run = []
    names.append(run)
    return [" ".join(words) for words in names if len(words) >= 2]


def typed_in_capitals(question: str, function_words: Collection[str] = STOPWORDS) -> bool:
    """Whether the question's capitals say nothing of names: typed in capitals, or title-cased ("What Is
    The Position On Trade?", "¿Qué Dice El Informe?": function words capitalised after the first)."""
    words = WORD.findall(question)
    return (not any(c.islower() for c in question)
            or sum(w[:1].isupper() and w.lower() in function_words for w in words[1:]) >= TITLE_CASE_STOPWORDS)


class SentenceTerms:
    """Where each term occurs, sentence by sentence, to tell whether words ever stand together."""

    def __init__(self, sentences: list[str]):
        self._terms = [tokenize(s) for s in sentences]
        self._postings: dict[str, set[int]] = defaultdict(set)
        for i, terms in enumerate(self._terms):
            for term in terms:
                self._postings[term].add(i)

    def knows(self, term: str) -> bool:
        """Whether some sentence holds the term (a term as tokenize gives it)."""
        return term in self._postings

    def mentions(self, name: str) -> bool:
        """Whether some sentence holds every term of the name within a few words of each other."""
        wanted = set(tokenize(name))
        if not wanted:
            return True
        shared = set.intersection(*(self._postings.get(t, set()) for t in wanted))
        span = len(wanted) + SLACK
        for i in shared:
            terms = self._terms[i]
            spots = [j for j, t in enumerate(terms) if t in wanted]
            if any(wanted <= {terms[k] for k in spots if start <= k < start + span} for start in spots):
                return True
        return False

    def unknown(self, question: str) -> list[str]:
        """The question's multi-word names no sentence of the corpus mentions."""
        return [name for name in multiword_names(question) if not self.mentions(name)]

    def unknown_identifiers(self, question: str) -> list[str]:
        """The question's numbered names ("Round 2", "Title 42", "Convocation 2.0") that no sentence
        writes: the reports know "Ronda 1" and "Ronda 1.2", so a question about "Round 2" asks about
        something they never mention, though they have both words. Only where the corpus knows the word
        (a word of another language, "Artículo 27", is the corpus's "Article 27" said otherwise), and
        not a date ("July 12") or a year ("Summit 2021")."""
        unknown = []
        for match in IDENTIFIER.finditer(question):
            word, number = tokenize(match.group(1)), tokenize(match.group(2))
            if (len(word) == 1 and len(number) == 1 and self.knows(word[0]) and not YEAR.fullmatch(match.group(2))
                    and not re.fullmatch(MONTH, match.group(1)) and not self._adjacent(word[0], number[0])):
                unknown.append(match.group(0))
        return unknown

    def _adjacent(self, first: str, second: str) -> bool:
        """Whether some sentence has the two terms one right after the other."""
        for i in self._postings.get(first, set()) & self._postings.get(second, set()):
            terms = self._terms[i]
            if any(a == first and b == second for a, b in zip(terms, terms[1:])):
                return True
        return False
