"""Check a generated answer's citations against the passages it was given, and fix what is wrong.

Every sentence is checked with the support measure the evals use for groundedness. Markers that
point to no passage are removed; a sentence its cited passage does not support moves to the passage
that does, if one does; otherwise it is flagged or dropped. Citations quote the exact sentences
of each cited passage that support the answer, so a journalist can still quote the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chat.models import Citation, Verification
from chat.support import MARKER, SUPPORTED, content_words, is_supported, normalise, support
from indexer import LoadedIndex

UNSUPPORTED_FLAG = "⚠ not found in the cited passage"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
LEADING_MARKERS = re.compile(r"^((?:\s*\[\d+\])+)\s*")
MARKER_LIST = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)+)\]")  # [1, 2] -> [1][2]
QUOTE_SENTENCES = 3  # most sentences of one passage a claim's quote draws on


@dataclass
class Claim:
    text: str  # without markers
    markers: list[int]


@dataclass
class Checked:
    text: str
    citations: list[Citation]
    verification: Verification


def split_claims(raw: str) -> list[Claim]:
    """Sentences with the markers they end with; a marker opening a sentence belongs to the one before."""
    raw = MARKER_LIST.sub(lambda m: "".join(f"[{n}]" for n in re.split(r"\s*[,;]\s*", m.group(1))), raw)
    claims: list[Claim] = []
    for piece in SENTENCE_END.split(raw.strip()):
        leading = LEADING_MARKERS.match(piece)
        if leading and claims:
            claims[-1].markers += [int(n) for n in MARKER.findall(leading.group(1))]
            piece = piece[leading.end():]
        if piece.strip():
            claims.append(Claim(text=" ".join(MARKER.sub("", piece).split()),
                                markers=[int(n) for n in MARKER.findall(piece)]))
    for claim in claims:
        claim.text = re.sub(r"\s+([.,;:!?])", r"\1", claim.text)
    return [c for c in claims if c.text]


def verify(raw: str, passages: list[int], index: LoadedIndex, action: str) -> Checked:
    """The checked answer: passages[n-1] is the index position of the chunk numbered n in the prompt."""
    texts = {n: index.chunks[pos].text for n, pos in enumerate(passages, start=1)}
    removed: list[int] = []
    recited: list[str] = []
    unsupported: list[str] = []
    kept: list[tuple[Claim, bool]] = []
    checked = 0
    for claim in split_claims(raw):
        valid = list(dict.fromkeys(n for n in claim.markers if n in texts))
        removed += [n for n in claim.markers if n not in texts]
        if not content_words(claim.text):  # "In short:" — nothing to check, nothing to cite
            kept.append((Claim(claim.text, []), True))
            continue
        checked += 1
        if valid and is_supported(claim.text, " ".join(texts[n] for n in valid)):
            kept.append((Claim(claim.text, valid), True))
            continue
        best = _best_passage(claim.text, texts)
        if best is not None:
            recited.append(claim.text)
            kept.append((Claim(claim.text, [best]), True))
            continue
        unsupported.append(claim.text)
        if action == "flag":
            kept.append((Claim(claim.text, valid), False))
    text, citations = _renumbered(kept, passages, index)
    verification = Verification(claims=checked, supported=checked - len(unsupported),
                                removed_markers=sorted(set(removed)), recited=recited,
                                unsupported=unsupported, action=action)
    return Checked(text=text, citations=citations, verification=verification)


def _best_passage(claim: str, texts: dict[int, str]) -> int | None:
    shares = {n: support(claim, text) or 0.0 for n, text in texts.items()}
    best = max(shares, key=shares.get, default=None)
    return best if best is not None and shares[best] >= SUPPORTED else None


def _renumbered(kept: list[tuple[Claim, bool]], passages: list[int], index: LoadedIndex) -> tuple[str, list[Citation]]:
    """Citations numbered by first use, each quoting the sentences its claims rest on."""
    numbers: dict[int, int] = {}
    claims_of: dict[int, list[str]] = {}
    parts = []
    for claim, ok in kept:
        for n in claim.markers:
            numbers.setdefault(n, len(numbers) + 1)
            claims_of.setdefault(n, []).append(claim.text)
        markers = "".join(f"[{numbers[n]}]" for n in claim.markers)
        flag = "" if ok else f" ({UNSUPPORTED_FLAG})"
        parts.append(f"{claim.text}{' ' + markers if markers else ''}{flag}")
    citations = [_citation(index, passages[n - 1], claims_of[n], number) for n, number in numbers.items()]
    return " ".join(parts), citations


def _citation(index: LoadedIndex, position: int, claims: list[str], number: int) -> Citation:
    chunk = index.chunks[position]
    report = index.reports[chunk.report_id]
    wanted: set[int] = set()
    for claim in claims:
        wanted |= _quote_sentences(claim, [s.text for s in chunk.sentences])
    first, last = min(wanted), max(wanted)
    quote = chunk.sentences[first:last + 1]  # a contiguous span: exact words, quotable as they stand
    page, page_end = quote[0].page, max(s.page_end for s in quote)
    return Citation(n=number, doc=chunk.report_id, title=report.title, publisher=report.publisher,
                    year=report.year, page=page, page_end=page_end if page_end != page else None,
                    section=chunk.section, text=" ".join(s.text for s in quote), passage=chunk.text)


def _quote_sentences(claim: str, sentences: list[str]) -> set[int]:
    """The fewest sentences (greedy) that together hold the claim's content words."""
    words = set(content_words(claim))
    held = [set(normalise(s)) & words for s in sentences]
    chosen: set[int] = set()
    covered: set[str] = set()
    while len(chosen) < QUOTE_SENTENCES:
        gain, best = max(((len(h - covered), i) for i, h in enumerate(held) if i not in chosen), default=(0, -1))
        if gain == 0:
            break
        chosen.add(best)
        covered |= held[best]
        if len(covered) >= SUPPORTED * len(words):
            break
    return chosen or {0}
