"""Whether a word is a common word of Spanish, from simplemma's dictionary (MIT, in its wheel).

A Spanish question's capitalised word the reports never use is either a name they never mention
("Sheinbaum") or a Spanish word the English text says otherwise ("Hacienda", "Casa Blanca",
"Cancillería"). Capitals cannot tell them apart, and neither can the multilingual model: a name's
nearest English word is as near as a common word's (0.87-0.94 against 0.88-0.96, measured here on
35 names and 50 Spanish words of the subject). A dictionary of inflected word forms can: it holds
"relaciones", "exteriores" and "hacienda". It also holds names that are Spanish words or common
Spanish names ("Maduro", "Castro", "Miguel"): those are never taken for names the reports lack.
"""

from __future__ import annotations

import threading

import simplemma
from simplemma.strategies import CliticDecompositionStrategy

LANGUAGE = "es"
# A word typed without its accent ("Camara", "migracion", "ENERGIA"): each vowel in turn, and "n",
# is tried with the accent Spanish puts there.
ACCENTED = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú", "n": "ñ"}

_load_lock = threading.Lock()
_clitics: CliticDecompositionStrategy | None = None


def is_spanish_word(word: str) -> bool:
    """Whether the word (any case) is a form of a Spanish dictionary word, with pronouns joined to a
    verb ("Explícame", "coordinarse") or one accent left out ("Camara", "INVERSION")."""
    lowered = word.lower()
    clitics = _loaded()
    if simplemma.is_known(lowered, lang=LANGUAGE) or clitics.get_lemma(lowered, LANGUAGE) is not None:
        return True
    if any(c in "áéíóúñ" for c in lowered):
        return False
    return any(simplemma.is_known(lowered[:i] + ACCENTED[c] + lowered[i + 1:], lang=LANGUAGE)
               for i, c in enumerate(lowered) if c in ACCENTED)


def _loaded() -> CliticDecompositionStrategy:
    # The dictionary loads on first use (0.7 s, about 100 MB), once a Spanish question comes; a web
    # server's threads asking their first questions together would each load it without the lock.
    global _clitics
    if _clitics is None:  # once loaded, no lock on the way
        with _load_lock:
            if _clitics is None:
                simplemma.is_known("casa", lang=LANGUAGE)
                _clitics = CliticDecompositionStrategy()
    return _clitics
