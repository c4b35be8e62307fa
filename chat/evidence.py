"""Score the sentences of retrieved passages against the question and pick the evidence."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from chat.fitted import LinearModel
from chat.reading import Reading
from chat.settings import EvidenceSettings
from chat.support import content_words
from indexer import LoadedIndex
from indexer.lexical import tokenize
from indexer.models import Sentence
from indexer.vectors import DEFAULT_SPACE

# A sentence opening like this leans on the one before it; quote both so it makes sense alone.
LEANS_BACK = re.compile(r"^(This|These|That|Those|It|Its|They|Their|Such|However|But|Also|Moreover|"
                        r"Furthermore|In addition|As a result|Therefore|Thus|He|She)\b")
AUTHORSHIP_QUESTION = re.compile(r"\b(who (wrote|authored|penned|is the author|are the authors)|authors? of|"
                                 r"written by|whose (chapter|piece|essay)|"
                                 r"qui[eé]n(es)? (escribi\w*|redact\w*|firm\w*)|autor(es|a)? de|escrito por)\b",
                                 re.IGNORECASE)
COMPARISON = re.compile(r"\b(compar\w*|differ\w*|versus|vs\.?|change[sd]?|evolv\w*|shift\w*|agree\w*|"
                        r"both|each report|the reports'?|over time|side[- ]by[- ]side|"
                        # Spanish: "¿Cómo cambió...?", "difieren", "ambos informes", "con el tiempo"
                        r"cambi[oó]|cambiaron|difier\w*|diferencia\w*|evolucion\w*|coincid\w*|ambos|"
                        r"cada informe|los informes|con el tiempo)\b", re.IGNORECASE)
OTHER_REPORTS = re.compile(r"\b((other|each|every) reports?|(all )?the (other )?reports)\b", re.IGNORECASE)
STANCE_WORDS = frozenset({"view", "position", "stance", "perspective", "opinion"})
# Share of a topic's (idf-weighted) words a statement must contain to be about it: a topic is
# short, so a statement about it names most of it.
TOPIC_COVERAGE = 0.5
# A report the question names at least this strongly (chat.report_hints: 1 for the best named) is one it asks about.
STRONGLY_NAMED = 0.5
LIST_ITEMS = 8  # lines quoted after a sentence that opens a list
LIST_ITEM_CHARS = 120  # longer, a line is a sentence that lost its full stop, not a list item
ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*\s*$")  # a list line may end with ";" or nothing
MAX_LEAN_BACK = 2  # sentences quoted before one that leans back, each leaning on the one before
# Pieces of a sentence cut for length (Sentence.runs_on) read on either side of a chosen one: a bound
# for a run of text with no full stop in it; the reports' longest sentences here make six.
MAX_PIECES = 12
ITEMS_CHARS = 600  # the points quoted under a title at most: a slide's, not the pages of prose after it
# A sentence that says how many points follow ("four clear priorities emerged…", "Two factors make this
# relevant.", "…at least in three areas:") is quoted with those points: the statements after it that
# open with the next ordinal ("First,", "The second goal…", "And third,", "Lastly,"; "2)", "(b)"), or,
# after a lead-in colon, with a label ("Sector expansion: …"). Not "the three countries" (a count of
# what was named before), nor a span of time ("two months after"), nor points the sentence gives itself
# ("Three words stand out: Integrity, Honesty…", "Two things are needed: 1) …, 2) …").
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
ANNOUNCED = re.compile(r"(?<!\bthe )(?<!\bthese )(?<!\bthose )(?<!\ball )(?<!\bnext )(?<!\blast )(?<!\bpast )"
                       r"(?<!\bfirst )\b(two|three|four|five|six|seven|eight|nine|ten)\s+(?:[a-z][\w-]*\s+){0,2}?"
                       r"([a-z][\w-]*s)\b", re.IGNORECASE)
SPANS_AND_AMOUNTS = frozenset("years months weeks days hours minutes decades times percent dollars pesos".split())
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10}
# How a point opens: its ordinal (not "First-time buyers"), a number or a bracketed lower-case letter
# (not the initial of "E. Anthony Wayne"); the last point may open "Finally," (not "The last time…").
POINT = re.compile(r"^(?:and\s+)?(?:the\s+)?(?P<word>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
                   r"(?:ly)?\b(?!-)|^(?P<last>finally|lastly|last),|^\(?(?P<number>\d{1,2})[.)]\s|"
                   r"^(?-i:\(?(?P<letter>[a-j])\))\s", re.IGNORECASE)
FIRST_POINT_INSIDE = re.compile(r"\b(?:first(?:ly)?,|the first (?:is|would be|one)\b)", re.IGNORECASE)
POINTS_INSIDE = re.compile(r"(?:^|\s)\(?(?:\d{1,2}|[a-j])\)\s")  # "…are needed: 1) …, 2) …"
LABEL = re.compile(r"^[A-Z][\w-]*(?: [\w-]+){0,3}:\s")
POINT_GAP = 12  # statements that may stand between one point (or the announcement) and the next
# A title's words are mostly capitalised ("2017 US-Mexico Agreements to Combat Illicit Drugs"); of
# words of four letters or more, since "to", "of" and "and" stay lower-case in titles.
TITLE_CAPITALISED = 0.75
FOOTNOTE_MARKS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹\d,]+$")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Sentence kinds (decided at index time, indexer/kinds.py) that are never quoted as evidence, nor
# pulled in as context: a source, a repeat of the body text, a heading (it names a topic, it says
# nothing of it: the sentence after a heading is what gets quoted).
NOT_QUOTED = frozenset({"reference", "pull_quote", "heading"})


# What the fitted sentence scorer (chat/fitted/sentence.json) weighs, in this order. The scorer
# compares the sentences of one question, so the two gaps (a feature minus the pool's best, a constant
# of the question) move with their features there: only their combined effect counts, and the L2
# penalty shares it out. Dropped, the rest re-fitted lost one dev question out of fold
# (must_include 0.799 -> 0.795, runs/cv-s38-rv0), so they stay.
SENTENCE_FEATURES = [
    "similarity",        # to the question, averaged over its readings
    "support",           # to the best reading
    "similarity_gap",    # similarity minus the pool's best
    "coverage",          # idf-weighted share of the question's terms in the sentence
    "coverage_gap",      # coverage minus the pool's best
    "passage_rank",      # 1 / (1 + rank of its passage)
    "passage_score",     # its passage's fused retrieval score
    "named_report",      # how strongly the question names its report, 0..1
    "figure_match",      # the question wants a figure (an amount for money) and the sentence gives one
    "figure_missing",    # it wants one and the sentence gives none
    "byline_match",      # the question asks who wrote something and the sentence is a byline
    "introduces",        # a question or a heading
    "reference",         # an endnote entry or a figure's source
    "leans_back",        # opens with "This", "However"...: needs the sentence before it
    "log_words",
    "first_in_passage",
    "opens_list",        # ends with a colon
    "neighbour_similarity",  # the better similarity of the sentences before and after it in its passage:
                             # a gold quote often runs over two or three sentences
]
# The direction each feature may push a sentence's score (+1 up, -1 down, 0 either): fitting keeps
# each weight to it, so the scorer cannot learn a quirk of the question set against common sense.
SENTENCE_SIGNS = {"similarity": 1, "support": 1, "similarity_gap": 1, "coverage": 1, "coverage_gap": 1,
                  "passage_rank": 1, "passage_score": 1, "named_report": 1, "figure_match": 1, "figure_missing": -1,
                  "byline_match": 1, "introduces": -1, "reference": -1, "leans_back": 0, "log_words": 0,
                  "first_in_passage": 0, "opens_list": 0,
                  "neighbour_similarity": 1}


@dataclass(frozen=True)
class SentenceSpace:
    """An embedding space of the index's vector store, with its similarities put on the scale of
    MiniLM's (the fitted models weigh similarities on that scale): slope · cosine + intercept."""

    name: str = DEFAULT_SPACE  # or MULTILINGUAL_SPACE, for questions not in English
    slope: float = 1.0
    intercept: float = 0.0

    def similarities(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        return self.slope * (rows @ query) + self.intercept


@dataclass(frozen=True)
class QueryView:
    """One way of reading the question: its vector, in the space it was embedded in, and its terms."""

    vector: np.ndarray
    terms: list[str]
    space: SentenceSpace


@dataclass
class Candidate:
    chunk: int  # position in the index
    index_in_chunk: int
    sentence: Sentence
    score: float  # log-odds of being the evidence, relative: comparable within one question's pool only
    support: float  # best similarity to any reading of the question: what abstention looks at
    coverage: float
    features: np.ndarray | None = None  # SENTENCE_FEATURES; None for context sentences added around evidence


class TermWeights:
    """Inverse document frequency of terms over the chunks; unseen terms weigh the most."""

    def __init__(self, texts: list[str]):
        self.documents = len(texts)
        self.df = Counter(t for text in texts for t in set(tokenize(text)))

    def idf(self, term: str) -> float:
        return math.log((self.documents + 1) / (self.df.get(term, 0) + 0.5))

    def coverage(self, query_terms: list[str], text_terms: set[str]) -> float:
        """Share of the query's idf weight present in the text."""
        terms = set(query_terms)
        total = sum(self.idf(t) for t in terms)
        return sum(self.idf(t) for t in terms if t in text_terms) / total if total else 0.0


def candidates(index: LoadedIndex, chunk_positions: list[int], chunk_scores: list[float],
               views: list[QueryView], reading: Reading, weights: TermWeights,
               scorer: LinearModel | None) -> list[Candidate]:
    """Every distinct sentence of the given chunks with its features, scored by the fitted scorer
    (unscored without one: for fitting it).

    A follow-up has two views: the bare question (what is new) and the question with its context.
    """
    figure = reading.figure_pattern
    passages: list[tuple[int, int, float, np.ndarray, np.ndarray]] = []
    for rank, (position, passage_score, vectors) in enumerate(zip(chunk_positions, chunk_scores,
                                                                  index.sentence_vectors_of(chunk_positions,
                                                                                            views[0].space.name))):
        per_view = np.stack([view.space.similarities(vectors, view.vector) for view in views])
        # For abstention the best reading counts (a bare "Who wrote that?" matches little): support.
        passages.append((rank, position, passage_score, per_view.mean(axis=0), per_view.max(axis=0)))
    similarities = {position: sims for _, position, _, sims, _ in passages}
    seen: set[str] = set()
    out: list[Candidate] = []
    rows: list[list[float]] = []
    for rank, position, passage_score, sims, support in passages:
        chunk = index.chunks[position]
        named = reading.named_reports.get(chunk.report_id, 0.0)
        for j, sentence in enumerate(chunk.sentences):
            if sentence.text in seen:
                continue
            seen.add(sentence.text)
            text = sentence.text
            terms = set(tokenize(text))
            coverage = float(np.mean([weights.coverage(view.terms, terms) for view in views]))
            has_figure = bool(figure and figure.search(text))
            rows.append([
                float(sims[j]), float(support[j]), 0.0, coverage, 0.0, 1 / (1 + rank), float(passage_score), named,
                float(has_figure), float(bool(figure) and not has_figure),
                float(reading.wants_author and sentence.kind == "byline"), float(introduces(sentence)),
                float(sentence.kind == "reference"), float(bool(LEANS_BACK.match(text))),
                math.log1p(len(text.split())), float(j == 0), float(text.endswith(":")),
                _neighbour_similarity(index, similarities, position, j),
            ])
            out.append(Candidate(position, j, sentence, 0.0, float(support[j]), coverage))
    if not out:
        return out
    matrix = np.array(rows)
    matrix[:, 2] = matrix[:, 0] - matrix[:, 0].max()
    matrix[:, 4] = matrix[:, 3] - matrix[:, 3].max()
    scores = scorer.logit(matrix) if scorer else np.zeros(len(out))
    for cand, row, score in zip(out, matrix, scores):
        cand.features, cand.score = row, float(score)
    return out


def _neighbour_similarity(index: LoadedIndex, similarities: dict[int, np.ndarray], position: int, j: int) -> float:
    """The better similarity of the sentences before and after sentence j of the passage at position.
    Passages overlap by a sentence: at the passage's edge, the other neighbour is read from the
    passage before or after it, when the pool holds that passage. A sentence with no neighbour
    takes its own, so that having none says nothing."""
    sims = similarities[position]
    near = [float(sims[k]) for k in (j - 1, j + 1) if 0 <= k < len(sims)]
    text = index.chunks[position].sentences[j].text
    for other, at, beside in ((position - 1, -1, -2), (position + 1, 0, 1)):
        if (j == (0 if at == -1 else len(sims) - 1) and other in similarities
                and len(similarities[other]) >= 2 and index.chunks[other].sentences[at].text == text):
            near.append(float(similarities[other][beside]))
    return max(near, default=float(sims[j]))


def is_statement(sentence: Sentence) -> bool:
    """Something a report says: a statement or a list item (not a heading, question, reference,
    caption, byline or pull quote)."""
    return sentence.kind in ("statement", "list_item")


def quotable(sentence: Sentence) -> bool:
    """Whether evidence may quote it: not a heading, an endnote or a pull quote (NOT_QUOTED)."""
    return sentence.kind not in NOT_QUOTED


def introduces(sentence: Sentence) -> bool:
    """A question or a heading: it leads into an answer rather than giving one."""
    return sentence.kind in ("heading", "question")


def select(index: LoadedIndex, pool: list[Candidate], settings: EvidenceSettings,
           reports: list[str] | None = None) -> list[Candidate]:
    """The best sentences, without near-duplicates, each with what it needs to be read alone. With
    reports (a comparison), the reports take turns: each round adds every report's next best sentence,
    best report first, so one report's many close sentences do not crowd out the others' findings;
    and the answer, shared among them, may quote more (settings.max_sentences_compared)."""
    # An endnote, a heading or a pull quote is not a finding: it is neither chosen nor sets the floor.
    ranked = sorted((c for c in pool if quotable(c.sentence)), key=lambda c: c.score, reverse=True)
    if not ranked:
        return []
    floor = ranked[0].score - settings.log_odds_margin
    ranked = [c for c in ranked if c.score >= floor]
    if reports:
        ranked = _taking_turns(index, ranked, reports)
    most = settings.max_sentences_compared if reports else settings.max_sentences
    chosen: list[Candidate] = []
    for cand in ranked:
        if len(chosen) >= most:
            break
        if any(_restates(cand.sentence.text, c.sentence.text, settings.redundancy) for c in chosen):
            continue
        chosen.append(cand)
    return _with_context(index, chosen)


def _taking_turns(index: LoadedIndex, ranked: list[Candidate], reports: list[str]) -> list[Candidate]:
    """The ranked sentences reordered in rounds over the reports: each report's best, then each one's
    second... (reports in the order of their best sentence); other reports' sentences come last."""
    own: dict[str, list[Candidate]] = {}
    rest = []
    for cand in ranked:
        report_id = index.chunks[cand.chunk].report_id
        (own.setdefault(report_id, []) if report_id in reports else rest).append(cand)
    turns = [c for round_ in itertools.zip_longest(*own.values()) for c in round_ if c is not None]
    return turns + rest


def _restates(a: str, b: str, overlap: float) -> bool:
    """Whether two sentences say the same thing (a summary restating a chapter): most of their
    content words are shared. Words, not vectors: a sentence's vector carries its passage, so
    neighbouring sentences look alike, and the same sentence in two places does not."""
    words_a, words_b = set(content_words(a)), set(content_words(b))
    return bool(words_a and words_b) and len(words_a & words_b) / len(words_a | words_b) >= overlap


def _with_context(index: LoadedIndex, chosen: list[Candidate]) -> list[Candidate]:
    """Add the sentences before one that leans back, the next one after a question or heading, and
    the items after one that opens a list, reading across passage borders."""
    keyed = {(c.chunk, c.index_in_chunk): c for c in chosen}
    for cand in chosen:
        pieces = _rest_of_sentence(index, cand)  # a quote neither starts nor ends mid-sentence
        for chunk, j in pieces:
            _add(keyed, index, cand, j, chunk)
        first = min(pieces + [(cand.chunk, cand.index_in_chunk)])
        anchor = _like(index, cand, *first)  # the sentence's first piece is what leans back, if anything
        for _ in range(MAX_LEAN_BACK):  # "This would…" after "This same bill…": both lean back
            if not (LEANS_BACK.match(anchor.sentence.text)
                    or (len(anchor.sentence.text) < 50 and not _title_line(anchor.sentence))):  # a title starts anew
                break
            before = _preceding(index, anchor)
            for chunk, j in before:
                _add(keyed, index, cand, j, chunk)
            if not before:
                break
            chunk, j = before[0]
            anchor = _like(index, cand, chunk, j)
        for chunk, j in _read_on(index, cand):  # a list can run on into the next chunk
            _add(keyed, index, cand, j, chunk)
        for point in _points_announced(index, cand):
            for chunk, j in [point] + _rest_of_sentence(index, _like(index, cand, *point)):
                _add(keyed, index, cand, j, chunk)
    for (chunk, j), cand in list(keyed.items()):  # one sentence between two quoted ones: quote it too
        if (chunk, j + 1) not in keyed and (chunk, j + 2) in keyed:
            _add(keyed, index, cand, j + 1, chunk)
    return sorted(keyed.values(), key=lambda c: (c.chunk, c.index_in_chunk))


def _rest_of_sentence(index: LoadedIndex, cand: Candidate) -> list[tuple[int, int]]:
    """The other pieces of a sentence cut for length (Sentence.runs_on) that the chosen one is a piece
    of: those before it, then those after it, reading across passage borders."""
    out: list[tuple[int, int]] = []
    anchor = cand
    for _ in range(MAX_PIECES):
        before = _preceding(index, anchor)  # the sentence before it first
        if not before or not index.chunks[before[0][0]].sentences[before[0][1]].runs_on:
            break
        out += before
        chunk, j = before[0]
        anchor = _like(index, cand, chunk, j)
    if cand.sentence.runs_on:
        after = _following(index, cand, MAX_PIECES)
        ends = next((k for k, (chunk, j) in enumerate(after) if not index.chunks[chunk].sentences[j].runs_on),
                    len(after) - 1)
        out += after[:ends + 1]
    return out


def _read_on(index: LoadedIndex, cand: Candidate) -> list[tuple[int, int]]:
    """The sentences quoted after a chosen one: the items of a list it opens, the answer to a
    question or heading. A list's first item can be glued to its lead-in ("…complement NAFTA:
    Chapter 13: Telecommunications", unpunctuated): its items are then the list lines that follow."""
    text = cand.sentence.text
    if text.endswith(":"):
        return _following(index, cand, LIST_ITEMS)
    if introduces(cand.sentence):
        return _following(index, cand, 1)
    if ":" in text and not ENDS_SENTENCE.search(text) and not cand.sentence.runs_on:
        after = _following(index, cand, LIST_ITEMS)
        return list(itertools.takewhile(lambda at: _list_line(index.chunks[at[0]].sentences[at[1]]), after))
    if _title_line(cand.sentence):
        return _items_under(index, cand)
    return []


def _points_announced(index: LoadedIndex, cand: Candidate) -> list[tuple[int, int]]:
    """The points a sentence says are coming (NUMBER_WORDS), in order, when at least two of them
    follow it (one, when it makes the first point itself), before the next heading, lead-in or
    announcement."""
    text = cand.sentence.text
    match = _announcement(text)
    if match is None:
        return []
    count, rest = NUMBER_WORDS[match.group(1).lower()], text[match.end():]
    colon = rest.find(":")
    inline = rest[colon + 1:].strip() if colon >= 0 else ""
    if POINTS_INSIDE.search(rest) or (inline and not LABEL.match(inline)):
        return []  # the sentence gives its points itself
    expected = 2 if FIRST_POINT_INSIDE.search(rest) else 1
    first_expected, labelled, family, gap = expected, colon >= 0, None, 0
    points: list[tuple[int, int]] = []
    section = index.chunks[cand.chunk].section
    for chunk, j in _following(index, cand, count * POINT_GAP):
        sentence = index.chunks[chunk].sentences[j]
        if (sentence.kind == "heading" or index.chunks[chunk].section != section or expected > count
                or gap > POINT_GAP):
            break
        if not is_statement(sentence):  # a pull quote, a caption, an endnote
            continue
        gap += 1
        point = POINT.match(sentence.text)
        if point and point.group("last"):  # "Finally," ends the list
            points.append((chunk, j))
            break
        elif point:
            kind = next(k for k in ("word", "number", "letter") if point.group(k))
            value = point.group(kind)
            rank = ORDINALS[value.lower()] if kind == "word" else int(value) if kind == "number" else ord(value) - 96
            if family in (None, kind) and rank == expected:
                points.append((chunk, j))
                family, expected, gap = kind, expected + 1, 0
        elif labelled and family in (None, "label") and LABEL.match(sentence.text):
            points.append((chunk, j))
            family, expected, gap = "label", expected + 1, 0
        elif sentence.text.rstrip().endswith(":") or _announcement(sentence.text):
            break  # another list begins
    return points if len(points) >= 2 or (points and first_expected == 2) else []


def _announcement(text: str) -> re.Match | None:
    """Where a sentence says how many things it is about to list ("four clear priorities"), if it does."""
    return next((m for m in ANNOUNCED.finditer(text) if m.group(2).lower() not in SPANS_AND_AMOUNTS), None)


def _title_line(sentence: Sentence) -> bool:
    """A title the layout did not take for a heading (a slide's, "2017 US-Mexico Agreements to Combat
    Illicit Drugs"): a list line of a few words, mostly capitalised, not cut for length nor ended as a
    sentence, a list line or a lead-in is ("…category.⁵", "…border;", "Mexico should work with the")."""
    text = sentence.text
    if (not _list_line(sentence) or sentence.runs_on or len(text.split()) < 2 or text.endswith((":", ";", ","))
            or ENDS_SENTENCE.search(FOOTNOTE_MARKS.sub("", text))):
        return False
    long_words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if len(w) >= 4]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) >= TITLE_CAPITALISED * len(long_words)


def _items_under(index: LoadedIndex, title: Candidate) -> list[tuple[int, int]]:
    """The statements after a title on its page, up to the next title (one right after it is a
    subtitle: "AMLO Proposals to Trump – July 12 Letter", "TRADE") and ITEMS_CHARS in all."""
    out: list[tuple[int, int]] = []
    length = 0
    for chunk, j in _following(index, title, LIST_ITEMS):
        sentence = index.chunks[chunk].sentences[j]
        length += len(sentence.text)
        if (sentence.page != title.sentence.page or not is_statement(sentence) or length > ITEMS_CHARS
                or (out and _title_line(sentence))):
            break
        out.append((chunk, j))
    return out


def _list_line(sentence: Sentence) -> bool:
    """A line of a list rather than a sentence: short, and not ended as a sentence is (a heading ends
    the list)."""
    return (is_statement(sentence) and len(sentence.text) <= LIST_ITEM_CHARS
            and not ENDS_SENTENCE.search(sentence.text))


def _preceding(index: LoadedIndex, anchor: Candidate) -> list[tuple[int, int]]:
    """The sentence before the anchor; for a chunk's first sentence, found in the previous chunk,
    which ends with the same sentence (the overlap), so both are quoted there together."""
    if anchor.index_in_chunk > 0:
        return [(anchor.chunk, anchor.index_in_chunk - 1)]
    shared = passage_overlap(index, anchor.chunk)
    k = len(index.chunks[anchor.chunk - 1].sentences) - shared  # the anchor's place there
    return [(anchor.chunk - 1, k - 1), (anchor.chunk - 1, k)] if shared and k >= 1 else []  # none: it opens a section


def passage_overlap(index: LoadedIndex, chunk: int) -> int:
    """How many sentences a passage opens with that end the passage before it in its section (the
    chunker's overlap); 0 for a section's first passage."""
    if chunk == 0:
        return 0
    before, this = index.chunks[chunk - 1], index.chunks[chunk]
    if before.report_id != this.report_id or before.section != this.section:
        return 0
    texts_before, texts = [s.text for s in before.sentences], [s.text for s in this.sentences]
    return next((m for m in range(min(len(texts_before), len(texts)), 0, -1) if texts[:m] == texts_before[-m:]), 0)


def _following(index: LoadedIndex, anchor: Candidate, n: int) -> list[tuple[int, int]]:
    """The n sentences after the anchor, read on into the report's next chunk (past its overlap)."""
    out: list[tuple[int, int]] = []
    seen = {anchor.sentence.text}
    chunk, j = anchor.chunk, anchor.index_in_chunk + 1
    while len(out) < n and chunk < len(index.chunks):
        sentences = index.chunks[chunk].sentences
        if j >= len(sentences):
            chunk, j = chunk + 1, 0
            if chunk >= len(index.chunks) or index.chunks[chunk].report_id != index.chunks[anchor.chunk].report_id:
                break
            continue
        if sentences[j].text not in seen:
            seen.add(sentences[j].text)
            out.append((chunk, j))
        j += 1
    return out


def _like(index: LoadedIndex, anchor: Candidate, chunk: int, j: int) -> Candidate:
    """The sentence at (chunk, j) as a candidate quoted for the anchor's sake, with its scores."""
    return Candidate(chunk, j, index.chunks[chunk].sentences[j], anchor.score, anchor.support, anchor.coverage)


def _add(keyed: dict, index: LoadedIndex, anchor: Candidate, j: int, chunk: int | None = None) -> None:
    chunk = anchor.chunk if chunk is None else chunk
    if (chunk, j) not in keyed and quotable(index.chunks[chunk].sentences[j]):
        keyed[(chunk, j)] = _like(index, anchor, chunk, j)


def comparison_targets(question: str, named: dict[str, float], report_years: dict[str, int | None],
                       singled_out: list[str] = (), joined: list[str] = ()) -> list[str]:
    """Reports a comparison question concerns: those it names; with fewer than two named, those and
    the reports of the years it sets side by side ("from the results in 2017 to the situation in
    2021"); else every report. Empty when the question is not a comparison, or names a single
    report: "What shift in drug policy does COMEXI call for?" asks what one report says.

    A comparison says so ("compare", "versus", "change"...), sets two report years side by side
    ("in 2017, and by the 2020 convocation"; other years date events: "between 2007 and 2011"), or
    singles out two reports by names each has alone ("What do COMEXI and Olson ask…, and what do
    the ambassadors report in 2020?"; not "according to Wayne", whose name three reports share), or
    joins two sources that share no report ("what did COMEXI and Wayne warn…": `joined`, their reports).
    """
    years = {int(y) for y in YEAR.findall(question)} & set(report_years.values())
    if len(singled_out) >= 2 and not COMPARISON.search(question):
        return list(dict.fromkeys([r for r in named if named[r] >= STRONGLY_NAMED] + list(singled_out)))
    if joined and not COMPARISON.search(question):
        return list(joined)
    if not (COMPARISON.search(question) or len(years) >= 2):
        return []
    others = bool(OTHER_REPORTS.search(question))
    if len(named) == 1 and len(years) < 2 and not others:
        return []  # "How does COMEXI's view compare with the other reports?" still concerns them all
    strongly_named = [r for r, weight in named.items() if weight >= STRONGLY_NAMED]
    if len(strongly_named) >= 2:
        return strongly_named
    if len(years) < 2 or others:
        return list(report_years)
    return [r for r, year in report_years.items() if year in years or r in strongly_named]


def comparison_topic(question: str) -> list[str]:
    """What a comparison question compares, as terms: without the words that ask for a comparison
    ("differ", "change", "views") or date it ("between the 2017 and 2021 reports")."""
    return [t for t in tokenize(question)
            if not (YEAR.fullmatch(t) or COMPARISON.fullmatch(t) or t in STANCE_WORDS)]


def cover_reports(index: LoadedIndex, pool: list[Candidate], chosen: list[Candidate], reports: list[str],
                  min_similarity: float, weights: TermWeights, topic: list[str]) -> list[Candidate]:
    """Add each target report's best sentence on topic when the selection has none of its own on
    topic: close to the question, or holding most of what it compares. A question about the reports
    themselves ("How did views on migration change between the 2017 and 2021 reports?") is far in
    meaning from any one report's sentence about migration, and near one about "views" that is not."""
    def on_topic(c: Candidate) -> bool:
        return is_statement(c.sentence) and (c.support >= min_similarity or
                                             weights.coverage(topic, set(tokenize(c.sentence.text))) >= TOPIC_COVERAGE)

    present = {index.chunks[c.chunk].report_id for c in chosen if on_topic(c)}
    quoted = {(c.chunk, c.index_in_chunk) for c in chosen}  # by place: Candidate equality would compare arrays
    added = list(chosen)
    for report_id in reports:
        if report_id in present:
            continue
        own = [c for c in pool if index.chunks[c.chunk].report_id == report_id and on_topic(c)
               and (c.chunk, c.index_in_chunk) not in quoted]
        if own:
            added.append(max(own, key=lambda c: c.score))
    return added
