"""The web chat in a real browser (Debian chromium via Playwright) and through gradio_client."""

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.pdfs import one_report_index

pytestmark = pytest.mark.real_corpus
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


class Server:
    def __init__(self, index: Path, feedback: Path, env: dict[str, str] | None = None, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "chat", "--port", str(self.port), "--index", str(index),
             "--feedback", str(feedback)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, **(env or {})})
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stdout.read())
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("the web chat did not start within 120 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # open event streams can hold a graceful shutdown
            self.process.kill()
            self.process.wait(timeout=15)


@pytest.fixture(scope="module")
def server(real_index, tmp_path_factory):
    srv = Server(real_index, tmp_path_factory.mktemp("web") / "feedback.jsonl")
    yield srv
    srv.stop()


def _ask_in_browser(page, question: str) -> None:
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    page.locator("#sources .source-card").first.wait_for(timeout=60_000)


BUSY = "#sources [class*='pending'], #sources [class*='generating'], #question [class*='generating']"


def _ask_for_new_sources(page, question: str) -> None:
    """Asks, then waits for the answer to be complete: its source cards replace the previous ones."""
    before = page.locator("#sources").inner_html()
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    page.wait_for_function("([before, busy]) => !document.querySelector(busy)"
                           " && document.querySelector('#sources').innerHTML !== before", arg=[before, BUSY],
                           timeout=60_000)


def _wait_until_idle(page) -> None:
    page.wait_for_function("busy => !document.querySelector(busy)", arg=BUSY, timeout=60_000)


def test_question_in_the_browser_gets_streamed_answer_with_working_citations(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server.url, wait_until="load")
    page.locator("#question textarea").wait_for()
    assert page.get_by_text("Example questions").is_visible()
    _ask_in_browser(page, "How many people of Mexican heritage live in the United States?")
    answer = page.locator("#chat .message.bot, #chat [data-testid='bot']").last
    assert "million" in answer.inner_text()
    marker = page.locator("#chat a[href^='/viewer/']").first  # inline [1] opens its page in the viewer
    card_link = page.locator("#source-1 a.card-view").get_attribute("href")
    assert marker.inner_text() == "[1]" and marker.get_attribute("href") == card_link
    card = page.locator("#sources .source-card").first
    assert "Building Partnership with Mexico" in card.inner_text() or "Re-Building" in card.inner_text()
    assert "p. " in card.locator(".card-page").inner_text()
    href = card.locator("a.card-pdf").get_attribute("href")
    response = page.request.get(server.url + href.split("#")[0])
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-chat.png"), full_page=True)
    page.close()


def test_empty_and_oversized_questions_get_friendly_messages(server, browser):
    page = browser.new_page()
    page.goto(server.url, wait_until="load")
    page.locator("#question textarea").wait_for()
    page.locator("#question textarea").fill("   ")
    page.locator("#question textarea").press("Enter")
    page.get_by_text("The question is empty: type a question about the reports.").wait_for(timeout=30_000)
    page.locator("#question textarea").fill("x" * 2500)  # the box holds what the engine takes (2,000)
    assert len(page.locator("#question textarea").input_value()) == 2000
    page.locator("#question textarea").fill("?!?!...")
    page.locator("#question textarea").press("Enter")
    page.get_by_text("The question has no words: type a question about the reports.").wait_for(timeout=30_000)
    page.close()


def test_a_long_answer_is_shown_from_its_start_and_examples_are_shown_whole(server, browser):
    from chat.web import EXAMPLES

    page = browser.new_page(viewport={"width": 900, "height": 1000})
    page.goto(server.url, wait_until="load")
    page.locator("#question textarea").wait_for()
    examples = page.locator("#examples button")
    assert examples.all_inner_texts() == EXAMPLES
    assert all(b["scrollWidth"] <= b["clientWidth"] for b in
               examples.evaluate_all("bs => bs.map(b => ({scrollWidth: b.scrollWidth, clientWidth: b.clientWidth}))"))
    examples.nth(1).click()
    page.wait_for_function("document.querySelector('#question textarea').value.length > 0")
    page.locator("#question textarea").press("Enter")
    page.locator("#sources .source-card").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # longer than Gradio's autoscroll takes to follow an update
    answer = page.locator("#chat [data-testid='bot']").last
    chat = page.locator("#chat .bubble-wrap")
    top, box = answer.bounding_box(), chat.bounding_box()
    assert top["height"] > box["height"], "the answer fits the chat: this test needs a longer one"
    assert box["y"] - 1 <= top["y"] <= box["y"] + 60, "the chat does not show the answer's first line"
    page.close()


def test_pdf_route_serves_only_indexed_reports(server):
    for method in ("GET", "HEAD"):
        for path in ("/pdf/nope", "/pdf/..%2F..%2Fetc%2Fpasswd", "/pdf/%2Fetc%2Fpasswd"):
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(urllib.request.Request(server.url + path, method=method), timeout=10)
            assert err.value.code == 404
        request = urllib.request.Request(server.url + "/pdf/wayne-2018-building-partnership-with-mexico", method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200 and response.headers["content-type"] == "application/pdf"
            assert response.read()[:5] == (b"%PDF-" if method == "GET" else b"")


def test_ask_endpoint_through_gradio_client(server):
    from gradio_client import Client

    client = Client(server.url, verbose=False)
    answer = client.predict("What is the Mérida Initiative?", api_name="/ask")
    assert answer["citations"] and answer["retrieved"] and not answer["abstained"]
    filtered = client.predict("What is the Mérida Initiative?", ["comexi-2017-redefining-the-relationship"],
                              api_name="/ask")
    assert {p["doc"] for p in filtered["retrieved"]} == {"comexi-2017-redefining-the-relationship"}
    assert "unknown report" in client.predict("x", ["nope"], api_name="/ask")["error"]


# No hyphen or space in it, so nothing lets a browser break the line without overflow-wrap:anywhere.
LONG_URL = "https://www.example.org/" + "/".join(["BorderInfrastructureInvestmentAnnex_2020"] * 4) + ".pdf"


def test_report_passage_with_html_shows_as_text_and_long_urls_wrap(tmp_path, browser):
    index = one_report_index(tmp_path, "hostile-2020-report.pdf", [
        "SCRIPTS IN REPORTS",
        "The web team found <script>alert('pwned')</script> in a border report about tariffs.",
        "Tariffs on steel were raised in 2018 by the United States.",
        f"The tariff tables are at {LONG_URL}",
    ])
    srv = Server(index, tmp_path / "feedback.jsonl")
    try:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(srv.url, wait_until="load")
        page.locator("#question textarea").wait_for()
        _ask_in_browser(page, "What did the web team find in the border report about tariffs?")
        assert "<script>alert('pwned')</script>" in page.locator("#sources").inner_text()
        assert dialogs == []
        assert "BorderInfrastructureInvestmentAnnex_2020" in page.locator("#sources").inner_text()
        card = page.locator("#sources .source-card").first
        assert card.evaluate("c => c.scrollWidth <= c.clientWidth"), "a long URL runs out of its source card"
        page.close()
    finally:
        srv.stop()


def test_compare_tab_shows_a_row_per_report_with_links(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server.url, wait_until="load")
    page.get_by_role("tab", name="Compare reports").click()
    page.locator("#compare-topic textarea").fill("Border Health Commission")
    page.locator("#compare-button").click()
    table = page.locator("#comparison table.comparison")
    table.wait_for(timeout=60_000)
    assert table.locator("tr").count() == 6  # header + five reports
    assert table.get_by_text("No statement found in this report.").count() == 4
    assert table.locator("a[href^='/viewer/wilson-2021-rebuilding-a-complex-partnership?page=']").count() >= 1
    csv_link = page.locator("a[href*='comparison.csv']").first
    csv_link.wait_for(timeout=30_000)
    href = csv_link.get_attribute("href")
    csv_text = page.request.get(href if href.startswith("http") else server.url + href).text()
    assert f"{server.url}/pdf/wilson-2021-rebuilding-a-complex-partnership#page=" in csv_text
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)
    page.close()


def test_malformed_api_payloads_get_errors_and_the_server_keeps_serving(server):
    from gradio_client import Client

    client = Client(server.url, verbose=False)
    assert "empty" in client.predict("", api_name="/ask")["error"]
    assert "2000 characters" in client.predict("x" * 5000, api_name="/ask")["error"]
    assert "error" in client.predict("energy", None, 2021, 2017, api_name="/ask")
    assert "error" in client.predict("energy", None, None, None, [{"role": "robot"}], api_name="/ask")
    for body in (b"not json", b'{"data": "not a list"}'):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(_api_call(server, body), timeout=10)
        assert 400 <= err.value.code < 500
    # Well-formed, but numbers where the question and filters go: the handler answers with a message.
    with urllib.request.urlopen(_api_call(server, b'{"data": [1, 2, 3, 4, 5, 6, 7]}'), timeout=10) as response:
        event_id = json.load(response)["event_id"]
    with urllib.request.urlopen(f"{server.url}/gradio_api/call/ask/{event_id}", timeout=30) as response:
        events = response.read().decode()
    assert "event: complete" in events and '"error": "question must be text."' in events
    assert client.predict("What is the Mérida Initiative?", api_name="/ask")["citations"]


def _api_call(server, body: bytes) -> urllib.request.Request:
    return urllib.request.Request(server.url + "/gradio_api/call/ask", data=body,
                                  headers={"Content-Type": "application/json"})


def test_feedback_and_export_from_the_browser(real_index, tmp_path, browser):
    feedback = tmp_path / "feedback.jsonl"
    srv = Server(real_index, feedback)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(srv.url, wait_until="load")
        page.locator("#question textarea").wait_for()
        _ask_in_browser(page, "How many people of Mexican heritage live in the United States?")
        page.locator("#year-from input").fill("2022")  # an empty range: the next question gets an error reply
        page.locator("#year-from input").press("Tab")
        page.locator("#question textarea").fill("What did the former ambassadors propose on migration?")
        page.locator("#question textarea").press("Enter")
        page.locator("#chat [data-testid='bot']").get_by_text("The year range is empty").wait_for(timeout=30_000)
        _wait_until_idle(page)
        page.locator("#year-from input").fill("2017")
        page.locator("#year-from input").press("Tab")
        _ask_for_new_sources(page, "What is the Mérida Initiative?")
        _ask_for_new_sources(page, "What do the reports recommend on border infrastructure and ports of entry?")
        page.get_by_label("Optional comment, sent with your next like or dislike").fill("useful for my story")
        page.locator("#chat button[aria-label='Like']").nth(2).click()  # the third answer
        page.get_by_text("Thanks, your feedback was recorded.").wait_for(timeout=30_000)
        entry = json.loads(feedback.read_text().splitlines()[-1])
        assert entry["rating"] == "up" and entry["comment"] == "useful for my story"
        assert entry["question"] == "What is the Mérida Initiative?" and entry["citations"] and entry["index_hash"]

        page.get_by_role("button", name="Export conversation (Markdown)").click()
        link = page.locator("a[href*='conversation.md']").first
        link.wait_for(timeout=30_000)
        text = page.request.get(link.get_attribute("href") if link.get_attribute("href").startswith("http")
                                else srv.url + link.get_attribute("href")).text()
        assert "## Q: What is the Mérida Initiative?" in text and "Sources:" in text
        assert text.count("> Searched: all reports, all years.") == 3  # the error reply is no answer
        page.close()
    finally:
        srv.stop()


def test_missing_index_is_explained_in_the_page(tmp_path, browser):
    srv = Server(tmp_path / "no-index", tmp_path / "feedback.jsonl")
    try:
        page = browser.new_page()
        page.goto(srv.url, wait_until="load")
        page.get_by_text("python -m indexer build").first.wait_for(timeout=30_000)
        page.close()
    finally:
        srv.stop()
