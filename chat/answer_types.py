"""What kind of answer a question asks for (an amount of money, a share, a date, a count, a person), and
what gives one."""

from __future__ import annotations

import re

from indexer.kinds import MONTH

# What a question asks when its answer is an amount of money. "How much" alone is not enough:
# "how much water", "how much did trade grow".
_MONEY_WORDS = (r"cost\w*|spen[dt]\w*|pa(?:y|ys|id|ying)|invest\w*|fund\w*|appropriat\w*|budget\w*|money|"
                r"dollars?|pesos|worth|aid|assistance|financ\w*|pric\w*")
# The same words in Spanish, each with the English word it stands for: what a Spanish question's
# money word means is looked up here, not in the multilingual space, where short verb forms are
# matched by their spelling ("cuesta" was nearest "customs", "gastó" "guatemala", "valen" "valve").
# Word forms, not stems: "cuestión", "costa", "gastronomía", "asignatura" are not about money.
_VERB_ENDINGS = r"(?:a|an|ar|aba|aban|ó|aron|ado|ados|ada|adas|ará|arán|aría|arían)"
_SPANISH_MONEY_WORDS = {
    r"cuest(?:a|an|e|en)|cost(?:ar|aba|aban|ó|aron|ará|arán|aría|arían)|costos?|costes?": "cost",  # not "costa"
    rf"gast{_VERB_ENDINGS}|gastos?": "spending",
    rf"pag{_VERB_ENDINGS}|pagos?|pague|paguen": "paid",
    r"invirti(?:ó|eron)|invert(?:ir|ido|ida|irá|irán|iría|ía)|invierten?|inversi(?:ón|ones)": "investment",
    r"fondos": "funds",
    rf"asign{_VERB_ENDINGS}|asignaci(?:ón|ones)": "allocated",
    r"presupuestos?|presupuestari[oa]s?": "budget",
    r"dinero": "money", r"d[oó]lares": "dollars", r"pesos": "pesos",
    r"vale|valen|val[ií]a|valdr[ií]a": "worth", r"ayudas?": "aid", r"asistencia": "assistance",
    rf"financ(?:i{_VERB_ENDINGS}|iamientos?|iaci[oó]n)": "financing", r"precios?": "prices",
}
_MONEY_WORDS_ES = "|".join(_SPANISH_MONEY_WORDS)
_SPANISH_MONEY_PATTERNS = [(re.compile(pattern, re.IGNORECASE), english)
                           for pattern, english in _SPANISH_MONEY_WORDS.items()]


def money_word_in_english(word: str) -> str | None:
    """The English of a Spanish money word ("cuesta": "cost"), or None for any other word."""
    return next((english for pattern, english in _SPANISH_MONEY_PATTERNS if pattern.fullmatch(word)), None)


# "What is the estimated cost of …?", "What was the U.S. trade deficit with …?": a money figure named
# by its noun, when the noun ends the question's head (not "the investment climate", "the budget
# committee's role").
_MONEY_NOUNS = r"costs?|budgets?|price|value|worth|spending|funding|investment|deficit|surplus|revenues?"
_HEAD_ENDS = r"(?=\s+(?:of|in|for|to|with|on|at|by|among)\b|\s*[?,]|\s*$|\s+(?:19|20)\d\d\b)"
# The same in Spanish: "¿Cuál es el costo estimado de …?", "¿Cuál fue el déficit comercial … en 2020?"
_MONEY_NOUNS_ES = (r"costos?|costes?|presupuestos?|precios?|valor|gastos?|inversi[oó]n|d[eé]ficit|super[aá]vit|"
                   r"financiamiento|financiaci[oó]n|ingresos")
_PREPOSITIONS_ES = r"(?:de|del|en|para|a|al|con|entre|por|sobre)"
_HEAD_ENDS_ES = rf"(?=\s+{_PREPOSITIONS_ES}\b|\s*[?,]|\s*$|\s+(?:19|20)\d\d\b)"
_WHAT_IS_ES = r"(?<!por )\b(?:qu[eé]|cu[aá]l(?:es)?) (?:es|era|fue|son|eran|fueron|ser[ií]a|ha sido)\b"  # not "¿por qué es…?"
MONEY_ASKED = re.compile(
    r"\bat what (?:cost|price)\b|\bhow (?:expensive|costly)\b|\bwhat did\b[^?]*\bcost\b|"
    rf"\bwhat (?:is|was|were|are|would be|will be)\b(?: (?!of\b)\S+){{0,3}}? (?:{_MONEY_NOUNS}){_HEAD_ENDS}|"
    rf"\bhow much\b[^?]*?\b(?:{_MONEY_WORDS})\b|"
    rf"\bcu[aá]nt[oa]\b[^?]*?\b(?:{_MONEY_WORDS_ES})\b|\bqu[eé] cost[oe]s?\b|"
    rf"{_WHAT_IS_ES}(?: (?!{_PREPOSITIONS_ES}\b)\S+){{0,3}}? (?:{_MONEY_NOUNS_ES})(?: (?!{_PREPOSITIONS_ES}\b)\S+)?"
    rf"{_HEAD_ENDS_ES}", re.IGNORECASE)
# Words that say what kind of figure is asked for, not what it is about.
ASKING_WORDS = re.compile(rf"\b(?:how much|how many|at what|how expensive|how costly|{_MONEY_WORDS}|"
                          rf"cu[aá]nt[oa]s?|{_MONEY_WORDS_ES})\b", re.IGNORECASE)
_AMOUNT_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|a|one hundred"
MONEY_AMOUNT = re.compile(
    r"(?:US\s?\$|USD\s?\$?|\$)\s*\\?\s*\d|"  # $7.5 billion, US$9 billion, USD$2.3 billion
    rf"\b(?:\d[\d.,]*|{_AMOUNT_WORDS})\s*(?:bn|thousand|million|billion|trillion)?\s*"
    r"(?:dollars?|pesos|euros|USD|MXN)\b",
    re.IGNORECASE)
# Questions answered by a figure of some kind, from the most specific kind to the least.
# Each in English and in Spanish (a Spanish question is read with the same kinds).
PERCENT_QUESTION = re.compile(r"\bwhat (share|percent|percentage|proportion|fraction)\b|\bhow many percent\b|"
                              # a rate of a share ("the unemployment rate"), not of a count
                              # per head or a price ("the homicide rate", "the exchange rate")
                              r"\bwhat (?:is|was|were|are)\b(?: (?!of\b)\S+){0,3}? (?:(?<!homicide )(?<!murder )"
                              rf"(?<!crime )(?<!exchange )rates?|approval ratings?){_HEAD_ENDS}|"
                              r"\bas an? (share|percent\w*|proportion)\b|"
                              r"\bqu[eé] (porcentaje|proporci[oó]n|parte|fracci[oó]n)\b|\bcomo porcentaje\b|"
                              # "la tasa de desempleo", "el índice de aprobación" (not "la tasa de homicidios")
                              rf"{_WHAT_IS_ES}(?: (?!{_PREPOSITIONS_ES}\b)\S+){{0,3}}? (?:(?:[ií]ndice|nivel|tasa) de "
                              r"aprobaci[oó]n|tasa de (?!homicidios?\b|asesinatos?\b|delitos?\b|delincuencia\b|"
                              r"criminalidad\b|cambio\b))", re.IGNORECASE)
DATE_QUESTION = re.compile(r"^\W*(when|since when)\b|\b(in|by|since) what year\b|\bwhat (year|date)\b|"
                           r"^\W*(cu[aá]ndo|desde cu[aá]ndo)\b|\b(en|desde|hasta) qu[eé] a[nñ]o\b|"
                           r"\bqu[eé] (a[nñ]o|fecha)\b", re.IGNORECASE)
COUNT_QUESTION = re.compile(r"\bhow many\b|\bcu[aá]nt[oa]s\b", re.IGNORECASE)
QUANTITY_QUESTION = re.compile(r"\b(how (much|large|big|deadly|often|far|long)|what (numbers?|amounts?|length)|"
                               r"by what|by how much|cu[aá]nt[oa]|qu[eé] (n[uú]mero|cantidad)|"
                               r"(?:qu[eé] tan|cu[aá]n) (grandes?|lejos|largos?|largas?|frecuentes?|mortal(?:es)?)|de qu[eé] tamaño)\b", re.IGNORECASE)
PERSON_QUESTION = re.compile(r"^\W*(who\b(?! (wrote|authored))|qui[eé]n(es)?\b(?! (escribi|redact)))",
                             re.IGNORECASE)
ANY_NUMBER = re.compile(r"\d")
ANSWER_PATTERNS: dict[str, re.Pattern[str]] = {
    "amount": MONEY_AMOUNT,
    "percent": re.compile(r"\d\s*(%|percent\b|per cent\b)|\b(half|a third|a quarter|one in \w+|\w+ out of \w+)\b",
                          re.IGNORECASE),
    "date": re.compile(rf"\b(1[89]|20)\d\d\b|\b{MONTH}\b"),
    # A count, not a year: "35 million", "2,000", "twelve".
    "count": re.compile(r"\b(?!(?:1[89]|20)\d\d\b)\d[\d,.]*\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|"
                        r"eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?)\b",
                        re.IGNORECASE),
    "number": ANY_NUMBER,
    "person": re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-zé]+\b"),
}


def wanted_answer(question: str) -> str | None:
    """The kind of answer the question asks for (a key of ANSWER_PATTERNS), or None. A question about
    money wants an amount: a date or a count does not answer it."""
    if MONEY_ASKED.search(question) and not PERCENT_QUESTION.search(question):  # "cost ... as a share of GDP"
        return "amount"
    for kind, pattern in (("percent", PERCENT_QUESTION), ("date", DATE_QUESTION), ("count", COUNT_QUESTION),
                          ("number", QUANTITY_QUESTION), ("person", PERSON_QUESTION)):
        if pattern.search(question):
            return kind
    return None


def subject(question: str) -> str:
    """The question without the words that only say what kind of figure it asks for ("how much",
    "cost", "spend"): what a sentence must be about to answer it."""
    return ASKING_WORDS.sub(" ", question)
