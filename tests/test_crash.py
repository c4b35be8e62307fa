"""SIGKILL a real build at several points: the previous index still loads and answers."""

import shutil
import signal
import subprocess
import sys
import time

import pytest

from chat.engine import ChatEngine
from indexer import load_index
from tests.conftest import CORPUS

pytestmark = pytest.mark.real_corpus


def _build(corpus, index):
    return subprocess.Popen([sys.executable, "-m", "indexer", "build", "--no-progress", "--corpus", str(corpus),
                             "--index", str(index)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_killed_builds_leave_the_previous_index_usable_and_the_next_build_completes(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for name in ("wayne-2018-building-partnership-with-mexico", "usmf-wilson-2020-convocation"):
        shutil.copy(CORPUS / f"{name}.pdf", corpus)
    first = _build(corpus, index)
    assert first.wait(timeout=600) == 0, first.stdout.read()
    before = load_index(index).manifest.content_hash

    shutil.copy(CORPUS / "comexi-2017-redefining-the-relationship.pdf", corpus)  # work for the next builds
    after_kills = []
    for delay in (0.5, 3.0, 8.0, 15.0):
        build = _build(corpus, index)
        time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=60)
        after_kills.append(load_index(index).manifest.content_hash)  # loads: not half-written

    engine = ChatEngine.from_folder(index)
    answer = engine.ask("How many border crossings are there each day?")
    assert answer.citations and not answer.abstained

    last = _build(corpus, index)
    assert last.wait(timeout=600) == 0, last.stdout.read()
    completed = load_index(index).manifest
    assert len(completed.files) == 3 and completed.content_hash != before
    # Each killed build left the previous index, or (killed after the swap) the complete new one:
    # the content hash names sources and settings, so a complete build of the three files has this one.
    assert set(after_kills) <= {before, completed.content_hash}, after_kills
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("index")) == ["index", "index.lock"]
