"""A fast, deterministic stand-in for the embedding model, for unit tests only."""

from __future__ import annotations

import hashlib

import numpy as np

from indexer.lexical import tokenize


class FakeEncoder:
    """Bag-of-words vectors hashed into 64 dimensions; remembers every text it embedded."""

    model_id = "sentence-transformers/all-MiniLM-L6-v2"
    dimension = 64

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        self.embedded.extend(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for term in tokenize(text) or ["_"]:
                out[i, int(hashlib.md5(term.encode()).hexdigest(), 16) % self.dimension] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def encode_in_context(self, texts: list[str], spans: list[list[tuple[int, int]]]):
        """Spans get the vectors of their own words (no context); those past the first 60 words are
        left to be embedded on their own, as the real model's token limit leaves them."""
        cut = [len(" ".join(t.split(" ")[:60])) for t in texts]
        return self.encode(texts), [[self._vector(t[a:b]) if b <= limit else None for a, b in row]
                                    for t, row, limit in zip(texts, spans, cut)]

    def _vector(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


class FakeLlm:
    """Stands in for LlmClient: streams a fixed reply word by word, or fails; records the prompts."""

    def __init__(self, reply: str = "", rewrite: str = "", error: Exception | None = None) -> None:
        self.reply, self.rewrite, self.error = reply, rewrite, error
        self.prompts: list[list[tuple[str, str]]] = []

    def stream(self, messages):
        self.prompts.append(messages)
        if self.error:
            raise self.error
        words = self.reply.split(" ")
        for i, word in enumerate(words):
            yield word if i == len(words) - 1 else word + " "

    def complete(self, messages) -> str:
        self.prompts.append(messages)
        if self.error:
            raise self.error
        return self.rewrite
