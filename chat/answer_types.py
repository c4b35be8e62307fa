"""What kind of figure a question asks for (a quantity, an amount of money), and what gives one."""

from __future__ import annotations

import re

# What a question asks when its answer is an amount of money. "How much" alone is not enough:
# "how much water", "how much did trade grow".
_MONEY_WORDS = (r"cost\w*|spen[dt]\w*|pa(?:y|ys|id|ying)|invest\w*|fund\w*|appropriat\w*|budget\w*|money|"
                r"dollars?|pesos|worth|aid|assistance|financ\w*|pric\w*")
MONEY_ASKED = re.compile(
    r"\bat what (?:cost|price)\b|\bhow (?:expensive|costly)\b|\bwhat did\b[^?]*\bcost\b|"
    rf"\bhow much\b[^?]*?\b(?:{_MONEY_WORDS})\b", re.IGNORECASE)
# Words that say what kind of figure is asked for, not what it is about.
ASKING_WORDS = re.compile(rf"\b(?:how much|how many|at what|how expensive|how costly|{_MONEY_WORDS})\b",
                          re.IGNORECASE)
_AMOUNT_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|a|one hundred"
MONEY_AMOUNT = re.compile(
    r"(?:US\s?\$|USD\s?\$?|\$)\s*\\?\s*\d|"  # $7.5 billion, US$9 billion, USD$2.3 billion
    rf"\b(?:\d[\d.,]*|{_AMOUNT_WORDS})\s*(?:bn|thousand|million|billion|trillion)?\s*"
    r"(?:dollars?|pesos|euros|USD|MXN)\b",
    re.IGNORECASE)
# Questions answered by a figure of some kind.
QUANTITY_QUESTION = re.compile(r"\b(how (many|much|large|big|deadly|often|far|long)|what (share|percent"
                               r"|percentage|number|amount|proportion)|by what|how .* (grow|fall|change))",
                               re.IGNORECASE)
ANY_NUMBER = re.compile(r"\d")


def wanted_figure(question: str) -> re.Pattern[str] | None:
    """What a sentence must hold to give the figure the question asks for, or None. A question about
    money wants an amount: a date or a count does not answer it."""
    if MONEY_ASKED.search(question):
        return MONEY_AMOUNT
    return ANY_NUMBER if QUANTITY_QUESTION.search(question) else None


def subject(question: str) -> str:
    """The question without the words that only say what kind of figure it asks for ("how much",
    "cost", "spend"): what a sentence must be about to answer it."""
    return ASKING_WORDS.sub(" ", question)
