"""What the engine says in its own words, in the question's language. Quotes stay in the reports'
English: a citation must stand on the page."""

from __future__ import annotations

from indexer.language import Language

MESSAGES: dict[str, dict[Language, str]] = {
    "abstain": {"en": "The reports in this corpus do not answer that question.",
                "es": "Los informes de este corpus no responden a esa pregunta."},
    "nearest_hint": {"en": " The nearest passages are listed below, in case they help.",
                     "es": " Debajo están los pasajes más cercanos, por si sirven (en inglés, como en los informes)."},
    "never_mention": {"en": "They never mention {names}.", "es": "Nunca mencionan {names}."},
    "or": {"en": "or", "es": "o"},
    "later_year": {"en": "The newest of them was published in {newest}, so they cannot say what happened in {year}.",
                   "es": "El más reciente se publicó en {newest}, así que no pueden decir qué pasó en {year}."},
    "count_missing": {"en": "None of the passages nearest the question gives a number of {things}.",
                      "es": "Ninguno de los pasajes más cercanos a la pregunta da una cifra de {things}."},
    "amount_missing": {"en": "None of the passages nearest the question gives an amount of money.",
                       "es": "Ninguno de los pasajes más cercanos a la pregunta da una cantidad de dinero."},
    "sources": {"en": "Sources", "es": "Fuentes"},
    "nearest": {"en": "Nearest passages", "es": "Pasajes más cercanos"},
    "no_answer_nearest": {"en": "No answer in the reports. Nearest passages:",
                          "es": "Los informes no responden. Pasajes más cercanos:"},
    "show_quote": {"en": "Show the quote on {pages}", "es": "Ver la cita en {pages}"},
    "open_pdf": {"en": "Open PDF at {pages}", "es": "Abrir el PDF en {pages}"},
    "copy_citation": {"en": "Copy citation", "es": "Copiar la cita"},
    "copied": {"en": "Copied", "es": "Copiada"},
    "leans_on_nothing": {
        "en": "This question seems to follow an earlier one (\"that\", \"they\"), but there is none before it, "
              "so it was read on its own. Name what it is about, or ask it in a conversation.",
        "es": "Esta pregunta parece seguir a otra anterior (\"eso\", \"ellos\"), pero no hay ninguna antes, "
              "así que se leyó sola. Diga de qué trata, o hágala dentro de una conversación."},
    "no_multilingual": {
        "en": "This index has no multilingual vectors, so a question not in English is matched poorly. "
              "Rebuild it: python -m indexer build",
        "es": "Este índice no tiene vectores multilingües: una pregunta en español se busca mal. "
              "Reconstrúyalo con: python -m indexer build"},
}


def say(key: str, lang: Language = "en", **values: object) -> str:
    """The message `key` in the language, with its values filled in."""
    return MESSAGES[key][lang].format(**values)


def listing(items: list[str], lang: Language = "en") -> str:
    """“a”, “b” or “c”."""
    quoted = [f"“{t}”" for t in items]
    return ", ".join(quoted[:-1]) + f" {say('or', lang)} " + quoted[-1] if len(quoted) > 1 else quoted[0]
