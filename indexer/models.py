"""Typed records the indexer produces and the chat engine consumes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ReportMeta(BaseModel):
    """What the index knows about one report besides its text."""

    id: str = Field(description="PDF file stem; stable report id")
    title: str
    publisher: str = ""
    authors: list[str] = []
    year: int | None = None


class Page(BaseModel):
    """Raw text of one PDF page, 1-based."""

    number: int
    text: str


# What a sentence is on the page, decided when indexing (indexer/kinds.py): statements, list items and
# questions are running text; headings and bylines label it; references (endnotes, footnotes,
# bibliography entries, figure sources) cite others; captions describe a figure; a pull quote repeats,
# in display type, a sentence of the body on the same or a neighbouring page.
SentenceKind = Literal["statement", "list_item", "question", "heading", "byline", "reference", "caption",
                       "pull_quote"]


class Sentence(BaseModel):
    """A sentence (or list item, or heading line) of a chunk, located in the PDF."""

    model_config = ConfigDict(frozen=True)

    text: str
    page: int
    page_end: int
    kind: SentenceKind = "statement"
    # A sentence too long for one (indexer.layout.MAX_SENTENCE_CHARS) is cut into pieces: each piece
    # but the last runs on into the next sentence, so a quote of it reads on to the sentence's end.
    runs_on: bool = False


class Chunk(BaseModel):
    """A retrievable passage: consecutive sentences of one section of one report."""

    id: str
    report_id: str
    section: str = ""
    page: int
    page_end: int
    sentences: list[Sentence]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


class SourceFile(BaseModel):
    """One indexed PDF as recorded in the manifest."""

    report_id: str
    file_name: str
    sha256: str
    pages: int
    chunks: int
    sentences: int


class SkippedFile(BaseModel):
    file_name: str
    reason: str
