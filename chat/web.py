"""The web chat: a thin Gradio layout over plain functions, served with the corpus PDFs."""

from __future__ import annotations

import html
import json
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import gradio as gr
from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse

from chat.engine import ChatEngine, InvalidQuestion
from indexer import IndexMissing
from chat.errors import user_message
from chat.feedback import FeedbackLog
from chat.models import Answer, AskRequest, Filters, Turn
from chat.compare import compare_reports, comparison_csv, comparison_markdown
from chat.presentation import (chat_markdown, comparison_html, conversation_markdown, escape_markdown,
                               filters_label, source_cards_html)
from chat.retrieval import UnknownFilter
from chat.sections import SectionLabels
from chat.web_assets import CSS, SCROLL_TO_ANSWER_START

EXAMPLES = [
    "How many people of Mexican heritage live in the United States?",
    "What do the reports recommend on border infrastructure and ports of entry?",
    "How did U.S.-Mexico energy trade change between 2017 and 2021?",
    "What did the former ambassadors propose on migration?",
    "What is the Mérida Initiative, and what did COMEXI think of it?",
]
CHECKING = "\n\n_… checking the citations_"
STREAM_WORDS = 6  # words per streamed update: the answer appears as it is written out


class WebChat:
    """Everything the page does, as plain methods the tests can call."""

    def __init__(self, engine: ChatEngine | None, feedback: FeedbackLog, load_error: str = ""):
        self.feedback = feedback
        self.load_error = load_error
        self._use(engine)

    def _use(self, engine: ChatEngine | None) -> None:
        self.engine = engine
        reports = engine.index.manifest.reports if engine else []
        self.titles = {r.id: r.title for r in reports}
        self.years = sorted({r.year for r in reports if r.year}) or [2017, 2021]
        self.sections = SectionLabels(s.text for c in engine.index.chunks for s in c.sentences) if engine \
            else SectionLabels([])

    def current(self) -> ChatEngine | None:
        """The engine, moved to the new version of a shared index between requests (replicas)."""
        if self.engine is not None:
            engine = self.engine.refreshed()
            if engine is not self.engine:
                self._use(engine)
        return self.engine

    def filters(self, titles: list[str] | None, year_from: float | None, year_to: float | None) -> Filters:
        by_title = {title: rid for rid, title in self.titles.items()}
        reports = [by_title.get(t, t) for t in titles or []]
        first = int(year_from) if year_from else None
        last = int(year_to) if year_to else None
        if first == min(self.years) and last == max(self.years):
            first = last = None  # the full range is no filter
        return Filters(reports=reports, year_from=first, year_to=last)

    def ask(self, question: str, history: list[Turn], filters: Filters) -> Answer:
        """Raises InvalidQuestion or UnknownFilter with a message for the user."""
        *_, answer = self.stream(question, history, filters)
        return answer

    def stream(self, question: str, history: list[Turn], filters: Filters) -> Iterator[str | Answer]:
        engine = self.current()
        if engine is None:
            raise InvalidQuestion(self.load_error)
        return engine.stream(question, history=history, filters=filters)

    def respond(self, message: str, messages: list[dict], turns: list[dict], titles: list[str] | None,
                year_from: float | None, year_to: float | None) -> Iterator[tuple]:
        """Chat handler: streams the answer, then shows its source cards.

        The answer's message carries the id of its turn in its metadata, which is how a like finds the
        answer it rates: error replies have no turn, so counting messages would not.
        """
        messages = list(messages or []) + [{"role": "user", "content": message or ""},
                                           {"role": "assistant", "content": ""}]
        turns = list(turns or [])
        draft = ""
        try:
            filters = self.filters(titles, year_from, year_to)
            history = [Turn(role=r, content=c) for t in turns for r, c in
                       (("user", t["question"]), ("assistant", t["answer"]["answer"]))]
            for item in self.stream(message, history, filters):
                if isinstance(item, Answer):
                    answer = item
                elif self.engine.llm:  # the model's draft, shown as it is written, then checked
                    draft += item
                    messages[-1] = {"role": "assistant", "content": escape_markdown(draft) + CHECKING}
                    yield messages, gr.skip(), turns, ""
        except (InvalidQuestion, UnknownFilter, ValueError, IndexMissing) as exc:
            messages[-1] = {"role": "assistant", "content": f"⚠️ {user_message(exc)}"}
            yield messages, gr.skip(), turns, ""
            return
        full = chat_markdown(answer)
        if not draft:  # extractive: the composed answer appears a few words at a time
            words = full.split(" ")
            for end in range(STREAM_WORDS, len(words), STREAM_WORDS):
                messages[-1] = {"role": "assistant", "content": " ".join(words[:end])}
                yield messages, gr.skip(), turns, ""
                time.sleep(0.01)
        turn_id = uuid.uuid4().hex
        messages[-1] = {"role": "assistant", "content": full, "metadata": {"id": turn_id}}
        turns.append({"id": turn_id, "question": message, "filters": filters.model_dump(mode="json"),
                      "answer": answer.model_dump(mode="json")})
        yield messages, source_cards_html(answer, self.sections), turns, ""

    def api_ask(self, question: str, reports: list[str] | None = None, year_from: int | None = None,
                year_to: int | None = None, history: list[dict] | None = None) -> dict:
        """The `ask` API endpoint: the Answer as JSON, or {"error": message}."""
        try:
            request = AskRequest(question=question, reports=reports or [], year_from=year_from, year_to=year_to,
                                 history=history or [])
            return self.ask(request.question, request.history, request.filters()).model_dump(mode="json")
        except (InvalidQuestion, UnknownFilter, ValueError, IndexMissing) as exc:
            return {"error": user_message(exc)}

    def rate(self, like: gr.LikeData, messages: list[dict], turns: list[dict], comment: str) -> str:
        """Records a like or dislike against the answer whose message was rated, found by its turn id."""
        position = like.index if isinstance(like.index, int) else like.index[0]
        message = messages[position] if 0 <= position < len(messages or []) else {}
        turn_id = (message.get("metadata") or {}).get("id")
        turn = next((t for t in turns or [] if turn_id and t["id"] == turn_id), None)
        if turn is None:
            return "Only answers from the reports can be rated; this message is not one."
        self.feedback.record(liked=bool(like.liked), question=turn["question"], answer=turn["answer"],
                             comment=comment or "", index_hash=self.engine.index.manifest.content_hash
                             if self.engine else "")
        return "Thanks, your feedback was recorded."

    def export(self, turns: list[dict]):
        """A Markdown file of the conversation with its sources, offered for download."""
        if not turns:
            return gr.update(value=None, visible=False)
        path = Path(tempfile.mkdtemp(prefix="chat-export-")) / "conversation.md"
        path.write_text(conversation_markdown(turns, self.titles), encoding="utf-8")
        return gr.update(value=str(path), visible=True)

    def compare(self, topic: str, titles: list[str] | None, year_from: float | None, year_to: float | None,
                request: gr.Request):
        """Comparison tab: the table, and Markdown and CSV files of it whose page links name this server."""
        hidden = gr.update(value=None, visible=False)
        try:
            engine = self.current()
            if engine is None:
                raise InvalidQuestion(self.load_error)
            comparison = compare_reports(engine, topic, self.filters(titles, year_from, year_to))
        except (InvalidQuestion, UnknownFilter, ValueError, IndexMissing) as exc:
            return f"<p class='not-found'>⚠️ {html.escape(user_message(exc))}</p>", hidden, hidden
        app_url = str(request.request.base_url) if request and request.request else ""
        folder = Path(tempfile.mkdtemp(prefix="comparison-"))
        (folder / "comparison.md").write_text(comparison_markdown(comparison, app_url), encoding="utf-8")
        (folder / "comparison.csv").write_text(comparison_csv(comparison, app_url), encoding="utf-8")
        return (comparison_html(comparison), gr.update(value=str(folder / "comparison.md"), visible=True),
                gr.update(value=str(folder / "comparison.csv"), visible=True))

    def filters_note(self, titles, year_from, year_to) -> str:
        try:
            return filters_label(self.filters(titles, year_from, year_to), self.titles)
        except ValueError as exc:
            return f"⚠️ {user_message(exc)}"


def build_blocks(web: WebChat) -> gr.Blocks:
    with gr.Blocks(title="U.S.-Mexico reports: cited answers") as demo:
        gr.Markdown("## Ask the U.S.-Mexico policy reports\nAnswers quote the reports, with page numbers. "
                    "When the reports do not answer, the assistant says so.")
        if web.load_error:
            gr.Markdown(f"⚠️ **{web.load_error}**")
        turns = gr.State([])
        with gr.Tab("Chat"), gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Conversation", height=520, elem_id="chat", autoscroll=False,
                                     feedback_options=("Like", "Dislike"))
                question = gr.Textbox(placeholder="Ask a question about the reports…", show_label=False,
                                      elem_id="question", submit_btn=True, max_length=4000)
                # Buttons, not gr.Examples: that cuts every example (and label) at 60 characters with "...".
                with gr.Column(elem_id="examples"):
                    gr.Markdown("Example questions", elem_classes="examples-label")
                    for example in EXAMPLES:
                        gr.Button(example, size="sm", elem_classes="example-question").click(
                            None, None, question, js=f"() => {json.dumps(example)}")
                with gr.Row():
                    comment = gr.Textbox(label="Optional comment, sent with your next like or dislike", scale=3)
                    feedback_note = gr.Markdown("")
                with gr.Row():
                    export_button = gr.Button("Export conversation (Markdown)", size="sm")
                    export_file = gr.File(label="Conversation", visible=False)
            with gr.Column(scale=2):
                with gr.Accordion("Filters", open=True):
                    reports = gr.Dropdown(choices=list(web.titles.values()), multiselect=True,
                                          label="Reports (empty = all)", elem_id="report-filter")
                    with gr.Row():
                        year_from = gr.Number(value=min(web.years), precision=0, label="From year",
                                              elem_id="year-from")
                        year_to = gr.Number(value=max(web.years), precision=0, label="To year")
                    active_filters = gr.Markdown(web.filters_note([], None, None), elem_id="active-filters")
                sources = gr.HTML(source_cards_html(None, web.sections), label="Sources", elem_id="sources")

        with gr.Tab("Compare reports"):
            gr.Markdown("Where does each report stand on a topic? One row per report, by year, with its "
                        "most relevant statements quoted and cited — or “no statement found”.")
            with gr.Row():
                topic = gr.Textbox(label="Topic", placeholder="e.g. energy reform, Mérida Initiative, migration",
                                   elem_id="compare-topic", scale=3)
                compare_button = gr.Button("Compare", variant="primary", elem_id="compare-button", scale=1)
            with gr.Row():
                compare_reports_filter = gr.Dropdown(choices=list(web.titles.values()), multiselect=True,
                                                     label="Reports (empty = all)")
                compare_from = gr.Number(value=min(web.years), precision=0, label="From year")
                compare_to = gr.Number(value=max(web.years), precision=0, label="To year")
            comparison = gr.HTML(elem_id="comparison")
            with gr.Row():
                comparison_md = gr.File(label="Markdown", visible=False)
                comparison_csv_file = gr.File(label="CSV", visible=False)
            compare_inputs = [topic, compare_reports_filter, compare_from, compare_to]
            compare_outputs = [comparison, comparison_md, comparison_csv_file]
            compare_button.click(web.compare, compare_inputs, compare_outputs)
            topic.submit(web.compare, compare_inputs, compare_outputs)

        for control in (reports, year_from, year_to):
            control.change(web.filters_note, [reports, year_from, year_to], active_filters, queue=False)
        question.submit(web.respond, [question, chatbot, turns, reports, year_from, year_to],
                        [chatbot, sources, turns, question])
        chatbot.like(web.rate, [chatbot, turns, comment], feedback_note)
        export_button.click(web.export, turns, export_file)
        gr.api(web.api_ask, api_name="ask")
    return demo


def build_app(web: WebChat) -> FastAPI:
    """FastAPI app: /pdf/{report_id} serves indexed corpus PDFs only; Gradio at /."""
    app = FastAPI()
    files: dict[str, Path] = {}
    if web.engine:
        manifest = web.engine.index.manifest
        corpus = Path(manifest.corpus_dir).resolve()
        # Only files that still resolve inside the corpus folder (a symlink swapped in later does not).
        files = {f.report_id: (corpus / f.file_name).resolve() for f in manifest.files}
        files = {rid: path for rid, path in files.items() if path.is_relative_to(corpus)}

    @app.api_route("/pdf/{report_id}", methods=["GET", "HEAD"])  # HEAD: link checkers and curl -I
    def pdf(report_id: str) -> FileResponse:
        # Looked up by report id in the index, never joined from the request: no path can escape.
        path = files.get(report_id)
        if path is None or not path.is_file():
            raise HTTPException(status_code=404, detail="No such report in the index.")
        return FileResponse(path, media_type="application/pdf",
                            headers={"Content-Disposition": f'inline; filename="{path.name}"'})

    demo = build_blocks(web).queue(default_concurrency_limit=4)
    return gr.mount_gradio_app(app, demo, path="/", css=CSS, js=SCROLL_TO_ANSWER_START, footer_links=["api"])
