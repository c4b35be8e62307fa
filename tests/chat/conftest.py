from pathlib import Path

import pytest

from chat.abstention import ANSWERABILITY_FEATURES
from chat.engine import ChatEngine, shipped_models
from chat.fitted import LinearModel
from indexer import load_index
from indexer.build import build_index
from indexer.settings import IndexSettings
from tests.fakes import FakeEncoder
from tests.pdfs import make_pdf


@pytest.fixture
def engine(small_corpus, tmp_path) -> ChatEngine:
    return fake_engine(small_corpus, tmp_path / "index")


def fake_engine(corpus: Path, index_dir: Path) -> ChatEngine:
    """An engine over the corpus folder, indexed with the fake encoder."""
    build_index(corpus, index_dir, IndexSettings(), lambda s: FakeEncoder(), progress=False)
    models = shipped_models().model_copy(update={"answerability": fake_answerability()})
    return ChatEngine(index=load_index(index_dir), encoder=FakeEncoder(), models=models)


def fake_answerability() -> LinearModel:
    """Answerable when the best sentence is similar enough and no check finds something lacking.

    Similarities of hashed bag-of-words vectors run lower than MiniLM's, so the model fitted on the
    real one does not apply to the fake one: this one is set by hand, for the unit tests only.
    """
    weights = {"best_support": 20.0, "unknown_names": -50.0, "later_year": -50.0, "count_missing": -50.0,
               "amount_missing": -50.0}
    n = len(ANSWERABILITY_FEATURES)
    return LinearModel(name="answerability", features=ANSWERABILITY_FEATURES, mean=[0.0] * n, scale=[1.0] * n,
                       weights=[weights.get(f, 0.0) for f in ANSWERABILITY_FEATURES], bias=-20.0 * 0.2)


def one_page_engine(folder: Path, file_name: str, lines: list[str]) -> ChatEngine:
    """An engine over a corpus of one one-page report."""
    (folder / "corpus").mkdir()
    make_pdf(folder / "corpus" / file_name, [lines], title=file_name)
    return fake_engine(folder / "corpus", folder / "index")
