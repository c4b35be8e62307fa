"""Decide whether the retrieved evidence supports an answer at all.

A fitted model weighs how close and how complete the best evidence is, and what these checks
found; each check also names what the reports lack, so the abstention can say it:
- a name or figure the question hinges on that no report contains (a name of several words counts
  as missing when its words never stand together: "Supreme Court");
- an event dated after the newest report was published (the reports cannot know its outcome);
- a "how many <things>" question where no evidence sentence puts a number next to those things;
- a question about an amount of money ("how much did it cost", "at what cost") where no evidence
  sentence gives one: "billions of dollars in costs" names no amount.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from chat.answer_types import MONEY_AMOUNT
from chat.evidence import YEAR, Candidate, TermWeights, is_statement
from chat.fitted import LinearModel
from chat.messages import listing, say
from chat.reading import Reading
from chat.names import SentenceTerms
from indexer.lexical import tokenize

NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve twenty thirty
forty fifty hundred hundreds thousand thousands million millions billion billions dozen dozens half
twice double triple several""".split())
NUMBER_WINDOW = 3  # words between a number and the thing it counts
# An amount answers the question only in a sentence about it: one holding this (idf-weighted) share
# of the question's subject, its words less those asking for money ("how much", "cost"). Over 23
# answerable and 12 unanswerable money questions asked by hand, the best sentence with an amount
# held 0.47 or more for the first, 0.27 or less for the others ("At what cost did Mexico deploy the
# National Guard?" met the cost of steel tariffs to consumers).
AMOUNT_COVERAGE = 0.4
FULL_COVERAGE = 0.999  # every word of the question (rounding aside)


# What the fitted answerability model (chat/fitted/answerability.json) weighs, in this order. The
# checks above are features, not vetoes: a name rule that misfires on an abbreviation the passage
# spells out weighs only what the data says it is worth.
ANSWERABILITY_FEATURES = [
    "best_support",      # the best sentence's similarity to the question
    "second_support",
    "best_coverage",     # the best statement's idf-weighted share of the question's words
    "every_word",        # some statement holds every word of the question (a keyword search: "water");
                         # 0 for a question whose words were looked up
    "subject_coverage",  # the best statement's share of the question's subject
    "terms_found",       # share of the subject's idf weight found anywhere in the evidence pool
    "unknown_names",     # names or figures of the question that no sentence of the corpus contains
    "later_year",        # asks what happened after the newest report
    "count_missing",     # "how many X" and no number next to X
    "figure_wanted",
    "figure_coverage",   # the best subject coverage of a statement giving the wanted figure
    "amount_missing",    # asks for an amount of money and no statement about it gives one
    "compares",          # compares reports: asks about the reports themselves, far from any one sentence
    "cross_lingual",     # matched across languages (a Spanish question, English sentences): the same
                         # support gives lower similarities, and words looked up one by one cover less
]
# The direction each feature may push answerability (+1 up, -1 down): fitting keeps each weight to it.
ANSWERABILITY_SIGNS = {"best_support": 1, "second_support": 1, "best_coverage": 1, "every_word": 1,
                       "subject_coverage": 1, "terms_found": 1, "unknown_names": -1, "later_year": -1,
                       "count_missing": -1, "figure_wanted": -1, "figure_coverage": 1, "amount_missing": -1, "compares": 1,
                       "cross_lingual": 1}


@dataclass
class Support:
    similarity: float
    reasons: list[str] = field(default_factory=list)  # what the reports lack, said to the user
    coverage: float = 0.0  # the best sentence's (idf-weighted) share of the question's words
    features: list[float] = field(default_factory=list)  # ANSWERABILITY_FEATURES
    probability: float = 1.0  # that the reports answer the question, from the fitted model

    def sufficient(self, model: LinearModel) -> bool:
        """Whether the fitted answerability model finds the question answered; sets probability."""
        self.probability = float(model.probability(np.array(self.features)))
        return self.probability >= model.threshold


def assess(reading: Reading, pool: list[Candidate], sentences: SentenceTerms, newest_year: int | None,
           weights: TermWeights) -> Support:
    """What the candidate sentences offer towards an answer: the answerability features, and what
    the reports lack, said in words in case the question is abstained."""
    statements = [c for c in pool if is_statement(c.sentence)]
    about = _about(reading, weights)
    reasons = []
    lang = reading.lang
    if reading.unknown_names:
        reasons.append(say("never_mention", lang, names=listing(reading.unknown_names, lang)))
    if reading.later_year:
        reasons.append(say("later_year", lang, newest=newest_year, year=reading.later_year))
    count_missing = bool(reading.counted_terms) and not any(counts(c.sentence.text, reading.counted_terms)
                                                             for c in statements)
    if count_missing:
        reasons.append(say("count_missing", lang, things=reading.counted))
    amount_missing = reading.figure == "amount" and not any(gives_amount(c, about) for c in statements)
    if amount_missing:
        reasons.append(say("amount_missing", lang))
    figure = reading.figure_pattern
    supports = sorted((c.support for c in pool), reverse=True)
    subject_terms = {t for terms in reading.subject_terms[:1] for t in terms}
    pool_terms = {t for c in pool for t in tokenize(c.sentence.text)}
    features = [
        supports[0] if supports else 0.0,
        supports[1] if len(supports) > 1 else 0.0,
        max((c.coverage for c in statements), default=0.0),
        # Not for a question whose words were looked up: the lookup picks, for each word, a corpus word
        # of the sentences nearest the question, so they stand together by construction ("¿Quién pintó
        # La noche estrellada?" found all its words in one statement).
        float(reading.in_english is None and max((c.coverage for c in statements), default=0.0) >= FULL_COVERAGE),
        max((about(c.sentence.text) for c in statements), default=0.0),
        weights.coverage(list(subject_terms), pool_terms),
        float(min(len(reading.unknown_names), 2)),
        float(reading.later_year is not None),
        float(count_missing),
        float(figure is not None),
        max((about(c.sentence.text) for c in statements if figure and figure.search(c.sentence.text)), default=0.0),
        float(amount_missing),
        float(bool(reading.compared_reports)),
        float(reading.lang != "en"),
    ]
    return Support(similarity=features[0], reasons=reasons, coverage=features[2], features=features)


def _about(reading: Reading, weights: TermWeights) -> Callable[[str], float]:
    """The (idf-weighted) share of the question's subject a sentence holds. A question pointing back
    ("How much money is that?") is also judged by the question before it. Not the retrieval query:
    a short question carries the previous answer there, and any sentence of it would look on topic."""
    topics = reading.subject_terms or [[]]
    return lambda text: max(weights.coverage(topic, set(tokenize(text))) for topic in topics)


def counts(sentence: str, things: list[str]) -> bool:
    """Whether the sentence puts a number (not a year) within a few words of what is counted (its terms).

    Any word of the counted phrase will do: the phrase can run into the verb ("patients go").
    """
    wanted = set(things)
    words = re.findall(r"[\w$%.,'’]+(?:-[\w$%.,'’]+)*", sentence)
    at_thing, at_number = [], []
    for i, word in enumerate(words):
        parts = [p for p in word.strip(".,").split("-") if p]  # "2,000-mile" is a number and a unit
        if any(wanted.intersection(tokenize(p)) for p in parts):
            at_thing.append(i)
        if any(_is_count(p) for p in parts) or (len(parts) > 1 and parts[0][:1].isdigit()):
            at_number.append(i)
    return any(abs(t - n) <= NUMBER_WINDOW for t in at_thing for n in at_number)


def gives_amount(candidate: Candidate, about: Callable[[str], float] | None = None) -> bool:
    """Whether the sentence states an amount of money and is about the question."""
    text = candidate.sentence.text
    if not is_statement(candidate.sentence) or not MONEY_AMOUNT.search(text):
        return False
    return (about(text) if about else candidate.coverage) >= AMOUNT_COVERAGE


def _is_count(word: str) -> bool:
    if YEAR.fullmatch(word.strip("$%")):
        return False
    return word[:1].isdigit() or (word[:1] == "$" and word[1:2].isdigit()) or word.lower() in NUMBER_WORDS
