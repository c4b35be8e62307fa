"""Turn raw page text into located sentences grouped under section headings.

pypdf gives lines without structure. We recover it from regularities of typeset reports:
running headers/footers repeat on most pages, paragraphs end on a short line, headings are short
lines in capitals (or title case) without closing punctuation.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from indexer.models import Page, Sentence

BULLET_ONLY = re.compile(r"^[\s•●▪◦\-–·*]*$")
LEADING_BULLET = re.compile(r"^[•●▪◦·]\s*")
TERMINAL = re.compile(r"[.!?:;\"”’)\]]$")
WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
SMALL_WORDS = {"a", "an", "and", "the", "of", "for", "to", "in", "on", "at", "by", "with", "or", "vs", "from"}
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "no", "vs", "etc", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "corp", "co", "ltd", "gen", "sen", "rep",
    "gov", "amb", "approx", "fig", "p", "pp", "vol", "jr", "sr",
}
SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“(]?[A-Z0-9¿¡])")
MAX_SENTENCE_CHARS = 600


@dataclass
class Block:
    """A paragraph, list item or heading; text with the page of each character run."""

    is_heading: bool = False
    parts: list[tuple[str, int]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.parts)


@dataclass
class Section:
    heading: str
    sentences: list[Sentence]


def running_lines(pages: list[Page], min_share: float = 0.3) -> set[str]:
    """Normalised first/last lines that repeat on many pages: running headers and footers."""
    counts: Counter[str] = Counter()
    for page in pages:
        lines = _content_lines(page.text)
        edge = set(lines[:2] + lines[-2:])
        counts.update({_edge_key(line) for line in edge})
    threshold = max(2, min_share * len(pages))
    return {key for key, n in counts.items() if n >= threshold}


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def _content_lines(text: str) -> list[str]:
    # The PDFs were typeset from Markdown and keep some of its escapes and emphasis marks.
    text = text.replace("\\$", "$").replace("**", "")
    return [line.strip() for line in text.split("\n") if not BULLET_ONLY.match(line)]


def page_lines(pages: list[Page]) -> list[tuple[str, int]]:
    """All content lines with their page number, minus running headers/footers and page numbers."""
    running = running_lines(pages)
    out: list[tuple[str, int]] = []
    for page in pages:
        lines = _content_lines(page.text)
        for i, line in enumerate(lines):
            at_edge = i < 2 or i >= len(lines) - 2
            if at_edge and (_edge_key(line) in running or re.fullmatch(r"\d{1,4}", line)):
                continue
            out.append((line, page.number))
    return out


def split_blocks(lines: list[tuple[str, int]]) -> list[Block]:
    """Group lines into paragraphs, list items and headings."""
    if not lines:
        return []
    lengths = sorted(len(line) for line, _ in lines)
    full = lengths[int(0.9 * (len(lengths) - 1))]
    vocabulary = _hyphenated_vocabulary(lines)
    blocks: list[Block] = []
    current: Block | None = None
    for i, (line, page) in enumerate(lines):
        next_line = lines[i + 1][0] if i + 1 < len(lines) else ""
        starts_item = bool(LEADING_BULLET.match(line))
        line = LEADING_BULLET.sub("", line)
        if current is None or starts_item:
            if current is not None:
                blocks.append(current)
            current = Block()
            previous_ended = True
        else:
            previous_ended = False
        if not current.parts and _looks_like_heading(line, next_line, previous_ended or not blocks):
            blocks.append(Block(is_heading=True, parts=[(line, page)]))
            current = None
            continue
        current.parts.append((_join_text(current, line, vocabulary), page))
        after_next = lines[i + 2][0] if i + 2 < len(lines) else ""
        ends_block = not line.endswith("-") and (
            len(line) < 0.75 * full
            or (TERMINAL.search(line) and (len(line) < 0.9 * full
                                           or _looks_like_heading(next_line, after_next, True))))
        if ends_block and (not next_line or next_line[0].isupper() or next_line[0] in "•●\"“(0123456789"):
            blocks.append(current)
            current = None
    if current is not None and current.parts:
        blocks.append(current)
    return blocks


def _looks_like_heading(line: str, next_line: str, after_break: bool) -> bool:
    if not after_break or len(line) > 110 or len(line) < 4 or TERMINAL.search(line.rstrip("*")):
        return False
    words = WORD.findall(line)
    if len(words) < 1 or (next_line and not next_line[:1].isupper()):
        return False
    letters = [c for c in line if c.isalpha()]
    if len(letters) >= 6 and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        return True
    if re.search(r"[\d,\"“”()]", line):
        return False  # title-case lines with figures, commas or quotes are references, not headings
    significant = [w for w in words if w.lower() not in SMALL_WORDS]
    capitalised = sum(w[0].isupper() for w in significant)
    return 2 <= len(significant) <= 14 and capitalised == len(significant) and len(line) < 90


def _hyphenated_vocabulary(lines: list[tuple[str, int]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line, _ in lines:
        counts.update(w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", line))
    return counts


def _join_text(block: Block, line: str, vocabulary: Counter[str]) -> str:
    """Text to append for a new line: a space, or nothing when the previous line broke a word."""
    if not block.parts:
        return line
    previous = block.parts[-1][0]
    match = re.search(r"([A-Za-z]+)-$", previous)
    if match and line[:1].islower():
        head = match.group(1)
        tail = re.match(r"[A-Za-z]+", line)
        tail_word = tail.group(0) if tail else ""
        joined, hyphenated = (head + tail_word).lower(), f"{head}-{tail_word}".lower()
        if vocabulary[hyphenated] > vocabulary[joined]:
            return line
        block.parts[-1] = (previous[:-1], block.parts[-1][1])
        return line
    if previous.endswith(("-", "–", "/")):
        return line
    return " " + line


def split_sentences(block: Block) -> list[Sentence]:
    """Sentences of a block, each with the page where it starts and ends."""
    text = block.text
    starts: list[tuple[int, int]] = []
    offset = 0
    for part, page in block.parts:
        starts.append((offset, page))
        offset += len(part)

    def page_at(position: int) -> int:
        page = starts[0][1]
        for start, p in starts:
            if start > position:
                break
            page = p
        return page

    sentences: list[Sentence] = []
    begin = 0
    for match in SENTENCE_END.finditer(text):
        if _ends_with_abbreviation(text[begin:match.start() + 1]):
            continue
        sentences.extend(_bounded(text, begin, match.end(), page_at))
        begin = match.end()
    sentences.extend(_bounded(text, begin, len(text), page_at))
    return sentences


def _ends_with_abbreviation(fragment: str) -> bool:
    words = fragment.split()
    core = words[-1].rstrip(".\"”’)") if words else ""
    return (core.lower() in ABBREVIATIONS
            or bool(re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", core))  # U.S., e.g.
            or bool(re.fullmatch(r"[A-Z]", core)))  # an initial: E. Anthony Wayne


def _bounded(text: str, begin: int, end: int, page_at) -> list[Sentence]:
    """One sentence, or several pieces of at most MAX_SENTENCE_CHARS cut at word boundaries."""
    out: list[Sentence] = []
    while begin < end:
        stop = end
        if end - begin > MAX_SENTENCE_CHARS:
            cut = text.rfind(" ", begin, begin + MAX_SENTENCE_CHARS)
            stop = cut if cut > begin else begin + MAX_SENTENCE_CHARS
        piece = text[begin:stop]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            first, last = begin + lead, begin + lead + len(stripped) - 1
            out.append(Sentence(text=" ".join(stripped.split()), page=page_at(first), page_end=page_at(last)))
        begin = stop
    return out


def sections(pages: list[Page]) -> list[Section]:
    """The report as a list of sections, each with its heading path and located sentences.

    Heading lines stay in the text as sentences of their own: they are quotable words on the page,
    and "By <author>" lines or slide titles are often what a question is about.
    """
    result: list[Section] = []
    heading = ""
    pending: list[Sentence] = []  # heading lines waiting for the section they open
    for block in split_blocks(page_lines(pages)):
        if block.is_heading:
            title = " ".join(block.text.split())
            heading = f"{heading} > {title}" if pending and heading else title
            pending.append(Sentence(text=title, page=block.parts[0][1], page_end=block.parts[-1][1]))
            continue
        sentences = split_sentences(block)
        if not sentences:
            continue
        if result and result[-1].heading == heading and not pending:
            result[-1].sentences.extend(sentences)
        else:
            result.append(Section(heading=heading, sentences=pending + sentences))
        pending = []
    if pending:
        result.append(Section(heading=heading, sentences=pending))
    return result
