"""Make small PDFs for tests: real PDF files with real text, written without extra dependencies."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(path: Path, pages: list[list[str]], title: str = "") -> Path:
    """A PDF with one text line per entry, Helvetica 11pt, top to bottom, one list per page."""
    objects: list[bytes] = []
    kids = []
    font_id = 3
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"")  # pages tree, filled in below
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for lines in pages:
        ops = ["BT", "/F1 11 Tf", "14 TL", "50 760 Td"]
        for line in lines:
            ops.append(f"({_escape(line)}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("cp1252", "replace")  # WinAnsiEncoding
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_id = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (content_id, font_id))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info = b""
    if title:
        objects.append(b"<< /Title (%s) >>" % _escape(title).encode("latin-1"))
        info = b" /Info %d 0 R" % len(objects)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, info, xref)
    path.write_bytes(bytes(out))
    return path


def make_encrypted_pdf(path: Path, source: Path, password: str = "secret") -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=password, owner_password=password)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def make_blank_pdf(path: Path, pages: int = 2) -> Path:
    """Pages with no text layer, as a scanned document without OCR looks to a text extractor."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def one_report_index(folder: Path, file_name: str, lines: list[str]) -> Path:
    """An index, built with the real packaged model, of one single-page report: for end-to-end tests."""
    from indexer.build import build_index
    from indexer.cli import make_encoder
    from indexer.settings import IndexSettings

    corpus = folder / "corpus"
    corpus.mkdir()
    make_pdf(corpus / file_name, [lines])
    build_index(corpus, folder / "index", IndexSettings(), make_encoder, progress=False)
    return folder / "index"
