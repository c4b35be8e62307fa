from pathlib import Path

import pytest

from chat.abstention import AbstentionSettings
from chat.engine import ChatEngine, EngineSettings
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
    # Similarities of hashed bag-of-words vectors run lower than MiniLM's, so the calibrated
    # threshold of the real model does not apply to the fake one.
    settings = EngineSettings(abstention=AbstentionSettings(min_similarity=0.2))
    return ChatEngine(index=load_index(index_dir), encoder=FakeEncoder(), settings=settings)


def one_page_engine(folder: Path, file_name: str, lines: list[str]) -> ChatEngine:
    """An engine over a corpus of one one-page report."""
    (folder / "corpus").mkdir()
    make_pdf(folder / "corpus" / file_name, [lines], title=file_name)
    return fake_engine(folder / "corpus", folder / "index")
