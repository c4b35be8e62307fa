"""Read a PDF's pages with pypdf, turning every way a file can be unusable into one clear reason."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from indexer.models import Page

# A page that extracts to more than this is garbage (or hostile); keep its start only.
MAX_PAGE_CHARS = 50_000
# Reports run to a few hundred pages; past this a file is a PDF bomb or not a report.
MAX_PAGES = 2_000
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

log = logging.getLogger(__name__)


class UnreadablePdf(Exception):
    """The file cannot be indexed; the message says why in a few words."""


def load_pages(path: Path, max_pages: int = MAX_PAGES) -> list[Page]:
    """Return the text of every page (the first max_pages), numbered from 1. Raises UnreadablePdf."""
    head = read_head(path)
    if not head:
        raise UnreadablePdf("empty file (0 bytes)")
    if b"%PDF-" not in head:
        kind = "an HTML page, " if b"<html" in head.lower() or b"<!doctype" in head.lower() else ""
        raise UnreadablePdf(f"{kind}not a PDF (no %PDF- header)")
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not _decrypts_without_password(reader):
            raise UnreadablePdf("encrypted; save an unencrypted copy to index it")
        count = len(reader.pages)
        if count > max_pages:
            log.warning("%s has %d pages; indexing the first %d (raise --max-pages to index more)",
                        path.name, count, max_pages)
        pages = [Page(number=i, text=_page_text(path, i, reader.pages[i - 1]))
                 for i in range(1, min(count, max_pages) + 1)]
    except UnreadablePdf:
        raise
    except FileNotDecryptedError:
        raise UnreadablePdf("encrypted; save an unencrypted copy to index it") from None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise UnreadablePdf(f"corrupt PDF ({type(exc).__name__}: {str(exc)[:80]})") from None
    if not pages:
        raise UnreadablePdf("the PDF has no pages")
    if not any(p.text.strip() for p in pages):
        raise UnreadablePdf("no extractable text (scanned images?); run OCR on it first")
    return pages


def read_head(path: Path) -> bytes:
    """The file's first KiB, where a PDF has its %PDF- header."""
    with path.open("rb") as fh:
        return fh.read(1024)


def _decrypts_without_password(reader: PdfReader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf raises several types for unsupported encryption
        return False


def _page_text(path: Path, number: int, page) -> str:
    text = CONTROL.sub(" ", page.extract_text() or "")
    if len(text) > MAX_PAGE_CHARS:
        log.warning("%s: page %d extracts to %d characters; keeping the first %d",
                    path.name, number, len(text), MAX_PAGE_CHARS)
        text = text[:MAX_PAGE_CHARS]
    return text
