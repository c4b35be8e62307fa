"""Small models fitted on the development questions and shipped with the package as JSON.

Evidence choice and abstention weigh their signals with these instead of hand-set weights: linear
models over standardised features (the sentence scorer a conditional logit, which ranks the sentences
of one question; answerability and follow-up detection logistic regressions). `python -m evals fit`
writes them (with the commit and the question set they came from); the engine only applies them.
No pickle: a JSON file of numbers cannot run code.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

FITTED_DIR = Path(str(resources.files("chat") / "fitted"))


class FittedModelError(ValueError):
    """A fitted model's file is missing, unreadable or does not match the features the code computes."""


class LinearModel(BaseModel):
    """A linear model over named features, log-odds w · (x - mean) / scale + b: a logistic regression
    (p = sigmoid of them), or a conditional logit (no bias; only differences within a question mean
    anything)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    features: list[str]
    mean: list[float]
    scale: list[float]
    weights: list[float]
    bias: float
    threshold: float = Field(0.5, description="Probability at which the decision flips (where one is made)")
    provenance: dict = Field(default_factory=dict, description="Commit, question set, examples, date, settings")

    def logit(self, x: np.ndarray) -> np.ndarray:
        """Log-odds for one feature vector (shape d) or a matrix of them (n × d)."""
        z = (np.asarray(x, dtype=float) - np.asarray(self.mean)) / np.asarray(self.scale)
        return z @ np.asarray(self.weights) + self.bias

    def probability(self, x: np.ndarray) -> np.ndarray:
        """sigmoid of the log-odds: meaningful for a logistic regression, not for a conditional logit."""
        return 1.0 / (1.0 + np.exp(-self.logit(x)))

    def checked(self, features: list[str]) -> "LinearModel":
        """This model, if it was fitted on exactly these features. Raises FittedModelError."""
        if self.features != features:
            raise FittedModelError(
                f"the fitted model {self.name!r} was fitted on features {self.features}, but this version "
                f"computes {features}. Refit it with: python -m evals fit --questions ../shared/evals/dev.jsonl")
        return self


class SimilarityScale(BaseModel):
    """A least-squares line from one embedding space's cosines to MiniLM's, over the same question and
    sentence pairs: the models above were fitted on MiniLM's scale, and multilingual-e5's cosines
    crowd into a narrow band near 0.8."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "multilingual_scale"
    slope: float = 1.0
    intercept: float = 0.0
    provenance: dict = Field(default_factory=dict, description="Commit, question set, pairs, date")


class FittedModels(BaseModel):
    """The models the engine applies: one scores evidence sentences, one decides answerability, one
    tells a follow-up from a question that stands alone; and the scale of multilingual similarities."""

    sentence: LinearModel
    answerability: LinearModel
    followup: LinearModel
    multilingual_scale: SimilarityScale = SimilarityScale()


def load_model(name: str, features: list[str], folder: Path = FITTED_DIR) -> LinearModel:
    """The fitted model `name` from the package (or folder). Raises FittedModelError."""
    path = folder / f"{name}.json"
    try:
        model = LinearModel.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FittedModelError(f"cannot read the fitted model {path}: {exc.strerror}. Refit it with: "
                               "python -m evals fit --questions ../shared/evals/dev.jsonl") from None
    except ValueError as exc:
        raise FittedModelError(f"{path} is not a fitted model file ({exc.__class__.__name__}); refit it "
                               "with: python -m evals fit --questions ../shared/evals/dev.jsonl") from None
    return model.checked(features)


def load_scale(folder: Path = FITTED_DIR) -> SimilarityScale:
    """The fitted multilingual similarity scale. Raises FittedModelError."""
    path = folder / f"{SimilarityScale().name}.json"
    try:
        return SimilarityScale.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FittedModelError(f"cannot read the fitted similarity scale {path} ({exc.__class__.__name__}); "
                               "refit it with: python -m evals fit --questions ../shared/evals/dev.jsonl") from None


def save_model(model: LinearModel | SimilarityScale, folder: Path = FITTED_DIR) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{model.name}.json"
    path.write_text(model.model_dump_json(indent=1) + "\n", encoding="utf-8")
    return path
