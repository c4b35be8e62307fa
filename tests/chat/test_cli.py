"""`python -m chat` tells the user what to change, in one sentence, instead of printing a traceback."""

from click.testing import CliRunner

from chat.cli import cli


def test_an_empty_year_range_on_the_command_line_is_a_plain_usage_error(tmp_path):
    for command in ("ask", "compare"):
        result = CliRunner().invoke(cli, [command, "--index", str(tmp_path), "--year", "2022-2019", "energy"])
        assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
        assert ("Error: The year range is empty: From 2022 is after To 2019; pick a From year no later "
                "than the To year.") in result.output
        assert "validation error" not in result.output and "pydantic" not in result.output
