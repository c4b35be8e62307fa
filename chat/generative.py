"""Answers written by an LLM from numbered passages, then checked sentence by sentence."""

from __future__ import annotations

from collections.abc import Iterator

from chat.llm import LlmClient, LlmUnavailable, UnsupportedAnswer
from chat.llm_settings import LlmSettings
from chat.models import Turn
from chat.prompts import NumberedPassage, answer_messages, rewrite_messages
from chat.verification import Checked, verify
from indexer import LoadedIndex

MAX_REWRITE_CHARS = 400


class GenerativeAnswerer:
    def __init__(self, settings: LlmSettings, client: LlmClient | None = None):
        self.settings = settings
        self.client = client or LlmClient(settings)

    def standalone(self, question: str, history: list[Turn]) -> str:
        """The follow-up as a question that stands alone (one short call). Raises LlmUnavailable."""
        reply = self.client.complete(rewrite_messages(question, history)).strip()
        rewritten = reply.splitlines()[0].strip().strip('"“”') if reply else ""
        if not rewritten or len(rewritten) > MAX_REWRITE_CHARS:
            raise LlmUnavailable("the LLM's rewrite of the follow-up was unusable")
        return rewritten

    def stream(self, question: str, history: list[Turn], index: LoadedIndex,
               chunk_positions: list[int]) -> Iterator[str | Checked]:
        """The model's text as it comes, then the checked answer. Raises LlmUnavailable."""
        positions = chunk_positions[:self.settings.passages]
        messages = answer_messages(question, history, numbered_passages(index, positions))
        raw: list[str] = []
        for delta in self.client.stream(messages):
            raw.append(delta)
            yield delta
        checked = verify("".join(raw), positions, index, self.settings.unsupported)
        if checked.verification.supported == 0:
            raise UnsupportedAnswer("no sentence of the LLM's answer is supported by the passages it was given",
                                    checked.verification)
        yield checked


def numbered_passages(index: LoadedIndex, positions: list[int]) -> list[NumberedPassage]:
    passages = []
    for n, position in enumerate(positions, start=1):
        chunk = index.chunks[position]
        report = index.reports[chunk.report_id]
        pages = f"{chunk.page}-{chunk.page_end}" if chunk.page_end != chunk.page else str(chunk.page)
        passages.append(NumberedPassage(n=n, title=report.title, year=report.year, pages=pages, text=chunk.text))
    return passages
