from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tests.fakes import FakeEncoder
from tests.pdfs import make_pdf

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
CORPUS = SHARED / "corpus" / "pdf"
DEV_SET = SHARED / "evals" / "dev.jsonl"


def pytest_collection_modifyitems(config, items):
    if not CORPUS.is_dir():
        skip = pytest.mark.skip(reason=f"the shared corpus is not at {CORPUS}")
        for item in items:
            if "real_corpus" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def isolated_environment(tmp_path_factory):
    """No test sees the developer's CHAT_LLM_* settings or uses their int8 model cache.

    Set in os.environ, so the servers and commands tests start inherit it. The model is exported
    once per session into a temporary folder (about a minute on two cores); TEST_MODEL_CACHE=DIR
    uses DIR instead (e.g. ~/.cache/mexico-policy-qa, to skip the export while developing).
    """
    with pytest.MonkeyPatch.context() as env:
        for name in [name for name in os.environ if name.startswith("CHAT_LLM_")]:
            env.delenv(name)
        cache = os.environ.get("TEST_MODEL_CACHE") or str(tmp_path_factory.mktemp("model-cache"))
        env.setenv("QA_MODEL_CACHE", cache)
        yield


@pytest.fixture
def encoder() -> FakeEncoder:
    return FakeEncoder()


TRADE_PAGES = [
    ["TRADE AND INVESTMENT",
     "Trade between the two countries has grown more than six-fold since 1994, and cross-",
     "border supply chains now support nearly five million U.S. jobs in manufacturing and",
     "services across many states.",
     "The report recommends a bilateral workforce council to train technicians for",
     "advanced manufacturing.",
     "Trade Outlook 1"],
    ["BORDER MANAGEMENT",
     "Each day more than one million people cross the border legally at 56 ports of",
     "entry, and 300,000 vehicles cross every day.",
     "Customs officials should inspect cargo side by side in unified processing facilities.",
     "Trade Outlook 2"],
    ["ENERGY",
     "Natural gas exports from the United States to Mexico reached six billion cubic feet",
     "per day in 2019, a record for pipeline trade.",
     "Trade Outlook 3"],
]
MIGRATION_PAGES = [
    ["MIGRATION",
     "About 11 million Mexicans live in the United States and roughly 1.5 million Americans",
     "live in Mexico, according to the migration chapter.",
     "Asylum claims from Central Americans could be screened jointly with the UNHCR.",
     "Migration Review 1"],
    ["SECURITY",
     "The Merida Initiative provided equipment and training rather than cash transfers.",
     "Firearms trafficking from the United States fuels violence in Mexico.",
     "Migration Review 2"],
]


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Two small report PDFs with running footers, in a folder with a catalog.json."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    make_pdf(folder / "trade-2019-outlook.pdf", TRADE_PAGES, title="Trade Outlook")
    make_pdf(folder / "migration-2021-review.pdf", MIGRATION_PAGES, title="Migration Review")
    (folder / "catalog.json").write_text("""{"reports": [
      {"id": "trade-2019-outlook", "title": "Trade Outlook", "publisher": "Institute A", "year": 2019},
      {"id": "migration-2021-review", "title": "Migration Review", "publisher": "Council B", "year": 2021}
    ]}""")
    return folder


@pytest.fixture(scope="session")
def real_index(tmp_path_factory) -> Path:
    """The shared corpus indexed with the packaged model, once per test session.

    TEST_REAL_INDEX=DIR reuses an index built from the shared corpus (saves minutes while developing).
    """
    from indexer.build import build_index
    from indexer.cli import make_encoder
    from indexer.settings import IndexSettings

    if os.environ.get("TEST_REAL_INDEX"):
        return Path(os.environ["TEST_REAL_INDEX"]).resolve()
    folder = tmp_path_factory.mktemp("real") / "index"
    build_index(CORPUS, folder, IndexSettings(), make_encoder, progress=False)
    return folder


@pytest.fixture(scope="session")
def real_engine(real_index):
    from chat.engine import ChatEngine

    return ChatEngine.from_folder(real_index)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """A real PostgreSQL with pgvector (the pgserver wheel) on a Unix socket in a temporary folder,
    started once per session (about 1 s) and stopped at its end."""
    pgserver = pytest.importorskip("pgserver", reason='needs the postgres extra: pip install -e ".[postgres]"')
    server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    yield server
    server.cleanup()


@pytest.fixture
def postgres_url(postgres_server, request) -> str:
    """A URL of a fresh, empty database on the session's server."""
    name = "t_" + hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:12]
    postgres_server.psql(f"DROP DATABASE IF EXISTS {name};")
    postgres_server.psql(f"CREATE DATABASE {name};")
    return postgres_server.get_uri(name)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """Debian's headless chromium driven by Playwright (its own browser download does not work here)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
