"""Group a report's sentences into passages that never cross a section boundary."""

from __future__ import annotations

from indexer.layout import Section
from indexer.models import Chunk, ReportMeta, Sentence
from indexer.settings import ChunkingSettings

# A section shorter than this is folded into the next one rather than becoming its own passage.
MIN_SECTION_CHARS = 150


def chunk_sections(report_id: str, sections: list[Section], settings: ChunkingSettings) -> list[Chunk]:
    """Passages of about target_chars, ending on sentence boundaries, overlapping by whole sentences."""
    chunks: list[Chunk] = []
    carried: list[Sentence] = []
    for section in sections:
        sentences = carried + section.sentences
        if sum(len(s.text) for s in sentences) < MIN_SECTION_CHARS and section is not sections[-1]:
            carried = sentences
            continue
        carried = []
        for group in _windows(sentences, settings):
            chunks.append(Chunk(
                id=f"{report_id}#{len(chunks):04d}", report_id=report_id, section=section.heading,
                page=group[0].page, page_end=max(s.page_end for s in group), sentences=group,
            ))
    return chunks


def _windows(sentences: list[Sentence], settings: ChunkingSettings) -> list[list[Sentence]]:
    windows: list[list[Sentence]] = []
    start = 0
    while start < len(sentences):
        size, end = 0, start
        while end < len(sentences) and size < settings.target_chars:
            size += len(sentences[end].text) + 1
            end += 1
        rest = sum(len(s.text) for s in sentences[end:])
        if 0 < rest < settings.target_chars // 4:
            end = len(sentences)  # a short tail reads better inside the previous passage
        windows.append(sentences[start:end])
        if end >= len(sentences):
            break
        start = max(end - settings.overlap_sentences, start + 1)
    return windows


def embedding_text(chunk: Chunk, report: ReportMeta, settings: ChunkingSettings) -> str:
    """What gets embedded for a chunk: its text, optionally with report title and section as context."""
    if not settings.embed_context:
        return chunk.text
    context = " — ".join(part for part in (report.title, chunk.section) if part)
    return f"{context}\n{chunk.text}"
