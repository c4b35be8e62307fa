"""Turn raw page text into located sentences grouped under section headings.

pypdf gives lines without structure. We recover it from regularities of typeset reports:
running headers/footers repeat on most pages, paragraphs end on a short line, headings are short
lines in capitals (or title case) without closing punctuation, footnotes open with a superscript
number.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from indexer.kinds import NOTES_TITLE, SUPERSCRIPTS, mark_contents, mark_pull_quotes, sentence_kinds
from indexer.models import Page, Sentence, SentenceKind

BULLET_ONLY = re.compile(r"^[\s•●▪◦\-–·*]*$")
# pypdf puts the numbers of a numbered list on lines of their own, after the items.
EMPTY_LIST_NUMBER = re.compile(r"^[\s•●▪◦·]*\d{1,2}\.\s*$")
# The number opening a numbered paragraph ("4. The Parties…", "27.5. …") ends no sentence.
LIST_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.")
# The first line of a footnote: its number, superscript or in the Markdown markup some PDFs keep
# ("²³ Federal Official Gazette, …", "^{4.} Data for Trade in Goods: …"), then its text.
FOOTNOTE_START = re.compile(rf"^(?:[{SUPERSCRIPTS}]+|\^\{{\d+\.?)(?:\s|$|(?=[A-Z“\"(&}}]))")
LEADING_BULLET = re.compile(r"^[•●▪◦·]\s*")
TERMINAL = re.compile(rf"[.!?:;\"”’)\]][{SUPERSCRIPTS}]*$")  # a footnote mark may follow
WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
SMALL_WORDS = {"a", "an", "and", "the", "of", "for", "to", "in", "on", "at", "by", "with", "or", "vs", "from"}
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "no", "vs", "etc", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "corp", "co", "ltd", "gen", "sen", "rep",
    "gov", "amb", "approx", "fig", "p", "pp", "vol", "jr", "sr", "sec", "secs", "sect", "ch", "chap", "para",
    "nos", "cf", "al", "dept", "govt",
}
# A capitalised word this short before a number is an abbreviation ("Sec. 1901", "Art. 5"), unless the
# report also writes it without a period: then it is a word ending a sentence ("…in Peru. 2019 was…").
SHORT_CAPITALISED = re.compile(r"[A-Z][a-z]{1,3}")
SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“(]?[A-Z0-9¿¡])")
# A run of three or more words in capitals opening a paragraph and followed by a sentence is a heading
# set on the same line: "ORIGINAL FOCUS OF THE PLAN According to…". A run ending in a colon is a label
# the text after it continues ("CHARTING A NEW COURSE: Policy Options…").
CAPS_WORD = r"[A-ZÁÉÍÓÚÑÜ0-9][A-ZÁÉÍÓÚÑÜ0-9.'’&\-–]*"
LEADING_CAPS_RUN = re.compile(rf"(?:{CAPS_WORD}\s+){{2,}}{CAPS_WORD}(?<![:,;])(?=\s+[A-Z][a-z])")
MAX_SENTENCE_CHARS = 600


@dataclass(frozen=True)
class Line:
    """One content line of a page."""

    text: str
    page: int


@dataclass
class Block:
    """A paragraph, list item, heading or footnote; text with the page of each character run."""

    kind: SentenceKind = "statement"  # "statement", "list_item", "heading" or "reference" (a footnote)
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
    lines = (line.strip() for line in text.split("\n"))
    return [line for line in lines if not BULLET_ONLY.match(line) and not EMPTY_LIST_NUMBER.match(line)]


def page_lines(pages: list[Page]) -> list[Line]:
    """All content lines with their page number, minus running headers/footers and page numbers."""
    running = running_lines(pages)
    out: list[Line] = []
    for page in pages:
        lines = _content_lines(page.text)
        for i, line in enumerate(lines):
            at_edge = i < 2 or i >= len(lines) - 2
            if at_edge and (_edge_key(line) in running or re.fullmatch(r"\d{1,4}", line)):
                continue
            out.append(Line(line, page.number))
    return out


def split_blocks(lines: list[Line]) -> list[Block]:
    """Group lines into paragraphs, list items, headings and footnotes.

    A footnote is a block of its own where the PDF set it (at the foot of its page, or inside the
    paragraph that cites it): the paragraph it interrupts goes on in a new block. Quotes then keep
    the order of the words on the page."""
    if not lines:
        return []
    lengths = sorted(len(line.text) for line in lines)
    full = lengths[int(0.9 * (len(lengths) - 1))]
    vocabulary = _hyphenated_vocabulary(lines)
    in_footnote = _in_footnote(lines, full)
    blocks: list[Block] = []
    current: Block | None = None
    for i, entry in enumerate(lines):
        line, page = entry.text, entry.page
        if in_footnote[i]:
            if current is None or current.kind != "reference" or FOOTNOTE_START.match(line):
                if current is not None:
                    blocks.append(current)
                current = Block(kind="reference")
            current.parts.append((_join_text(current, line, vocabulary), page))
            continue
        if current is not None and current.kind == "reference":
            blocks.append(current)
            current = None
        next_line = lines[i + 1].text if i + 1 < len(lines) and not in_footnote[i + 1] else ""
        starts_item = bool(LEADING_BULLET.match(line))
        line = LEADING_BULLET.sub("", line)
        if current is None or starts_item:
            if current is not None:
                blocks.append(current)
            current = Block(kind="list_item" if starts_item else "statement")
            previous_ended = True
        else:
            previous_ended = False
        if not current.parts and _looks_like_heading(line, next_line, previous_ended or not blocks):
            blocks.append(Block(kind="heading", parts=[(line, page)]))
            current = None
            continue
        current.parts.append((_join_text(current, line, vocabulary), page))
        after_next = lines[i + 2].text if i + 2 < len(lines) else ""
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


def _in_footnote(lines: list[Line], full: int) -> list[bool]:
    """Whether each line belongs to a footnote: from a line opening one to the short line ending its
    paragraph, or to the end of its page. Some PDFs set a footnote inside the paragraph that cites it,
    in the same type, so where the footnote ends can only be read from its last line."""
    flags: list[bool] = []
    inside = False
    for i, line in enumerate(lines):
        if FOOTNOTE_START.match(line.text):
            inside = True
        elif i and lines[i - 1].page != line.page:
            inside = False
        flags.append(inside)
        if inside and len(line.text) < 0.75 * full and not line.text.endswith(("-", "/")):
            inside = False
    return flags


def _looks_like_heading(line: str, next_line: str, after_break: bool) -> bool:
    if after_break and NOTES_TITLE.fullmatch(line):
        return True  # even before "1 Author, Title…", which opens no sentence
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


def _hyphenated_vocabulary(lines: list[Line]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in lines:
        counts.update(w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", line.text))
    return counts


def plain_words(lines: list[Line]) -> frozenset[str]:
    """Short capitalised words the report writes without a period somewhere: words, not abbreviations."""
    return frozenset(w for line in lines for w in re.findall(r"\b([A-Z][a-z]{1,3})\b(?!\.)", line.text))


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


def split_sentences(block: Block, plain: frozenset[str] = frozenset()) -> list[Sentence]:
    """Sentences of a block, each with the page where it starts and ends and the block's kind.

    plain: short capitalised words that are not abbreviations (see plain_words)."""
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
        if _ends_with_abbreviation(text[begin:match.start() + 1], text[match.end():match.end() + 1], plain):
            continue
        sentences.extend(_bounded(text, begin, match.end(), page_at, block.kind))
        begin = match.end()
    sentences.extend(_bounded(text, begin, len(text), page_at, block.kind))
    return sentences


def _ends_with_abbreviation(fragment: str, next_char: str, plain: frozenset[str]) -> bool:
    words = fragment.split()
    # The abbreviation may close a quotation's first word or a compound: “U.S. …, Mexico-U.S. …
    core = words[-1].strip(".\"“”‘’()").rsplit("-", 1)[-1] if words else ""
    return (core.lower() in ABBREVIATIONS
            or bool(LIST_NUMBER.fullmatch(fragment.strip()))
            or bool(re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", core))  # U.S., e.g.
            or bool(re.fullmatch(r"[A-Z]", core))  # an initial: E. Anthony Wayne
            or (next_char.isdigit() and bool(SHORT_CAPITALISED.fullmatch(core)) and core not in plain))


def _bounded(text: str, begin: int, end: int, page_at, kind: SentenceKind) -> list[Sentence]:
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
            out.append(Sentence(text=" ".join(stripped.split()), page=page_at(first), page_end=page_at(last),
                                kind=kind, runs_on=stop < end and bool(text[stop:end].strip())))
        begin = stop
    return out


def sections(pages: list[Page]) -> list[Section]:
    """The report as a list of sections, each with its heading path and located, typed sentences.

    Heading lines stay in the text as sentences of their own: they are quotable words on the page,
    and "By <author>" lines or slide titles are often what a question is about.
    """
    lines = page_lines(pages)
    plain = plain_words(lines)
    result: list[Section] = []
    heading = ""
    pending: list[Sentence] = []  # heading lines waiting for the section they open
    in_notes = False  # under an "Endnotes" heading, up to the next heading
    for block in _with_run_in_headings(split_blocks(lines)):
        if block.kind == "heading":
            title = " ".join(block.text.split())
            in_notes = bool(NOTES_TITLE.fullmatch(title))
            heading = f"{heading} > {title}" if pending and heading else title
            pending.extend(sentence_kinds([Sentence(text=title, page=block.parts[0][1],
                                                    page_end=block.parts[-1][1], kind="heading")]))
            continue
        sentences = sentence_kinds(split_sentences(block, plain), notes=in_notes)
        if not sentences:
            continue
        if result and result[-1].heading == heading and not pending:
            result[-1].sentences.extend(sentences)
        else:
            result.append(Section(heading=heading, sentences=pending + sentences))
        pending = []
    if pending:
        result.append(Section(heading=heading, sentences=pending))
    return mark_pull_quotes(mark_contents(result))


def _with_run_in_headings(blocks: list[Block]) -> list[Block]:
    """Blocks with a heading set on the same line as the paragraph it opens split off as its own."""
    out: list[Block] = []
    for block in blocks:
        match = None
        if block.kind in ("statement", "list_item"):
            match = LEADING_CAPS_RUN.match(block.text)
        if match is None:
            out.append(block)
            continue
        head, rest = _cut_parts(block.parts, match.end())
        out.extend([Block(kind="heading", parts=head), Block(kind=block.kind, parts=rest)])
    return out


def _cut_parts(parts: list[tuple[str, int]], at: int) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """A block's text runs cut in two at a character offset, each run keeping its page."""
    head: list[tuple[str, int]] = []
    tail: list[tuple[str, int]] = []
    offset = 0
    for text, page in parts:
        if offset + len(text) <= at:
            head.append((text, page))
        elif offset >= at:
            tail.append((text, page))
        else:
            head.append((text[:at - offset], page))
            tail.append((text[at - offset:].lstrip(), page))
        offset += len(text)
    return head, tail
