"""Form the retrieval query from a question and the conversation so far.

Whether a question leans on the conversation is decided by a fitted model (chat/fitted/followup.json)
over the cues below. Its data: the dev follow-ups, and the standalone dev questions, which name their
own topic. Its length is not one of the cues: dev's follow-ups are short and its standalone
questions long, but in a conversation a short question often names its own topic, and asked after
another question, the short dev questions found their gold passage in the top 5 in 15 of 38 cases
when read with the previous exchange, 34 alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from chat.fitted import LinearModel, load_model
from chat.models import Turn
from indexer.lexical import tokenize

# Words that point back into the conversation: "that chapter", "they", "it"; in Spanish "eso", "ella",
# "su", "lo" (not in "lo que", "lo más", "a lo largo"...; not "le", which doubles a named object: "¿Cuánto
# le cuesta la delincuencia a México?"). Each cue has its Spanish words beside the English ones, with
# or without their accents (typed questions often drop them).
_LO = r"lo(?! (?:que|m[aá]s|menos|mejor|peor|largo|tanto|cual|mismo)\b)"
ANAPHORA = re.compile(
    r"\b(that|this|these|those|it|its|it's|they|them|their|he|she|his|him|her|there|then|so|also|"
    r"the same|the report|the chapter|the authors?|"
    r"eso|esto|ese|esa|esos|esas|este|esta|estos|estas|aquel|aquella|aquello|aquellos|aquellas|ello|él|ella|"
    rf"ellos|ellas|su|sus|{_LO}|all[ií]|ah[ií]|entonces|as[ií]|tambi[eé]n|el mismo|la misma|el informe|"
    r"el cap[ií]tulo|los autores|el autor|la autora|"
    # a pronoun joined to its verb: "abrirlo", "frenándolo" (a stem of three letters or more: not "charla")
    r"(?-i:[a-záéíóúñ]{3,}(?:ar|er|ir|[aá]ndo|i[eé]ndo)l[oa]s?))\b", re.IGNORECASE)
PRONOUN = re.compile(r"\b(he|she|him|his|her|it|its|it's|they|them|their|"
                     rf"él|ella|ellos|ellas|ello|su|sus|{_LO})\b", re.IGNORECASE)
# A definite phrase that points back: "the last one", "that way", "the next step", "the slide"; "el último",
# "de esa manera", "la carta".
POINTS_BACK = re.compile(r"\b(the (last|latter|former|same|similar|previous|next|other) \w+|that way|back then|"
                         r"the (slides?|deck|outlook|convocation|letter|case|plan|proposal|program)|"
                         r"(el|la|los|las) ([uú]ltim[oa]s?|anterior(es)?|mism[oa]s?|similar(es)?|siguientes?|"
                         r"pr[oó]xim[oa]s?|otr[oa]s?)( \w+)?|(el|la|los|las) \w+ (similar(es)?|mism[oa]s?)|"
                         r"de (esa|esta) (manera|forma)|en ese entonces|al respecto|"
                         r"(la|las) (l[aá]minas?|diapositivas?|presentaci[oó]n|convocatoria|cartas?|"
                         r"propuestas?)|(el|los) (casos?|plan(es)?|programas?))\b",
                         re.IGNORECASE)
# Words that open a question continuing the conversation: "And in 2021?", "What about energy?", "¿Y en 2021?"
CONTINUES = re.compile(r"^[\s¿¡]*(and|but|so|also|then|what about|how about|what else|"
                       r"y|pero|entonces|tambi[eé]n|adem[aá]s|as[ií] que|qu[eé] hay del?|qu[eé] m[aá]s|"
                       r"en cuanto al?)\b", re.IGNORECASE)
# A capitalised word after the first: a name the question brings of its own ("Border Health Commission").
NAME = re.compile(r"(?<=\s)[A-Z][\w'’.-]*")
CONTEXT_CHARS = 400

FOLLOWUP_FEATURES = [
    "continues",           # opens as a continuation
    "points_back_first",   # points back before naming anything of its own
    "anaphora",            # words pointing back, anywhere
    "pronouns",
    "definite_back",       # "the last one", "that way", "the slide"
    "names",               # capitalised words after the first
]
FOLLOWUP_SIGNS = {"continues": 1, "points_back_first": 1, "anaphora": 1, "pronouns": 1, "definite_back": 1,
                  "names": -1}


def retrieval_query(question: str, history: list[Turn], model: LinearModel | None = None,
                    with_reply: bool = True) -> str:
    """The question, plus the previous exchange when the question leans on it (without the reply
    when with_reply is false)."""
    question = " ".join(question.split())
    last_user = followed_question(question, history, model)
    if last_user is None:
        return question
    last_reply = next((t.content for t in reversed(history) if t.role == "assistant"), "") if with_reply else ""
    last_reply = re.sub(r"\[\d+\]", "", last_reply)[:CONTEXT_CHARS]  # citation markers are noise here
    context = " ".join(f"{last_user} {last_reply}".split())
    return f"{question} {context}".strip()


def followed_question(question: str, history: list[Turn], model: LinearModel | None = None) -> str | None:
    """The user's previous question when this one leans on it ("How much money is that?"), else None."""
    if not history or not is_followup(" ".join(question.split()), model):
        return None
    return next((t.content for t in reversed(history) if t.role == "user"), None)


def is_followup(question: str, model: LinearModel | None = None) -> bool:
    """Whether the question leans on the conversation, by the fitted model (the shipped one by default)."""
    model = model or shipped_followup_model()
    return bool(model.probability(followup_features(question)) >= model.threshold)


def followup_features(question: str) -> list[float]:
    """FOLLOWUP_FEATURES of a question."""
    return [float(bool(CONTINUES.search(question))), float(_points_back_first(question)),
            float(len(ANAPHORA.findall(question))), float(len(PRONOUN.findall(question))),
            float(len(POINTS_BACK.findall(question))), float(len(NAME.findall(question)))]


def leans_back_plainly(question: str) -> bool:
    """Whether the question opens by going on from or pointing back at something, points back ("And
    what did they…?", "¿Eso cuándo pasó?"; not "What about energy?") and brings no name of its own:
    asked with no conversation before it, it has nothing to be read with. Stricter than is_followup,
    which with a conversation may lean on it more readily (on every question set here, no
    standalone question reads so; is_followup would say so of 31 of dev's 279)."""
    return (bool(CONTINUES.search(question) or _points_back_first(question)) and bool(ANAPHORA.search(question))
            and not NAME.search(question))


@lru_cache(maxsize=1)
def shipped_followup_model() -> LinearModel:
    return load_model("followup", FOLLOWUP_FEATURES)


def _points_back_first(question: str) -> bool:
    words = question.split()
    for i, word in enumerate(words):
        if ANAPHORA.match(" ".join(words[i:]).lstrip("¿¡")):  # "¿Eso cuándo pasó?"
            return True
        if tokenize(word):
            return False
    return False
