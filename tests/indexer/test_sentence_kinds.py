"""What each sentence is (heading, byline, endnote, pull quote...) is decided once, when indexing.

The page texts are made up; they only imitate how pypdf lays out typeset reports."""

from indexer.kinds import mark_contents, sentence_kinds
from indexer.layout import Section, sections
from indexer.models import Page, Sentence

BODY = ("The commission met every quarter during the first two years of the programme and its",
        "members agreed on a shared list of priorities for the border region and its ports.")


def _sentences(*pages: list[str]) -> list[Sentence]:
    report = [Page(number=i, text="\n".join(lines)) for i, lines in enumerate(pages, 1)]
    return [s for section in sections(report) for s in section.sentences]


def _kinds(*pages: list[str]) -> dict[str, str]:
    return {s.text: s.kind for s in _sentences(*pages)}


def test_a_heading_is_a_heading_and_body_text_a_statement():
    kinds = _kinds(["COMMUNICATION", *BODY])
    assert kinds["COMMUNICATION"] == "heading"
    assert kinds[" ".join(BODY)] == "statement"


def test_a_chapter_byline_is_a_byline():
    kinds = _kinds(["Rebuilding the Border Agenda", "By Dana Marsh & Luis E. Ortega", *BODY])
    assert kinds["By Dana Marsh & Luis E. Ortega"] == "byline"
    assert kinds["Rebuilding the Border Agenda"] == "heading"


def test_a_sentence_ending_in_a_question_mark_is_a_question():
    kinds = _kinds([*BODY, "What should the two governments do next? They should meet again."])
    assert kinds["What should the two governments do next?"] == "question"
    assert kinds["They should meet again."] == "statement"


def test_bulleted_lines_are_list_items():
    kinds = _kinds([*BODY, "• Fund the inspection facilities at every port.", "• Train customs officers together."])
    assert kinds["Fund the inspection facilities at every port."] == "list_item"
    assert kinds["Train customs officers together."] == "list_item"


def test_entries_under_an_endnotes_heading_are_references():
    kinds = _kinds([*BODY, "ENDNOTES",
                    "1 Dana Marsh, Ports and People, Border Institute, 2016.",
                    "2 The figures cover goods only. Services are counted separately."])
    assert kinds["ENDNOTES"] == "heading"
    assert kinds["1 Dana Marsh, Ports and People, Border Institute, 2016."] == "reference"
    assert kinds["Services are counted separately."] == "reference"  # a note's second sentence too


def test_figure_captions_and_sources_are_not_statements():
    kinds = _kinds([*BODY, "Figure 2. Crossings per Day at the Largest Ports",
                    "Source: Border Statistics Office, 2017."])
    assert kinds["Figure 2."] == "caption"
    assert kinds["Source: Border Statistics Office, 2017."] == "reference"


def test_a_pull_quote_repeating_the_body_is_marked_and_the_body_sentence_kept():
    said = "Both countries face a shortage of trained nurses in their rural clinics."
    sentences = _sentences([*BODY, f"“{said}”"], [f"{said} The gap is widest in the north.", *BODY])
    kinds = [(s.text, s.kind) for s in sentences if "trained nurses" in s.text]
    assert kinds == [(f"“{said}”", "pull_quote"), (said, "statement")]


def test_a_repeated_heading_is_not_a_pull_quote():
    heading = "Strategy for Competitiveness and Inclusive Growth in the Border Region"
    # Away from the top of the page on page 2, so it is not taken for a running header.
    kinds = [s.kind for s in _sentences([heading, *BODY], [*BODY, heading, *BODY, *BODY]) if s.text == heading]
    assert kinds == ["heading", "heading"]


def test_a_table_of_contents_is_a_heading_and_a_table_further_in_is_not():
    contents = "Participants 2 Executive Summary 3 A Vision for a Stronger Partnership 4 Trade and Ports 6"
    figures = ("Border crossings rose from 12 million in 2010 to 18 million in 2016, and Ports handled 40 "
               "percent more trucks.")
    table = "Homicides by state: Guerrero 12 Sinaloa 15 Chihuahua 18 Sonora 20"
    first = [Sentence(text=t, page=1, page_end=1) for t in (contents, figures)]
    assert [s.kind for s in sentence_kinds(first)] == ["heading", "statement"]
    further_in = [Sentence(text=t, page=20, page_end=20) for t in (contents, table)]
    assert [s.kind for s in sentence_kinds(further_in)] == ["statement", "statement"]


def test_a_statement_giving_a_web_address_is_a_statement_and_a_linked_citation_a_reference():
    statement = ("Current programs include a public diplomacy initiative, a fellowship for legislative "
                 "assistants and a radio program for the border. https://www.example.org")
    cited = "Ports and People, Border Institute, 2016, https://www.example.org/ports."
    noted = "[12] The commission's minutes are online for every meeting held. https://www.example.org/minutes"
    dated = "The commission's minutes of its meetings are kept online by its secretariat, 2016. www.example.org"
    paged = "The commission's minutes of its meetings are kept online, see pp. 4 and 5. www.example.org"
    kind = lambda text: sentence_kinds([Sentence(text=text, page=9, page_end=9)])[0].kind  # noqa: E731
    assert kind(statement) == "statement"
    assert kind(cited) == "reference"
    assert kind(noted) == "reference"
    assert kind(dated) == "reference"  # a closing year dates a publication
    assert kind(paged) == "reference"


def test_a_table_of_contents_set_out_line_by_line_is_headings_up_to_the_text():
    lines = ["The Outlook for Relations CONTENTS", "Introduction 1", "By Ana Ruiz & Juan Soto",
             "Putting Security First: Towards a New Chapter", "Cooperation 10 By Ana Ruiz",
             "66 A New Migration Agenda Between the Two Countries", "About the Authors 121",
             "The relationship between the two countries remains strong after 25 years of closer integration.",
             "Trade grew 25 percent in 10 years"]
    given = {"By Ana Ruiz & Juan Soto": "byline", "Putting Security First: Towards a New Chapter": "heading"}

    def kinds(page: int, first: str | None = None) -> list[str]:
        texts = lines if first is None else [first] + lines[1:]
        sentences = [Sentence(text=t, page=page, page_end=page, kind=given.get(t, "statement")) for t in texts]
        return [s.kind for s in mark_contents([Section(heading="", sentences=sentences)])[0].sentences]

    assert kinds(2) == ["heading", "heading", "byline", "heading", "heading", "heading", "heading", "statement",
                        "statement"]  # the text stops it: numbers after it are the text's
    unchanged = ["statement", "statement", "byline", "heading", "statement", "statement", "statement", "statement",
                 "statement"]
    assert kinds(30) == unchanged  # further in
    assert kinds(2, first="The Outlook for Relations")[1:] == unchanged[1:]  # no contents title
    assert kinds(2, first="The Mexico Peace Index")[0] == "statement"  # a title ending in "Index"
