"""What counts as a statement of the report, and so as evidence; which reports a comparison concerns."""

import pytest

from chat.evidence import comparison_targets, comparison_topic, is_statement
from indexer.kinds import sentence_kinds
from indexer.models import Sentence


def indexed(text: str) -> Sentence:
    """The sentence as the indexer records it, with its kind."""
    return sentence_kinds([Sentence(text=text, page=1, page_end=1)])[0]


@pytest.mark.parametrize("text", [
    "Endnotes [1] Emma Israel and Jeanne Batalova, Mexican Immigrants in the United States, November 5, 2020.",
    "[12] Selee and Ruiz Soto, Building a New Regional Migration System.",
    "7 Rosenblum, Understanding the Potential Impact, 2015.",
    "Source: Pew Research, 2017",
    "Keynote speech, Third Annual North American Energy Forum, Washington D.C., September 22, 2016.",
    "Retrieved from https://www.example.org/report",
])
def test_endnote_entries_and_figure_sources_are_not_statements(text):
    assert not is_statement(indexed(text))


@pytest.mark.parametrize("text", [
    "In the 1990s, the objective was clear: to get NAFTA passed in Congress by the end of 1993.",
    "11 million Mexicans live in the United States, according to the census.",
    "Trade between the two countries reached $584 billion in 2015.",
])
def test_findings_with_figures_and_dates_are_statements(text):
    assert is_statement(indexed(text))


REPORT_YEARS = {"comexi-2017": 2017, "wilson-2017": 2017, "wilson-2021": 2021}
REPORTS = list(REPORT_YEARS)


def test_a_comparison_concerns_the_reports_it_names_or_all_of_them():
    assert comparison_targets("How do the reports compare on remittances?", {}, REPORT_YEARS) == REPORTS
    named = {"comexi-2017": 1.0, "wilson-2021": 0.8, "wilson-2017": 0.1}
    assert comparison_targets("How did COMEXI's view change by 2021?", named, REPORT_YEARS) == [
        "comexi-2017", "wilson-2021"]


def test_a_question_about_one_report_is_no_comparison_across_reports():
    # "shift" and two years sound like a comparison, but the question asks what one report says
    comexi = {"comexi-2017": 1.0}
    assert comparison_targets("What shift in drug policy does COMEXI call for?", comexi, REPORT_YEARS) == []
    assert comparison_targets("What shift does the COMEXI report call for?", comexi, REPORT_YEARS) == []
    assert comparison_targets("How did output fall between 2004 and 2017, per COMEXI?", comexi, REPORT_YEARS) == []
    assert comparison_targets("What does COMEXI propose on trade?", {}, REPORT_YEARS) == []  # no comparison at all
    assert comparison_targets("How does COMEXI's view compare with the other reports?", comexi,
                              REPORT_YEARS) == REPORTS
    wilson_2021 = {"wilson-2021": 1.0}  # "2017" is not read as naming a report here
    assert comparison_targets("How did views change between the 2017 and 2021 reports?", wilson_2021,
                              REPORT_YEARS) == REPORTS


def test_years_set_side_by_side_make_a_comparison_only_when_reports_carry_them():
    question = "What did the Wilson Center propose in 2017, and where did things stand by 2021?"
    assert comparison_targets(question, {}, REPORT_YEARS) == REPORTS
    assert comparison_targets("How much did the murder rate climb between 2007 and 2011?", {}, REPORT_YEARS) == []


def test_what_a_comparison_compares_leaves_out_how_it_asks():
    assert comparison_topic("How did views on migration change between the 2017 and 2021 reports?") == ["migration"]
    assert comparison_topic("How do the reports differ on energy reform?") == ["energy", "reform"]
