"""The packaged MiniLM through both backends: the int8 ONNX export must agree with torch."""

import numpy as np
import pytest

from indexer.embedding import ModelUnavailable, SentenceEmbedder

pytestmark = pytest.mark.real_corpus  # the real packaged model

TEXTS = ["Remittances to Mexico reached a record in 2020.",
         "The energy reform opened oil and gas to private investment.",
         "Border wait times cost both economies billions of dollars a year."]
QUERY = ["How much money do migrants send home to Mexico?"]


def test_int8_onnx_vectors_agree_with_torch_and_rank_alike(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_MODEL_CACHE", str(tmp_path / "cache"))
    onnx, torch = SentenceEmbedder(backend="onnx-int8"), SentenceEmbedder(backend="torch")
    a, b = onnx.encode(TEXTS + QUERY), torch.encode(TEXTS + QUERY)
    assert a.shape == b.shape == (4, 384) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)
    assert (a * b).sum(axis=1).min() > 0.95
    assert np.argsort(-(a[:3] @ a[3])).tolist() == np.argsort(-(b[:3] @ b[3])).tolist()
    # exported once, into one finished file: no temporary leftovers beside it
    assert [p.suffix for p in (tmp_path / "cache").iterdir()] == [".onnx"]


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(ModelUnavailable, match="unknown embedding backend 'tensorrt'"):
        SentenceEmbedder(backend="tensorrt")


PASSAGE = ("The Mérida Initiative began in 2008 as a security partnership. "
           "It was criticised for funding equipment rather than institutions.")
SENTENCES = [(0, PASSAGE.index(" It")), (PASSAGE.index("It"), len(PASSAGE))]


@pytest.mark.parametrize("backend", ["onnx-int8", "torch"])
def test_one_pass_gives_the_passage_vector_and_sentence_vectors_that_know_their_context(backend):
    model = SentenceEmbedder(backend=backend)
    passages, sentences = model.encode_in_context([PASSAGE, TEXTS[0]], [SENTENCES, [(0, len(TEXTS[0]))]])
    assert np.allclose(passages, model.encode([PASSAGE, TEXTS[0]]), atol=1e-3)
    pronoun_in_context, pronoun_alone = sentences[0][1], model.encode([PASSAGE[SENTENCES[1][0]:]])[0]
    topic = model.encode(["criticism of the Mérida Initiative"])[0]
    assert pronoun_in_context @ topic > pronoun_alone @ topic + 0.1  # "It" carries what it refers to
    # a sentence that is the whole text stays close to that text's own vector
    assert sentences[1][0] @ passages[1] > 0.95


def test_sentences_past_the_token_limit_are_left_to_be_embedded_alone():
    model = SentenceEmbedder(backend="onnx-int8")
    long_text = " ".join(["Trade across the border grew every year of the decade."] * 40) + " The last sentence."
    spans = [(0, 10), (len(long_text) - len("The last sentence."), len(long_text))]
    _, (sentences,) = model.encode_in_context([long_text], [spans])
    assert sentences[0] is not None and sentences[1] is None
