import numpy as np
import pytest

from chat.engine import InvalidQuestion
from chat.models import Filters, Turn
from chat.query import followed_question, is_followup, retrieval_query
from chat.retrieval import UnknownFilter, interleave_reports
from indexer.pdf_reader import load_pages
from evals.matching import words_on_page
from tests.chat.conftest import fake_engine, one_page_engine
from tests.pdfs import make_pdf


def test_answer_quotes_the_supporting_sentence_with_report_and_page(engine, small_corpus):
    answer = engine.ask("How many vehicles cross the border every day?")
    assert not answer.abstained
    assert "300,000 vehicles" in answer.text
    cited = next(c for c in answer.citations if "300,000" in c.text)
    assert (cited.doc, cited.title, cited.year, cited.page) == ("trade-2019-outlook", "Trade Outlook", 2019, 2)
    assert f"[{cited.n}]" in answer.text
    page_text = load_pages(small_corpus / "trade-2019-outlook.pdf")[cited.page - 1].text
    assert words_on_page(cited.text, page_text)


def test_every_marker_points_to_a_citation(engine):
    answer = engine.ask("What does the report say about asylum claims and the UNHCR?")
    numbers = {c.n for c in answer.citations}
    assert numbers and all(f"[{n}]" in answer.text for n in numbers)


def test_question_naming_something_absent_is_abstained_with_nearest_passages(engine):
    answer = engine.ask("What did Sheinbaum say about natural gas?")
    assert answer.abstained
    assert "Sheinbaum" in answer.text
    assert answer.citations == []
    assert answer.retrieved


def test_question_naming_something_whose_words_never_stand_together_is_abstained(engine):
    answer = engine.ask("Which Manufacturing Council trains technicians?")  # "manufacturing", "council" apart
    assert answer.abstained
    assert "They never mention “Manufacturing Council”" in answer.text
    assert not engine.ask("What would the Workforce Council train?").abstained


def test_filters_restrict_reports_and_years(engine):
    only_2021 = engine.ask("natural gas exports and migration", filters=Filters(year_from=2021))
    assert {p.doc for p in only_2021.retrieved} == {"migration-2021-review"}
    by_report = engine.ask("migration", filters=Filters(reports=["trade-2019-outlook"]))
    assert {p.doc for p in by_report.retrieved} == {"trade-2019-outlook"}
    by_publisher = engine.ask("migration", filters=Filters(publisher="institute"))
    assert {p.doc for p in by_publisher.retrieved} == {"trade-2019-outlook"}


def test_unknown_filter_value_is_a_clear_error(engine):
    with pytest.raises(UnknownFilter, match="known: migration-2021-review, trade-2019-outlook"):
        engine.ask("migration", filters=Filters(reports=["no-such-report"]))
    # Filters each valid that no report passes together: said, not an abstention with nothing near.
    with pytest.raises(UnknownFilter, match="no report passes these filters .the reports are from 2019–2021"):
        engine.ask("migration", filters=Filters(year_from=2030))


def test_a_question_pointing_back_at_nothing_is_read_on_its_own_with_a_notice(engine):
    alone = engine.ask("And what fuels the violence there?")
    assert "seems to follow an earlier one" in alone.notice and alone.reading.leans_on_nothing
    history = [Turn(role="user", content="What does the Merida Initiative provide?"),
               Turn(role="assistant", content="Equipment and training rather than cash [1].")]
    assert "seems to follow" not in engine.ask("And what fuels the violence there?", history=history).notice
    assert "seems to follow" not in engine.ask("What about natural gas exports?").notice  # names its topic


@pytest.mark.parametrize("question, message", [("   ", "empty"), ("?!?!...,,;;", "no words"),
                                               ("x" * 2001, "2000 characters")])
def test_bad_questions_get_messages(engine, question, message):
    with pytest.raises(InvalidQuestion, match=message):
        engine.ask(question)


def test_followup_uses_the_conversation_for_retrieval(engine):
    history = [Turn(role="user", content="What does the Merida Initiative provide?"),
               Turn(role="assistant", content="Equipment and training rather than cash [1].")]
    answer = engine.ask("And what fuels the violence there?", history=history)
    assert "Merida" in answer.retrieval_query and "[1]" not in answer.retrieval_query
    assert any("Firearms trafficking" in c.text for c in answer.citations)


def test_standalone_question_ignores_history():
    history = [Turn(role="user", content="Tell me about energy.")]
    question = "How many Mexicans live in the United States according to the migration chapter of 2021?"
    assert retrieval_query(question, history) == question
    assert followed_question(question, history) is None


@pytest.mark.parametrize("question", [
    "Who wrote that chapter?", "What about energy?", "And in 2021?",
    "What did they want the two governments to do once the next president took office?",
    "What did Mexico's government answer to that proposal?",
])
def test_questions_leaning_on_the_conversation_are_followups(question):
    assert is_followup(question)


# The same cues in Spanish, which often drops the pronoun ("¿Cómo lograron abrirlo?" has no "they").
@pytest.mark.parametrize("question", [
    "¿Quién escribió ese capítulo?", "¿Y en 2021?", "¿Qué causó esa disminución?", "¿Qué lo está frenando?",
    "Entonces, ¿cómo lograron finalmente abrirlo?", "¿Qué recomendaron los exembajadores al respecto en 2020?",
    "¿Cuánto vale el último?", "¿Qué hay del petróleo?", "En cuanto al comercio, ¿qué cambió?", "¿Eso cuándo pasó?",
    "¿Que mas dice?",  # typed without its accents
])
def test_spanish_questions_leaning_on_the_conversation_are_followups(question):
    assert is_followup(question)


@pytest.mark.parametrize("question", [
    "How much did the Trump administration spend on the border wall?",
    "¿Cuánto le cuesta la delincuencia a México como porcentaje del PIB?",
    "¿Qué propone COMEXI sobre la reforma energética de México?",
    "¿Qué es lo más importante del T-MEC para México?",  # "lo" the article, not the pronoun
    "¿Cuál es la perspectiva de México sobre la migración?",
    "What share of Mexicans said they were interested in the 2020 U.S. presidential election?",
    "Who chairs the Border Health Commission?",
])
def test_questions_naming_their_own_topic_stand_alone(question):
    assert not is_followup(question)


def test_a_followup_names_the_question_it_follows():
    history = [Turn(role="user", content="What did Biden propose?"), Turn(role="assistant", content="A plan [1].")]
    assert followed_question("How much money is that?", history) == "What did Biden propose?"
    assert followed_question("How much money is that?", []) is None
    assert followed_question("How much did Trump spend on the wall?", history) is None  # short, but its own topic


def test_answer_json_follows_the_results_format(engine):
    data = engine.ask("How many Americans live in Mexico?").model_dump(mode="json")
    assert {"answer", "abstained", "citations", "retrieved", "latency_ms"} <= data.keys()
    assert {"n", "doc", "title", "page", "text"} <= data["citations"][0].keys()
    assert {"doc", "page", "text", "score"} <= data["retrieved"][0].keys()


def test_answer_json_reads_back_into_an_answer(engine):
    from chat.models import Answer

    answer = engine.ask("How many Americans live in Mexico?")
    again = Answer.model_validate(answer.model_dump(mode="json"))
    assert again.text == answer.text and again.citations == answer.citations


def test_question_about_events_after_the_newest_report_is_abstained_with_the_reason(engine):
    answer = engine.ask("How did border crossings change after the 2024 election?")
    assert answer.abstained
    assert "published in 2021" in answer.text and "2024" in answer.text


def test_how_many_question_without_a_matching_figure_is_abstained(engine):
    assert not engine.ask("How many vehicles cross the border every day?").abstained
    answer = engine.ask("How many asylum officers process the claims?")
    assert answer.abstained
    assert "number of asylum officers" in answer.text


def test_a_list_announced_at_the_end_of_a_passage_is_quoted_whole(tmp_path):
    filler = [f"Paragraph {i} describes the general history of the crossing points in some detail." for i in range(14)]
    # The list's opening sentence ends the first passage (about 900 characters); its items start the next.
    lines = ["CUSTOMS", *filler[:10], "The customs reform plan of the two governments proposes three concrete steps:",
             "• Relocate customs inspections inland.", "• Share cargo data in advance.", "• Train joint inspection teams.",
             *filler[10:], "Report 1"]
    engine = one_page_engine(tmp_path, "customs-2020-plan.pdf", lines)
    chunks = engine.index.chunks
    intro = next(i for i, c in enumerate(chunks) if "proposes three concrete steps:" in c.text)
    assert "Train joint inspection teams." not in chunks[intro].text  # the list runs on
    answer = engine.ask("Which concrete steps does the customs reform plan of the two governments propose?")
    for item in ("Relocate customs inspections inland.", "Share cargo data in advance.",
                 "Train joint inspection teams."):
        assert item in answer.text


def test_sentences_that_lean_back_are_quoted_with_what_they_lean_on(tmp_path):
    lines = ["BORDER WALL", "Farmers along the river grow cotton and sorghum on irrigated land.",
             "The Senate bill forbids any federal money for a border barrier.",
             "This same bill sets sanctions against seizures of remittances.",
             "This would send the message that pressure will not work.", "Report 1"]
    answer = one_page_engine(tmp_path, "wall-2017-brief.pdf", lines).ask("What message would pressure send?")
    assert "This would send the message" in answer.text
    assert "The Senate bill forbids any federal money" in answer.text  # two steps back


def test_one_sentence_between_two_quoted_ones_is_quoted_too(tmp_path):
    lines = ["MILITARY COOPERATION", "Expand military cadet exchanges between the two armies.",
             "Create Semester Abroad programs for graduate students.",
             "Hold joint military cadet exercises on both sides of the border each year.", "Report 1"]
    engine = one_page_engine(tmp_path, "army-2017-brief.pdf", lines)
    answer = engine.ask("What military cadet exchanges and exercises are proposed?")
    assert "Expand military cadet exchanges" in answer.text and "Hold joint military cadet" in answer.text
    assert "Create Semester Abroad programs" in answer.text
    assert len(answer.citations) == 1  # one contiguous quote, not two with a hole


def test_a_restated_finding_is_quoted_once(tmp_path):
    lines = ["SUMMARY", "The inauguration of President Biden could open a new chapter in security cooperation.",
             "Farmers along the river grow cotton and sorghum on irrigated land.",
             "SECURITY", "On January 20, 2021, the inauguration of President Biden could open a new chapter in "
             "security cooperation.", "Ports of entry need more inspection lanes.", "Report 1"]
    engine = one_page_engine(tmp_path, "security-2021-outlook.pdf", lines)
    answer = engine.ask("Could the inauguration of President Biden open a new chapter in security cooperation?")
    assert answer.text.count("open a new chapter in security cooperation") == 1


def test_a_byline_counts_as_evidence_when_the_question_asks_who_wrote(engine):
    import numpy as np

    from chat.evidence import SENTENCE_FEATURES, Candidate, candidates
    from indexer.models import Sentence

    index = engine.index
    byline = Sentence(text="By Dana Marsh & Luis Ortega", page=1, page_end=1, kind="byline")
    index.chunks[0].sentences[0] = byline  # scored through the sentence text only: its vector stays

    def byline_match(question: str) -> float:
        reading = engine.read(question, [])
        pool: list[Candidate] = candidates(index, [0], [1.0], engine.views(reading), reading, engine.term_weights,
                                           engine.models.sentence)
        cand = next(c for c in pool if c.sentence.text == byline.text)
        return cand.features[SENTENCE_FEATURES.index("byline_match")]

    assert byline_match("Who wrote the trade chapter?") == 1.0
    assert byline_match("What does the trade chapter cover?") == 0.0


def test_a_sentence_carries_how_close_its_neighbours_in_the_passage_are(engine):
    from chat.evidence import SENTENCE_FEATURES, candidates

    reading = engine.read("What does the trade chapter cover?", [])
    pool = [c for c in candidates(engine.index, [0], [1.0], engine.views(reading), reading, engine.term_weights,
                                  engine.models.sentence) if c.chunk == 0]
    similarity, neighbour = SENTENCE_FEATURES.index("similarity"), SENTENCE_FEATURES.index("neighbour_similarity")
    by_position = {c.index_in_chunk: c.features for c in pool}
    assert len(by_position) >= 2
    for j, features in by_position.items():
        around = [by_position[k][similarity] for k in (j - 1, j + 1) if k in by_position]
        # no neighbour (a sentence alone in its passage): its own similarity
        assert features[neighbour] == pytest.approx(max(around, default=features[similarity]))


def test_a_sentence_at_a_passage_edge_takes_its_other_neighbour_from_the_overlapping_passage(tmp_path):
    from chat.evidence import SENTENCE_FEATURES, candidates

    topics = ["customs inspections", "rail crossings", "truck lanes", "port staffing", "cargo scanners",
              "bridge tolls", "pedestrian lanes", "trusted traders", "wait times", "night shifts"]
    lines = ["BORDER"] + [f"The joint plan for {t} sets out how both governments would share the work"
                          + " of improving truck lanes" * (i % 3) + f" at the {i + 2} busiest ports of entry."
                          for i, t in enumerate(topics)]
    engine = one_page_engine(tmp_path, "border-2020-plan.pdf", lines)
    chunks = engine.index.chunks
    # passages overlap by a sentence: the last of one opens the next
    first = next(i for i in range(len(chunks) - 1) if len(chunks[i].sentences) >= 2
                 and len(chunks[i + 1].sentences) >= 2
                 and chunks[i].sentences[-1].text == chunks[i + 1].sentences[0].text)
    reading = engine.read("What is the joint plan for trusted traders?", [])
    pool = candidates(engine.index, [first, first + 1], [1.0, 0.9], engine.views(reading), reading,
                      engine.term_weights, engine.models.sentence)
    similarity, neighbour = SENTENCE_FEATURES.index("similarity"), SENTENCE_FEATURES.index("neighbour_similarity")
    by_text = {c.sentence.text: c for c in pool}
    edge = by_text[chunks[first].sentences[-1].text]
    assert (edge.chunk, edge.index_in_chunk) == (first, len(chunks[first].sentences) - 1)  # kept where it ends
    before, after = chunks[first].sentences[-2].text, chunks[first + 1].sentences[1].text
    around = [by_text[before].features[similarity], by_text[after].features[similarity]]
    assert around[1] > around[0] + 0.01  # the better neighbour is in the next passage
    assert edge.features[neighbour] == pytest.approx(max(around))


def test_endnote_entries_are_never_quoted_as_findings(tmp_path):
    (tmp_path / "corpus").mkdir()
    make_pdf(tmp_path / "corpus" / "customs-2020-notes.pdf",
             [["CUSTOMS", "Joint customs inspections cut crossing times at three ports of entry.", "Report 1"],
              ["ENDNOTES", "[4] Customs inspections at ports of entry, Joint Customs Review, May 5, 2020.", "Report 2"]])
    answer = fake_engine(tmp_path / "corpus", tmp_path / "index").ask(
        "What did joint customs inspections at ports of entry do?")
    assert "Joint customs inspections cut crossing times" in answer.text
    assert "Joint Customs Review" not in answer.text


def test_a_page_of_endnote_entries_does_not_outrank_the_text_they_annotate(tmp_path):
    (tmp_path / "corpus").mkdir()
    entries = [f"[{n}] Joint customs inspections at ports of entry, Customs Review {n}, May {n}, 2020."
               for n in range(1, 13)]
    text = ["Officers of both countries now inspect trucks together at three ports of entry.",
            "Trucks stop once instead of twice, and crossing times fell by half."]
    other = [f"Section {n} of the agreement covers staffing, training and the sharing of equipment." for n in range(8)]
    make_pdf(tmp_path / "corpus" / "customs-2020-notes.pdf",
             [["CUSTOMS", *text, *other, "Report 1"], ["ENDNOTES", *entries, "Report 2"]])
    answer = fake_engine(tmp_path / "corpus", tmp_path / "index").ask(
        "What did joint customs inspections at ports of entry do?")
    assert [p.page for p in answer.retrieved[:2]] == [1, 2]


def test_compared_reports_take_turns_at_the_top_of_the_ranking():
    order = np.array([4, 0, 3, 1, 2, 5])
    reports = ["a", "a", "c", "a", "b", "b"]  # the reports of the passages, in that order
    assert interleave_reports(order, reports, ["a", "b"]).tolist() == [4, 2, 0, 5, 3, 1]
