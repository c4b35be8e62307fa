"""Reading a question's language, and looking its words up in the corpus's English words."""

import numpy as np

from chat.lexicon import is_spanish_word
from chat.names import SentenceTerms
from chat.translation import WordTranslator
from indexer.multilingual import english_usage, spanish_names
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

    def nearest(texts, context):
        embedded.append(list(texts))
        return [words[int(np.argmax(vectors @ np.array(lookup[t])))] for t in texts]

    corpus = SentenceTerms(["Wayne's slides count 2,000 migrants at the border.", "Employment grew."])
    return WordTranslator(set(words), corpus, nearest)


def test_unknown_words_become_their_nearest_corpus_word_and_names_stay():
    embedded: list[list[str]] = []
    english = _translator(embedded).english("¿Cuántos empleos y migrantes hay en la frontera según Wayne en 2000?")
    assert english.split() == ["employment", "migrants", "border", "Wayne", "2000"]
    assert embedded == [["empleos", "migrantes", "frontera"]]  # function words and names are not looked up


def test_each_word_is_paired_with_what_it_was_looked_up_as():
    pairs = _translator([]).word_pairs("¿Cuántos migrantes hay en la frontera según Wayne?")
    assert pairs == [("migrantes", "migrants"), ("frontera", "border"), ("Wayne", "Wayne")]


def test_words_the_corpus_has_are_not_looked_up():
    embedded: list[list[str]] = []
    assert _translator(embedded).english("border employment") == "border employment"
    assert embedded == []


def test_a_word_the_reports_only_write_in_a_spanish_name_is_looked_up():
    sentences = ["The Programa Frontera Norte funds clinics.", "Each day many Mexicans cross the border.",
                 "He advised Reforma and other newspapers."]
    used = english_usage(sentences)
    assert {"border", "mexicans", "reforma", "funds"} <= used  # lower case, or a name between lower-case words
    assert "frontera" not in used and "programa" not in used
    embedded: list[list[str]] = []
    words = ["border", "employment", "migrants", "frontera"]
    corpus = SentenceTerms(sentences)
    translator = WordTranslator(set(words), corpus, lambda texts, context: embedded.append(texts) or ["border"] * len(texts),
                                english=used | {"employment", "migrants"})
    assert translator.english("la frontera") == "border"
    assert embedded == [["frontera"]]


def test_a_capitalised_word_the_reports_have_only_in_spanish_names_is_looked_up_not_kept_as_a_name():
    sentences = ["He spoke at the Embajada de los Estados Unidos de América.",
                 "The United States and Mexico share a border.", "Wayne's slides count migrants."]
    spanish = spanish_names(sentences)
    assert {"estados", "unidos"} <= spanish
    looked_up: list[list[str]] = []
    nearest = {"estados": "states", "unidos": "united", "frontera": "border"}
    translator = WordTranslator({"states", "united", "border", "mexico"}, SentenceTerms(sentences),
                                lambda texts, context: looked_up.append(texts) or [nearest[t] for t in texts],
                                english={"states", "united", "border", "mexico"}, spanish=spanish)
    # A compound is split where a part is such a word; a name the reports use in English stays.
    assert translator.english("la frontera México-Estados Unidos según Wayne").split()[-4:] == [
        "México", "states", "united", "Wayne"]
    assert looked_up == [["frontera", "estados", "unidos"]]


def test_a_keyword_search_is_spanish_by_an_accent_or_a_word_the_reports_only_have_in_spanish():
    english = {"border", "security", "energy", "reform", "initiative"}
    spanish_only = {"seguridad", "frontera"}
    assert language_of("seguridad fronteriza", english, spanish_only) == "es"
    assert language_of("reforma energética", english, spanish_only) == "es"
    assert language_of("border security", english, spanish_only) == "en"
    assert language_of("cricket", english, spanish_only) == "en"  # a word the reports lack is no sign
    assert language_of("Mérida Initiative", english | {"mérida"}, spanish_only) == "en"


def test_a_keyword_search_made_mostly_of_spanish_dictionary_words_is_spanish():
    english = {"border", "exports", "trade", "daily", "figure"}
    assert language_of("cruces fronterizos diarios cifra", english, (), is_spanish_word) == "es"
    assert language_of("remesas familiares", english, (), is_spanish_word) == "es"
    assert language_of("remesas familiares", english) == "en"  # without the dictionary, nothing shows it
    assert language_of("rugby", english, (), is_spanish_word) == "en"  # one word: a Spanish form says too little
    assert language_of("avocado exports", english, (), is_spanish_word) == "en"  # a Spanish form, not most of it
    assert language_of("cricket", english, (), is_spanish_word) == "en"
    assert language_of("border trade", english, (), is_spanish_word) == "en"


def test_the_words_of_a_quoted_spanish_name_are_spanish_and_an_english_name_is_not():
    sentences = ["The Secretaría de Seguridad published it.", "The Quadrennial Energy Review calls for it."]
    assert spanish_names(sentences) == {"secretaría", "seguridad"}


def test_a_spanish_abbreviation_becomes_the_english_one_without_a_lookup():
    embedded: list[list[str]] = []
    english = _translator(embedded).english("¿Cuántos migrantes hay en la frontera de EE.UU. según el PIB?")
    assert english.split() == ["migrants", "border", "U.S.", "GDP"]
    assert embedded == [["migrantes", "frontera"]]
    assert _translator([]).english("¿Migrantes en EE. UU.?").split() == ["migrants", "U.S."]  # spaced, as the press writes it
    assert _translator([]).english("¿Migrantes en EE UU?").split() == ["migrants", "U.S."]  # or without the dots
    assert _translator([]).english("¿Y las ONGs y el ACNUR?").split() == ["NGOs", "UNHCR"]


def test_a_money_word_is_read_as_its_english_not_looked_up():
    embedded: list[list[str]] = []
    english = _translator(embedded).english("¿Cuánto cuesta la frontera y cuánto gastó?")
    assert english.split() == ["cost", "border", "spending"]
    assert embedded == [["frontera"]]


def test_words_for_the_reports_themselves_are_not_looked_up():
    # As English "reports" is a stopword: "informes" had become "inform", and pulled in sentences on informing.
    embedded: list[list[str]] = []
    assert _translator(embedded).english("¿Qué dicen los informes sobre la frontera?") == "border"
    assert _translator(embedded).english("según el reporte, ¿y la frontera?") == "border"
    assert embedded == [["frontera"], ["frontera"]]


def test_function_words_pointing_back_are_not_looked_up():
    embedded: list[list[str]] = []
    assert _translator(embedded).english("Entonces, ¿qué hay de eso en la frontera?") == "border"
    assert embedded == [["frontera"]]


def test_a_persons_name_the_reports_write_in_spanish_text_stays_a_name():
    # the reports have "Wayne" and "Frontera" only in Spanish: a Spanish sentence, a Spanish name
    sentences = ["Earl Anthony Wayne, embajador en México, visitó la frontera.",
                 "The Programa Frontera Norte study was edited by Wayne.", "Many Mexicans cross the border."]
    embedded: list[list[str]] = []
    translator = WordTranslator({"border"}, SentenceTerms(sentences),
                                lambda texts, context: embedded.append(texts) or ["border"] * len(texts),
                                spanish={"wayne", "frontera"})
    assert translator.english("¿Qué propone Wayne sobre la Frontera?") == "Wayne border"
    assert embedded == [["frontera"]]  # "Frontera" is a Spanish word, "Wayne" is not


def test_a_name_the_reports_lack_stays_itself_and_capitals_alone_make_no_name():
    embedded: list[list[str]] = []
    assert _translator(embedded).english("¿Y Sheinbaum en la frontera?") == "Sheinbaum border"
    assert embedded == [["frontera"]]  # not looked up as some word near it in spelling
    assert _translator([]).english("¿CUÁNTOS MIGRANTES HAY EN LA FRONTERA?") == "migrants border"
