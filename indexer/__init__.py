"""Indexer: PDFs to a self-describing, atomically written search index."""

from indexer.store import IndexMissing, LoadedIndex, load_index

__all__ = ["IndexMissing", "LoadedIndex", "load_index"]
