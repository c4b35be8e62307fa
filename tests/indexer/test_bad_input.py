"""Each kind of bad file is skipped with a one-line reason naming it; the good files are indexed."""

import re
import shutil

import pytest
from click.testing import CliRunner

from indexer import cli as indexer_cli
from indexer import IndexMissing, load_index
from indexer.build import build_index
from indexer.settings import IndexSettings
from tests.fakes import FakeEncoder
from tests.pdfs import make_blank_pdf, make_encrypted_pdf

BAD_FILES = {
    "corrupt.pdf": ("corrupt", lambda p, good: p.write_bytes(good.read_bytes()[:400] + b"garbage" * 50)),
    "encrypted.pdf": ("encrypted", lambda p, good: make_encrypted_pdf(p, good)),
    "scanned.pdf": ("no extractable text", lambda p, good: make_blank_pdf(p)),
    "empty.pdf": ("empty file", lambda p, good: p.write_bytes(b"")),
    "page.pdf": ("HTML page", lambda p, good: p.write_text("<!DOCTYPE html><html><body>Not found</body></html>")),
    "notes.txt": ("not a .pdf file", lambda p, good: p.write_text("some notes")),
}


@pytest.fixture(autouse=True)
def fake_model(monkeypatch):
    monkeypatch.setattr(indexer_cli, "make_encoder", lambda settings: FakeEncoder())


def _build(*args: str):
    return CliRunner().invoke(indexer_cli.cli, ["build", "--no-progress", *args])


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_skipped_with_its_name_and_reason(name, small_corpus, tmp_path):
    reason, make = BAD_FILES[name]
    make(small_corpus / name, small_corpus / "trade-2019-outlook.pdf")
    result = _build("--corpus", str(small_corpus), "--index", str(tmp_path / "index"))
    assert result.exit_code == 0, result.output
    warning = next(line for line in result.output.splitlines() if name in line)
    assert reason in warning
    index = load_index(tmp_path / "index")
    assert {f.report_id for f in index.manifest.files} == {"trade-2019-outlook", "migration-2021-review"}


def test_a_text_file_named_pdf_is_named_once_with_one_reason(small_corpus, tmp_path):
    (small_corpus / "notes.pdf").write_text("this is not a pdf")
    result = _build("--corpus", str(small_corpus), "--index", str(tmp_path / "index"))
    assert result.exit_code == 0, result.output
    # pypdf's own warnings ("invalid pdf header") name no file; the metadata reader no longer opens it.
    assert "invalid pdf header" not in result.output and "EOF marker" not in result.output
    warnings = [line for line in result.output.splitlines() if "notes.pdf" in line]
    assert len(warnings) == 1 and warnings[0].endswith("notes.pdf: not a PDF (no %PDF- header)")


def test_strict_makes_a_skipped_file_fatal_and_keeps_the_old_index(small_corpus, tmp_path):
    assert _build("--corpus", str(small_corpus), "--index", str(tmp_path / "index")).exit_code == 0
    (small_corpus / "empty.pdf").write_bytes(b"")
    result = _build("--corpus", str(small_corpus), "--index", str(tmp_path / "index"), "--strict")
    assert result.exit_code != 0
    assert "--strict" in result.output
    assert len(load_index(tmp_path / "index").manifest.files) == 2


def test_folder_with_only_bad_files_fails(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.pdf").write_bytes(b"")
    result = _build("--corpus", str(folder), "--index", str(tmp_path / "index"))
    assert result.exit_code != 0
    assert "nothing could be indexed" in result.output
    assert not (tmp_path / "index").exists()


def test_empty_folder_fails_with_advice(tmp_path):
    (tmp_path / "empty").mkdir()
    result = _build("--corpus", str(tmp_path / "empty"), "--index", str(tmp_path / "index"))
    assert result.exit_code != 0
    assert "no PDF files" in result.output and "--corpus" in result.output


def test_missing_folder_fails_with_advice(tmp_path):
    result = _build("--corpus", str(tmp_path / "nowhere"), "--index", str(tmp_path / "index"))
    assert result.exit_code != 0
    assert "does not exist" in result.output
    assert "Traceback" not in result.output


def test_broken_catalog_names_the_file(small_corpus, tmp_path):
    (small_corpus / "catalog.json").write_text('{"reports": [{"title": "no id"}]}')
    result = _build("--corpus", str(small_corpus), "--index", str(tmp_path / "index"))
    assert result.exit_code != 0
    assert "catalog.json" in result.output and "reports[0]" in result.output


def test_without_catalog_metadata_comes_from_pdf_and_file_name(small_corpus, tmp_path):
    (small_corpus / "catalog.json").unlink()
    shutil.copy(small_corpus / "trade-2019-outlook.pdf", small_corpus / "copy-2015-notes.pdf")
    assert _build("--corpus", str(small_corpus), "--index", str(tmp_path / "index")).exit_code == 0
    reports = load_index(tmp_path / "index").reports
    assert reports["copy-2015-notes"].title == "Trade Outlook"
    assert reports["copy-2015-notes"].year == 2015


def test_files_read_in_worker_processes_give_the_same_index_and_the_same_skips(small_corpus, tmp_path, monkeypatch):
    from indexer import build

    BAD_FILES["corrupt.pdf"][1](small_corpus / "corrupt.pdf", small_corpus / "trade-2019-outlook.pdf")
    assert _build("--corpus", str(small_corpus), "--index", str(tmp_path / "here")).exit_code == 0
    monkeypatch.setattr(build, "PARALLEL_MIN_BYTES", 0)  # the test PDFs are small
    result = _build("--corpus", str(small_corpus), "--index", str(tmp_path / "workers"))
    assert result.exit_code == 0, result.output
    assert "corrupt.pdf" in result.output
    here, workers = load_index(tmp_path / "here"), load_index(tmp_path / "workers")
    assert workers.chunks == here.chunks
    assert workers.manifest.files == here.manifest.files
    assert workers.manifest.skipped == here.manifest.skipped


def test_a_ray_build_without_ray_says_what_to_install(small_corpus, tmp_path, monkeypatch):
    import sys

    from indexer.build import BuildFailed

    monkeypatch.setitem(sys.modules, "ray", None)  # as if not installed
    with pytest.raises(BuildFailed, match=re.escape('pip install -e ".[ray]"')):
        build_index(small_corpus, tmp_path / "index", IndexSettings(), lambda s: FakeEncoder(), progress=False,
                    ray="local")


def test_a_postgres_index_without_its_packages_says_what_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "langchain_postgres", None)
    with pytest.raises(IndexMissing, match=re.escape('pip install -e ".[postgres]"')):
        load_index("postgresql://postgres@/qa?host=/nowhere")
