"""Questions and answers at the engine's boundary. The JSON form follows shared/evals/README.md."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from indexer.language import Language
from chat.reading import Reading


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str


class Filters(BaseModel):
    """Restrict retrieval to some reports. Empty means the whole corpus."""

    model_config = ConfigDict(extra="forbid")

    reports: list[str] = Field(default_factory=list, description="Report ids (PDF file stems)")
    publisher: str | None = Field(None, description="Case-insensitive part of the publisher's name")
    year_from: int | None = None
    year_to: int | None = None

    @model_validator(mode="after")
    def _years_in_order(self) -> "Filters":
        if self.year_from and self.year_to and self.year_from > self.year_to:
            raise ValueError(f"The year range is empty: From {self.year_from} is after To {self.year_to}; "
                             "pick a From year no later than the To year.")
        return self

    @property
    def empty(self) -> bool:
        return not (self.reports or self.publisher or self.year_from or self.year_to)


class AskRequest(BaseModel):
    """What a program sends the web API's `ask` endpoint."""

    question: str
    reports: list[str] = Field(default_factory=list, description="Report ids; empty means all")
    year_from: int | None = None
    year_to: int | None = None
    history: list[Turn] = Field(default_factory=list, description="The conversation so far")

    def filters(self) -> Filters:
        return Filters(reports=self.reports, year_from=self.year_from, year_to=self.year_to)


class Passage(BaseModel):
    """A retrieved chunk with its scores."""

    doc: str
    title: str
    year: int | None
    page: int
    page_end: int
    section: str
    text: str
    score: float


class Citation(BaseModel):
    """The exact words an answer relies on, where they stand in which report."""

    n: int
    doc: str
    title: str
    publisher: str
    year: int | None
    page: int
    page_end: int | None = None
    section: str
    text: str = Field(description="The quoted words, as they stand on the page")
    passage: str = Field(description="The passage the quote comes from, for context")


class Verification(BaseModel):
    """What checking a generated answer's citations found and changed."""

    claims: int = Field(description="Sentences checked against their cited passages")
    supported: int
    removed_markers: list[int] = Field(default_factory=list, description="Markers that pointed to no passage")
    recited: list[str] = Field(default_factory=list,
                               description="Sentences whose citation was added or moved to the passage supporting them")
    unsupported: list[str] = Field(default_factory=list, description="Sentences no passage supports")
    action: str = Field(description="What was done with unsupported sentences: flag or drop")


class Answer(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    text: str = Field(alias="answer")
    abstained: bool
    citations: list[Citation]
    retrieved: list[Passage]
    latency_ms: float
    retrieval_query: str
    confidence: float = Field(description="Probability that the reports answer the question (fitted model); "
                                          "below the model's threshold, the engine abstains")
    timings_ms: dict[str, float]
    index_hash: str
    mode: str = Field("extractive", description="extractive, or llm when a model wrote the answer")
    notice: str = Field("", description="One line for the user, e.g. why the LLM answer was not used")
    standalone_question: str | None = Field(None, description="A follow-up rewritten by the LLM")
    verification: Verification | None = None
    reading: Reading | None = Field(None, description="How the question was read (trace)")

    @property
    def lang(self) -> Language:
        """The language the answer's own words are in: the question's."""
        return self.reading.lang if self.reading else "en"
