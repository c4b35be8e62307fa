"""The viewer page's HTML, without a browser: what it says, and that report text stays text."""

from chat.viewer import viewer_html, viewer_link
from indexer.locate import Box, PageMatch, QuoteLocation

HOSTILE = "<script>alert('pwned')</script> & \"quotes\""


def test_marks_carry_the_page_text_escaped_and_the_first_is_the_anchor():
    location = QuoteLocation([PageMatch(4, 612, 792, [Box(0.1, 0.2, 0.5, 0.02, HOSTILE), Box(0.1, 0.23, 0.3, 0.02, "b")],
                                        text=HOSTILE + " b")], True)
    page = viewer_html("r-1", "Title <i>", location, HOSTILE)
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "Title &lt;i&gt;" in page
    assert page.count("class='highlight'") == 2 and page.count("id='highlight'") == 1
    assert "left:10.0000%;top:20.0000%;width:50.0000%;height:2.0000%" in page
    assert "src='/page/r-1/4.png' width='918' height='1188'" in page
    assert "Highlighted on p. 4 of" in page


def test_words_not_found_are_said_and_nothing_is_marked():
    location = QuoteLocation([PageMatch(4, 612, 792), PageMatch(5, 612, 792)], False)
    page = viewer_html("r-1", "Title", location, "words")
    assert "could not be located on p. 4 and p. 5" in page and "class='highlight'" not in page
    assert page.count("<figure") == 2


def test_the_link_names_report_pages_and_quote():
    assert viewer_link("r 1", 3, "a & b", 4) == "/viewer/r%201?page=3&page_end=4&quote=a+%26+b#highlight"
    assert viewer_link("r", 3, "q", 3) == "/viewer/r?page=3&quote=q#highlight"
