"""Find a quote's words on its PDF page(s) and render pages, for the web chat's page viewer.

Rendering and character boxes come from PDFium (pypdfium2). A quote is matched on letters and digits
only, so differences between pypdf's text (which the index holds) and PDFium's (line breaks, hyphens
at line ends, ligatures, curly quotes) do not matter. A quote that runs onto the next page is split
where its two parts stand closest to the page break (running footers and headers lie between them).
"""

from __future__ import annotations

import io
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# PDFium is not thread-safe: every call into it, from any thread, goes through this lock.
_PDFIUM = threading.Lock()
MAX_QUOTE_CHARS = 4_000
RENDER_SCALE = 1.5  # 918 × 1188 pixels for a letter-size page: readable beside the chat, ~0.3 MB PNG
MIN_PART = 3  # letters of a quote's part on either side of a page break: fewer match anywhere


class PageOutOfRange(ValueError):
    """The page number is not a page of the report."""


@dataclass(frozen=True)
class Box:
    """A highlighted line's rectangle in shares of the page (0..1, from the top left), and its text."""

    left: float
    top: float
    width: float
    height: float
    text: str


@dataclass
class PageMatch:
    """The part of a quote found on one page (no boxes: not found there); the page's size in points."""

    page: int
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)
    text: str = ""  # the page's own text of the matched words


@dataclass
class QuoteLocation:
    """The pages to show for a quote, each with the boxes of the quote's words on it."""

    pages: list[PageMatch]
    found: bool

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pages if p.boxes)


@dataclass
class _PageText:
    """A page's characters reduced to lowercase letters and digits, each mapped to its PDFium index."""

    letters: str
    index: list[int]
    chars: list[str]
    boxes: list[tuple[float, float, float, float]]
    width: float
    height: float


def letters_of(text: str) -> str:
    """What a quote is matched on: lowercase letters and digits, ligatures and accents composed (NFKC)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def locate_quote(pdf_path: Path, page: int, quote: str, page_end: int | None = None) -> QuoteLocation:
    """The quote's boxes on `page` (and the next page when it runs over). Raises PageOutOfRange.

    found is False, with no boxes, when the words are not on those pages: nothing else is highlighted.
    """
    wanted = letters_of(quote[:MAX_QUOTE_CHARS])
    with _PDFIUM:
        document = _document(str(pdf_path))
        _check_page(document, page)
        last = min(page + 1, len(document))  # a quote may run onto the next page
        texts = {n: _page_text(str(pdf_path), n) for n in range(page, last + 1)}
    first = texts[page]

    def match(number: int, span: tuple[int, int] | None = None) -> PageMatch:
        text = texts[number]
        found = PageMatch(number, text.width, text.height)
        if span:
            first_char, last_char = _with_punctuation(text, span, quote)
            found.boxes = _boxes(text, first_char, last_char)
            found.text = _words(text.chars[first_char:last_char + 1])
        return found

    start = first.letters.find(wanted) if wanted else -1
    if start >= 0:
        return QuoteLocation([match(page, (start, start + len(wanted)))], True)
    if last > page and wanted:
        split = _split_over_break(wanted, first, texts[last])
        if split:
            return QuoteLocation([match(page, split[0]), match(last, split[1])], True)
    shown = [page, last] if page_end and page_end != page and last != page else [page]
    return QuoteLocation([match(n) for n in shown], False)


def render_page(pdf_path: Path, page: int, scale: float = RENDER_SCALE) -> bytes:
    """The page as a PNG. Raises PageOutOfRange."""
    with _PDFIUM:
        document = _document(str(pdf_path))
        _check_page(document, page)
        image = document[page - 1].render(scale=scale).to_pil()
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@lru_cache(maxsize=8)
def _document(path: str) -> pdfium.PdfDocument:
    # Kept open: a viewer shows the same few reports over and over. Callers hold _PDFIUM.
    return pdfium.PdfDocument(path)


def _check_page(document: pdfium.PdfDocument, page: int) -> None:
    if not 1 <= page <= len(document):
        raise PageOutOfRange(f"page {page} is not in this report, which has pages 1 to {len(document)}")


@lru_cache(maxsize=64)
def _page_text(path: str, number: int) -> _PageText:
    # Reading a page's characters and boxes takes ~35 ms; a journalist opens the same pages again.
    page = _document(path)[number - 1]
    left, bottom, right, top = page.get_cropbox()
    textpage = page.get_textpage()
    letters, index, chars, boxes = [], [], [], []
    for i in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
        x0, y0, x1, y1 = textpage.get_charbox(i)
        chars.append(char)
        boxes.append((x0 - left, top - y1, x1 - left, top - y0))  # from the top left, in points
        for letter in letters_of(char):
            letters.append(letter)
            index.append(i)
    return _PageText("".join(letters), index, chars, boxes, right - left, top - bottom)


def _split_over_break(wanted: str, first: _PageText, second: _PageText):
    """Letter spans ((a, b) on the first page, (c, d) on the next) that make up the quote, or None.

    Of all ways to cut the quote in two, the one whose parts end and start nearest the page break.
    """
    best = None
    for cut in range(MIN_PART, len(wanted) - MIN_PART + 1):
        head = first.letters.rfind(wanted[:cut])
        if head < 0:
            break  # a longer head is not on the page either
        tail = second.letters.find(wanted[cut:])
        if tail < 0:
            continue
        distance = (len(first.letters) - head - cut) + tail
        if best is None or distance < best[0]:
            best = (distance, (head, head + cut), (tail, tail + len(wanted) - cut))
    return best[1:] if best else None


def _with_punctuation(text: _PageText, span: tuple[int, int], quote: str) -> tuple[int, int]:
    """The characters of matched letters, with the quote's own opening and closing punctuation."""
    first, last = text.index[span[0]], text.index[span[1] - 1]
    stripped = quote.strip()
    opening = set(stripped[:len(stripped) - len(stripped.lstrip("\"'“‘(["))])
    closing = set(stripped[len(stripped.rstrip(".,;:!?\"'”’)]")):])
    while first > 0 and text.chars[first - 1] in opening:
        first -= 1
    while last + 1 < len(text.chars) and text.chars[last + 1] in closing:
        last += 1
    return first, last


def _boxes(text: _PageText, first_char: int, last_char: int) -> list[Box]:
    """One box per line of the characters first_char..last_char, with the page's own text of that line."""
    lines: list[list[int]] = []
    union = last = None  # the current line's vertical extent, and its last character's box
    for i in range(first_char, last_char + 1):
        x0, y0, x1, y1 = text.boxes[i]
        if x1 <= x0 or y1 <= y0:  # generated spaces and line breaks have no box
            if lines and text.chars[i].isspace():
                lines[-1].append(i)
            continue
        middle = (y0 + y1) / 2
        if union and x0 >= last[0] - 1 and union[0] - 0.25 * (union[1] - union[0]) <= middle \
                <= union[1] + 0.25 * (union[1] - union[0]):
            lines[-1].append(i)
            union = (min(union[0], y0), max(union[1], y1))
        else:  # left of the last character, or above or below the line: the next line
            lines.append([i])
            union = (y0, y1)
        last = text.boxes[i]
    return [_line_box(text, line) for line in lines]


def _line_box(text: _PageText, line: list[int]) -> Box:
    boxed = [text.boxes[i] for i in line if text.boxes[i][2] > text.boxes[i][0]]
    x0, y0 = min(b[0] for b in boxed), min(b[1] for b in boxed)
    x1, y1 = max(b[2] for b in boxed), max(b[3] for b in boxed)
    return Box(left=x0 / text.width, top=y0 / text.height, width=(x1 - x0) / text.width,
               height=(y1 - y0) / text.height, text=_words(text.chars[line[0]:line[-1] + 1]))


def _words(chars: list[str]) -> str:
    return " ".join("".join(chars).split())
