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
from fastapi.responses import FileResponse, HTMLResponse, Response

from chat import conversations
from chat.engine import MAX_QUESTION_CHARS, ChatEngine, InvalidQuestion
from indexer import IndexMissing
from chat.errors import user_message
from chat.feedback import FeedbackLog
from chat.models import Answer, AskRequest, Filters, Turn
from chat.compare import compare_reports, comparison_csv, comparison_markdown
from chat.presentation import (chat_markdown, comparison_html, conversation_markdown, escape_markdown,
                               filters_label, source_cards_html)
from chat.retrieval import UnknownFilter
from chat.sections import SectionLabels
from chat.viewer import viewer_error, viewer_html
from chat.web_assets import CSS, PAGE_JS
from chat.web_settings import WebSettings
from indexer.locate import MAX_QUOTE_CHARS, PageOutOfRange, locate_quote, render_page

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

    def __init__(self, engine: ChatEngine | None, feedback: FeedbackLog, load_error: str = "",
                 settings: WebSettings | None = None):
        self.feedback = feedback
        self.load_error = load_error
        self.settings = settings or WebSettings()
        self._use(engine)

    def _use(self, engine: ChatEngine | None) -> None:
        self.engine = engine
        self.files = _report_files(engine)
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
        # The question is shown as typed: "<img …>" or "[x](http://…)" is text, not markup.
        messages = list(messages or []) + [{"role": "user", "content": escape_markdown(message or "")},
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

    def viewer_page(self, report_id: str, page: str, quote: str = "", page_end: str = "") -> tuple[int, str]:
        """The page viewer's HTML for a citation, or an error page saying what is wrong: (status, html)."""
        path = self.files.get(report_id)
        if path is None or not path.is_file():
            known = ", ".join(sorted(self.files)) or "none (no index is loaded)"
            return 404, viewer_error(f"There is no report “{report_id}” in the index; its reports are: {known}.")
        numbers = [_page_number(page), _page_number(page_end) if page_end else None]
        if numbers[0] is None or (page_end and numbers[1] is None):
            return 400, viewer_error(f"The page must be a whole number, such as page=3 (got “{page}”).")
        if len(quote) > MAX_QUOTE_CHARS:
            return 400, viewer_error(f"The quote is too long: keep it under {MAX_QUOTE_CHARS} characters.")
        try:
            location = locate_quote(path, numbers[0], quote, numbers[1])
        except PageOutOfRange as exc:
            return 404, viewer_error(f"The page cannot be shown: {exc}.")
        return 200, viewer_html(report_id, self.titles.get(report_id, report_id), location, quote)

    def restore(self, store) -> tuple:
        """On page load: the conversation the browser was showing, with its sources, and the list."""
        conversation = conversations.current(store)
        return (*self._show(conversation), gr.update(choices=conversations.choices(store),
                                                     value=conversation["id"] if conversation else None))

    def save(self, store, conversation_id: str | None, messages: list, turns: list[dict]) -> tuple:
        """After each answer: the conversation is saved in the browser as the newest."""
        store, conversation_id = conversations.save(store, conversation_id, messages, turns)
        return store, conversation_id, gr.update(choices=conversations.choices(store), value=conversation_id)

    def new_conversation(self, store) -> tuple:
        store = {"current": None, "conversations": conversations.conversations(store)}
        return (*self._show(None), gr.update(choices=conversations.choices(store), value=None), store)

    def open_conversation(self, conversation_id: str | None, store) -> tuple:
        conversation = conversations.find(store, conversation_id)
        if conversation:
            store = {"current": conversation["id"], "conversations": conversations.conversations(store)}
        return (*self._show(conversation), store)

    def _show(self, conversation: dict | None) -> tuple:
        """chatbot, turns, sources and conversation id of a saved conversation (None: a new one)."""
        if conversation is None:
            return [], [], source_cards_html(None, self.sections), None
        turns = conversation["turns"]
        try:
            latest = Answer.model_validate(turns[-1]["answer"]) if turns else None
        except (ValueError, KeyError, TypeError):  # saved by another version of the app
            latest = None
        return conversation["messages"], turns, source_cards_html(latest, self.sections), conversation["id"]

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
        # Conversations are kept in the browser (encrypted localStorage), so a reload keeps them.
        saved = gr.BrowserState(conversations.empty_store(), storage_key=web.settings.storage_key,
                                secret=web.settings.storage_secret)
        conversation_id = gr.State(None)
        with gr.Tab("Chat"), gr.Row():
            with gr.Column(scale=3):
                with gr.Row(elem_id="conversation-bar", equal_height=True):
                    new_button = gr.Button("New conversation", size="sm", elem_id="new-conversation", scale=0,
                                           min_width=160)
                    earlier = gr.Dropdown(choices=[], value=None, label="Earlier conversations",
                                          elem_id="conversations", scale=1, min_width=200)
                chatbot = gr.Chatbot(label="Conversation", height=520, elem_id="chat", autoscroll=False,
                                     feedback_options=("Like", "Dislike"),
                                     buttons=["copy", "copy_all"])  # no "share": it posts to Hugging Face
                question = gr.Textbox(placeholder="Ask a question about the reports…", label="Your question",
                                      show_label=False,
                                      elem_id="question", submit_btn=True, max_length=MAX_QUESTION_CHARS)
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
                        [chatbot, sources, turns, question]).then(
            web.save, [saved, conversation_id, chatbot, turns], [saved, conversation_id, earlier],
            show_progress="hidden", api_visibility="undocumented")
        # The page's own bookkeeping: callable, as the page needs, but not listed among the API's endpoints.
        shown, own = [chatbot, turns, sources, conversation_id], {"api_visibility": "undocumented"}
        demo.load(web.restore, saved, shown + [earlier], **own)
        new_button.click(web.new_conversation, saved, shown + [earlier, saved], **own)
        chatbot.clear(web.new_conversation, saved, shown + [earlier, saved], **own)  # its bin: the same, kept listed
        earlier.input(web.open_conversation, [earlier, saved], shown + [saved], **own)
        chatbot.like(web.rate, [chatbot, turns, comment], feedback_note)
        export_button.click(web.export, turns, export_file)
        gr.api(web.api_ask, api_name="ask")
    return demo


def _report_files(engine: ChatEngine | None) -> dict[str, Path]:
    """Report id -> its PDF, for the indexed files that still resolve inside the corpus folder."""
    if engine is None:
        return {}
    manifest = engine.index.manifest
    corpus = Path(manifest.corpus_dir).resolve()
    # A symlink swapped in after indexing that points outside the corpus is not served.
    files = {f.report_id: (corpus / f.file_name).resolve() for f in manifest.files}
    return {rid: path for rid, path in files.items() if path.is_relative_to(corpus)}


def _page_number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() and len(text) < 7 else None


def build_app(web: WebChat) -> FastAPI:
    """FastAPI app: indexed corpus PDFs (/pdf), their pages as images (/page) and the page viewer
    (/viewer), each looked up by report id only; Gradio at /."""
    app = FastAPI()

    def report_file(report_id: str) -> Path:
        # Looked up by report id in the index, never joined from the request: no path can escape.
        path = web.files.get(report_id)
        if path is None or not path.is_file():
            raise HTTPException(status_code=404, detail="No such report in the index.")
        return path

    @app.api_route("/pdf/{report_id}", methods=["GET", "HEAD"])  # HEAD: link checkers and curl -I
    def pdf(report_id: str) -> FileResponse:
        path = report_file(report_id)
        return FileResponse(path, media_type="application/pdf",
                            headers={"Content-Disposition": f'inline; filename="{path.name}"'})

    @app.get("/page/{report_id}/{page}.png")
    def page_image(report_id: str, page: int) -> Response:
        try:
            png = render_page(report_file(report_id), page)
        except PageOutOfRange as exc:
            raise HTTPException(status_code=404, detail=f"{exc}.") from None
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    @app.get("/viewer/{report_id}", response_class=HTMLResponse)
    def viewer(report_id: str, page: str = "", quote: str = "", page_end: str = "") -> HTMLResponse:
        status, body = web.viewer_page(report_id, page, quote, page_end)
        return HTMLResponse(body, status_code=status)

    demo = build_blocks(web).queue(default_concurrency_limit=4)
    return gr.mount_gradio_app(app, demo, path="/", css=CSS, js=PAGE_JS, footer_links=["api"])
