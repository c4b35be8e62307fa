"""Spanish questions over the English reports, end to end: the real PDFs, MiniLM and multilingual-e5."""

import re
from functools import lru_cache

import numpy as np
import pytest

from chat.engine import InvalidQuestion

from chat.presentation import chat_markdown, source_cards_html
from chat.sections import SectionLabels
from evals.fitting import collect, fit_scale
from evals.matching import holds_quote
from evals.questions import Question
from indexer.language import language_of
from indexer.lexical import tokenize
from indexer import load_index
from indexer.multilingual import UNMATCHED_KINDS
from indexer.pdf_reader import load_pages
from tests.conftest import CORPUS

pytestmark = pytest.mark.real_corpus


@lru_cache(maxsize=None)
def _pages(doc: str) -> list[str]:
    return [p.text for p in load_pages(CORPUS / f"{doc}.pdf")]


def test_every_matched_sentence_has_a_multilingual_vector(real_index):
    index = load_index(real_index)
    kinds = [s.kind for c in index.chunks for s in c.sentences]
    sentences, words = index.multilingual_vectors()
    norms = (sentences ** 2).sum(axis=1)
    assert index.manifest.multilingual_model and len(norms) == len(kinds)
    assert all((abs(n - 1) < 1e-3) == (k not in UNMATCHED_KINDS) for n, k in zip(norms, kinds))
    assert len(index.manifest.multilingual_words) == len(words) > 1000


@pytest.mark.parametrize("spanish, english", [
    ("¿Qué propone el COMEXI sobre los consulados mexicanos en Estados Unidos?",
     "What does COMEXI propose about Mexican consulates in the United States?"),
    ("¿Qué se dice sobre el cambio climático y la energía limpia en América del Norte?",
     "What is said about climate change and clean energy in North America?"),
])
def test_a_spanish_question_finds_what_its_english_twin_finds(real_engine, spanish, english):
    spanish, english = real_engine.ask(spanish), real_engine.ask(english)
    assert spanish.reading.lang == "es" and english.reading.lang == "en"
    top = lambda a: {(p.doc, p.page) for p in a.retrieved[:5]}  # noqa: E731
    assert top(spanish) & top(english)
    assert not spanish.abstained
    assert "**Fuentes**" in chat_markdown(spanish)  # the answer's own words follow the question...
    assert "Ver la cita en" in source_cards_html(spanish, SectionLabels([]))
    for c in spanish.citations:  # ...the quotes stay the reports' English, each on its page
        assert language_of(c.text) == "en"
        pages = _pages(c.doc)[c.page - 1:(c.page_end or c.page)]
        assert holds_quote(c.text, " ".join(pages)), c.text[:80]


def test_a_spanish_question_off_the_reports_is_abstained_in_spanish(real_engine):
    answer = real_engine.ask("¿Cuál es la mejor receta de paella valenciana?")
    assert answer.abstained
    assert answer.text.startswith("Los informes de este corpus no responden")
    assert re.search(r"pasajes más cercanos", answer.text)


def test_a_spanish_question_about_someone_the_reports_never_mention_is_abstained_naming_them(real_engine):
    question = "¿Cómo ha manejado la presidenta Claudia Sheinbaum las relaciones con Washington?"
    assert real_engine.read(question, []).unknown_names == ["Sheinbaum"]  # "Washington" is in the reports
    answer = real_engine.ask(question)
    assert answer.abstained and "Sheinbaum" in answer.text
    # Spanish words the English reports say otherwise are not names they lack
    assert real_engine.read("¿Qué dicen los informes sobre la Casa Blanca y la Secretaría de Hacienda?",
                            []).unknown_names == []


def test_a_spanish_question_reads_its_words_in_english(real_engine):
    reading = real_engine.read("¿Cuántos migrantes indocumentados viven en la frontera?", [])
    assert reading.figure == "count"
    assert {"migrants", "undocumented"} <= set(reading.in_english.split())


def test_what_a_spanish_question_counts_or_prices_is_read_as_in_english(real_engine):
    reading = real_engine.read("¿Cuántos migrantes indocumentados viven en la frontera?", [])
    assert reading.counted == "migrantes indocumentados viven"  # as asked, for the abstention's message
    # the count check looks for a number beside these words in the English sentences
    assert set(tokenize("migrants undocumented")) <= set(reading.counted_terms) <= set(tokenize(reading.in_english))
    assert real_engine.read("¿Cuál es el costo estimado de la refinería de Dos Bocas?", []).figure == "amount"


def test_a_word_is_looked_up_in_the_light_of_the_question(real_engine):
    # Alone, "superávit" is nearest "superpower", "muro" "rule", "perderían" a Spanish "perdido";
    # among the words of the sentences nearest the question they are what it means.
    assert "surplus" in real_engine.read("¿Tiene México un superávit comercial con Estados Unidos?", []).in_english.split()
    assert "wall" in real_engine.read("¿Cuánto cuesta el muro fronterizo?", []).in_english.split()
    assert "lost" in real_engine.read("¿Cuántos empleos se perderían con los aranceles al acero?", []).in_english.split()


def test_a_spanish_question_with_no_word_to_match_is_not_answered(real_engine):
    assert real_engine.ask("¿Qué?").abstained
    with pytest.raises(InvalidQuestion, match="no words"):  # no word at all: an error, as an empty question
        real_engine.ask("¿?")


def test_a_spanish_question_on_what_was_proposed_for_a_later_year_is_read_as_forward_looking(real_engine):
    assert real_engine.read("¿Qué proponen los informes para 2030?", []).later_year is None
    assert real_engine.read("¿Cuántos migrantes cruzaron la frontera en 2030?", []).later_year == 2030


# Questions written for this test (not dev's), each with its Spanish translation.
TWINS = {
    "t-1": ("What does the 2021 outlook say about remittances to Mexico?",
            "¿Qué dice el informe de 2021 sobre las remesas a México?"),
    "t-2": ("How do the reports describe cooperation on water along the border?",
            "¿Cómo describen los informes la cooperación sobre el agua en la frontera?"),
    "t-3": ("What role do consulates play in protecting Mexican migrants?",
            "¿Qué papel tienen los consulados en la protección de los migrantes mexicanos?"),
    "t-4": ("Why does energy integration matter for North America?",
            "¿Por qué importa la integración energética para América del Norte?"),
    "t-5": ("What is said about security cooperation under the Mérida Initiative?",
            "¿Qué se dice sobre la cooperación en seguridad en la Iniciativa Mérida?"),
    "t-6": ("How much trade crosses the border every day?", "¿Cuánto comercio cruza la frontera cada día?"),
}


def test_the_multilingual_scale_fitted_on_translations_puts_a_spanish_question_where_its_english_twin_is(real_engine):
    examples = collect(real_engine, [Question(id=i, question=en) for i, (en, _) in TWINS.items()], progress=False)
    same = fit_scale(real_engine, examples)
    translated = fit_scale(real_engine, examples, translations={i: es for i, (_, es) in TWINS.items()})
    assert translated.provenance["translated"] and not same.provenance["translated"]
    english_best = {e.question.id: max(c.support for c in e.seen.pool) for e in examples}
    shipped = real_engine.models

    def gap(scale) -> float:  # how far below its English twin's best support a Spanish question's falls
        real_engine.models = shipped.model_copy(update={"multilingual_scale": scale})
        try:
            spanish_best = {i: max(c.support for c in real_engine.examine(es, []).pool) for i, (_, es) in TWINS.items()}
        finally:
            real_engine.models = shipped
        return float(np.mean([english_best[i] - spanish_best[i] for i in TWINS]))

    before = gap(same)
    assert before > 0.08  # fitted on English questions, a Spanish one looks far weaker than it is
    assert abs(gap(translated)) < before / 2


@pytest.mark.parametrize("question", [
    "How do the former ambassadors judge Mexico's efforts to control migration at its southern border?",
    "¿Cómo juzgan los exembajadores los esfuerzos de México para controlar la migración en su frontera sur?",
])
def test_a_question_asking_what_the_former_ambassadors_think_is_answered_from_their_convocation(real_engine, question):
    # The convocation's catalog entry names two institutions; its text says who speaks in it
    answer = real_engine.ask(question)
    assert answer.reading.named_reports == {"usmf-wilson-2020-convocation": 1.0}
    assert answer.retrieved[0].doc == "usmf-wilson-2020-convocation"
    assert answer.citations and answer.citations[0].doc == "usmf-wilson-2020-convocation"
