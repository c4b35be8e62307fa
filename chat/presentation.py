"""How answers look to people: chat text, source cards, journalist citations, Markdown export.

Plain functions, so they are tested without a browser. Everything that comes from a report or a
user is escaped before it is put into HTML or Markdown.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote as url_quote

from chat.messages import say
from indexer.language import Language
from chat.models import Answer, Citation, Filters
from chat.sections import SectionLabels
from chat.viewer import viewer_link

MARKER = re.compile(r"\[(\d+)\]")
PREVIEW_CHARS = 280
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def pdf_link(doc: str, page: int) -> str:
    """The app serves indexed PDFs itself; #page=N opens the viewer at that page."""
    return f"/pdf/{url_quote(doc)}#page={page}"


def pages_label(citation: Citation) -> str:
    return f"pp. {citation.page}–{citation.page_end}" if citation.page_end else f"p. {citation.page}"


def journalist_citation(c: Citation) -> str:
    """*Title* (Publisher, Year), p. N: “quote”"""
    year = f", {c.year}" if c.year else ""
    publisher = c.publisher or "n.p."
    return f"*{c.title}* ({publisher}{year}), {pages_label(c)}: \u201c{c.text}\u201d"


def escape_markdown(text: str) -> str:
    """Report text shown in the chat: no markup of its own is interpreted (no HTML, no Markdown)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def chat_markdown(answer: Answer) -> str:
    """The answer as the chat shows it: escaped text, markers and sources opening the cited page."""
    body = escape_markdown(answer.text)
    cited = {c.n: c for c in answer.citations}
    body = re.sub(r"\\\[(\d+)\\\]", lambda m: _marker(int(m.group(1)), cited.get(int(m.group(1)))), body)
    if answer.abstained and answer.retrieved:
        nearest = [f"- {escape_markdown(p.title)} ({p.year}), p. {p.page}: {escape_markdown(p.text[:220])}…"
                   for p in answer.retrieved[:3]]
        body += f"\n\n**{say('nearest', answer.lang)}**\n" + "\n".join(nearest)
    if answer.citations:
        sources = [f"{c.n}. {escape_markdown(c.title)} ({c.year}), {_viewer_link_md(pages_label(c), c)}"
                   for c in answer.citations]
        body += f"\n\n**{say('sources', answer.lang)}**\n" + "\n".join(sources)
    notes = [f"ℹ️ {escape_markdown(answer.notice)}"] if answer.notice else []
    check = checking_note(answer)
    if check:
        notes.append(f"_{escape_markdown(check)}_")
    return "\n\n".join(notes + [body])


def citation_link(c: Citation) -> str:
    """Where a citation opens: the page viewer, with the quoted words marked on the page."""
    return viewer_link(c.doc, c.page, c.text, c.page_end)


def citation_preview(c: Citation) -> str:
    """What hovering (or focusing) a marker shows: report, page and the quote."""
    quote = c.text if len(c.text) <= PREVIEW_CHARS else c.text[:PREVIEW_CHARS - 1].rstrip() + "…"
    return f"{c.title} ({c.year or 'n.d.'}), {pages_label(c)}: \u201c{quote}\u201d"


def _marker(n: int, c: Citation | None) -> str:
    """[n] as a link to the viewer (a marker of no citation jumps to the cards)."""
    return _viewer_link_md(f"[{n}]", c) if c else f"[[{n}]](#source-{n})"


def _viewer_link_md(label: str, c: Citation) -> str:
    """A Markdown link to the citation's page in the viewer, its title the preview."""
    title = escape_markdown(citation_preview(c)).replace('"', '\\"')
    return f"[{label}]({citation_link(c)} \"{title}\")"


def checking_note(answer: Answer) -> str:
    """One line on how a generated answer was checked, and the follow-up rewrite it answered."""
    parts = []
    if answer.standalone_question:
        parts.append(f"Read as: “{answer.standalone_question}”.")
    v = answer.verification
    if v and answer.mode != "llm":  # the draft was checked and rejected; the notice says so
        parts.append(f"The LLM's draft: {v.supported} of {v.claims} sentences found in its passages.")
    elif v:
        parts.append(f"Written by the LLM; {v.supported} of {v.claims} sentences found in their cited passages.")
        if v.recited:
            parts.append(f"{len(v.recited)} citation(s) added or moved to the supporting passage.")
        if v.removed_markers:
            parts.append(f"Markers removed (no such passage): {', '.join(f'[{n}]' for n in v.removed_markers)}.")
        if v.unsupported:
            done = "flagged" if v.action == "flag" else "dropped"
            parts.append(f"{len(v.unsupported)} unsupported sentence(s) {done}.")
    return " ".join(parts)


def _highlight(passage: str, quote: str) -> str:
    start = passage.find(quote)
    if start < 0:
        return html.escape(passage)
    end = start + len(quote)
    return (html.escape(passage[:start]) + "<mark>" + html.escape(passage[start:end]) + "</mark>"
            + html.escape(passage[end:]))


def source_cards_html(answer: Answer | None, sections: SectionLabels) -> str:
    """One card per citation: report, publisher, year, page, section, quote highlighted in its passage."""
    if answer is None:
        return "<div class='sources-empty'>Sources of the latest answer appear here.</div>"
    if not answer.citations:
        cards = [_nearest_card(p.title, p.year, p.doc, p.page, sections.label(p.section), p.text, answer.lang)
                 for p in answer.retrieved[:3]]
        return f"<div class='sources-note'>{say('no_answer_nearest', answer.lang)}</div>" + "".join(cards)
    return "".join(_card(c, sections.label(c.section), answer.lang) for c in answer.citations)


def _section_html(label: str) -> str:
    return f" · <span class='card-section'>{html.escape(label)}</span>" if label else ""


def _card(c: Citation, section_label: str, lang: Language = "en") -> str:
    e = html.escape
    pages = pages_label(c)
    return f"""<div class="source-card" id="source-{c.n}">
<div class="card-head"><span class="card-n">[{c.n}]</span> <b class="card-title">{e(c.title)}</b></div>
<div class="card-meta">{e(c.publisher)}{', ' + str(c.year) if c.year else ''} · <span class="card-page">{e(pages_label(c))}</span>{_section_html(section_label)}</div>
<blockquote class="card-passage">{_highlight(c.passage, c.text)}</blockquote>
<div class="card-actions"><a class="card-view" href="{e(citation_link(c))}">{e(say('show_quote', lang, pages=pages))}</a>
<a class="card-pdf" href="{e(pdf_link(c.doc, c.page))}" target="_blank" rel="noopener">{e(say('open_pdf', lang, pages=pages))}</a>
<button class="copy-citation" data-citation="{e(journalist_citation(c))}"
 onclick="navigator.clipboard.writeText(this.dataset.citation);this.textContent='{say('copied', lang)}';">{say('copy_citation', lang)}</button></div>
</div>"""


def _nearest_card(title: str, year: int | None, doc: str, page: int, section: str, text: str,
                  lang: Language = "en") -> str:
    e = html.escape
    return f"""<div class="source-card nearest">
<div class="card-head"><b class="card-title">{e(title)}</b> ({year or 'n.d.'}) · <span class="card-page">p. {page}</span>{_section_html(section)}</div>
<blockquote class="card-passage">{e(text)}</blockquote>
<a class="card-pdf" href="{e(pdf_link(doc, page))}" target="_blank" rel="noopener">{e(say('open_pdf', lang, pages=f'p. {page}'))}</a></div>"""


def filters_text(filters: Filters, titles: dict[str, str]) -> str:
    """What a search is limited to, in words: "all reports, all years" or "reports: …, years 2017–2019"."""
    if filters.empty:
        return "all reports, all years"
    parts = []
    if filters.reports:
        parts.append("reports: " + "; ".join(titles.get(r, r) for r in filters.reports))
    if filters.publisher:
        parts.append(f"publisher: {filters.publisher}")
    if filters.year_from and filters.year_from == filters.year_to:
        parts.append(f"year {filters.year_from}")
    elif filters.year_from or filters.year_to:
        parts.append(f"years {filters.year_from or '…'}–{filters.year_to or '…'}")
    return ", ".join(parts)


def filters_label(filters: Filters, titles: dict[str, str]) -> str:
    if filters.empty:
        return "Searching all reports, all years."
    return f"Filters for the next question: {filters_text(filters, titles)}."


def conversation_markdown(turns: list[dict], titles: dict[str, str]) -> str:
    """The conversation with every answer's filters and sources, for a journalist's notes."""
    lines = ["# Conversation with the U.S.-Mexico reports assistant", ""]
    for turn in turns:
        answer = Answer.model_validate(turn["answer"])
        searched = f"> Searched: {filters_text(Filters.model_validate(turn['filters']), titles)}."
        notes = [searched] + [f"> {n}" for n in (answer.notice, checking_note(answer)) if n]
        lines += [f"## Q: {turn['question']}", "", *notes, "", answer.text, ""]
        if answer.citations:
            lines += ["Sources:", ""] + [f"{c.n}. {journalist_citation(c)}" for c in answer.citations] + [""]
    return "\n".join(lines)


def comparison_html(comparison) -> str:
    """The comparison table: a row per report by year, statements quoted with links to their pages."""
    e = html.escape
    rows = []
    for row in comparison.rows:
        if row.statements:
            cell = "".join(
                f'<p class="statement">[{c.n}] \u201c{e(c.text)}\u201d '
                f'<a href="{e(citation_link(c))}" title="{e(citation_preview(c))}">{e(pages_label(c))}</a></p>'
                for c in row.statements)
        else:
            cell = '<p class="not-found">No statement found in this report.</p>'
        rows.append(f"<tr><td><b>{e(row.title)}</b><br><span class='card-meta'>{e(row.publisher)}</span></td>"
                    f"<td>{row.year or ''}</td><td>{cell}</td></tr>")
    return (f"<table class='comparison'><tr><th>Report</th><th>Year</th><th>Statements on "
            f"\u201c{e(comparison.topic)}\u201d</th></tr>{''.join(rows)}</table>")
