"""The multilingual vectors: one per matched sentence, reused on a rebuild, absent when turned off."""

import numpy as np

from chat.engine import ChatEngine
from indexer import load_index
from indexer.build import build_index
from indexer.models import Chunk
from indexer.multilingual import UNMATCHED_KINDS
from indexer.settings import IndexSettings
from indexer.store import passage_means
from tests.fakes import FakeEncoder


def _build(corpus, folder, **settings):
    return build_index(corpus, folder, IndexSettings(**settings), lambda s: FakeEncoder(), progress=False)


def test_each_matched_sentence_is_embedded_once_and_a_rebuild_embeds_none(small_corpus, tmp_path):
    first = _build(small_corpus, tmp_path / "i")
    index = load_index(tmp_path / "i")
    sentences = [s for c in index.chunks for s in c.sentences]
    vectors, word_vectors = index.multilingual_vectors()
    assert vectors.shape == (len(sentences), 384)
    norms = np.linalg.norm(vectors, axis=1)
    assert np.allclose(norms[[s.kind not in UNMATCHED_KINDS for s in sentences]], 1.0, atol=1e-3)
    words = index.manifest.multilingual_words
    assert words and len(words) == len(word_vectors)
    # How the reports use the words is read once, at build time: the chat does not re-read the sentences.
    assert index.manifest.multilingual_english and set(index.manifest.multilingual_english) <= set(words)
    matched = {s.text for s in sentences if s.kind not in UNMATCHED_KINDS}
    assert first.embedded_texts >= len(matched) + len(words)
    again = _build(small_corpus, tmp_path / "i")
    assert again.embedded_texts == 0
    assert np.array_equal(load_index(tmp_path / "i").multilingual_vectors()[0], vectors)


def test_without_multilingual_vectors_a_spanish_question_says_so(small_corpus, tmp_path):
    _build(small_corpus, tmp_path / "i", multilingual=False)
    index = load_index(tmp_path / "i")
    assert index.multilingual_vectors() is None and index.manifest.multilingual_model is None
    engine = ChatEngine(index=index, encoder=FakeEncoder())
    answer = engine.ask("¿Cuántos migrantes cruzaron la frontera según los informes?")
    assert answer.reading.lang == "es" and "python -m indexer build" in answer.notice
    assert "índice" in answer.notice


def test_a_passage_vector_is_the_normalised_mean_of_its_matched_sentences(small_corpus, tmp_path):
    _build(small_corpus, tmp_path / "i")
    index = load_index(tmp_path / "i")
    sentences, _ = index.multilingual_vectors()
    offsets = index.sentence_offsets
    passages = index.vectors.fetch("multilingual/chunks", np.arange(len(index.chunks)))
    for p in range(len(index.chunks)):
        mean = sentences[offsets[p]:offsets[p + 1]].sum(axis=0)  # unmatched sentences' rows are zeros
        assert np.allclose(passages[p], mean / np.linalg.norm(mean), atol=1e-5)


def test_passage_means_leave_a_passage_without_matched_sentences_at_zero():
    rows = np.array([[3.0, 4.0], [0.0, 0.0], [0.0, 0.0], [1.0, 0.0]], dtype=np.float32)
    sizes = [1, 0, 2, 1]  # a passage with no sentence at all, one of unmatched sentences only
    chunks = [Chunk.model_construct(sentences=[object()] * n) for n in sizes]
    assert np.allclose(passage_means(rows, chunks), [[0.6, 0.8], [0.0, 0.0], [0.0, 0.0], [1.0, 0.0]])
