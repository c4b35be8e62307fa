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
from chat.names import SentenceTerms, typed_in_capitals
from indexer.language import SPANISH
from indexer.lexical import STOPWORDS, tokenize

WORD = re.compile(r"[^\W_][^\W_'’.-]*(?:[.-][^\W_]+)*")
# Spanish abbreviations of names the reports write in English: an abbreviation has no meaning for
# the multilingual model to find a neighbour by ("EE.UU." was looked up as "EU", the European Union;
# "PIB" as "kingpin"). The standard ones of the subject, not a dictionary.
ABBREVIATIONS = {"ee.uu": "U.S.", "eeuu": "U.S.", "eua": "U.S.", "e.u.a": "U.S.", "pib": "GDP", "tlcan": "NAFTA",
                 "t-mec": "USMCA", "tmec": "USMCA", "onu": "UN", "oea": "OAS", "otan": "NATO", "omc": "WTO",
                 "fmi": "IMF", "ocde": "OECD", "ied": "FDI", "bid": "IDB", "ue": "EU", "alc": "FTA",
                 "ong": "NGO", "ongs": "NGOs", "acnur": "UNHCR", "oim": "IOM", "oms": "WHO"}
INNER_DOT = re.compile(r"[^\W_]\.[^\W_]")
# What English says with "report(s)", a stopword of the index (indexer.lexical): the documents the
# question is about, not its topic. Looked up, "informes" became "inform", and the sentences nearest
# "¿Qué dicen los informes sobre el muro?" were about informing, so "muro" became "rule".
REPORT_WORDS_ES = frozenset({"informe", "informes", "reporte", "reportes"})
SPACED_ABBREVIATION = re.compile(r"\b[A-Z]{1,2}\. [A-Z]{1,2}\.(?: [A-Z]\.)?|\bEE UU\b")  # "EE. UU.", "E. U. A.", "EE UU"


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
        capitals_name_nothing = typed_in_capitals(text, SPANISH)  # "¿QUÉ DICEN DE LA FRONTERA?"
        for word in self._words(text):
            lowered = word.lower()
            if lowered in SPANISH or lowered in STOPWORDS or lowered in REPORT_WORDS_ES or not tokenize(word):
                continue
            # A name is kept: its nearest common word would be another word altogether ("Sheinbaum"
            # was "congressional"). A capitalised word is one when it is no Spanish word ("Wayne",
            # even where the reports write it in Spanish text), or a Spanish word the reports use
            # ("López", "Guadalajara"), but not one they have only in Spanish names ("Estados Unidos"): no
            # English sentence holds it, so it is looked up like any word.
            name = (word[0].isupper() and not capitals_name_nothing
                    and (not is_spanish_word(word)
                         or (lowered not in self.spanish_words and all(self.corpus.knows(t) for t in tokenize(word)))))
            said.append(word)
            if is_abbreviation(word):
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
        for word in WORD.findall(SPACED_ABBREVIATION.sub(lambda m: m.group().replace(" ", ""), text)):
            parts = word.split("-")
            split = len(parts) > 1 and any(p.lower() in self.spanish_words for p in parts)
            words += [p for p in parts if p] if split else [word]
        return words


def is_abbreviation(word: str) -> bool:
    """Whether the word is a Spanish abbreviation of ABBREVIATIONS written as one ("EE.UU", "ONGs";
    not the word "bid")."""
    return word.lower() in ABBREVIATIONS and word.removesuffix("s").isupper()


def without_abbreviations(text: str) -> str:
    """The text with its abbreviations ("EE. UU.", "T-MEC", "E.U.A.") blanked out, the rest in place."""
    text = SPACED_ABBREVIATION.sub(lambda m: " " * len(m.group()), text)
    return WORD.sub(lambda m: " " * len(m.group()) if INNER_DOT.search(m.group()) or is_abbreviation(m.group())
                    else m.group(), text)
