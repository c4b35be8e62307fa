"""Finding a quote's words on the real report PDFs, and rendering pages (indexer/locate.py).

The quotes are the indexer's own sentences, read from the PDFs when the tests run: no report text
is kept in the repository.
"""

import re

import pytest
from pypdf import PdfReader

from indexer.layout import sections
from indexer.locate import PageOutOfRange, letters_of, locate_quote, render_page
from indexer.pdf_reader import load_pages
from tests.conftest import CORPUS

pytestmark = pytest.mark.real_corpus
REPORT = CORPUS / "usmf-wilson-2020-convocation.pdf"


@pytest.fixture(scope="module")
def statements():
    return [s for section in sections(load_pages(REPORT)) for s in section.sentences if s.kind == "statement"]


def _squashed(text: str) -> str:
    """Whitespace collapsed and words broken at a line end joined: how the index writes a sentence."""
    return re.sub(r"(\w)- (\w)", r"\1\2", " ".join(text.split()))


def test_a_quote_on_one_page_is_boxed_word_for_word(statements):
    # A sentence of running text (a list of names in columns has its own spacing in each reader).
    quote = next(s for s in statements if s.page == s.page_end and len(s.text) > 150 and s.text.endswith("."))
    location = locate_quote(REPORT, quote.page, quote.text)
    assert location.found and [p.page for p in location.pages] == [quote.page]
    assert letters_of(location.text) == letters_of(quote.text)
    assert _squashed(location.text).replace("-", "") == _squashed(quote.text).replace("-", "")
    boxes = location.pages[0].boxes
    assert len(boxes) >= 2  # a long sentence runs over lines: a box per line, top to bottom
    assert all(0 <= b.left < 1 and 0 <= b.top < 1 and 0 < b.width <= 1 and 0 < b.height < 0.1 for b in boxes)
    assert [b.top for b in boxes] == sorted(b.top for b in boxes)


def test_a_quote_over_a_page_break_is_boxed_on_both_pages(statements):
    quote = next(s for s in statements if s.page_end == s.page + 1)
    location = locate_quote(REPORT, quote.page, quote.text, quote.page_end)
    assert location.found and [p.page for p in location.pages] == [quote.page, quote.page + 1]
    assert all(p.boxes for p in location.pages)
    assert letters_of(location.text) == letters_of(quote.text)
    # the first part ends the first page's text, the rest opens the next page's (below its header)
    assert location.pages[0].boxes[-1].top > 0.5 and location.pages[1].boxes[0].top < 0.5


def test_every_sentence_of_a_report_is_found_where_the_index_puts_it(statements):
    missing = [s for s in statements if letters_of(s.text)
               and not locate_quote(REPORT, s.page, s.text, s.page_end).found]
    assert len(missing) <= len(statements) // 100, missing[:3]


def test_words_that_are_not_on_the_page_are_not_highlighted(statements):
    page = statements[0].page
    location = locate_quote(REPORT, page, "The lighthouse keeper counted forty-two migrating whales at dawn.")
    assert not location.found and location.text == ""
    assert [p.page for p in location.pages] == [page] and location.pages[0].boxes == []
    elsewhere = next(s for s in statements if s.page > page + 2)  # real words, but of another page
    assert not locate_quote(REPORT, page, elsewhere.text).found
    assert not locate_quote(REPORT, page, "").found


def test_pages_out_of_range_are_refused_with_the_range():
    pages = len(PdfReader(REPORT).pages)
    for page in (0, pages + 1, -3):
        with pytest.raises(PageOutOfRange, match=f"pages 1 to {pages}"):
            locate_quote(REPORT, page, "anything")
        with pytest.raises(PageOutOfRange):
            render_page(REPORT, page)


def test_a_page_renders_as_a_png_of_its_proportions():
    png = render_page(REPORT, 1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == 918 and height == 1188  # letter size at 1.5 × 72 dpi
