"""Form the retrieval query from a question and the conversation so far."""

from __future__ import annotations

import re

from chat.models import Turn

# Words that point back into the conversation: "that chapter", "they", "it".
ANAPHORA = re.compile(
    r"\b(that|this|these|those|it|its|they|them|their|he|she|his|her|there|then|so|also|"
    r"the same|the report|the chapter|the authors?)\b", re.IGNORECASE)
STANDALONE_WORDS = 12  # a longer question with no back-reference usually stands on its own
CONTEXT_CHARS = 400


def retrieval_query(question: str, history: list[Turn]) -> str:
    """The question, plus the previous exchange when the question leans on it."""
    question = " ".join(question.split())
    if not history or not is_followup(question):
        return question
    last_user = next((t.content for t in reversed(history) if t.role == "user"), "")
    last_reply = next((t.content for t in reversed(history) if t.role == "assistant"), "")
    last_reply = re.sub(r"\[\d+\]", "", last_reply)[:CONTEXT_CHARS]  # citation markers are noise here
    context = " ".join(f"{last_user} {last_reply}".split())
    return f"{question} {context}".strip()


def followed_question(question: str, history: list[Turn]) -> str | None:
    """The user's previous question when this one points back to it ("How much money is that?"),
    else None. Being short is not enough here: "How much did Trump spend on the wall?" names its own
    topic."""
    if not history or not ANAPHORA.search(question):
        return None
    return next((t.content for t in reversed(history) if t.role == "user"), None)


def is_followup(question: str) -> bool:
    words = question.split()
    return len(words) < STANDALONE_WORDS or bool(ANAPHORA.search(question))
