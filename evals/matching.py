"""Does a passage hold a gold quote? Normalised word-trigram overlap, robust to markup and cuts.

Gold quotes come from the Markdown edition (escapes, emphasis, line breaks) and a PDF passage may
cut them at a page footer or a chunk boundary, so exact matching would miss real hits.
"""

from __future__ import annotations

from chat.support import normalise

MIN_SHARE = 0.5  # share of the quote's trigrams that must stand in the passage


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


def sentence_in_quote(sentence: str, quote: str) -> bool:
    """Whether a sentence is part of a gold quote (most of its trigrams stand there), or the quote is
    part of the sentence: the sentence is gold evidence."""
    s_words, q_words = normalise(sentence), normalise(quote)
    if len(s_words) < 3 or not q_words:
        return False
    s = _trigrams(s_words)
    return len(s & _trigrams(q_words)) / len(s) >= MIN_SHARE or quote_overlap(quote, sentence) >= MIN_SHARE


def holds_quote(quote: str, passage: str) -> bool:
    return quote_overlap(quote, passage) >= MIN_SHARE


def _letters(text: str) -> str:
    return "".join(normalise(text))


def words_on_page(quote: str, page_text: str, max_gap: int = 400) -> bool:
    """Citation validity: the quote's characters stand on the page(s), ignoring spacing and punctuation.

    A quote that runs onto the next page is interrupted there by footnotes and a running footer, so
    one stretch of at most max_gap characters may stand inside it; nothing may differ or be missing.
    """
    q, page = _letters(quote), _letters(page_text)
    if not q:
        return False
    if q in page:
        return True
    low, high = 0, len(q)  # the longest prefix of the quote found on the page
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if q[:middle] in page else (low, middle - 1)
    # The break may come before the longest prefix ends: that prefix can also stand elsewhere.
    for split in range(low, 0, -1):
        head, tail = q[:split], q[split:]
        start = page.find(head)
        while start >= 0:
            end = start + len(head)
            if tail in page[end:end + max_gap + len(tail)]:
                return True
            start = page.find(head, start + 1)
    return False
