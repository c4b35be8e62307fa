import pytest

from chat.abstention import AbstentionSettings
from chat.engine import ChatEngine, EngineSettings
from indexer import load_index
from indexer.build import build_index
from indexer.settings import IndexSettings
from tests.fakes import FakeEncoder


@pytest.fixture
def engine(small_corpus, tmp_path) -> ChatEngine:
    build_index(small_corpus, tmp_path / "index", IndexSettings(), lambda s: FakeEncoder(), progress=False)
    # Similarities of hashed bag-of-words vectors run lower than MiniLM's, so the calibrated
    # threshold of the real model does not apply to the fake one.
    settings = EngineSettings(abstention=AbstentionSettings(min_similarity=0.2))
    return ChatEngine(index=load_index(tmp_path / "index"), encoder=FakeEncoder(), settings=settings)
