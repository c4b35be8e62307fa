"""Several web chat processes on one index in a real PostgreSQL: the same answers, and a rebuild
that each replica takes up between requests, never half-written."""

import subprocess
import sys
import threading

from indexer.build import build_index
from indexer.cli import make_encoder
from indexer.settings import IndexSettings
from tests.pdfs import make_pdf
from tests.test_web import Server

QUESTION = "How many people cross the border legally each day?"


def _ask(client, question: str = QUESTION) -> dict:
    return client.predict(question, api_name="/ask")


def test_two_replicas_answer_alike_and_switch_to_a_rebuilt_index_between_requests(small_corpus, postgres_url,
                                                                                  tmp_path):
    from gradio_client import Client

    build_index(small_corpus, postgres_url, IndexSettings(), make_encoder, progress=False)
    first, second = Server(postgres_url, tmp_path / "a.jsonl"), Server(postgres_url, tmp_path / "b.jsonl")
    try:
        a, b = Client(first.url, verbose=False), Client(second.url, verbose=False)
        one, other = _ask(a), _ask(b)
        assert "one million people" in one["answer"]
        for key in ("answer", "citations", "retrieved", "index_hash"):
            assert one[key] == other[key]

        make_pdf(small_corpus / "health-2020-agenda.pdf",
                 [["HEALTH", "Pandemic preparedness needs a joint stockpile of medical supplies on both sides."]])
        answers, done = [], threading.Event()

        def keep_asking():
            while not done.is_set():
                answers.append(_ask(a))

        asker = threading.Thread(target=keep_asking)
        asker.start()
        try:
            build_index(small_corpus, postgres_url, IndexSettings(), make_encoder, progress=False)
        finally:
            done.set()
            asker.join()
        after = [_ask(replica, "What does pandemic preparedness need?") for replica in (a, b)]
    finally:
        first.stop()
        second.stop()
    new_hash = after[0]["index_hash"]
    assert new_hash != one["index_hash"] and after[1]["index_hash"] == new_hash
    assert all("health-2020-agenda" in {c["doc"] for c in answer["citations"]} for answer in after)
    assert answers and not [x for x in answers if "error" in x]
    assert {x["index_hash"] for x in answers} <= {one["index_hash"], new_hash}
    assert all(x["answer"] == one["answer"] for x in answers if x["index_hash"] == one["index_hash"])


def test_an_unreachable_database_is_a_message_not_a_traceback(tmp_path):
    url = f"postgresql://postgres@/qa?host={tmp_path}"  # no server listens there
    for command in (["indexer", "info"], ["chat", "ask", "Anything?"]):
        run = subprocess.run([sys.executable, "-m", *command, "--index", url], capture_output=True, text=True)
        assert run.returncode != 0
        assert "Cannot reach the index database" in run.stderr and "Traceback" not in run.stderr


def test_a_database_that_stops_answering_mid_serving_is_a_message(small_corpus, tmp_path):
    import pgserver

    from chat.engine import ChatEngine
    from chat.feedback import FeedbackLog
    from chat.web import WebChat
    from indexer import load_index
    from tests.fakes import FakeEncoder

    server = pgserver.get_server(tmp_path / "pg", cleanup_mode="stop")
    try:
        url = server.get_uri()
        build_index(small_corpus, url, IndexSettings(), lambda s: FakeEncoder(), progress=False)
        web = WebChat(ChatEngine(index=load_index(url), encoder=FakeEncoder()), FeedbackLog(tmp_path / "f.jsonl"))
        assert "error" not in web.api_ask(QUESTION)
    finally:
        server.cleanup()
    assert "is not answering" in web.api_ask(QUESTION)["error"]
