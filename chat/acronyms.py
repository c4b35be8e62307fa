"""Acronyms the reports define ("Border Health Commission (BHC)"), to match either form in a query."""

from __future__ import annotations

import re

# Up to eight words, then an acronym in parentheses: "North American Leaders' Summit (NALS)".
DEFINITION = re.compile(r"((?:[A-Za-z][\w'’.-]*\s+){1,8})\(([A-Z][A-Za-z]?[A-Z]{1,6}s?)\)")
LINKING_WORDS = {"of", "and", "for", "the", "on", "in", "to", "de", "del", "la", "y", "&"}


class Acronyms:
    def __init__(self, texts: list[str]):
        self.long_forms: dict[str, str] = {}
        for text in texts:
            for match in DEFINITION.finditer(text):
                long_form = _long_form(match.group(1).split(), match.group(2).rstrip("s"))
                if long_form:
                    self.long_forms.setdefault(match.group(2).rstrip("s"), long_form)
        self._by_long = {long.lower(): short for short, long in self.long_forms.items()}

    def expand(self, query: str) -> str:
        """The query plus the acronym of every long form it spells out.

        Only this direction: adding long forms for acronyms ("NAFTA") drowned the question in
        common words and lowered retrieval on the dev set.
        """
        extra = []
        for short, long in self.long_forms.items():
            if long.lower() in query.lower() and not re.search(rf"\b{re.escape(short)}s?\b", query):
                extra.append(short)
        return f"{query} {' '.join(extra)}" if extra else query


def _long_form(words: list[str], acronym: str) -> str | None:
    """The shortest tail of the words whose initials spell the acronym, or None."""
    letters = acronym.upper()
    for start in range(len(words) - 1, -1, -1):
        tail = words[start:]
        initials = "".join(w[0].upper() for w in tail if w.lower() not in LINKING_WORDS)
        if initials == letters:
            return " ".join(tail)
        if len(initials) > len(letters):
            return None
    return None
