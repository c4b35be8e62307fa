"""What each sentence is (see models.SentenceKind): from its block in the layout, then its own words."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from indexer.models import Sentence, SentenceKind

if TYPE_CHECKING:
    from indexer.layout import Section

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# A heading over endnotes or a bibliography; what follows it, up to the next heading, cites sources.
NOTES_TITLE = re.compile(r"(?:End ?notes|Notes|References|Bibliography|Works Cited)", re.IGNORECASE)
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# Words that cite a source wherever they stand: a link, "Retrieved from", a figure's "Source: …", an
# entry numbered "[12] …", "¹² …" or "7 Author, …", or one ending in a full date ("…, May 26, 2020.").
REFERENCE = re.compile(rf"https?://|www\.|(?i:retrieved from|available at:)|^Sources?:|^\[\d+\]\s|"
                       rf"^[{SUPERSCRIPTS}]+\s*\S|^\^\{{\d|^\d{{1,3}}\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w.'’-]*){{0,2}},|"
                       rf",\s+{MONTH}\s+\d{{1,2}},\s+(?:19|20)\d\d\.?$")
LINK = re.compile(r"\s*(?:https?://|www\.)\S*")
# What cites a source besides a link: an endnote number, "Source:", a page, a closing publication year.
CITATION_MARK = re.compile(r"\[\d+\]|\bSources?:|\bpp?\. \d|\b(?:19|20)\d\d\)?\.?$")
CAPTION = re.compile(r"^(?:Figure|Fig\.|Table|Chart|Graph|Map|Exhibit)\s+\d+\b|^Notes?:")
# "By Max Kaiser", "Edited by Duncan Wood", "By Andrew Selee, Andrea Tanco, & Ariel G. Ruiz Soto":
# names only, no sentence ("By working together, …" is one).
NAME_WORD = r"(?:[A-ZÁÉÍÓÚÑ][\w'’.\-]*|&|and|de|del|la|y|van|von)"
BYLINE = re.compile(rf"^(?:By|Edited by)\s+[A-Z][\w'’.\-]*(?:,?\s+{NAME_WORD})*[{SUPERSCRIPTS}]*$")
# A table of contents run together, on one of a report's first pages: three or more titles, each
# followed by its page, the pages rising ("Participants 2 Executive Summary 3 Convocation: … 4").
# Its words name every topic of the report and answer none. Further in, the same shape is a table
# flattened into a sentence ("Guerrero 12 Sinaloa 15 Chihuahua 18"), which may answer a question.
CONTENTS_ENTRY = re.compile(r"[A-Z][^\d]{3,}?\s(\d{1,3})(?=\s+[A-Z]|\s*$)")
CONTENTS_MIN_ENTRIES = 3
CONTENTS_SHARE = 0.8  # of the sentence's characters in such entries
CONTENTS_LAST_PAGE = 6  # the contents of the five reports here stand on their pages 1-2
# A table of contents set out line by line, after its title ("TABLE OF CONTENTS", "…Administration
# CONTENTS", "INDEX"): each line holds a page number ("Cooperation 10 By Gema Kloppe-Santamaría",
# "66 A New Migration Agenda…"); a title wrapped onto its own line and an author's byline may stand
# between them. Quoted, such a line answered nothing ("…Administration CONTENTS Introduction 1").
CONTENTS_TITLE = re.compile(r"(?:^|\s)(?:TABLE OF CONTENTS|CONTENTS|INDEX|ÍNDICE)$|"
                            r"^(?:Table of Contents|Contents|Index|Índice)$")
# Where a contents line puts its page: first, last, or before the chapter's byline.
PAGE_NUMBER = re.compile(r"^\d{1,3}\s|\s\d{1,3}$|\s\d{1,3}\s+By\s")
QUESTION = re.compile(rf"\?[\"”’)\]]*[{SUPERSCRIPTS}]*$")
CLOSED = re.compile(r"[.!?;:\"”’)\]]$")
PROSE_MIN_WORDS = 8
# A repeat shorter than this is a common phrase, not a quoted sentence.
PULL_QUOTE_MIN_WORDS = 8
REPEATABLE: set[SentenceKind] = {"statement", "list_item", "question"}


def sentence_kinds(sentences: list[Sentence], notes: bool = False) -> list[Sentence]:
    """The sentences of one block, each with its kind: what its words show it is (a reference, a
    byline, a caption, a question), else its block's kind. Under a notes heading all are references.
    A figure's title after its "Figure 2." label is part of the caption."""
    out: list[Sentence] = []
    for sentence in sentences:
        kind = "reference" if notes else _kind(sentence.text, sentence.kind, sentence.page)
        if (sentence.kind == "reference" and out and not notes and _prose(sentence.text)
                and not REFERENCE.search(sentence.text)):
            # Past its first sentence a footnote may explain rather than cite, and where a footnote
            # ends is a guess (some PDFs run the text on in the footnote's paragraph): prose there
            # is kept as a statement rather than lost among the references.
            kind = "statement"
        if out and out[-1].kind == "caption" and not CLOSED.search(sentence.text):
            kind = "caption"
        out.append(sentence.model_copy(update={"kind": kind}))
    return out


def _prose(text: str) -> bool:
    """A full sentence of some length, as running text has and a citation does not."""
    return text[:1].isupper() and text.endswith((".", "!", "?")) and len(text.split()) >= PROSE_MIN_WORDS


def _kind(text: str, block_kind: SentenceKind, page: int) -> SentenceKind:
    if block_kind == "reference" or _cites(text):
        return "reference"
    if BYLINE.match(text) and len(text) < 160:
        return "byline"
    if block_kind == "heading" or (page <= CONTENTS_LAST_PAGE and _contents(text)):
        return "heading"
    if CAPTION.match(text):
        return "caption"
    if QUESTION.search(text):
        return "question"
    return block_kind


def _cites(text: str) -> bool:
    """Whether the words cite a source. A statement that gives a web address ("…the problems at stake on
    the northern border. https://www.usmexicofound.org", "Available to the public at www.eia.gov/…,
    the result is…") still says something: without its links it is prose and carries no citation mark."""
    if not REFERENCE.search(text):
        return False
    rest = LINK.sub("", text).strip()
    return not _prose(rest) or bool(REFERENCE.search(rest) or CITATION_MARK.search(rest))


def _contents(text: str) -> bool:
    """Whether the text is a run of table-of-contents entries."""
    entries = list(CONTENTS_ENTRY.finditer(text))
    pages = [int(m.group(1)) for m in entries]
    return (len(pages) >= CONTENTS_MIN_ENTRIES and all(a < b for a, b in zip(pages, pages[1:]))
            and sum(len(m.group(0)) for m in entries) >= CONTENTS_SHARE * len(text))


def mark_contents(sections: list[Section]) -> list[Section]:
    """Mark as headings a table of contents set out line by line on one of a report's first pages: its
    title and the lines after it that hold a page number (PAGE_NUMBER), up to the first line closed
    as a sentence, cut for length, or, being neither a heading nor a byline, without a page number."""
    sentences = [s for section in sections for s in section.sentences]
    marked: set[int] = set()
    for i, sentence in enumerate(sentences):
        if sentence.page > CONTENTS_LAST_PAGE or _closed(sentence.text) or not CONTENTS_TITLE.search(sentence.text):
            continue
        marked.add(i)
        for j in range(i + 1, len(sentences)):
            line = sentences[j]
            if line.page > CONTENTS_LAST_PAGE or _closed(line.text) or line.runs_on:
                break
            if PAGE_NUMBER.search(line.text):
                marked.add(j)
            elif line.kind not in ("heading", "byline"):
                break
    position = 0
    for section in sections:
        for k, sentence in enumerate(section.sentences):
            if position in marked and sentence.kind in ("statement", "list_item"):
                section.sentences[k] = sentence.model_copy(update={"kind": "heading"})
            position += 1
    return sections


def _closed(text: str) -> bool:
    """Whether the text ends as a sentence does (a note mark aside): no contents line does."""
    return bool(CLOSED.search(text.rstrip(SUPERSCRIPTS + "0123456789 ")) and len(text.split()) >= PROSE_MIN_WORDS)


def mark_pull_quotes(sections: list[Section]) -> list[Section]:
    """Mark as pull quotes the sentences that repeat another one on the same or a neighbouring page.

    Of two equal sentences the one in quotation marks is the pull quote, else the later one; a shorter
    sentence repeating part of a longer one is the pull quote ("…a unique opportunity to advance…")."""
    sentences = [s for section in sections for s in section.sentences]
    words = [_comparable(s.text) if s.kind in REPEATABLE else "" for s in sentences]
    on_page: dict[int, list[int]] = defaultdict(list)
    for i, sentence in enumerate(sentences):
        on_page[sentence.page].append(i)
    marked: set[int] = set()
    for i, sentence in enumerate(sentences):
        if words[i].count(" ") + 1 < PULL_QUOTE_MIN_WORDS:
            continue
        nearby = (j for page in (sentence.page - 1, sentence.page, sentence.page + 1) for j in on_page[page])
        if any(j != i and j not in marked and _repeats(i, j, sentences, words) for j in nearby):
            marked.add(i)
    position = 0
    for section in sections:
        for k, sentence in enumerate(section.sentences):
            if position in marked:
                section.sentences[k] = sentence.model_copy(update={"kind": "pull_quote"})
            position += 1
    return sections


def _repeats(i: int, j: int, sentences: list[Sentence], words: list[str]) -> bool:
    """Whether sentence i is the repeat of sentence j."""
    if not words[j] or f" {words[i]} " not in f" {words[j]} ":
        return False
    if len(words[i]) < len(words[j]):
        return True
    quoted_i, quoted_j = _quoted(sentences[i].text), _quoted(sentences[j].text)
    return quoted_i > quoted_j or (quoted_i == quoted_j and i > j)


def _quoted(text: str) -> bool:
    return text[:1] in "\"“'‘" or text.startswith("...") or text.startswith("…")


def _comparable(text: str) -> str:
    """Lower-cased words without punctuation or footnote marks: a pull quote adds quotation marks."""
    return " ".join(re.findall(r"[^\W\d_]+|\d+", text.translate({ord(c): None for c in SUPERSCRIPTS}).lower()))
