import csv
import io
import json
import re
import threading
from html import unescape

import pytest

from chat.feedback import FeedbackLog
from chat.models import Answer, Citation
from chat.presentation import (chat_markdown, citation_link, conversation_markdown, journalist_citation,
                               source_cards_html)
from chat.sections import SectionLabels

HOSTILE = 'Officials said <script>alert("x")</script> was <b>bold</b> & [1] *odd*.'


NO_NAMES = SectionLabels([])


def _answer(passage: str = HOSTILE, quote: str = HOSTILE, section: str = "Intro") -> Answer:
    citation = Citation(n=1, doc="r-2020", title="A <i>Report</i>", publisher="Pub", year=2020, page=4,
                        section=section, text=quote, passage=f"Before. {passage} After.")
    return Answer(text=f"{quote} [1]", abstained=False, citations=[citation], retrieved=[], latency_ms=1.0,
                  retrieval_query="q", confidence=0.9, timings_ms={}, index_hash="h")


def test_source_card_escapes_report_html_and_highlights_the_quote():
    html = source_cards_html(_answer(), NO_NAMES)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html and "A &lt;i&gt;Report&lt;/i&gt;" in html
    assert "<mark>Officials said &lt;script&gt;" in html
    assert 'href="/pdf/r-2020#page=4"' in html and 'id="source-1"' in html


def test_chat_text_escapes_markup_and_links_markers_to_the_page_viewer():
    answer = _answer()
    text = chat_markdown(answer)
    assert "<script>" not in text and "\\<script\\>" in text
    link = citation_link(answer.citations[0])
    assert link.startswith("/viewer/r-2020?page=4&quote=Officials+said+%3Cscript%3E") and link.endswith("#highlight")
    # the marker's title is its preview: report, page, quote, with the quote's own quotes escaped
    assert f'[[1]]({link} "A \\<i\\>Report\\</i\\> (2020), p. 4: \u201cOfficials said \\<script\\>alert(\\"x\\")' in text
    assert "\\*odd\\*" in text
    assert f"[p. 4]({link} " in text  # the sources under the answer open the viewer too


def test_a_marker_without_its_citation_still_points_to_the_cards():
    answer = _answer().model_copy(update={"text": "Trade grew. [2]"})
    assert "[[2]](#source-2)" in chat_markdown(answer)


def test_journalist_citation_style():
    citation = _answer(quote="Trade grew.").citations[0]
    assert journalist_citation(citation) == "*A <i>Report</i>* (Pub, 2020), p. 4: \u201cTrade grew.\u201d"


def test_export_holds_questions_filters_answers_and_sources():
    turns = [{"question": "Q1?", "filters": {"reports": ["r-2020"], "year_from": 2019, "year_to": 2021},
              "answer": _answer(quote="Trade grew.").model_dump(mode="json")}]
    text = conversation_markdown(turns, {"r-2020": "A <i>Report</i>"})
    assert "## Q: Q1?" in text and "Trade grew. [1]" in text and "1. *A <i>Report</i>* (Pub, 2020), p. 4" in text
    assert "> Searched: reports: A <i>Report</i>, years 2019–2021." in text


# Words the reports write in lowercase: "border", "medical", "working"... but no given name.
REPORT_TEXT = ["The border health commission met twice.", "Medical tourism grew for medical care.",
               "The working group reported to key ministers."]


@pytest.mark.parametrize("section, shown", [
    ("A NEW MIGRATION AGENDA > Andrew Selee¹", "A NEW MIGRATION AGENDA"),
    ("TOWARDS A NORTH AMERICAN FOOTPRINT > E. Anthony Wayne and Arturo Sarukhan", "TOWARDS A NORTH AMERICAN FOOTPRINT"),
    ("By Duncan Wood & Andrew I. Rudman > U.S.-Mexico Energy Relations", "U.S.-Mexico Energy Relations"),
    ("Working Group Members > Jorge Amigo > Savitri Arvey", "Working Group Members"),
    ("William Jensen", ""),
    ("Border Health", "Border Health"),
    ("Key Policy Recommendations > Medical Tourism", "Key Policy Recommendations > Medical Tourism"),
])
def test_source_cards_show_headings_not_the_names_of_people(section, shown):
    html = source_cards_html(_answer(quote="Trade grew.", section=section), SectionLabels(REPORT_TEXT))
    labels = [unescape(label) for label in re.findall(r"<span class='card-section'>(.*?)</span>", html)]
    assert labels == ([shown] if shown else [])


def test_feedback_lines_never_interleave_under_concurrency(tmp_path):
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    answer = _answer().model_dump(mode="json")

    def rate(i: int) -> None:
        for j in range(25):
            log.record(liked=j % 2 == 0, question=f"q{i}-{j} " + "x" * 3000, answer=answer,
                       comment="c", index_hash="h")

    threads = [threading.Thread(target=rate, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = (tmp_path / "feedback.jsonl").read_text().splitlines()
    assert len(lines) == 200
    entries = [json.loads(line) for line in lines]
    assert {e["rating"] for e in entries} == {"up", "down"} and all(e["index_hash"] == "h" for e in entries)


def test_comparison_table_escapes_and_marks_missing_reports():
    from chat.compare import Comparison, ComparisonRow
    from chat.presentation import comparison_html

    citation = _answer().citations[0]
    rows = [ComparisonRow(doc="r-2020", title="A <i>Report</i>", publisher="Pub", year=2020, found=True,
                          statements=[citation]),
            ComparisonRow(doc="s-2021", title="Other", publisher="Pub", year=2021, found=False, statements=[])]
    html = comparison_html(Comparison(topic="<b>x</b>", rows=rows, index_hash="h", latency_ms=1.0))
    assert "<script>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "No statement found in this report." in html and 'href="/viewer/r-2020?page=4&amp;quote=' in html


def test_comparison_exports_link_each_statement_to_its_pdf_page():
    from chat.compare import Comparison, ComparisonRow, comparison_csv, comparison_markdown

    rows = [ComparisonRow(doc="r-2020", title="A Report", publisher="Pub", year=2020, found=True,
                          statements=[_answer(quote="Trade grew.").citations[0]]),
            ComparisonRow(doc="s-2021", title="Other", publisher="Pub", year=2021, found=False, statements=[])]
    comparison = Comparison(topic="trade", rows=rows, index_hash="h", latency_ms=1.0)
    assert "“Trade grew.” ([p. 4](/pdf/r-2020#page=4))" in comparison_markdown(comparison)
    assert "([p. 4](http://10.0.0.5:7860/pdf/r-2020#page=4))" in comparison_markdown(comparison, "http://10.0.0.5:7860/")
    table = list(csv.DictReader(io.StringIO(comparison_csv(comparison, "http://10.0.0.5:7860"))))
    assert [row["link"] for row in table] == ["http://10.0.0.5:7860/pdf/r-2020#page=4", ""]
