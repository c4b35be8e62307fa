"""The support measure: how much of a claim's content stands in the text it cites.

One definition for the whole product: the evals score groundedness with it and the generative
answerer verifies the model's citations with it, so what the UI flags is what the evals count.
"""

from __future__ import annotations

import re
import unicodedata

SUPPORTED = 0.6  # share of a claim's content words that must stand in the cited text
MARKER = re.compile(r"\[(\d+)\]")
# A claim ends after its citation markers, or at a line break: "… 36 million [1] Most …".
CLAIM_BREAK = re.compile(r"(?<=\])\s+|\n+")


def normalise(text: str) -> list[str]:
    """Lower-case words with markup, punctuation, accents and hyphenation breaks removed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\\", "").replace("**", "")
    # Hyphens join words, whether or not a line break follows: "two-\nyear", "two-year",
    # "con-\ntinue" and "continue" must compare equal, as the PDF and the Markdown disagree on them.
    text = re.sub(r"(\w)-\s*(\w)", r"\1\2", text).lower()
    text = re.sub(r"(?<=\d),(?=\d)", "", text)  # 29,168 -> 29168
    return re.findall(r"[a-z0-9]+", text)


def content_words(text: str) -> list[str]:
    """The words a claim rests on: longer words and every number; markers excluded."""
    return [w for w in normalise(MARKER.sub("", text)) if len(w) > 3 or w.isdigit()]


def support(claim: str, cited_text: str) -> float | None:
    """Share of the claim's content words found in the cited text; None for a claim with none."""
    words = content_words(claim)
    if not words:
        return None
    cited = set(normalise(cited_text))
    return sum(w in cited for w in words) / len(words)


def is_supported(claim: str, cited_text: str) -> bool:
    share = support(claim, cited_text)
    return share is not None and share >= SUPPORTED


def cited_claims(answer: str) -> list[tuple[str, list[int]]]:
    """The answer's claims with the passage numbers each cites, in order."""
    claims = []
    for segment in CLAIM_BREAK.split(answer):
        if segment.strip():
            claims.append((segment.strip(), [int(n) for n in MARKER.findall(segment)]))
    return claims
