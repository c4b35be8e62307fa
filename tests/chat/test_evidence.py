"""What counts as a statement of the report, and so as evidence."""

import pytest

from chat.evidence import is_statement


@pytest.mark.parametrize("text", [
    "Endnotes [1] Emma Israel and Jeanne Batalova, Mexican Immigrants in the United States, November 5, 2020.",
    "[12] Selee and Ruiz Soto, Building a New Regional Migration System.",
    "7 Rosenblum, Understanding the Potential Impact, 2015.",
    "Source: Pew Research, 2017",
    "Keynote speech, Third Annual North American Energy Forum, Washington D.C., September 22, 2016.",
    "Retrieved from https://www.example.org/report",
])
def test_endnote_entries_and_figure_sources_are_not_statements(text):
    assert not is_statement(text)


@pytest.mark.parametrize("text", [
    "In the 1990s, the objective was clear: to get NAFTA passed in Congress by the end of 1993.",
    "11 million Mexicans live in the United States, according to the census.",
    "Trade between the two countries reached $584 billion in 2015.",
])
def test_findings_with_figures_and_dates_are_statements(text):
    assert is_statement(text)
