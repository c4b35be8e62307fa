"""Decide whether the retrieved evidence supports an answer at all.

Besides the similarity of the best sentence, three checks each name what the reports lack, so the
abstention can say it:
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

from chat.answer_types import MONEY_AMOUNT, wanted_figure
from chat.evidence import YEAR, Candidate, is_statement
from chat.names import SentenceTerms
from indexer.lexical import tokenize

# Capitalised words and numbers of three or more digits: the names and figures a question hinges
# on. If the reports never contain one of them, they cannot answer the question.
NAME_OR_FIGURE = re.compile(r"\b[A-Z][a-zA-Z\u00C0-\u017F'’-]+|\b\d{3,}\b")
# A question about what reports expected or proposed for a later year is answerable; one about
# what happened then is not.
FORWARD_LOOKING = re.compile(
    r"\b(expect\w*|will|would|plan\w*|propos\w*|recommend\w*|should|predict\w*|project\w*|forecast\w*|"
    r"anticipat\w*|foresee\w*|schedul\w*|due|prepar\w*|could|may|might|goal\w*|target\w*|aim\w*|"
    r"envision\w*|call\w* for|want\w*|hope\w*|by \d{4})\b", re.IGNORECASE)
# "How many <counted things> did/of/in …": the things are what a number in the answer must count.
HOW_MANY = re.compile(r"\bhow many\s+([^?,;:]*)", re.IGNORECASE)
PHRASE_ENDS = frozenset("""did does do is are was were has have had will would can could in on at per of from to
by for with and or the a an its their his her this that these those each every""".split())
PHRASE_WORDS = 4
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


@dataclass(frozen=True)
class AbstentionSettings:
    # Best sentence similarity below which nothing retrieved is about the question: midway between
    # the lowest answerable question of dev.jsonl (0.475) and the highest of 36 off-topic questions
    # (cooking, sport, medicine, geography: 0.33, leaving aside economic questions about other
    # countries, which score like answerable ones). A question about the reports themselves ("How
    # did views on migration change between the 2017 and 2021 reports?") scored 0.415.
    min_similarity: float = 0.40


@dataclass
class Support:
    similarity: float
    reasons: list[str] = field(default_factory=list)  # what the reports lack, said to the user
    coverage: float = 0.0  # the best sentence's (idf-weighted) share of the question's words

    def sufficient(self, settings: AbstentionSettings) -> bool:
        """Nothing the reports lack, and a sentence about the question: close to it in meaning, or
        holding all its words. A keyword search ("water") is short of the similarity floor even
        against the sentences about it, as a sentence's vector carries its whole passage."""
        on_topic = self.similarity >= settings.min_similarity or self.coverage >= FULL_COVERAGE
        return not self.reasons and on_topic


def assess(question: str, pool: list[Candidate], sentences: SentenceTerms, newest_year: int | None,
           about: Callable[[str], float] | None = None) -> Support:
    """How well the candidate sentences support an answer to the question. about gives the share of
    the question a sentence holds; by default, the candidates' own coverage."""
    unknown = unknown_names(question, sentences)
    unknown += [name for name in sentences.unknown(question) if not any(word in name for word in unknown)]
    reasons = []
    if unknown:
        quoted = [f"“{t}”" for t in unknown]
        listed = ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]
        reasons.append(f"They never mention {listed}.")
    later = later_year(question, newest_year)
    if later:
        reasons.append(f"The newest of them was published in {newest_year}, so they cannot say what "
                       f"happened in {later}.")
    counted = counted_things(question)
    if counted and not any(counts(c.sentence.text, counted) for c in pool if is_statement(c.sentence.text)):
        reasons.append(f"No passage found gives a number of {counted}.")
    if wanted_figure(question) is MONEY_AMOUNT and not any(gives_amount(c, about) for c in pool):
        reasons.append("No passage found gives an amount of money.")
    return Support(similarity=max((c.support for c in pool), default=0.0), reasons=reasons,
                   coverage=max((c.coverage for c in pool if is_statement(c.sentence.text)), default=0.0))


def unknown_names(question: str, sentences: SentenceTerms) -> list[str]:
    """The question's names and figures that no sentence of the corpus contains."""
    unknown = []
    for match in NAME_OR_FIGURE.finditer(question.strip()):
        terms = tokenize(match.group(0))
        if terms and not any(sentences.knows(t) for t in terms):
            unknown.append(match.group(0))
    return unknown


def later_year(question: str, newest_year: int | None) -> int | None:
    """A year the question asks about that comes after every report, unless it asks what was expected."""
    if not newest_year or FORWARD_LOOKING.search(question):
        return None
    later = [int(y) for y in YEAR.findall(question) if int(y) > newest_year]
    return min(later) if later else None


def counted_things(question: str) -> str | None:
    """What a "how many" question counts ("National Guard troops"), or None."""
    match = HOW_MANY.search(question)
    if not match:
        return None
    words = []
    for word in match.group(1).split()[:PHRASE_WORDS]:
        if word.lower() in PHRASE_ENDS:
            break
        words.append(word)
    phrase = " ".join(words)
    return phrase if tokenize(phrase) else None


def counts(sentence: str, things: str) -> bool:
    """Whether the sentence puts a number (not a year) within a few words of what is counted.

    Any word of the counted phrase will do: the phrase can run into the verb ("patients go").
    """
    wanted = set(tokenize(things))
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
    if not is_statement(text) or not MONEY_AMOUNT.search(text):
        return False
    return (about(text) if about else candidate.coverage) >= AMOUNT_COVERAGE


def _is_count(word: str) -> bool:
    if YEAR.fullmatch(word.strip("$%")):
        return False
    return word[:1].isdigit() or (word[:1] == "$" and word[1:2].isdigit()) or word.lower() in NUMBER_WORDS
