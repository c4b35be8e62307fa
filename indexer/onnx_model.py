"""The packaged MiniLM as an int8 ONNX model: about twice as fast on a CPU, and no torch at query time.

Exported once from the packaged weights (torch is needed for that step only) and quantised with
onnxruntime's dynamic int8 quantisation of the MatMul weights, per channel: cosine to the float
model's vectors is about 0.99. The file is cached per model and recipe, written atomically, so two
processes exporting at once cannot leave a broken file behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

from indexer.token_states import TokenStates

RECIPE = "int8-matmul-per-channel-eager-v2"  # part of the cache key: a new recipe means a new file
MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length, as sentence-transformers truncates
CACHE_ENV = "QA_MODEL_CACHE"


def cache_dir() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "mexico-policy-qa"
    return Path(os.environ.get(CACHE_ENV, default))


def quantised_model(model_dir: Path) -> Path:
    """Path of the int8 ONNX file for the model folder, exporting it on first use."""
    weights = model_dir / "model.safetensors"
    key = hashlib.sha256(f"{weights.stat().st_size}:{weights.stat().st_mtime_ns}:{RECIPE}".encode()).hexdigest()[:16]
    target = cache_dir() / f"{model_dir.parent.name}-{key}.onnx"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        _export(model_dir, target)
    return target


def _export(model_dir: Path, target: Path) -> None:
    import logging
    import warnings

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    class LastHiddenState(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    # Eager attention exports as MatMul, Add(mask), Softmax. The default (SDPA) export guards against
    # fully masked rows with IsNaN and Where over every attention score: a fifth of the model's time.
    model = LastHiddenState(AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval())
    names = ["input_ids", "attention_mask", "token_type_ids"]
    sample = torch.ones(2, 8, dtype=torch.long)
    # The exporter and quantiser warn about things that do not apply here (tracing, pre-processing).
    root, level = logging.getLogger(), logging.getLogger().level
    root.setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(dir=target.parent) as work, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        float_model, int8_model = Path(work) / "float.onnx", Path(work) / "int8.onnx"
        torch.onnx.export(model, (sample, sample, torch.zeros_like(sample)), str(float_model), input_names=names,
                          output_names=["hidden"], opset_version=17, dynamo=False,
                          dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "hidden"]})
        quantize_dynamic(str(float_model), str(int8_model), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"])
        os.replace(int8_model, target)
    root.setLevel(level)


class OnnxMiniLM:
    """Token states and mean-pooled, normalised vectors from the int8 ONNX model."""

    def __init__(self, model_dir: Path):
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # no warnings on stderr for every session
        self.session = onnxruntime.InferenceSession(str(quantised_model(model_dir)), options,
                                                    providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()

    def token_states(self, texts: list[str]) -> TokenStates:
        batch = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in batch], dtype=np.int64)
        mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                         "token_type_ids": np.zeros_like(ids)})[0]
        return TokenStates(hidden=hidden, mask=mask.astype(bool),
                           offsets=np.array([e.offsets for e in batch], dtype=np.int64))

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.token_states(texts).text_vectors()
