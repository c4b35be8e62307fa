"""The comparison view on the real corpus: a row per report, quoted statements or an explicit absence."""

import json
import subprocess
import sys

import pytest

from chat.compare import NOT_FOUND, comparison_csv, comparison_markdown, compare_reports
from chat.models import Filters

pytestmark = pytest.mark.real_corpus


@pytest.mark.parametrize("topic", ["migration", "trade"])
def test_topic_every_report_covers_gets_quotes_for_each_in_year_order(real_engine, topic):
    comparison = compare_reports(real_engine, topic)
    assert len(comparison.rows) == 5 and all(row.found for row in comparison.rows)
    years = [row.year for row in comparison.rows]
    assert years == sorted(years)
    numbers = [c.n for row in comparison.rows for c in row.statements]
    assert numbers == list(range(1, len(numbers) + 1))
    assert all(topic[:5] in c.text.lower() for row in comparison.rows for c in row.statements[:1])


@pytest.mark.parametrize("topic, only", [("Border Health Commission", "wilson-2021-rebuilding-a-complex-partnership"),
                                          ("Quadrennial Energy Review", "wilson-2017-charting-a-new-course")])
def test_topic_one_report_covers_gets_no_statement_for_the_others(real_engine, topic, only):
    comparison = compare_reports(real_engine, topic)
    assert {row.doc for row in comparison.rows if row.found} == {only}
    assert all(row.statements == [] for row in comparison.rows if row.doc != only)
    assert comparison_markdown(comparison).count(NOT_FOUND) == 4


def test_filters_limit_the_rows(real_engine):
    comparison = compare_reports(real_engine, "energy", Filters(year_from=2020, year_to=2021))
    assert [row.year for row in comparison.rows] == [2020, 2021]
    lines = comparison_csv(comparison).splitlines()
    assert lines[0].startswith("report_id,title,publisher,year")


def test_command_line_compare_json(real_index):
    result = subprocess.run([sys.executable, "-m", "chat", "compare", "--index", str(real_index), "--json",
                             "--report", "comexi-2017-redefining-the-relationship", "Mérida Initiative"],
                            capture_output=True, text=True, timeout=300, check=True)
    data = json.loads(result.stdout)
    assert [row["doc"] for row in data["rows"]] == ["comexi-2017-redefining-the-relationship"]
    assert data["rows"][0]["statements"][0]["page"] > 0


def test_a_row_is_never_filled_with_statements_off_the_topic(real_engine):
    # Each word of a two-word topic counts: a statement on judicial reform is not about energy reform.
    comparison = compare_reports(real_engine, "energy reform")
    statements = [c.text.lower() for row in comparison.rows for c in row.statements]
    assert statements and all("energy" in text and "reform" in text for text in statements)
