"""Dense retrieval through the vector store: a few candidates scored exactly find the passage a full
scan finds (the order of the irrelevant rest can differ: their dense scores are bounds). On the dev
set every metric equals the full scan's."""

import numpy as np

from chat.retrieval import HybridRetriever
from chat.settings import RetrievalSettings
from tests.chat.conftest import fake_engine
from tests.conftest import TRADE_PAGES
from tests.pdfs import make_pdf


class CountingStore:
    """The index's store, recording how many rows each fetch read."""

    def __init__(self, store):
        self.store, self.fetched = store, []

    def fetch(self, name, ids):
        self.fetched.append(len(ids))
        return self.store.fetch(name, ids)

    def __getattr__(self, name):
        return getattr(self.store, name)


def _top_texts(engine, scored, n=1):
    return [engine.index.chunks[scored.positions[i]].text for i in np.argsort(-scored.fused, kind="stable")[:n]]


def test_a_few_candidates_find_the_best_passage_of_a_full_scan(small_corpus, tmp_path):
    for n in range(6):  # more passages than candidates
        make_pdf(small_corpus / f"trade-copy-{n}.pdf", TRADE_PAGES)
    engine = fake_engine(small_corpus, tmp_path / "index")
    counting = CountingStore(engine.index.vectors)
    engine.index.vectors = counting
    full = HybridRetriever(engine.index, RetrievalSettings(dense_candidates=10_000))
    few = HybridRetriever(engine.index, RetrievalSettings(dense_candidates=4))
    chunks = len(engine.index.chunks)
    for question in ["How many vehicles cross every day?", "natural gas exports record", "Merida Initiative"]:
        reading = engine.read(question, [])
        vector = engine.views(reading)[0].vector
        a, b = full.score(reading, vector), few.score(reading, vector)
        assert _top_texts(engine, a) == _top_texts(engine, b)  # copies of a passage tie: compared by text
        counting.fetched.clear()
        few.score(reading, vector)
        assert counting.fetched[0] < chunks  # only the candidates' vectors are read


def test_on_topic_scores_the_same_chunks_by_the_topic_words_alone(engine):
    retriever = engine.retriever
    scored = retriever.score(engine.read("How much trade crosses the border?", []),
                             engine.encoder.encode(["How much trade crosses the border?"])[0])
    topical = retriever.on_topic(scored, ["trade"])
    assert topical.positions.tolist() == scored.positions.tolist()
    best = engine.index.chunks[topical.positions[int(np.argmax(topical.fused))]]
    assert "trade" in best.text.lower()
    assert not retriever.on_topic(scored, ["cricket"]).fused.any()
