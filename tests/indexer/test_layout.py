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
    lines = [line for line, _ in page_lines(pages)]
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
