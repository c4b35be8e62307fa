"""Rebuilds re-embed only what changed, and a failed build never damages the previous index."""

import json

import pytest

from indexer import IndexMissing, load_index
from indexer.build import build_index
from indexer.settings import IndexSettings
from indexer.store import FORMAT_VERSION, LexicalIndex
from tests.conftest import MIGRATION_PAGES
from tests.fakes import FakeEncoder
from tests.pdfs import make_pdf


class RecordingFactory:
    def __init__(self):
        self.encoder = FakeEncoder()

    def __call__(self, settings):
        return self.encoder


def _build(corpus, index_dir, factory=None):
    return build_index(corpus, index_dir, IndexSettings(), factory or RecordingFactory(), progress=False)


def test_rebuild_with_nothing_changed_embeds_nothing(small_corpus, tmp_path):
    _build(small_corpus, tmp_path / "index")
    factory = RecordingFactory()
    report = _build(small_corpus, tmp_path / "index", factory)
    assert factory.encoder.embedded == []
    assert report.reused_files == 2


def test_changed_file_is_the_only_one_re_embedded(small_corpus, tmp_path):
    _build(small_corpus, tmp_path / "index")
    pages = [MIGRATION_PAGES[0], MIGRATION_PAGES[1][:1] + ["Deportations rose sharply in the third year."]]
    make_pdf(small_corpus / "migration-2021-review.pdf", pages)
    factory = RecordingFactory()
    report = _build(small_corpus, tmp_path / "index", factory)
    assert report.reused_files == 1
    embedded = " ".join(factory.encoder.embedded)
    assert "Deportations rose sharply" in embedded
    assert "Natural gas exports" not in embedded  # the unchanged trade report
    chunks = load_index(tmp_path / "index").chunks
    assert any("Deportations" in c.text for c in chunks)


def test_added_file_is_indexed_and_removed_file_drops_its_chunks(small_corpus, tmp_path):
    _build(small_corpus, tmp_path / "index")
    make_pdf(small_corpus / "health-2020-agenda.pdf", [["HEALTH", "Pandemic preparedness needs a plan."]])
    (small_corpus / "trade-2019-outlook.pdf").unlink()
    _build(small_corpus, tmp_path / "index")
    index = load_index(tmp_path / "index")
    assert {c.report_id for c in index.chunks} == {"migration-2021-review", "health-2020-agenda"}
    assert index.manifest.vector_sets["minilm/chunks"].count == len(index.chunks)


def test_crash_while_writing_leaves_previous_index_loadable(small_corpus, tmp_path, monkeypatch):
    _build(small_corpus, tmp_path / "index")
    before = load_index(tmp_path / "index").manifest.content_hash
    make_pdf(small_corpus / "health-2020-agenda.pdf", [["HEALTH", "Pandemic preparedness needs a plan."]])

    def crash(self, folder):
        raise KeyboardInterrupt

    monkeypatch.setattr(LexicalIndex, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        _build(small_corpus, tmp_path / "index")
    assert load_index(tmp_path / "index").manifest.content_hash == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("index.")] == ["index.lock"]


def test_manifest_describes_the_index(small_corpus, tmp_path):
    _build(small_corpus, tmp_path / "index")
    manifest = load_index(tmp_path / "index").manifest
    assert manifest.settings.model_id == "sentence-transformers/all-MiniLM-L6-v2"
    assert {f.file_name: len(f.sha256) for f in manifest.files} == {
        "migration-2021-review.pdf": 64, "trade-2019-outlook.pdf": 64}
    assert manifest.chunks > 0 and manifest.sentences >= manifest.chunks


def test_an_index_of_the_previous_format_asks_for_a_rebuild_and_is_rebuilt_whole(small_corpus, tmp_path):
    _build(small_corpus, tmp_path / "index")
    manifest_path = tmp_path / "index" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["format_version"] = FORMAT_VERSION - 1  # before sentences had a kind
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexMissing, match="Rebuild it with: python -m indexer build"):
        load_index(tmp_path / "index")
    report = _build(small_corpus, tmp_path / "index")
    assert report.reused_files == 0
    assert load_index(tmp_path / "index").manifest.format_version == FORMAT_VERSION


def test_sentence_kinds_survive_a_rebuild_that_reuses_the_files(small_corpus, tmp_path):
    _build(small_corpus, tmp_path / "index")
    kinds = [s.kind for c in load_index(tmp_path / "index").chunks for s in c.sentences]
    _build(small_corpus, tmp_path / "index")
    assert [s.kind for c in load_index(tmp_path / "index").chunks for s in c.sentences] == kinds
    assert "heading" in kinds and "statement" in kinds
