"""The chat engine: loads the index once and answers questions with cited sentences."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Iterator

import numpy as np

from chat.abstention import ANSWERABILITY_FEATURES, Support, assess
from chat.acronyms import Acronyms
from chat.evidence import SENTENCE_FEATURES, STRONGLY_NAMED, Candidate, QueryView, SentenceSpace, TermWeights, candidates, \
    cover_reports, select
from chat.extractive import compose
from chat.fitted import FittedModels, load_model, load_scale
from chat.generative import GenerativeAnswerer
from chat.llm import LlmUnavailable
from indexer.language import Language
from chat.llm_settings import LlmSettings
from chat.messages import say
from chat.models import Answer, Filters, Passage, Turn, Verification
from chat.names import SentenceTerms
from chat.query import is_followup, shipped_followup_model
from chat.question import QuestionReader
from chat.reading import Reading
from chat.retrieval import HybridRetriever
from chat.settings import EngineSettings
from chat.translation import WordTranslator
from chat.verification import Checked
from indexer import LoadedIndex, load_index
from indexer.build import Encoder
from indexer.embedding import SentenceEmbedder
from indexer.lexical import tokenize
from indexer.multilingual import WORD, MultilingualEncoder, MultilingualUnavailable
from indexer.store import Location, lexical_text
from indexer.vectors import MULTILINGUAL_SPACE, SENTENCES, WORDS, set_name

MAX_QUESTION_CHARS = 2000
SEARCHED_ON_THEIR_OWN = 10  # compared reports searched one by one besides the whole index
NEAREST_WORDS = 50  # vocabulary words fetched per looked-up word, to find the nearest English one
# A word is looked up in the light of the question: the words of the sentences nearest the whole
# question (in e5's space) are likelier what it means. "superávit" is nearest "superpower" alone, and
# "surplus" among sentences on trade; "perdería" "perdido", and "lost". Hand-set, by reading the
# lookups of the 19 Spanish dev questions (not their scores): 30 sentences, and a bonus of 0.03 on a
# cosine. A bonus, not a limit: looked up among the context's words only, a word the context lacks
# took one of them ("convocation" became "eligible").
CONTEXT_SENTENCES = 30
CONTEXT_BONUS = 0.03
QUERY_VECTORS_KEPT = 8


class InvalidQuestion(ValueError):
    """The question cannot be asked as it is; the message says what to change."""


@dataclass
class ChatEngine:
    index: LoadedIndex
    encoder: Encoder
    settings: EngineSettings = field(default_factory=EngineSettings)
    llm: GenerativeAnswerer | None = None  # None: extractive answers
    models: FittedModels | None = None  # None: the ones shipped in chat/fitted/
    # The model for questions not in English, loaded on the first one (tests pass a fake).
    make_multilingual: Callable[[], MultilingualEncoder] = MultilingualEncoder

    def __post_init__(self) -> None:
        self.retriever = HybridRetriever(self.index, self.settings.retrieval)
        texts = [lexical_text(c) for c in self.index.chunks]
        self.term_weights = TermWeights(texts)
        self._sentence_texts = [s.text for c in self.index.chunks for s in c.sentences]  # by vector row
        self.sentence_terms = SentenceTerms(self._sentence_texts)
        self.report_years = {r.id: r.year for r in self.index.manifest.reports}
        self.newest_year = max((y or 0 for y in self.report_years.values()), default=0) or None
        acronyms = Acronyms(texts) if self.settings.expand_acronyms else None
        self._multilingual: MultilingualEncoder | None = None
        self._query_vectors: dict[str, np.ndarray] = {}
        self._query_vectors_lock = threading.Lock()  # the web chat answers several questions at once
        manifest = self.index.manifest
        self._english_words = set(manifest.multilingual_english)  # what the reports use as English words
        has_words = set_name(WORDS, MULTILINGUAL_SPACE) in manifest.vector_sets
        translator = (WordTranslator(set(manifest.multilingual_words), self.sentence_terms, self._nearest_words,
                                     self._english_words, set(manifest.multilingual_spanish))
                      if manifest.multilingual_words and has_words else None)
        self._multilingual_failed = ""  # why the multilingual model could not be loaded, if it could not
        self.reader = QuestionReader(self.retriever.hints, acronyms, self.sentence_terms, self.report_years,
                                     self.retriever.content, translator, self.retriever.chapters)
        self.models = self.models or shipped_models()
        self.minilm_space = SentenceSpace()

    @classmethod
    def from_folder(cls, index_dir: Location, make_encoder: Callable[[str], Encoder] | None = None,
                    settings: EngineSettings | None = None, llm: LlmSettings | None = None,
                    models: FittedModels | None = None) -> "ChatEngine":
        """Load the index and the embedding model it was built with. Raises IndexMissing,
        FittedModelError."""
        index = load_index(index_dir)
        model = index.manifest.settings  # a query is embedded the way the corpus was
        encoder = make_encoder(model.model_id) if make_encoder else SentenceEmbedder(model.model_id,
                                                                                     backend=model.backend)
        answerer = GenerativeAnswerer(llm) if llm and llm.configured else None
        return cls(index=index, encoder=encoder, settings=settings or EngineSettings(), llm=answerer, models=models)

    def refreshed(self) -> "ChatEngine":
        """This engine, or one on the new version of a shared (PostgreSQL) index once a rebuild has
        published it. Called between requests, so that no answer mixes two versions."""
        if self.index.is_current():
            return self
        index = load_index(self.index.location)
        same_model = index.manifest.settings.model_id == self.index.manifest.settings.model_id
        encoder = self.encoder if same_model else SentenceEmbedder(index.manifest.settings.model_id,
                                                                   backend=index.manifest.settings.backend)
        return ChatEngine(index=index, encoder=encoder, settings=self.settings, llm=self.llm, models=self.models)

    def read(self, question: str, history: list[Turn], compare: bool = True) -> Reading:
        """The question read once: everything later steps need from its words."""
        return self.reader.read(question, history, self.models.followup, compare=compare and self.settings.diversify)

    def views(self, reading: Reading) -> list[QueryView]:
        """The readings sentences are scored against: the retrieval query, and the bare question when
        it differs (a follow-up)."""
        space = self.space_for(reading)
        if space.name != self.minilm_space.name:
            try:
                vectors = [self._multilingual_query(text) for text in reading.matched_texts]
            except MultilingualUnavailable as exc:  # matched in MiniLM's space instead, with a notice
                self._multilingual_failed, space = str(exc), self.minilm_space
        if space.name == self.minilm_space.name:
            vectors = self.encoder.encode(reading.matched_texts)
        if reading.in_english is not None:  # words are counted in English
            return [QueryView(vector, tokenize(reading.in_english), space) for vector in vectors]
        return [QueryView(vector, tokenize(text), space) for vector, text in zip(vectors, reading.matched_texts)]

    @property
    def multilingual(self) -> MultilingualEncoder:
        """The multilingual model, loaded on first use."""
        self._multilingual = self._multilingual or self.make_multilingual()
        return self._multilingual

    @property
    def multilingual_space(self) -> SentenceSpace | None:
        """The multilingual sentence vectors on MiniLM's scale (the models' fitted scale), if any."""
        if not self.index.multilingual:
            return None
        scale = self.models.multilingual_scale
        return SentenceSpace(MULTILINGUAL_SPACE, scale.slope, scale.intercept)

    def _nearest_words(self, words: list[str], context: str) -> list[str]:
        """Each word's nearest other word of the reports' English vocabulary, in the multilingual space,
        among the words the reports use as English ones: not "energía" (from "Reforma Energética") for
        "energética", nor "reforma" itself for "reforma". Words of the sentences nearest the context
        (the question) count CONTEXT_BONUS more."""
        vocabulary, name = self.index.manifest.multilingual_words, set_name(WORDS, MULTILINGUAL_SPACE)
        near_context = self._context_words(context)
        found = []
        for word, vector in zip(words, self.multilingual.queries(words)):
            hits = self.index.vectors.search(name, vector, NEAREST_WORDS)
            scored = [(float(score) + CONTEXT_BONUS * (vocabulary[int(i)] in near_context), vocabulary[int(i)])
                      for i, score in zip(hits.ids, hits.scores)]
            english = [(score, w) for score, w in scored if w != word and w in self._english_words]
            # None among them: the word stays itself, as a word the reports lack is counted.
            found.append(max(english)[1] if english else word)
        return found

    def _context_words(self, context: str) -> set[str]:
        """The lower-cased words of the sentences nearest the text in the multilingual space."""
        rows = self.index.vectors.search(set_name(SENTENCES, MULTILINGUAL_SPACE), self._multilingual_query(context),
                                         CONTEXT_SENTENCES).ids
        return {w.lower() for row in rows for w in WORD.findall(self._sentence_texts[int(row)])}

    def _multilingual_query(self, text: str) -> np.ndarray:
        """The text's e5 query vector; the last few are kept, since the question's words are looked up
        in the light of the same text its retrieval then embeds."""
        with self._query_vectors_lock:
            known = self._query_vectors.get(text)
        if known is not None:
            return known
        vector = self.multilingual.query(text)
        with self._query_vectors_lock:
            while len(self._query_vectors) >= QUERY_VECTORS_KEPT:
                self._query_vectors.pop(next(iter(self._query_vectors)))
            self._query_vectors[text] = vector
        return vector

    def space_for(self, reading: Reading) -> SentenceSpace:
        """Where a question is matched: MiniLM for English, the multilingual vectors for another
        language (MiniLM again if the index has none: see multilingual_notice)."""
        if reading.lang != "en" and self.multilingual_space is not None and not self._multilingual_failed:
            return self.multilingual_space
        return self.minilm_space

    def ask(self, question: str, history: list[Turn] | None = None,
            filters: Filters | None = None) -> Answer:
        """Answer from the reports, citing them, or abstain. Raises InvalidQuestion, UnknownFilter."""
        *_, answer = self.stream(question, history, filters)
        return answer

    def stream(self, question: str, history: list[Turn] | None = None,
               filters: Filters | None = None) -> Iterator[str | Answer]:
        """The answer's text as it is written, then the final Answer, whose text replaces it.

        With an LLM configured, the streamed text is the model's draft; the final text is the checked
        one (or the extractive answer, if the model failed). Raises InvalidQuestion, UnknownFilter.
        """
        started = time.perf_counter()
        question = checked_question(question)
        history = history or []
        timings: dict[str, float] = {}
        standalone, notice = None, ""
        # A question that names its own topic is asked as it is: no call, and nothing for a small
        # model to garble.
        if self.llm and history and self.llm.settings.rewrite_followups and is_followup(question, self.models.followup):
            try:
                standalone = self.llm.standalone(question, history)
            except LlmUnavailable as exc:
                notice = _fallback_notice(exc)
            timings["rewrite_ms"] = _ms_since(started)
        found = self._find(standalone or question, [] if standalone else history, filters, timings)
        if found.abstained or not self.llm or notice:
            answer = self._answer(found, started, timings, notice=notice, standalone=standalone)
            yield answer.text
            yield answer
            return
        generated_at = time.perf_counter()
        try:
            for item in self.llm.stream(question, history, self.index, found.llm_passages):
                if isinstance(item, str):
                    yield item
                else:
                    checked = item
        except LlmUnavailable as exc:
            timings["llm_ms"] = _ms_since(generated_at)
            yield self._answer(found, started, timings, notice=_fallback_notice(exc), standalone=standalone,
                               verification=getattr(exc, "verification", None))
            return
        timings["llm_ms"] = _ms_since(generated_at)
        yield self._answer(found, started, timings, standalone=standalone, checked=checked)

    def examine(self, question: str, history: list[Turn], filters: Filters | None = None,
                timings: dict[str, float] | None = None) -> Examination:
        """Read the question, retrieve, and score the candidate evidence: everything before a decision."""
        timings = {} if timings is None else timings
        started = time.perf_counter()
        reading = self.read(question, history)
        views = self.views(reading)
        timings["embed_ms"] = _ms_since(started)
        targets = reading.compared_reports
        # Each compared report is also searched on its own, up to a few: over hundreds of reports
        # ("compare the reports" in a large corpus) that took p95 to 2 s; the nearest passages serve.
        within = targets if len(targets) <= SEARCHED_ON_THEIR_OWN else []
        scored = self.retriever.score(reading, _blend([v.vector for v in views]), filters, within=within,
                                      space=views[0].space)
        order = np.argsort(-scored.fused, kind="stable")
        # Reports take turns at the top only when the question says it compares. Two report years
        # alone ("What happened to the Leaders' Summit between the 2017 report and the 2021
        # outlook?") make a comparison for the evidence below, but reordering for them put a weaker
        # passage first on dev (MRR -0.006), and so does reordering for the reports of the years a
        # question sets side by side (MRR -0.006): only reports the question names take turns.
        named = [t for t in targets if reading.named_reports.get(t, 0.0) >= STRONGLY_NAMED]
        if reading.says_compare and 2 <= len(named) == len(targets) < len(self.report_years):
            order = self.retriever.interleaved(scored, order, targets)  # so each compared report is seen
        retrieved = [self.retriever.passage(scored, i) for i in order[:self.settings.retrieved]]
        timings["retrieve_ms"] = _ms_since(started) - timings["embed_ms"]
        evidence = self.settings.evidence
        top_chunks = [int(scored.positions[i]) for i in order[:evidence.passages]]
        for report_id in targets:  # a comparison needs each report's best passages, not only the top-k
            own = self.retriever.top_of_report(scored, report_id, evidence.passages_per_compared_report)
            top_chunks += [p for p in own if p not in top_chunks]
        if targets and reading.comparison_topic:
            # ...and its passage that names the topic most: a report's best passages for "How did views
            # on migration change…?" can be about views of the United States.
            on_topic = self.retriever.on_topic(scored, reading.comparison_topic)
            topical = self.retriever.score_of(on_topic)
            for report_id in targets:  # none when no passage of it names the topic
                top_chunks += [p for p in self.retriever.top_of_report(on_topic, report_id, 1)
                               if p not in top_chunks and topical[p] > 0]
        fused = self.retriever.score_of(scored)
        pool = candidates(self.index, top_chunks, [fused[p] for p in top_chunks], views, reading,
                          self.term_weights, self.models.sentence)
        return Examination(reading=reading, views=views, retrieved=retrieved, top_chunks=top_chunks, pool=pool,
                           support=self.support(reading, pool))

    def support(self, reading: Reading, pool: list[Candidate]) -> Support:
        """The answerability features of a scored pool, and what the reports lack."""
        return assess(reading, pool, self.sentence_terms, self.newest_year, self.term_weights)

    def _find(self, question: str, history: list[Turn], filters: Filters | None,
              timings: dict[str, float]) -> Found:
        """Retrieval, evidence and the abstention decision for a question."""
        started = time.perf_counter()
        seen = self.examine(question, history, filters, timings)
        # A question with no word to match ("¿Qué?", "???") is not answered, whatever its vector meets.
        abstained = not seen.support.sufficient(self.models.answerability) or not any(v.terms for v in seen.views)
        chosen: list = []
        if not abstained:
            ev = self.settings.evidence
            chosen = select(self.index, seen.pool, ev, seen.reading.compared_reports)
            if seen.reading.compared_reports:
                chosen = cover_reports(self.index, seen.pool, chosen, seen.reading.compared_reports,
                                       ev.cover_similarity, self.term_weights, seen.reading.comparison_topic)
        timings["evidence_ms"] = _ms_since(started) - timings["embed_ms"] - timings["retrieve_ms"]
        # The model reads the passages the evidence came from first, then the rest by rank.
        llm_passages = list(dict.fromkeys([c.chunk for c in chosen] + seen.top_chunks))
        return Found(reading=seen.reading, retrieved=seen.retrieved, chosen=chosen, support=seen.support,
                     abstained=abstained, llm_passages=llm_passages)

    def _answer(self, found: Found, started: float, timings: dict[str, float], notice: str = "",
                standalone: str | None = None, checked: Checked | None = None,
                verification: Verification | None = None) -> Answer:
        if found.reading.lang != "en" and self.space_for(found.reading) is self.minilm_space:
            notice = " ".join(n for n in (notice, say("no_multilingual", found.reading.lang)) if n)
        if found.reading.leans_on_nothing:
            notice = " ".join(n for n in (notice, say("leans_on_nothing", found.reading.lang)) if n)
        if checked:
            text, citations, mode = checked.text, checked.citations, "llm"
        elif found.abstained:
            text, citations, mode = _abstention_text(found.support.reasons, found.reading.lang), [], "extractive"
        else:
            (text, citations), mode = compose(self.index, found.chosen), "extractive"
        return Answer(
            text=text, abstained=found.abstained, citations=citations, retrieved=found.retrieved,
            latency_ms=round(_ms_since(started), 1), retrieval_query=found.reading.query,
            confidence=round(found.support.probability, 4), reading=found.reading, timings_ms={k: round(v, 1) for k, v in timings.items()},
            index_hash=self.index.manifest.content_hash, mode=mode, notice=notice,
            standalone_question=standalone, verification=checked.verification if checked else verification,
        )


@dataclass
class Examination:
    """A question read, its passages retrieved and its candidate evidence scored."""

    reading: Reading
    views: list[QueryView]
    retrieved: list[Passage]
    top_chunks: list[int]
    pool: list[Candidate]
    support: Support


@dataclass
class Found:
    """What retrieval and evidence selection found for one question."""

    reading: Reading
    retrieved: list[Passage]
    chosen: list[Candidate]
    support: Support
    abstained: bool
    llm_passages: list[int]


def shipped_models() -> FittedModels:
    """The fitted models shipped in chat/fitted/. Raises FittedModelError."""
    return FittedModels(sentence=load_model("sentence", SENTENCE_FEATURES),
                        answerability=load_model("answerability", ANSWERABILITY_FEATURES),
                        followup=shipped_followup_model(), multilingual_scale=load_scale())


def _blend(vectors: list[np.ndarray]) -> np.ndarray:
    """One retrieval vector for all readings of the question: a follow-up's own words count as much
    as the conversation they lean on."""
    mean = np.mean(vectors, axis=0)
    return mean / (np.linalg.norm(mean) or 1.0)


def _fallback_notice(exc: LlmUnavailable) -> str:
    return f"The LLM answer is not shown: {exc}. Below is the extractive answer."


def _abstention_text(reasons: list[str], lang: Language) -> str:
    return " ".join([say("abstain", lang), *reasons]) + say("nearest_hint", lang)


def checked_question(question: str, kind: str = "question") -> str:
    """The question (or a Compare topic: kind "topic") stripped; InvalidQuestion when it is empty, has no
    word ("?!...") or is too long."""
    question = (question or "").strip()
    if not question:
        raise InvalidQuestion(f"The {kind} is empty: type a {kind} about the reports.")
    if not any(c.isalnum() for c in question):
        raise InvalidQuestion(f"The {kind} has no words: type a {kind} about the reports.")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(f"The {kind} is {len(question)} characters long; "
                              f"keep it under {MAX_QUESTION_CHARS} characters.")
    return question


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000
