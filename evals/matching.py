"""Does a passage hold a gold quote? Normalised word-trigram overlap, robust to markup and cuts.

Gold quotes come from the Markdown edition (escapes, emphasis, line breaks) and a PDF passage may
cut them at a page footer or a chunk boundary, so exact matching would miss real hits.
"""

from __future__ import annotations

import re
import unicodedata

MIN_SHARE = 0.5  # share of the quote's trigrams that must stand in the passage


def normalise(text: str) -> list[str]:
    """Lower-case words with markup, punctuation, accents and hyphenation breaks removed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\\", "").replace("**", "").lower()
    text = re.sub(r"(\w)-\s+(\w)", r"\1\2", text)  # "con- tinue" -> "continue"
    text = re.sub(r"(?<=\d),(?=\d)", "", text)  # 29,168 -> 29168
    return re.findall(r"[a-z0-9]+", text)


def _trigrams(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def quote_overlap(quote: str, passage: str) -> float:
    """Share of the quote found in the passage; a passage wholly inside a long quote also scores."""
    q_words, p_words = normalise(quote), normalise(passage)
    if not q_words or not p_words:
        return 0.0
    if len(q_words) < 3:
        joined = " " + " ".join(p_words) + " "
        return 1.0 if " " + " ".join(q_words) + " " in joined else 0.0
    q, p = _trigrams(q_words), _trigrams(p_words)
    shared = len(q & p)
    inside = shared / len(p) if shared >= 8 else 0.0
    return max(shared / len(q), inside)


def holds_quote(quote: str, passage: str) -> bool:
    return quote_overlap(quote, passage) >= MIN_SHARE


def words_on_page(quote: str, page_text: str) -> bool:
    """Citation validity: every word of the quote stands, in order, on the page."""
    q = " ".join(normalise(quote))
    return bool(q) and q in " ".join(normalise(page_text))
