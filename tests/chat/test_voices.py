"""Who speaks in a report, from its opening pages, and a question naming a report by its speakers."""

from chat.report_hints import ReportHints
from chat.voices import report_voices, speaker_terms
from indexer.models import ReportMeta

REPORTS = [
    ReportMeta(id="convocation-2020", title="Convocation: A Vision", publisher="Foundation", year=2020),
    ReportMeta(id="volume-2017", title="Charting a New Course", publisher="Wilson Center",
               authors=["Eric L. Olson"], year=2017),
]
SENTENCES = [
    ("convocation-2020", 2, "The foundation brought together 12 former ambassadors and experts."),
    ("convocation-2020", 3, "The ambassadors agreed on three recommendations, as the authors note."),
    ("convocation-2020", 9, "The ambassadors warn that migration needs a framework."),
    ("convocation-2020", 12, "Experts and ambassadors met again."),
    ("volume-2017", 1, "The authors are scholars and experts; our authors thank the experts."),
    ("volume-2017", 20, "Former U.S. Ambassador Wayne writes on trade, with the authors and experts."),
]


def test_a_report_speaks_with_the_plural_nouns_of_its_opening_pages_that_the_others_hardly_use():
    voices = report_voices(SENTENCES)
    assert voices["convocation-2020"] == {"ambassador"}  # 4 of its 4 uses; "Ambassador Wayne" is a name
    assert "expert" not in voices.get("volume-2017", set())  # both reports say "experts"
    assert "author" not in voices.get("volume-2017", set())  # every report has authors


def test_the_speaker_of_a_question_is_the_subject_of_a_verb_of_saying_or_wanting():
    assert speaker_terms("How do the former ambassadors judge Mexico's migration controls?") == {"former", "ambassador"}
    assert speaker_terms("Which year did the border reopen, according to Olson?") == {"olson"}
    assert speaker_terms("When did Wayne serve as ambassador in Mexico City?") == set()


def test_a_question_asking_a_reports_speakers_names_the_report():
    hints = ReportHints(REPORTS, report_voices(SENTENCES))
    assert hints.scores("How do the former ambassadors judge Mexico's migration controls?") == {"convocation-2020": 1.0}
    assert hints.without_names("What do the ambassadors recommend on migration?") == "What do the recommend on migration?"
    # As a topic, the word names nothing; beside a report's own name, that name decides
    assert hints.scores("When did Wayne serve as an ambassador?") == {}
    assert hints.scores("What do the ambassadors say in Olson's 2017 volume?") == {"volume-2017": 1.0}
