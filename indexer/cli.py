"""`python -m indexer`: build an index from a folder of PDFs, or describe an existing one."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from indexer.build import BuildFailed, build_index
from indexer.multilingual import MultilingualUnavailable
from indexer.catalog import CatalogError
from indexer.embedding import ModelUnavailable, SentenceEmbedder
from indexer.pdf_reader import MAX_PAGES
from indexer.settings import DEFAULT_BACKEND, IndexSettings
from indexer.store import IndexBusy, IndexMissing, Location, index_location, is_database, load_index, redacted

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "pdf"
DEFAULT_INDEX = Path("index")


class IndexLocationType(click.ParamType):
    """An index folder, or the URL of an index in PostgreSQL (kept a string: a Path folds its //)."""

    name = "FOLDER|URL"

    def convert(self, value, param, ctx) -> Location:
        return index_location(value)


def index_option(help_text: str = "Index folder, or postgresql://... for an index shared by app replicas."):
    """--index, shared by every command: default index/, or $INDEX_STORE when set."""
    return click.option("--index", "index_dir", type=IndexLocationType(),
                        default=lambda: os.environ.get("INDEX_STORE") or str(DEFAULT_INDEX),
                        show_default="index, or $INDEX_STORE", help=help_text)


def make_encoder(settings: IndexSettings) -> SentenceEmbedder:
    return SentenceEmbedder(settings.model_id, batch_size=settings.batch_size, backend=settings.backend)


@click.group()
def cli() -> None:
    """Index policy-report PDFs for the Q&A chat."""
    logging.basicConfig(level=logging.WARNING, format="warning: %(message)s", stream=sys.stderr)


@cli.command()
@click.option("--corpus", type=click.Path(path_type=Path), default=DEFAULT_CORPUS, show_default=True,
              help="Folder of PDF files (catalog.json beside or above it is read when present).")
@index_option("Index folder to write (replaced atomically at the end), or postgresql://... (a new version, "
              "made current at the end).")
@click.option("--strict", is_flag=True, help="Fail if any file has to be skipped.")
@click.option("--chunk-chars", type=int, default=None, help="Target passage size in characters.")
@click.option("--max-pages", type=click.IntRange(min=1), default=MAX_PAGES, show_default=True,
              help="Pages read per PDF at most (a guard against PDF bombs).")
@click.option("--backend", type=click.Choice(["onnx-int8", "torch"]), default=DEFAULT_BACKEND, show_default=True,
              help="How the embedding model runs; int8 ONNX is about twice as fast on a CPU, same quality on dev.")
@click.option("--ray", "ray_address", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS]",
              help="Read and embed the PDFs as Ray tasks: on the cluster at ADDRESS (ray://host:10001, auto), "
                   "or without one on a local Ray using this machine's cores. Needs: pip install -e \".[ray]\"")
@click.option("--no-progress", is_flag=True, help="Do not show the progress bar.")
def build(corpus: Path, index_dir: Location, strict: bool, chunk_chars: int | None, max_pages: int, backend: str,
          ray_address: str | None, no_progress: bool) -> None:
    """Read every PDF in the corpus folder and write the index. Unchanged files are not re-embedded."""
    settings = IndexSettings(backend=backend)
    if chunk_chars:
        settings = settings.model_copy(update={
            "chunking": settings.chunking.model_copy(update={"target_chars": chunk_chars})})
    try:
        report = build_index(corpus, index_dir, settings, make_encoder, strict=strict,
                             progress=not no_progress, max_pages=max_pages, ray=ray_address)
    except (BuildFailed, CatalogError, ModelUnavailable, MultilingualUnavailable, IndexBusy, IndexMissing) as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        raise click.ClickException("interrupted; the previous index (if any) is unchanged") from None
    for ignored in report.ignored:
        click.echo(f"warning: ignored {ignored.file_name}: {ignored.reason}", err=True)
    for skipped in report.skipped:
        click.echo(f"warning: skipped {skipped.file_name}: {skipped.reason}", err=True)
    click.echo(report.summary())
    click.echo(f"Index written to {redacted(index_dir) if is_database(index_dir) else f'{index_dir}/'}")


@cli.command()
@index_option()
def info(index_dir: Location) -> None:
    """Print what an index holds: reports, pages, chunks, model, settings, build time."""
    try:
        index = load_index(index_dir)
    except IndexMissing as exc:
        raise click.ClickException(str(exc)) from None
    m = index.manifest
    click.echo(f"Index {redacted(index_dir) if is_database(index_dir) else f'{index_dir}/'}  (format {m.format_version}, content hash {m.content_hash})")
    click.echo(f"Built {m.built_at} in {m.build_seconds:.1f} s from {m.corpus_dir}")
    click.echo(f"Model {m.settings.model_id} ({m.dimension} dimensions, {m.settings.backend} backend)")
    click.echo(f"Chunking {m.settings.chunking.model_dump()}")
    click.echo(f"{len(m.files)} reports, {sum(f.pages for f in m.files)} pages, "
               f"{m.chunks} chunks, {m.sentences} sentences")
    for name, vector_set in m.vector_sets.items():
        click.echo(f"Vector set {name}: {vector_set.count} rows of {vector_set.dimension}, searched {vector_set.search}")
    for report, source in zip(m.reports, m.files):
        click.echo(f"  {report.id}  {report.year or '----'}  {source.pages:>4} pages  "
                   f"{source.chunks:>4} chunks  {report.title}")
    for skipped in m.skipped:
        click.echo(f"  skipped {skipped.file_name}: {skipped.reason}")
