"""Form the retrieval query from a question and the conversation so far."""

from __future__ import annotations

import re

from chat.models import Turn
from indexer.lexical import tokenize

# Words that point back into the conversation: "that chapter", "they", "it".
ANAPHORA = re.compile(
    r"\b(that|this|these|those|it|its|they|them|their|he|she|his|her|there|then|so|also|"
    r"the same|the report|the chapter|the authors?)\b", re.IGNORECASE)
# Words that open a question continuing the conversation: "And in 2021?", "What about energy?"
CONTINUES = re.compile(r"^\s*(and|but|so|also|then|what about|how about|what else)\b", re.IGNORECASE)
# Being short is not enough to lean on the conversation: asked after another question, the short
# dev questions that name their own topic found their gold passage in the top 5 in 15 of 38 cases
# when read with the previous exchange, 34 alone.
ELLIPTICAL_TERMS = 2  # this many terms of its own or fewer: "What about energy?"
SHORT_TERMS = 4  # this many or fewer, and a back-reference anywhere: "What did Mexico answer to that?"
CONTEXT_CHARS = 400


def retrieval_query(question: str, history: list[Turn]) -> str:
    """The question, plus the previous exchange when the question leans on it."""
    question = " ".join(question.split())
    last_user = followed_question(question, history)
    if last_user is None:
        return question
    last_reply = next((t.content for t in reversed(history) if t.role == "assistant"), "")
    last_reply = re.sub(r"\[\d+\]", "", last_reply)[:CONTEXT_CHARS]  # citation markers are noise here
    context = " ".join(f"{last_user} {last_reply}".split())
    return f"{question} {context}".strip()


def followed_question(question: str, history: list[Turn]) -> str | None:
    """The user's previous question when this one leans on it ("How much money is that?"), else None."""
    if not history or not is_followup(" ".join(question.split())):
        return None
    return next((t.content for t in reversed(history) if t.role == "user"), None)


def is_followup(question: str) -> bool:
    """Whether the question leans on the conversation: it opens as a continuation, points back before
    naming anything of its own ("What did they want…"), has almost no terms of its own, or is short
    and points back anywhere. A pronoun after the question's own topic usually refers to it ("What
    share of Mexicans said they were interested…")."""
    terms = len(tokenize(question))
    return bool(CONTINUES.search(question) or _points_back_first(question) or terms <= ELLIPTICAL_TERMS
                or (ANAPHORA.search(question) and terms <= SHORT_TERMS))


def _points_back_first(question: str) -> bool:
    words = question.split()
    for i, word in enumerate(words):
        if ANAPHORA.match(" ".join(words[i:])):
            return True
        if tokenize(word):
            return False
    return False
