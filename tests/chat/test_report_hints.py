from chat.report_hints import ReportHints
from indexer.models import ReportMeta

REPORTS = [
    ReportMeta(id="comexi-2017-redefining", title="Redefining the Relationship",
               publisher="Mexican Council on Foreign Relations (COMEXI)", year=2017),
    ReportMeta(id="wilson-2021-rebuilding", title="Re-Building a Complex Partnership: The Outlook",
               publisher="Wilson Center", authors=["Duncan Wood"], year=2021),
]
# Wayne wrote the deck and a chapter of the 2017 volume: his name alone points at both
WITH_WAYNE = REPORTS + [
    ReportMeta(id="wayne-2018-building", title="Building Partnership with Mexico (presentation slides)",
               publisher="Wilson Center", authors=["E. Anthony Wayne"], year=2018),
    ReportMeta(id="wilson-2017-charting", title="Charting a New Course",
               publisher="Wilson Center", authors=["E. Anthony Wayne", "Eric L. Olson"], year=2017),
]


def test_a_question_naming_a_report_points_at_it():
    hints = ReportHints(REPORTS)
    assert hints.scores("Where does COMEXI propose new consulates?") == {"comexi-2017-redefining": 1.0}
    assert hints.scores("What did the 2021 outlook expect?") == {"wilson-2021-rebuilding": 1.0}
    assert hints.scores("What happened in the 2020 election?") == {}


def test_a_publisher_spelled_out_beside_its_acronym_names_the_report_as_the_acronym_does():
    no_acronym = ReportMeta(id="mpi-2019-study", title="A Study", year=2019,
                            publisher="Migration Policy Institute (Washington)")  # a place, not an acronym
    hints = ReportHints(WITH_WAYNE + [no_acronym])
    question = "What does the Mexican Council on Foreign Relations say about foreign direct investment?"
    assert hints.scores(question) == {"comexi-2017-redefining": 1.0}
    # Its words go where they stand together; elsewhere they are the question's topic
    assert hints.without_names(question) == "What does the say about foreign direct investment?"
    # Not a part of the name ("the Mexican Council" may be another), nor a name given without an acronym
    # (in parenthesis, "Washington" is no acronym)
    for question in ("What does the Mexican Council of Foreign Trade recommend?", "What does the Council say?",
                     "What does the Migration Policy Institute recommend?"):
        assert hints.scores(question) == {}, question


def test_a_title_of_several_words_goes_from_the_content_query_where_it_stands_together():
    hints = ReportHints(WITH_WAYNE)
    assert (hints.without_names("What does Charting a New Course say about the new course of trade?")
            == "What does say about the new course of trade?")


def test_the_words_naming_a_report_are_taken_out_of_the_content_query():
    hints = ReportHints(REPORTS)
    assert hints.without_names("Where does COMEXI propose new consulates?") == "Where does propose new consulates?"
    assert hints.without_names("What does Wood's 2021 outlook say on energy?") == "What does say on energy?"
    assert hints.without_names("Which consulates open in 2021?") == "Which consulates open in 2021?"  # an event


def test_a_question_about_the_name_itself_keeps_it():
    assert ReportHints(REPORTS).without_names("What is COMEXI?") == "What is COMEXI?"


def test_the_form_a_title_gives_in_parenthesis_names_the_document():
    hints = ReportHints(WITH_WAYNE)
    for question in ("What does Wayne's deck say on trade?", "¿Qué dicen las láminas de Wayne sobre el comercio?",
                     "What does the slide on opioids show?"):
        scores = hints.scores(question)
        assert max(scores, key=scores.get) == "wayne-2018-building" and scores.get("wilson-2017-charting", 0) < 1, question
    assert set(hints.scores("What does Wayne write on trade?")) == {"wayne-2018-building", "wilson-2017-charting"}


def test_a_year_after_a_name_the_reports_go_by_dates_a_document_as_a_citation_does():
    hints = ReportHints(WITH_WAYNE)
    for question in ("border length according to COMEXI, Wayne 2018 and the 2021 outlook",
                     "Which year does Wayne (2018) give?"):
        scores = hints.scores(question)
        assert scores["wayne-2018-building"] > scores.get("wilson-2017-charting", 0), question
    # A year after a word that names no report of that year dates an event
    assert hints.scores("What happened in Mexico 2018?") == {}
    assert set(hints.scores("What does Wood 2017 say on energy?")) == {"wilson-2021-rebuilding"}


def test_a_report_is_singled_out_by_a_name_it_has_alone():
    hints = ReportHints(WITH_WAYNE)
    assert hints.singled_out("What do COMEXI and Olson ask Washington to do?") == ["comexi-2017-redefining",
                                                                                   "wilson-2017-charting"]
    assert hints.singled_out("According to Wayne, how should the talks end?") == []  # two reports share the name


def test_a_year_joined_to_a_dated_one_dates_a_document_too():
    hints = ReportHints(WITH_WAYNE)
    for question in ("How did electricity trade change between the 2017 report and the 2021 one?",
                     "¿Cómo cambió el comercio eléctrico entre el informe de 2018 y el de 2021?",
                     "¿Qué dicen las láminas de 2018 y la perspectiva de 2021 sobre el comercio eléctrico?",
                     "What amounts do the 2018 and 2021 reports cite?"):
        assert "wilson-2021-rebuilding" in hints.scores(question), question
        assert len(hints.scores(question)) >= 2, question
    # Years joined by other words, or joined to no dated year, date events
    assert "comexi-2017-redefining" not in hints.scores("How deadly was 2017 in Mexico, according to Wayne's 2018 slides?")
    assert hints.scores("What happened between 2007 and 2011?") == {}
    # A year is dated where it stands: the same year elsewhere does not pass a date along
    assert "comexi-2017-redefining" not in hints.scores("What did the 2018 deck say happened between 2017 and 2018?")


def test_a_year_a_few_words_after_a_name_of_a_report_of_that_year_dates_it():
    hints = ReportHints(WITH_WAYNE)
    scores = hints.scores("¿Qué dice el capítulo de salud del Wilson Center de 2021?")
    assert scores["wilson-2021-rebuilding"] > scores.get("wilson-2017-charting", 0)
    # "of" the year after the document's topic, as Spanish says it: "the 2021 security chapter"
    for question in ("¿Qué dice el capítulo de seguridad de 2021?", "¿Qué dice el capítulo económico de 2021?",
                     "¿Qué dice el capítulo de salud pública de 2021?"):
        assert "wilson-2021-rebuilding" in hints.scores(question), question
    for question in ("¿Qué dice el informe sobre la elección de 2018?", "¿Qué dice el informe sobre elecciones de 2018?",
                     "What does the analysis of crisis of 2008 say?"):
        assert hints.scores(question) == {}, question  # the year of an event
    # Other words between them: the year dates an event
    assert "comexi-2017-redefining" not in hints.scores("What did Olson say about 2017 homicides?")


def test_sources_joined_in_a_question_are_asked_about_together():
    hints = ReportHints(WITH_WAYNE)
    assert hints.joined("What did COMEXI and Wayne warn before the USMCA?") == [
        "comexi-2017-redefining", "wayne-2018-building", "wilson-2017-charting"]
    # Names joined by other words, or naming the same report, are not two sources
    assert hints.joined("What does the Wilson Center slide in Wayne's deck suggest?") == []
    assert hints.joined("What did Wayne and Olson write in 2017?") == []
    assert hints.joined("What does COMEXI propose on trade?") == []
    assert hints.joined("¿Qué le recomendó COMEXI a Wayne?") == []  # "a" joins years only ("de 2017 a 2021")
    assert hints.joined("Was it COMEXI? Or Wayne?") == []
    assert hints.joined("What did the Wilson Center and COMEXI warn?") == [
        "comexi-2017-redefining", "wilson-2021-rebuilding", "wilson-2017-charting"]


def test_the_word_for_a_document_goes_with_the_year_that_dates_it():
    hints = ReportHints(WITH_WAYNE)
    assert hints.without_names("What did the 2021 outlook say should happen to the entrepreneurship council?") == (
        "What did the say should happen to the entrepreneurship council?")
    assert hints.without_names("¿Qué dice el informe de 2018 sobre el comercio eléctrico?") == (
        "¿Qué dice el de sobre el comercio eléctrico?")
    # Not the same word elsewhere in the question
    assert "outlook" in hints.without_names("What is the 2018 deck's outlook for energy investment?")
