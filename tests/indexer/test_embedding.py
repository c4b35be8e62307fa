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
