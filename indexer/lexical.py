"""Tokenising and BM25 scoring shared by indexing and querying, so both see the same terms."""

from __future__ import annotations

import logging
import re
import unicodedata

import bm25s
import numpy as np

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers him his how i if in into is it its itself just me more most my no nor
not now of off on once only or other our ours out over own same she should so some such than that
the their theirs them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours say says said
according report reports
""".split())

logging.getLogger("bm25s").setLevel(logging.ERROR)  # it logs routine steps as warnings

TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[a-z]+(?:['’][a-z]+)?")


def stem(word: str) -> str:
    """A light plural/suffix folding: enough for 'tariffs'/'tariff', 'policies'/'policy'."""
    if word[0].isdigit() or len(word) <= 3:
        return word
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("s", "")):
        if word.endswith(suffix) and not word.endswith("ss") and not word.endswith("us"):
            return word[: -len(suffix)] + replacement
    return word


def tokenize(text: str) -> list[str]:
    """Lower-cased content terms; numbers keep their digits ("29,168" -> "29168")."""
    tokens = []
    for raw in TOKEN.findall(fold_accents(text.lower().replace("’", "'"))):
        if raw[0].isdigit():
            tokens.append(raw.replace(",", "").rstrip("%").rstrip("."))
        elif raw not in STOPWORDS:
            tokens.append(stem(raw.split("'")[0]))
    return tokens


def fold_accents(text: str) -> str:
    """'López' and 'Lopez' are the same word to a searcher."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class LexicalIndex:
    """BM25 over the chunks (bm25s, saved as JSON + .npy without pickle)."""

    def __init__(self, model: bm25s.BM25):
        self._model = model
        self._vocabulary = model.vocab_dict

    @classmethod
    def build(cls, texts: list[str]) -> "LexicalIndex":
        model = bm25s.BM25()
        model.index([tokenize(t) or ["_empty_"] for t in texts], show_progress=False)
        return cls(model)

    def save(self, folder: str) -> None:
        self._model.save(folder, allow_pickle=False)

    @classmethod
    def load(cls, folder: str) -> "LexicalIndex":
        return cls(bm25s.BM25.load(folder, allow_pickle=False))

    def scores(self, query: str) -> np.ndarray:
        terms = [t for t in tokenize(query) if t in self._vocabulary]
        if not terms:
            return np.zeros(self._model.scores["num_docs"], dtype=np.float32)
        return np.asarray(self._model.get_scores(terms), dtype=np.float32)
