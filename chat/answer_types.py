"""What kind of answer a question asks for, and whether a sentence gives one: an amount of money."""

from __future__ import annotations

import re

# What a question asks when its answer is an amount of money. "How much" alone is not enough:
# "how much water", "how much did trade grow".
MONEY_ASKED = re.compile(
    r"\bat what (?:cost|price)\b|\bhow (?:expensive|costly)\b|\bwhat did\b[^?]*\bcost\b|"
    r"\bhow much\b[^?]*?\b(?:cost\w*|spen[dt]\w*|pa(?:y|ys|id|ying)|invest\w*|fund\w*|appropriat\w*|"
    r"budget\w*|money|dollars?|pesos|worth|aid|assistance|financ\w*|pric\w*)\b", re.IGNORECASE)
_AMOUNT_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|a|one hundred"
MONEY_AMOUNT = re.compile(
    r"(?:US\s?\$|USD\s?\$?|\$)\s*\\?\s*\d|"  # $7.5 billion, US$9 billion, USD$2.3 billion
    rf"\b(?:\d[\d.,]*|{_AMOUNT_WORDS})\s*(?:bn|thousand|million|billion|trillion)?\s*"
    r"(?:dollars?|pesos|euros|USD|MXN)\b",
    re.IGNORECASE)
