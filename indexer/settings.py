"""Index build settings. Changing any of them invalidates reused embeddings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
DEFAULT_BACKEND = "onnx-int8"


class ChunkingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    target_chars: int = Field(
        900, description="Chunks close at the first sentence end past this size (chosen on dev.jsonl)"
    )
    overlap_sentences: int = Field(
        1, description="Sentences repeated at the start of the next chunk of the same section"
    )
    embed_context: bool = Field(
        True, description="Prefix report title and section to the text that is embedded"
    )


class IndexSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text_pipeline: int = Field(
        5, description="Version of the extraction, cleaning and chunking code; bumped when it changes")
    model_id: str = Field(DEFAULT_MODEL_ID, description="Embedding model (packaged, offline)")
    backend: Literal["onnx-int8", "torch"] = Field(
        DEFAULT_BACKEND, description="How the model runs: int8 ONNX (about 2x faster on CPU) or torch")
    chunking: ChunkingSettings = ChunkingSettings()
    batch_size: int = Field(32, description="Texts per embedding batch")
    multilingual: bool = Field(
        True, description="Also embed each sentence with multilingual-e5-small, for questions not in English")
