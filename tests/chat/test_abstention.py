"""The abstention checks that name what the reports lack."""

from chat.abstention import ANSWERABILITY_FEATURES, assess, counts
from chat.evidence import Candidate, TermWeights
from chat.question import _in_words, counted_things, later_year, unknown_names
from chat.names import SentenceTerms, multiword_names
from chat.reading import Reading
from indexer.lexical import tokenize
from indexer.models import Sentence


def test_how_many_questions_name_what_is_counted():
    assert counted_things("How many National Guard troops did Mexico deploy?") == "National Guard troops"
    assert counted_things("How many vehicles cross the border every day?") == "vehicles cross"  # verbs are not told apart
    assert counted_things("How much did trade grow?") is None
    assert counted_things("What does COMEXI propose?") is None
    # the same in Spanish, up to the first function word but for a complement after "de", which
    # English puts before the noun ("solicitudes de asilo": "asylum applications"), unless it names a
    # place or a name, which says whose ("cónsules de México")
    assert counted_things("¿Cuántas solicitudes de asilo ha recibido México?") == "solicitudes asilo"
    assert counted_things("¿Cuántos casos de la enfermedad hubo?") == "casos enfermedad"
    assert counted_things("¿Cuántas tropas de la Guardia Nacional desplegó México en 2019?") == "tropas"
    assert counted_things("¿Cuántos cónsules de México trabajan allí?") == "cónsules"
    assert counted_things("¿Cuántos de los migrantes llegaron?") is None
    assert counted_things("¿Cuántos americanos murieron por sobredosis?") == "americanos murieron"
    # each language ends the phrase at its own function words: "El Paso" is a name in English
    assert counted_things("How many El Paso residents cross daily?") == "El Paso residents cross"


def test_what_a_spanish_question_counts_is_read_in_the_words_its_lookup_gave():
    looked_up = [("estadounidenses", "americans"), ("murieron", "died"), ("sobredosis", "overdose")]
    assert _in_words("estadounidenses murieron.", looked_up) == tokenize("americans died")
    assert _in_words("“Dreamers” hay", [("Dreamers", "dreamers")]) == tokenize("dreamers")
    assert _in_words("National Guard troops", None) == tokenize("National Guard troops")


def test_a_number_must_stand_next_to_what_is_counted():
    assert counts("About 300,000 vehicles cross every day.", tokenize("vehicles"))
    assert counts("It deployed some six thousand troops.", tokenize("National Guard troops"))
    assert counts("Far from the 2,000-mile wall he promised.", tokenize("miles"))
    assert not counts("In 2019 Mexico sent the National Guard to its southern border.", tokenize("National Guard troops"))
    assert not counts("Troops were deployed along the border, which is long and porous, in 2019 and 5 states.",
                      tokenize("troops"))


def test_only_outcomes_after_the_newest_report_are_out_of_reach():
    assert later_year("What came out of the 2026 review of the USMCA?", 2021) == 2026
    assert later_year("What did the reports expect from the 2026 review?", 2021) is None
    assert later_year("What happened in 2019?", 2021) is None
    assert later_year("What came out of the 2026 review?", None) is None


def test_multiword_names_are_runs_of_capitalised_words():
    assert multiword_names("How did the U.S. Supreme Court's June 2020 ruling affect Mexican Dreamers?") == [
        "Supreme Court", "Mexican Dreamers"]
    assert multiword_names("What is Mexico's Southern Border Program?") == ["Southern Border Program"]
    assert multiword_names("What share of USMCA Article funds went to Pillar II?") == []
    assert multiword_names("What Is The Wilson Center Position On Trade?") == []  # title case names nothing


def test_a_name_is_mentioned_only_where_its_words_stand_together():
    sentences = SentenceTerms(["The court ruled on the case.", "A supreme effort was made.",
                               "Christopher E. Wilson wrote the trade chapter."])
    assert not sentences.mentions("Supreme Court")  # both words occur, never together
    assert sentences.mentions("Christopher Wilson")  # a middle initial between them
    assert sentences.unknown("What did the Supreme Court say about Christopher Wilson?") == ["Supreme Court"]


def test_a_numbered_name_the_reports_never_write_is_unknown_though_both_its_words_occur():
    sentences = SentenceTerms(["In Ronda 1.2, 3 out of 5 blocks were allocated, and 2 in Round 1.",
                               "CNH runs Rounds 1 and 2.", "Articles 303, 308 and 311 and Article 27 apply.",
                               "Talks began on July 12 and grew 2 percent."])
    assert sentences.unknown_identifiers("How many blocks were awarded in Round 4?") == ["Round 4"]
    assert sentences.unknown_identifiers("What was decided in Round 4 and in Article 9?") == ["Round 4", "Article 9"]
    # Written in a list of numbers, or a decimal the reports write after another word ("Ronda 1.2")
    assert sentences.unknown_identifiers("What did Round 2, Article 311 and Round 1.2 give?") == []
    # Nothing tells a name apart: a word the reports lack, a first word, capitals, a date, a year, a share
    for question in ("¿Qué dice el Artículo 9?", "List 3 facts about Round 1.", "WHAT HAPPENED IN ROUND 4?",
                     "What happened after Sept 11 or July 4?", "What did the Round 2019 talks give?",
                     "Did the Round grow 4% or Round 4 percent?"):
        assert sentences.unknown_identifiers(question) == [], question
    assert sentences.unknown_identifiers("What did Round 4 cost?") == ["Round 4"]


def test_a_questions_first_word_is_capitalised_because_it_comes_first():
    sentences = SentenceTerms(["The outlook was published in 2021."])
    assert unknown_names("Summarize the 2021 outlook.", sentences, "en") == []
    assert unknown_names("Tougher rules for cars: what changed?", sentences, "en") == []
    assert unknown_names("Sheinbaum's border policy?", sentences, "en") == ["Sheinbaum's"]  # a possessive names
    assert unknown_names("What did Sheinbaum say in 2024?", sentences, "en") == ["Sheinbaum", "2024"]


def test_a_spanish_question_names_what_is_neither_in_the_reports_nor_a_spanish_word():
    sentences = SentenceTerms(["Washington and Mexico City met in 1994.", "Trade grew."])
    question = "¿Cómo ha manejado la presidenta Claudia Sheinbaum las relaciones con Washington desde 2024?"
    assert unknown_names(question, sentences, "es") == ["Sheinbaum", "2024"]  # in the question's order
    # Spanish words the English text says otherwise, its abbreviations and compounds' Spanish parts
    assert unknown_names("¿Qué dicen la Casa Blanca, la Secretaría de Hacienda y EE. UU. sobre el T-MEC?",
                         sentences, "es") == []
    assert unknown_names("¿Qué dijo Bukele sobre la frontera México-Guatemala?", sentences, "es") == ["Bukele"]
    # in English every capitalised word the reports lack counts
    assert unknown_names("What did the White House say?", sentences, "en") == ["White", "House"]


def test_spanish_words_typed_any_way_are_not_names_the_reports_lack():
    sentences = SentenceTerms(["Shannon O'Neil wrote on trade between Mexico and the U.S.", "Trade grew."])
    for question in ["¿CUAL ES LA SITUACION DE LOS MIGRANTES EN LA FRONTERA?",  # capitals name nothing
                     "¿Qué Dice El Informe Sobre La Inversión?",  # nor title case
                     "Explícame la relación comercial entre México y Estados Unidos.",  # a pronoun joined on
                     "¿Que dice la Camara de Diputados sobre migracion?",  # an accent left out
                     "¿Qué opina Shannon O'Neil de las ONG y de EE UU?"]:  # a name they have; abbreviations
        assert unknown_names(question, sentences, "es") == [], question
    # a name counts once
    assert unknown_names("¿Qué dijo Sheinbaum? ¿Y Sheinbaum en Texas?", sentences, "es") == ["Sheinbaum", "Texas"]


def test_a_topic_names_from_its_first_word():
    assert multiword_names("Border Health Commission", first_word_counts=True) == ["Border Health Commission"]
    assert multiword_names("Border Health Commission") == ["Health Commission"]


def test_every_word_in_one_statement_counts_only_for_words_the_question_itself_used():
    text = "Water shortages along the border worry both governments."
    pool = [Candidate(0, 0, Sentence(text=text, page=1, page_end=1), 0.0, 0.3, coverage=1.0)]
    every_word = ANSWERABILITY_FEATURES.index("every_word")
    weights, sentences = TermWeights([text, "Trade grew."]), SentenceTerms([text, "Trade grew."])
    searched = Reading(question="water", query="water", matched_texts=["water"])
    assert assess(searched, pool, sentences, 2021, weights).features[every_word] == 1.0
    # A looked-up question's words are corpus words of the sentences nearest it: all in one
    # statement by construction, so that says nothing.
    spanish = "¿Quién pintó La noche estrellada?"
    looked_up = Reading(question=spanish, lang="es", query=spanish, matched_texts=[spanish],
                        in_english="water shortages border")
    assert assess(looked_up, pool, sentences, 2021, weights).features[every_word] == 0.0
