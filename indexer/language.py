"""Which language a question is in: English, or Spanish (the two our readers write in).

Function words decide, not content words: a Spanish question names "COMEXI", "Mérida" and "T-MEC" as
an English one does, but says "qué", "los", "según" where English says "what", "the", "according".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Literal

Language = Literal["en", "es"]

SPANISH = frozenset("""el la los las lo un una unos unas del al de que qué y o en es son fue fueron era
hay ha han se su sus por para con sin según como cómo cuál cuáles cuánto cuánta cuántos cuántas cuándo
dónde quién quiénes porque pero más menos muy entre sobre desde hasta este esta estos estas ese esa
esos esas le les nos ya también qué proponen propone dice dicen tiene tienen si cada él ella ellos ellas
sido ser estar está están había otro otra otros otras mismo misma donde cuando mientras aunque durante
tras ante bajo contra hacia mediante cual hacer hace hizo eso esto aquel aquella aquello aquellos aquellas ello
allí ahí entonces así además""".split())
ENGLISH = frozenset("""the an of and or in is are was were be been has have had to for on with by
what which who whom whose how when where why does do did this that these those it its their there
from at as according about than more most many much say says said""".split())
WORD = re.compile(r"[a-záéíóúüñ]+")


def language_of(text: str, english_words: Collection[str] = (), spanish_words: Collection[str] = (),
                is_spanish: Callable[[str], bool] | None = None) -> Language:
    """The question's language: Spanish when its Spanish function words (or ¿ ¡ ñ) outnumber its
    English ones, else English. A keyword search has neither: it is Spanish when something shows it
    and most of its words are not English words (of `english_words`, lower-cased; names the reports
    use are among them), a sign counting once more. A sign is an accented word, one of
    `spanish_words` (words the reports have only in Spanish: "seguridad", from the Spanish names they
    quote), or, when they are most of a search of two words or more, words of a Spanish dictionary
    (`is_spanish`) that are no English words of the reports ("cruces fronterizos diarios cifra"; not
    "avocado exports"). So "reforma energética", "seguridad fronteriza" and "cruces fronterizos
    diarios cifra" are Spanish, "Mérida Initiative" is not, nor "cricket" or "remesas" alone (a word
    the reports lack is no sign of Spanish: one word says too little)."""
    words = WORD.findall(text.lower())
    spanish = sum(w in SPANISH for w in words) + 2 * bool(re.search(r"[¿¡ñ]", text.lower()))
    english = sum(w in ENGLISH for w in words)
    if spanish == english == 0 and words and english_words:
        marked = [bool(re.search("[áéíóú]", w)) or w in spanish_words for w in words]
        unknown = [w for w, m in zip(words, marked) if not m and w not in english_words]
        # Dictionary words are a sign only as most of a search of two words or more: "avocado",
        # "rugby" and "recipes" are Spanish forms too, and one word alone stays as it was read before.
        # Asked only when they could be most of it (the dictionary loads on first use).
        in_dictionary = (sum(map(is_spanish, unknown))
                         if is_spanish is not None and len(words) > 1 and len(unknown) > len(words) / 2 else 0)
        signs = sum(marked) + (in_dictionary if in_dictionary > len(words) / 2 else 0)
        foreign = sum(w not in english_words for w in words) + signs
        return "es" if signs and foreign > len(words) / 2 else "en"
    return "es" if spanish > english else "en"
