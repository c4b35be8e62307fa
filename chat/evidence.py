"""Score the sentences of retrieved passages against the question and pick the evidence."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from indexer import LoadedIndex
from indexer.lexical import tokenize
from indexer.models import Sentence

# A sentence opening like this leans on the one before it; quote both so it makes sense alone.
LEANS_BACK = re.compile(r"^(This|These|That|Those|It|Its|They|Their|Such|However|But|Also|Moreover|"
                        r"Furthermore|In addition|As a result|Therefore|Thus|He|She)\b")
QUANTITY_QUESTION = re.compile(r"\b(how (many|much|large|big|deadly|often|far|long)|what (share|percent"
                               r"|percentage|number|amount|proportion)|by what|how .* (grow|fall|change))",
                               re.IGNORECASE)
HAS_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class EvidenceSettings:
    passages: int = 6  # top passages whose sentences compete
    max_sentences: int = 4
    relative_floor: float = 0.72  # keep sentences scoring at least this share of the best
    semantic_weight: float = 0.6
    lexical_weight: float = 0.4
    rank_weight: float = 0.15
    redundancy: float = 0.9  # cosine above which two sentences say the same thing


@dataclass(frozen=True)
class QueryView:
    """One way of reading the question: its vector and its terms."""

    vector: np.ndarray
    terms: list[str]


@dataclass
class Candidate:
    chunk: int  # position in the index
    index_in_chunk: int
    sentence: Sentence
    score: float
    semantic: float
    coverage: float


class TermWeights:
    """Inverse document frequency of terms over the chunks; unseen terms weigh the most."""

    def __init__(self, texts: list[str]):
        self.documents = len(texts)
        self.df = Counter(t for text in texts for t in set(tokenize(text)))

    def idf(self, term: str) -> float:
        return math.log((self.documents + 1) / (self.df.get(term, 0) + 0.5))

    def coverage(self, query_terms: list[str], text_terms: set[str]) -> float:
        """Share of the query's idf weight present in the text."""
        terms = set(query_terms)
        total = sum(self.idf(t) for t in terms)
        return sum(self.idf(t) for t in terms if t in text_terms) / total if total else 0.0


def candidates(index: LoadedIndex, chunk_positions: list[int], views: list[QueryView],
               weights: TermWeights, settings: EvidenceSettings) -> list[Candidate]:
    """Every distinct sentence of the given chunks, scored against the question (averaged over views).

    A follow-up has two views: the bare question (what is new) and the question with its context.
    """
    seen: set[str] = set()
    out: list[Candidate] = []
    offsets = index.sentence_offsets
    for rank, position in enumerate(chunk_positions):
        chunk = index.chunks[position]
        vectors = index.sentence_vectors[offsets[position]:offsets[position + 1]]
        sims = np.mean([vectors @ view.vector for view in views], axis=0)
        for j, sentence in enumerate(chunk.sentences):
            if sentence.text in seen:
                continue
            seen.add(sentence.text)
            terms = set(tokenize(sentence.text))
            coverage = float(np.mean([weights.coverage(view.terms, terms) for view in views]))
            score = (settings.semantic_weight * float(sims[j]) + settings.lexical_weight * coverage
                     + settings.rank_weight / (1 + rank))
            out.append(Candidate(position, j, sentence, score, float(sims[j]), coverage))
    return out


def select(index: LoadedIndex, pool: list[Candidate], question: str,
           settings: EvidenceSettings) -> list[Candidate]:
    """The best sentences, without near-duplicates, each with what it needs to be read alone."""
    if not pool:
        return []
    wants_number = bool(QUANTITY_QUESTION.search(question))
    ranked = sorted(pool, key=lambda c: c.score + (0.05 if wants_number and HAS_NUMBER.search(
        c.sentence.text) else 0.0), reverse=True)
    floor = ranked[0].score * settings.relative_floor
    chosen: list[Candidate] = []
    for cand in ranked:
        if len(chosen) >= settings.max_sentences or cand.score < floor:
            break
        vector = _vector(index, cand)
        if any(float(vector @ _vector(index, c)) > settings.redundancy for c in chosen):
            continue
        chosen.append(cand)
    return _with_context(index, chosen)


def _vector(index: LoadedIndex, cand: Candidate) -> np.ndarray:
    return index.sentence_vectors[index.sentence_offsets[cand.chunk] + cand.index_in_chunk]


def _with_context(index: LoadedIndex, chosen: list[Candidate]) -> list[Candidate]:
    """Add the sentence before one that leans back, and the items after one that opens a list."""
    keyed = {(c.chunk, c.index_in_chunk): c for c in chosen}
    for cand in chosen:
        sentences = index.chunks[cand.chunk].sentences
        text = cand.sentence.text
        if (LEANS_BACK.match(text) or len(text) < 50) and cand.index_in_chunk > 0:
            _add(keyed, index, cand, cand.index_in_chunk - 1)
        if text.endswith(":"):
            for j in range(cand.index_in_chunk + 1, min(len(sentences), cand.index_in_chunk + 8)):
                _add(keyed, index, cand, j)
    return sorted(keyed.values(), key=lambda c: (c.chunk, c.index_in_chunk))


def _add(keyed: dict, index: LoadedIndex, anchor: Candidate, j: int) -> None:
    key = (anchor.chunk, j)
    if key not in keyed:
        sentence = index.chunks[anchor.chunk].sentences[j]
        keyed[key] = Candidate(anchor.chunk, j, sentence, anchor.score, anchor.semantic, anchor.coverage)
