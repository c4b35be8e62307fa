"""Reading a question's language, and looking its words up in the corpus's English words."""

import numpy as np

from chat.names import SentenceTerms
from chat.translation import WordTranslator
from indexer.language import language_of


def test_language_is_read_from_function_words():
    assert language_of("¿Qué propone el COMEXI sobre los consulados?") == "es"
    assert language_of("cuántos municipios hay en la franja fronteriza") == "es"
    assert language_of("What does COMEXI propose on consulates?") == "en"
    assert language_of("Kigali") == "en"  # a bare name: the reports' language


def _translator(embedded: list[list[str]]) -> WordTranslator:
    words = ["border", "employment", "migrants"]
    vectors = np.eye(3, dtype=np.float32)
    lookup = {"frontera": [1, 0, 0], "empleos": [0, 0.9, 0.1], "migrantes": [0, 0.2, 0.8]}

    def nearest(texts):
        embedded.append(list(texts))
        return [words[int(np.argmax(vectors @ np.array(lookup[t])))] for t in texts]

    corpus = SentenceTerms(["Wayne's slides count 2,000 migrants at the border.", "Employment grew."])
    return WordTranslator(set(words), corpus, nearest)


def test_unknown_words_become_their_nearest_corpus_word_and_names_stay():
    embedded: list[list[str]] = []
    english = _translator(embedded).english("¿Cuántos empleos y migrantes hay en la frontera según Wayne en 2000?")
    assert english.split() == ["employment", "migrants", "border", "Wayne", "2000"]
    assert embedded == [["empleos", "migrantes", "frontera"]]  # function words and names are not looked up


def test_words_the_corpus_has_are_not_looked_up():
    embedded: list[list[str]] = []
    assert _translator(embedded).english("border employment") == "border employment"
    assert embedded == []
