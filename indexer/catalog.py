"""Report metadata: catalog.json when present, else the PDF's own metadata and file name."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import ValidationError
from pypdf import PdfReader

from indexer.models import ReportMeta
from indexer.pdf_reader import read_head


class CatalogError(Exception):
    """catalog.json exists but cannot be used."""


def find_catalog(corpus_dir: Path) -> Path | None:
    """catalog.json beside the PDFs or in the folder above them."""
    for candidate in (corpus_dir / "catalog.json", corpus_dir.parent / "catalog.json"):
        if candidate.is_file():
            return candidate
    return None


def load_catalog(path: Path | None) -> dict[str, ReportMeta]:
    """Report metadata by report id. Raises CatalogError naming the file and the bad field."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogError(f"{path}: not valid JSON ({exc}); fix it or remove it") from None
    entries = data.get("reports") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise CatalogError(f"{path}: expected an object with a \"reports\" list")
    catalog: dict[str, ReportMeta] = {}
    for i, entry in enumerate(entries):
        try:
            meta = ReportMeta.model_validate({k: entry.get(k) for k in ReportMeta.model_fields if k in entry})
        except (ValidationError, AttributeError) as exc:
            raise CatalogError(f"{path}: reports[{i}] is invalid: {_first_error(exc)}") from None
        catalog[meta.id] = meta
    return catalog


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return f"field {'.'.join(map(str, err['loc']))}: {err['msg']}"
    return "each report must be a JSON object"


def metadata_for(pdf: Path, catalog: dict[str, ReportMeta]) -> ReportMeta:
    """Catalog entry for this PDF, or metadata read from the PDF itself and its file name."""
    if pdf.stem in catalog:
        return catalog[pdf.stem]
    title, author = "", ""
    try:
        if b"%PDF-" not in read_head(pdf):  # pypdf would warn without the file's name; load_pages names it
            raise ValueError
        info = PdfReader(pdf).metadata or {}
        title, author = str(info.get("/Title") or ""), str(info.get("/Author") or "")
    except Exception:  # metadata is optional; the text reader reports real damage
        pass
    year_match = re.search(r"(?:19|20)\d\d", pdf.stem)
    return ReportMeta(
        id=pdf.stem,
        title=title.strip() or pdf.stem.replace("-", " ").replace("_", " "),
        publisher=author.strip(),
        authors=[author.strip()] if author.strip() else [],
        year=int(year_match.group(0)) if year_match else None,
    )
