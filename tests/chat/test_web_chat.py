"""The web chat's handlers, called as plain methods on an engine over the small fake-encoded corpus."""

import json

import gradio as gr
import pytest

from chat.feedback import FeedbackLog
from chat.web import WebChat

EMPTY_RANGE = "The year range is empty: From 2022 is after To 2021; pick a From year no later than the To year."


@pytest.fixture
def web(engine, tmp_path) -> WebChat:
    return WebChat(engine, FeedbackLog(tmp_path / "feedback.jsonl"))


def _ask(web: WebChat, question: str, messages: list, turns: list, titles=None, year_from=2019, year_to=2021):
    *_, (messages, _sources, turns, _box) = web.respond(question, messages, turns, titles, year_from, year_to)
    return messages, turns


def test_a_like_rates_the_answer_it_was_given_on_even_after_an_error_reply(web, tmp_path):
    messages, turns = _ask(web, "How many vehicles cross the border every day?", [], [])
    messages, turns = _ask(web, "What about natural gas exports?", messages, turns, year_from=2022)
    assert messages[-1]["content"].startswith("⚠️") and len(turns) == 1  # an error reply: no turn
    messages, turns = _ask(web, "How many Mexicans live in the United States?", messages, turns)
    messages, turns = _ask(web, "What did the Merida Initiative provide?", messages, turns)
    third_answer = [i for i, m in enumerate(messages) if m["role"] == "assistant"][2]

    like = gr.LikeData(None, {"index": third_answer, "value": messages[third_answer]["content"], "liked": True})
    assert web.rate(like, messages, turns, "") == "Thanks, your feedback was recorded."
    entry = json.loads((tmp_path / "feedback.jsonl").read_text().splitlines()[-1])
    assert entry["question"] == "How many Mexicans live in the United States?"

    error_reply = gr.LikeData(None, {"index": 3, "value": messages[3]["content"], "liked": False})
    assert "Only answers" in web.rate(error_reply, messages, turns, "")
    assert len((tmp_path / "feedback.jsonl").read_text().splitlines()) == 1


def test_an_empty_year_range_is_explained_in_one_plain_sentence(web):
    assert web.filters_note([], 2022, 2021) == f"⚠️ {EMPTY_RANGE}"
    messages, _ = _ask(web, "What about natural gas exports?", [], [], year_from=2022)
    assert messages[-1]["content"] == f"⚠️ {EMPTY_RANGE}"
    table, *_ = web.compare("energy", None, 2022, 2021, None)
    assert EMPTY_RANGE in table


@pytest.mark.parametrize("arguments, message", [
    (("energy", None, 2022, 2021), EMPTY_RANGE),
    (("energy", None, None, None, [{"role": "robot", "content": "hi"}]),
     "history item 1 role must be 'user' or 'assistant'."),
    (("energy", None, None, None, [{"role": "user"}]), "history item 1 content is missing: add it."),
    (("energy", None, "not a year"), "year_from must be a whole number."),
    (("energy", 2), "reports must be a list."),
    ((1, 2, 3, 4, 5), "question must be text."),  # what a payload of numbers reaches the handler as
])
def test_api_errors_are_plain_sentences(web, arguments, message):
    assert web.api_ask(*arguments) == {"error": message}


def test_export_records_the_filters_each_answer_used(web):
    messages, turns = _ask(web, "How many vehicles cross the border every day?", [], [], titles=["Trade Outlook"],
                           year_from=2019, year_to=2019)
    messages, turns = _ask(web, "How many Mexicans live in the United States?", messages, turns)
    export = web.export(turns)
    text = open(export["value"], encoding="utf-8").read()
    first, second = text.split("## Q: ")[1:]
    assert "> Searched: reports: Trade Outlook, year 2019." in first
    assert "> Searched: all reports, all years." in second


def test_the_question_is_shown_as_typed_not_as_markup(web):
    messages, _ = _ask(web, "<img src=x onerror=alert(1)> [NAFTA](http://evil.example) **bold**?", [], [])
    shown = messages[-2]["content"]
    assert "\\<img" in shown and "\\[NAFTA\\]" in shown and "\\*\\*bold\\*\\*" in shown
