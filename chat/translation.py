"""A question's words in the reports' English, looked up one by one in the multilingual space.

BM25, term coverage and the answerability features count the question's words in a sentence; a
Spanish question's words ("empleos", "fronteriza") are not in the English text. Each content word
the corpus lacks is replaced by the corpus word nearest to it in multilingual-e5's space
("empleos" -> "employment", "indocumentados" -> "undocumented"); a word the corpus has ("Kigali",
"integral", a figure) stays. The corpus's words are those of its English sentences (indexer.multilingual). A money word
("cuesta", "gastó") takes its English from chat.answer_types' list instead. Word by word, not a translation
of the sentence: enough to count words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from chat.answer_types import money_word_in_english
from chat.lexicon import is_spanish_word
from chat.names import SentenceTerms
from indexer.language import SPANISH
from indexer.lexical import STOPWORDS, tokenize

WORD = re.compile(r"[^\W_][^\W_'’.-]*(?:[.-][^\W_]+)*")
# Spanish abbreviations of names the reports write in English: an abbreviation has no meaning for
# the multilingual model to find a neighbour by ("EE.UU." was looked up as "EU", the European Union;
# "PIB" as "kingpin"). The standard ones of the subject, not a dictionary.
ABBREVIATIONS = {"ee.uu": "U.S.", "eeuu": "U.S.", "eua": "U.S.", "e.u.a": "U.S.", "pib": "GDP", "tlcan": "NAFTA",
                 "t-mec": "USMCA", "tmec": "USMCA", "onu": "UN", "oea": "OAS", "otan": "NATO", "omc": "WTO",
                 "fmi": "IMF", "ocde": "OECD", "ied": "FDI", "bid": "IDB", "ue": "EU", "alc": "FTA"}
SPACED_ABBREVIATION = re.compile(r"\b[A-Z]{1,2}\. [A-Z]{1,2}\.(?: [A-Z]\.)?")  # "EE. UU.", "E. U. A."


class WordTranslator:
    """Looks the question's words up among the corpus's words (the index's multilingual vocabulary:
    `known`, with `nearest` giving each word's nearest of them, in the light of the whole text)."""

    def __init__(self, known: set[str], corpus: SentenceTerms, nearest: Callable[[list[str], str], list[str]],
                 english: set[str] | None = None, spanish: set[str] = frozenset()):
        self.known, self.corpus, self.nearest = known, corpus, nearest
        # Of the known words, those the reports use as English words (indexer.multilingual); None: all.
        self.english_vocabulary = known & english if english is not None else known
        self.spanish_words = spanish  # words the reports have only in Spanish (language_of)

    def english(self, text: str) -> str:
        """The text's content words, each in the corpus's English words: kept when they hold it (a
        name, a figure, a word spelt alike), else its nearest word there. Function words are dropped."""
        return " ".join(english for _, english in self.word_pairs(text))

    def word_pairs(self, text: str) -> list[tuple[str, str]]:
        """Each content word of the text with its English word (english)."""
        out: list[str | None] = []
        said: list[str] = []
        unknown: list[tuple[int, str]] = []
        for word in self._words(text):
            lowered = word.lower()
            if lowered in SPANISH or lowered in STOPWORDS or not tokenize(word):
                continue
            # A name ("Wayne", a capitalised word the reports use anywhere) is kept: its nearest
            # common word would be another word altogether. Not a Spanish word they have only in
            # Spanish names ("Estados Unidos"): no English sentence holds it, so it is looked up like
            # any word. A person's name written beside a Spanish one ("Earl Anthony Wayne y …") is
            # not a Spanish word.
            name = (word[0].isupper() and all(self.corpus.knows(t) for t in tokenize(word))
                    and (lowered not in self.spanish_words or not is_spanish_word(word)))
            said.append(word)
            if lowered in ABBREVIATIONS and word.isupper():  # written as one: "EE.UU.", not "bid"
                out.append(ABBREVIATIONS[lowered])
            elif word[0].isdigit() or lowered in self.english_vocabulary or name:
                out.append(word)
            elif money := money_word_in_english(lowered):  # decides the kind of answer: not left to spelling
                out.append(money)
            else:
                unknown.append((len(out), lowered))
                out.append(None)
        if unknown and self.known:
            for (i, _), found in zip(unknown, self.nearest([w for _, w in unknown], text)):
                out[i] = found
        return [(word, english) for word, english in zip(said, out) if english]

    def _words(self, text: str) -> list[str]:
        """The text's words, a compound split where a part is one the reports have only in Spanish
        ("México-Estados Unidos": "México", "Estados", "Unidos")."""
        words = []
        for word in written_words(text):
            parts = word.split("-")
            split = len(parts) > 1 and any(p.lower() in self.spanish_words for p in parts)
            words += [p for p in parts if p] if split else [word]
        return words


def written_words(text: str) -> list[str]:
    """The text's words as written, an abbreviation spaced out joined up ("EE. UU." -> "EE.UU")."""
    return WORD.findall(SPACED_ABBREVIATION.sub(lambda m: m.group().replace(" ", ""), text))
