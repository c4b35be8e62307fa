"""Who wrote each passage of an edited volume, and a question naming a chapter by its author."""

from chat.chapters import Chapters, ChunkText

AUTHORS = {
    "volume-2021": ["Duncan Wood", "Andrew I. Rudman", "Max Kaiser", "Arturo Sarukhan", "Christopher Wilson",
                    "Ariel G. Ruiz Soto"],
    "convocation-2020": ["U.S.-Mexico Foundation", "Wilson Center Mexico Institute"],
    "slides-2018": ["E. Anthony Wayne"],
}


def chunks(*texts: str, report: str = "volume-2021") -> list[ChunkText]:
    return [ChunkText(report, page, [text]) for page, text in enumerate(texts, start=1)]


def written_by(chapters: Chapters, author: str, report: str = "volume-2021") -> list[bool]:
    """Per chunk, whether it stands in a chapter by the author."""
    return chapters.within(report, chapters.by_authors([author]).get(report, [])).tolist()


def test_a_chapter_runs_from_its_byline_to_the_next():
    chapters = Chapters(AUTHORS, chunks("Mexico and the United States share a border.", "By Max Kaiser",
                                        "Corruption costs Mexico dearly.", "By Duncan Wood & Andrew I. Rudman",
                                        "Energy trade grew."))
    assert written_by(chapters, "Max Kaiser") == [False, True, True, False, False]
    assert written_by(chapters, "Andrew I. Rudman") == [False, False, False, True, True]


def test_names_alone_on_their_line_start_a_chapter_but_a_surname_alone_does_not():
    chapters = Chapters(AUTHORS, chunks("Wood", "Energy trade grew.", "Duncan Wood and Arturo Sarukhan¹",
                                        "North America should act together."))
    assert written_by(chapters, "Duncan Wood") == [False, False, True, True]
    assert written_by(chapters, "Arturo Sarukhan") == [False, False, True, True]


def test_a_byline_run_on_after_an_endnote_still_starts_the_chapter():
    # A new chapter beginning on the page where the last one's endnotes end
    chapters = Chapters(AUTHORS, chunks("Retrieved from: https://www.cfr.org/report By Arturo Sarukhan",
                                        "Mexico should re-engage on global issues."))
    assert written_by(chapters, "Arturo Sarukhan") == [True, True]


def test_a_contents_line_the_volumes_own_byline_and_its_editor_start_no_chapter():
    chapters = Chapters(AUTHORS, chunks(
        "Regional Issues 115 By Arturo Sarukhan",  # a contents line: the chapter's page before its byline
        # the volume's byline (four of six authors), wrapped onto the next line
        "By Duncan Wood Andrew I. Rudman Max Kaiser Christopher Wilson", "Arturo Sarukhan", "Key recommendations at a glance.", "Edited by Duncan Wood", "Acknowledgements."))
    assert not any(written_by(chapters, "Arturo Sarukhan"))
    assert not any(written_by(chapters, "Duncan Wood"))


def test_a_byline_wrapped_within_a_passage_leaves_no_chapter_of_its_first_line():
    chapters = Chapters(AUTHORS, [ChunkText("volume-2021", 1, ["By Duncan Wood, Andrew I. Rudman,",
                                                               "Max Kaiser, Christopher Wilson", "Contents."]),
                                  ChunkText("volume-2021", 2, ["Mexico and the United States share a border."])])
    assert chapters.by_authors(["Andrew I. Rudman"]) == {}  # four of six authors: the volume's byline


def test_two_bylines_in_a_row_start_two_chapters():
    chapters = Chapters(AUTHORS, chunks("By Max Kaiser", "By Arturo Sarukhan", "Trade grew."))
    assert written_by(chapters, "Max Kaiser") == [True, False, False]
    assert written_by(chapters, "Arturo Sarukhan") == [False, True, True]


def test_a_byline_with_other_words_is_a_sentence():
    chapters = Chapters(AUTHORS, chunks("By Max Kaiser A New Chapter on Anti-Corruption", "Bribery fell."))
    assert not any(written_by(chapters, "Max Kaiser"))


def test_a_question_names_a_chapters_author_by_the_surname_not_an_organisation_by_its_word():
    chapters = Chapters(AUTHORS, chunks("By Christopher Wilson", "Trade grew.", "By Ariel G. Ruiz Soto", "By Max Kaiser"))
    assert chapters.named("What does Kaiser propose on bribery?") == ["Max Kaiser"]
    assert chapters.named("¿Qué propone Kaiser sobre el soborno?") == ["Max Kaiser"]
    assert chapters.named("According to Ruiz Soto, why do migrants leave?") == ["Ariel G. Ruiz Soto"]
    # "Wilson" is also a word of the Wilson Center: the person needs his first name
    assert chapters.named("What does the Wilson Center propose on trade?") == []
    assert chapters.named("What does Christopher Wilson propose on trade?") == ["Christopher Wilson"]
    # Sarukhan wrote no chapter here; "kaiser" in lower case is no name
    assert chapters.named("What does Sarukhan say about the kaiser of trade?") == []


def test_a_surname_is_named_with_or_without_its_accent():
    chapters = Chapters(AUTHORS, chunks("By Arturo Sarukhan"))
    assert chapters.named("¿Qué dice Sarukhán sobre China?") == ["Arturo Sarukhan"]


def test_a_question_without_its_authors_surnames_keeps_the_rest():
    chapters = Chapters(AUTHORS, chunks("By Max Kaiser", "By Arturo Sarukhan"))
    without = chapters.without_surnames("What do Kaiser's chapter and Sarukhán say?", ["Max Kaiser", "Arturo Sarukhan"])
    assert without == "What do chapter and say?"


def test_chapters_are_labelled_by_their_authors_and_first_page():
    chapters = Chapters(AUTHORS, chunks("Foreword.", "By Max Kaiser"))
    assert chapters.by_authors(["Max Kaiser", "E. Anthony Wayne"]) == {"volume-2021": ["Max Kaiser, p. 2"]}
