from indexer.layout import sections, split_blocks, split_sentences, page_lines
from indexer.models import Page
from indexer.pdf_reader import load_pages
from tests.conftest import TRADE_PAGES
from tests.pdfs import make_pdf


def _pages(*texts: str) -> list[Page]:
    return [Page(number=i, text=t) for i, t in enumerate(texts, 1)]


def test_running_footers_with_page_numbers_are_removed():
    bodies = ["Trade grew.", "Migration fell.", "Energy rose.", "Security improved.", "Health matters."]
    pages = _pages(*[f"{body}\nCharting a New Course {i + 20}" for i, body in enumerate(bodies)])
    lines = [line.text for line in page_lines(pages)]
    assert not any("Charting a New Course" in line for line in lines)
    assert len(lines) == 5


def test_word_hyphenated_across_lines_is_joined_but_real_hyphens_stay():
    pages = _pages("Collaborative efforts on the southern border con-\ntinue to matter for U.S.-\n"
                   "Mexico relations and for well-being of people. Well-\nbeing matters.")
    text = " ".join(s.text for section in sections(pages) for s in section.sentences)
    assert "continue" in text
    assert "U.S.-Mexico" in text
    assert "Well-being matters." in text


def test_abbreviations_and_initials_do_not_end_sentences():
    pages = _pages("The U.S. Census Bureau and E. Anthony Wayne agree. A second sentence follows.")
    block = split_blocks(page_lines(pages))[0]
    texts = [s.text for s in split_sentences(block)]
    assert texts == ["The U.S. Census Bureau and E. Anthony Wayne agree.", "A second sentence follows."]


def test_sentence_running_over_a_page_break_records_both_pages(tmp_path):
    pdf = make_pdf(tmp_path / "r.pdf", [
        ["INTRODUCTION", "This paragraph is long enough to look like body text and it goes on and on",
         "until the page ends in the middle of the", "Report 1"],
        ["sentence that finishes here.", "Another short sentence.", "Report 2"],
    ])
    sentences = [s for section in sections(load_pages(pdf)) for s in section.sentences]
    crossing = next(s for s in sentences if "finishes here" in s.text)
    assert (crossing.page, crossing.page_end) == (1, 2)
    assert "Report" not in crossing.text


def test_capitalised_heading_becomes_the_section_and_stays_quotable(tmp_path):
    pdf = make_pdf(tmp_path / "t.pdf", TRADE_PAGES)
    result = sections(load_pages(pdf))
    assert [s.heading for s in result] == ["TRADE AND INVESTMENT", "BORDER MANAGEMENT", "ENERGY"]
    assert result[1].sentences[0].text == "BORDER MANAGEMENT"
    assert result[1].sentences[0].page == 2


def _sentences(*pages: list[str]):
    report = _pages(*["\n".join(lines) for lines in pages])
    return [s for section in sections(report) for s in section.sentences]


def test_section_and_article_numbers_do_not_end_a_sentence():
    texts = [s.text for s in _sentences([
        "The relief law signed in December included a Sec. 1901 on partnership with Mexico.",
        "Under Art. 5 of the treaty both parties consult. Reg. 12 sets the fees for inspections."])]
    assert texts == ["The relief law signed in December included a Sec. 1901 on partnership with Mexico.",
                     "Under Art. 5 of the treaty both parties consult.",
                     "Reg. 12 sets the fees for inspections."]


def test_a_short_word_the_report_writes_plainly_still_ends_a_sentence_before_a_number():
    texts = [s.text for s in _sentences(["Peru and Chile signed first. Exports grew in Peru. 2019 was a record year."])]
    assert texts == ["Peru and Chile signed first.", "Exports grew in Peru.", "2019 was a record year."]


def test_a_footnote_at_the_foot_of_a_page_is_its_own_reference_sentence():
    sentences = _sentences(
        ["The working group met twice a year and studied the flows of migrants crossing the",
         "southern border. It proposed to prepare joint policies.²⁴",
         "²³ Official Gazette, “Decree creating the border coordination office”, Ministry of",
         "the Interior, July 2017. Available at: http://example.org/decree"],
        ["The office opened in the following year with a small staff and a modest budget for",
         "its first programmes."])
    joint = next(s for s in sentences if "joint policies" in s.text)
    assert joint.text == "It proposed to prepare joint policies.²⁴"
    note = next(s for s in sentences if "Official Gazette" in s.text)
    assert note.kind == "reference" and note.text.startswith("²³ Official Gazette")


def test_a_footnote_ending_a_page_is_not_glued_to_the_sentence_it_interrupts():
    sentences = _sentences(
        ["The ports need an efficient and modern infrastructure for trade, and this requires",
         "long-term investment in roads, bridges and inspection lanes supported by the",
         "¹⁰ Border Institute, “The Economy of the Border”, edited by D. Marsh, 2015."],
        ["regional development banks of both countries.", "A second paragraph starts here."])
    before = next(s for s in sentences if "supported by the" in s.text)
    assert before.text.endswith("supported by the") and before.kind == "statement"
    assert next(s for s in sentences if "Border Institute" in s.text).kind == "reference"
    assert next(s for s in sentences if "development banks" in s.text).text.startswith("regional")


def test_an_all_caps_run_opening_a_paragraph_is_a_heading_of_its_own():
    result = sections(_pages("EARLY GOALS OF THE PLAN According to officials of both governments, the plan\n"
                             "began in 2007 with a focus on equipment and training for the police forces."))
    first, second = result[0].sentences[:2]
    assert (first.text, first.kind) == ("EARLY GOALS OF THE PLAN", "heading")
    assert second.text.startswith("According to officials") and second.kind == "statement"
    assert result[0].heading == "EARLY GOALS OF THE PLAN"


def test_acronyms_opening_a_sentence_are_not_a_heading():
    texts = [s.text for s in _sentences(["NAFTA and USMCA rules differ on autos. The USMCA took effect in 2020."])]
    assert texts == ["NAFTA and USMCA rules differ on autos.", "The USMCA took effect in 2020."]


def test_empty_list_numbers_left_behind_by_the_pdf_are_dropped():
    texts = [s.text for s in _sentences(["To fund the border ports.", "To train the officers.", "1.", "2.", "3."])]
    assert texts == ["To fund the border ports.", "To train the officers."]


def test_a_footnote_set_inside_the_paragraph_that_cites_it_is_its_own_block():
    sentences = _sentences(
        ["Funding: the bank should raise its capital through equal contributions from the",
         "governments of both countries. It should also lend to cities on the border and",
         "² The shipping law of 1920 regulates maritime commerce between the ports of the",
         "country. Official Gazette, 1920.",
         "to the states around them. A second sentence follows in the same paragraph here."])
    assert [(s.text, s.kind) for s in sentences[1:]] == [
        ("It should also lend to cities on the border and", "statement"),
        ("² The shipping law of 1920 regulates maritime commerce between the ports of the country.",
         "reference"),
        ("Official Gazette, 1920.", "reference"),
        ("to the states around them.", "statement"),
        ("A second sentence follows in the same paragraph here.", "statement")]


def test_the_number_opening_a_numbered_paragraph_stays_with_it():
    texts = [s.text for s in _sentences(["4. The Parties recognize the benefits of cooperation. "
                                         "27.5. They shall meet."])]
    assert texts == ["4. The Parties recognize the benefits of cooperation.", "27.5. They shall meet."]


def test_a_footnote_numbered_in_markdown_markup_is_a_reference():
    sentences = _sentences(["Both governments agreed to meet every year and to publish what they agreed.",
                            "^{6.} Border Statistics Office, Annual Report, Accessed March 30, 2020."])
    assert [(s.text, s.kind) for s in sentences] == [
        ("Both governments agreed to meet every year and to publish what they agreed.", "statement"),
        ("^{6.} Border Statistics Office, Annual Report, Accessed March 30, 2020.", "reference")]


def test_an_abbreviation_opening_a_quotation_or_closing_a_compound_does_not_end_a_sentence():
    texts = [s.text for s in _sentences(['The study “U.S. Spends More on Enforcement” was cited often. The '
                                         'Mexico-U.S. Entrepreneurship Council was created in 2013.'])]
    assert texts == ['The study “U.S. Spends More on Enforcement” was cited often.',
                     'The Mexico-U.S. Entrepreneurship Council was created in 2013.']


def test_a_sentence_too_long_for_one_is_cut_into_pieces_that_say_they_run_on():
    clause = "the two governments agreed to expand cooperation on border infrastructure"
    long_sentence = "In 2016, " + ", and ".join([clause] * 12) + "."
    pages = _pages(f"A short opening sentence. {long_sentence} A closing sentence.")
    sentences = [s for section in sections(pages) for s in section.sentences]
    pieces = [s for s in sentences if s.text not in ("A short opening sentence.", "A closing sentence.")]
    assert len(pieces) >= 2 and all(len(s.text) <= 600 for s in pieces)
    assert [s.runs_on for s in pieces] == [True] * (len(pieces) - 1) + [False]
    assert " ".join(s.text for s in pieces) == long_sentence
    assert not any(s.runs_on for s in sentences if s not in pieces)
