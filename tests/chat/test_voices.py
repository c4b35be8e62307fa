"""Who speaks in a report, read from the report itself, and a question naming a report by its speakers."""

from chat.report_hints import ReportHints
from chat.voices import ReportSentence, report_voices, spanish_speakers, speaker_terms
from indexer.models import ReportMeta

REPORTS = [
    ReportMeta(id="convocation-2020", title="Convocation: A Vision", publisher="Foundation", year=2020),
    ReportMeta(id="volume-2017", title="Charting a New Course", publisher="Wilson Center",
               authors=["Eric L. Olson"], year=2017),
]
SENTENCES = [ReportSentence(*s) for s in [
    ("convocation-2020", 2, "The foundation brought together 12 former ambassadors and experts."),
    ("convocation-2020", 3, "The ambassadors agreed on three recommendations."),
    ("convocation-2020", 9, "The ambassadors warned that migration needs a framework."),
    ("convocation-2020", 12, "Experts met the ambassadors again."),
    ("volume-2017", 1, "The authors thanked the experts; the authors wrote it in six weeks."),
    ("volume-2017", 2, "The authors described the weeks after the election. Two weeks passed."),
    ("volume-2017", 20, "The scholars proposed a plan. The scholars disagreed. The scholars voted."),
]]


def test_a_report_speaks_with_a_plural_noun_of_its_opening_pages_that_it_has_act_and_the_others_hardly_use():
    voices = report_voices(SENTENCES)
    assert voices["convocation-2020"] == {"ambassador"}
    # The volume's "authors" act and are its own, but every report has authors; its "weeks" do not
    # act; its "scholars" act only after its opening pages; both reports say "experts"
    assert "volume-2017" not in voices


def test_a_sentence_repeated_in_overlapping_passages_counts_once():
    repeated = [ReportSentence("volume-2017", 30, "The ambassadors agreed.")] * 3
    assert report_voices(SENTENCES + repeated) == {"convocation-2020": {"ambassador"}}  # 4 of 5 uses
    distinct = [ReportSentence("volume-2017", page, "The ambassadors agreed.") for page in (30, 31, 32)]
    assert report_voices(SENTENCES + distinct) == {}  # 4 of 7


def test_the_speaker_of_a_question_is_the_subject_of_a_verb_of_saying_or_wanting():
    assert speaker_terms("How do the former ambassadors judge Mexico's migration controls?") == {"ambassador"}
    assert speaker_terms("Which year did the border reopen, according to the ambassadors?") == {"ambassador"}
    assert speaker_terms("When did Wayne serve as ambassador in Mexico City?") == set()
    assert speaker_terms("What does the former ambassador Jacobson think of it?") == set()  # one person
    assert speaker_terms("What would the coming weeks mean for trade?") == set()  # not a verb of saying


def test_a_question_asking_a_reports_speakers_names_the_report():
    hints = ReportHints(REPORTS, report_voices(SENTENCES))
    assert hints.scores("How do the former ambassadors judge Mexico's migration controls?") == {"convocation-2020": 1.0}
    assert hints.without_names("What do the ambassadors recommend on migration?") == "What do the recommend on migration?"
    # As a topic, the word names nothing; beside a report's own name, that name decides
    assert hints.scores("When did Wayne serve as an ambassador?") == {}
    assert hints.scores("What do the ambassadors say in Olson's 2017 volume?") == {"volume-2017": 1.0}


def test_a_spanish_question_s_speakers_are_its_plural_nouns_before_or_after_a_verb_of_saying():
    assert spanish_speakers("¿Qué recomiendan los exembajadores sobre la migración?") == ["exembajadores"]
    assert spanish_speakers("¿Cómo juzgan los exembajadores los esfuerzos de México?") == ["exembajadores"]
    assert spanish_speakers("Según los exembajadores, ¿qué falta?") == ["exembajadores"]
    assert spanish_speakers("¿Qué exembajadores participaron en la Convocatoria?") == []  # a topic
    assert spanish_speakers("¿Cuántos embajadores hay en México?") == []


def test_speakers_looked_up_in_english_name_the_report_that_speaks_with_them():
    hints = ReportHints(REPORTS, report_voices(SENTENCES))
    assert hints.voiced(["ambassador"]) == {"convocation-2020": 1.0}
    assert hints.voiced(["expert", "author"]) == {}
