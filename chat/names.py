"""Names a question uses ("Sheinbaum", "Supreme Court", "Border Health Commission"), and whether the
corpus ever mentions them.

A name of several words is missing when its words never stand together in one sentence, even if
each word occurs somewhere ("supreme", "court"): a question about the Supreme Court's ruling cannot
be answered from reports that never mention the Supreme Court.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Collection

from chat.answer_types import MONTH
from chat.evidence import YEAR
from indexer.lexical import STOPWORDS, tokenize

WORD = re.compile(r"[\w\u00C0-\u017F'’.-]+")
POSSESSIVE = ("'s", "’s")
TITLE_CASE_STOPWORDS = 2
# Words a name's words may have between them in a sentence: "Christopher E. Wilson", "Commission
# on Border Health".
SLACK = 2
# A name with its number: "Round 2", "Title 42", "Convocation 2.0"; not "2,000" nor a share ("Growth 2%")
IDENTIFIER = re.compile(r"\b([A-Z][a-zA-Z\u00C0-\u017F]+)\s+(\d+(?:\.\d+)*)\b(?![.,]?\d)"
                        r"(?!\s*(?:%|percent|por ciento))")
# Words a day's number follows: months, in full or cut short, in English and Spanish
DATE_WORDS = (rf"{MONTH}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|enero|febrero|marzo|abril|mayo|junio|julio|"
              r"agosto|septiembre|setiembre|octubre|noviembre|diciembre")


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


def opens_question(question: str, start: int) -> bool:
    """Whether the word at `start` is the question's first (after opening marks: "¿", quotes): it is
    capitalised because it comes first, whatever it is."""
    return not question[:start].strip(" ¿¡\"'“(")


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
        """The question's numbered names ("Round 2", "Title 42") that no sentence writes: the reports
        know "Ronda 1" and "Rounds 1 and 2" but no "Round 3", so a question about Round 3 asks about
        something they never mention, though they have both words. Left alone, since nothing tells
        the name apart: a word the corpus lacks (the Spanish "Artículo 27" is its "Article 27"), a
        question's first word ("List 3 proposals"), a question typed in capitals or title case
        ("WHY DID EXPORTS FALL 10 PERCENT?"), a date or a year ("Sept 11", "Summit 2021"), a share
        ("Growth 2%"), and a decimal the reports write after any word ("Round 1.1": their "Ronda 1.1")."""
        if typed_in_capitals(question):
            return []
        unknown = []
        for match in IDENTIFIER.finditer(question):
            name, number = match.group(1), match.group(2)
            word = tokenize(name)
            if (len(word) != 1 or not self.knows(word[0]) or opens_question(question, match.start())
                    or re.fullmatch(DATE_WORDS, name, re.IGNORECASE) or YEAR.fullmatch(number)
                    or ("." in number and self.knows(number))):
                continue
            if not self._numbered(word[0], number):
                unknown.append(match.group(0))
        return unknown

    def _numbered(self, word: str, number: str) -> bool:
        """Whether some sentence writes the number after the word, alone or in a list of numbers
        ("Round 2", "Rounds 1 and 2", "Articles 303, 308 and 311")."""
        for i in self._postings.get(word, set()):
            terms = self._terms[i]
            for at, term in enumerate(terms):
                if term == word:
                    numbers = itertools.takewhile(lambda t: t[:1].isdigit(), terms[at + 1:])
                    if any(n == number or n.startswith(f"{number}.") for n in numbers):  # "Annex 913.5"
                        return True
        return False
