"""Whether a word is a common word of Spanish, from simplemma's dictionary (MIT, in its wheel).

A Spanish question's capitalised word the reports never use is either a name they never mention
("Sheinbaum") or a Spanish word the English text says otherwise ("Hacienda", "Casa Blanca",
"Cancillería"). Capitals cannot tell them apart, and neither can the multilingual model: a name's
nearest English word is as near as a common word's (0.87-0.94 against 0.88-0.96, measured here on
35 names and 50 Spanish words of the subject). A dictionary of inflected word forms can: it holds
"relaciones", "exteriores" and "hacienda", and few proper names ("Washington", "Maduro").
"""

from __future__ import annotations

from functools import cache

import simplemma


@cache
def _loaded() -> None:
    # The dictionary loads on first use (0.7 s, about 80 MB): only once a Spanish question comes.
    simplemma.is_known("casa", lang="es")


def is_spanish_word(word: str) -> bool:
    """Whether the word (any case) is a form of a Spanish dictionary word."""
    _loaded()
    return simplemma.is_known(word.lower(), lang="es")
