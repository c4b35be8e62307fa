"""How chosen sentences become quotes: runs of consecutive sentences, one citation each, also where
a sentence runs on into the next passage."""

from types import SimpleNamespace

from chat.evidence import Candidate
from chat.extractive import citations_for, compose
from indexer.models import Chunk, ReportMeta, Sentence

REPORT = ReportMeta(id="comexi", title="Redefining the Relationship", publisher="COMEXI", authors=["COMEXI"],
                    year=2017)


def _passages(*passages: tuple[str, list[Sentence]]) -> SimpleNamespace:
    chunks = [Chunk(id=f"c-{k}", report_id="comexi", section=section, page=sentences[0].page,
                    page_end=sentences[-1].page_end, sentences=sentences) for k, (section, sentences) in enumerate(passages)]
    return SimpleNamespace(chunks=chunks, reports={"comexi": REPORT})


def _said(text: str, page: int = 9, runs_on: bool = False) -> Sentence:
    return Sentence(text=text, page=page, page_end=page, runs_on=runs_on)


def _picked(index: SimpleNamespace, chunk: int, j: int, score: float) -> Candidate:
    return Candidate(chunk, j, index.chunks[chunk].sentences[j], score=score, support=0.6, coverage=0.5)


def test_a_sentence_cut_across_two_passages_is_one_quote_in_the_answer():
    head = _said("The plan funds shelters on the border and a strategy designed", runs_on=True)
    tail = _said("to prevent violence and crime.")
    other = _said("Consulates should also grow in number.", page=10)
    index = _passages(("Migration", [_said("Shelters matter."), head]), ("Migration", [head, tail, other]))  # overlap: head
    text, citations = compose(index, [_picked(index, 0, 1, 2.0), _picked(index, 1, 1, 1.0)])
    assert [c.text for c in citations] == [f"{head.text} {tail.text}"]  # not a quote ending mid-sentence
    assert citations[0].text in citations[0].passage  # the source card highlights all of it
    assert text == f"{head.text} {tail.text} [1]"
    _, apart = compose(index, [_picked(index, 0, 0, 2.0), _picked(index, 1, 2, 1.0)])
    assert [c.text for c in apart] == ["Shelters matter.", other.text]  # sentences apart stay two quotes
    # the overlap's copy in the next passage is the same sentence; the run may cross two borders
    third = ("Migration", [other, _said("Shelters cost money.", page=11)])
    index = _passages(("Migration", [_said("Shelters matter."), head]), ("Migration", [head, tail, other]), third)
    picked = [_picked(index, 0, 0, 2.0), _picked(index, 1, 0, 1.0), _picked(index, 1, 1, 1.0),
              _picked(index, 2, 0, 1.0), _picked(index, 2, 1, 1.0)]
    [whole] = citations_for(index, picked)
    assert whole.text == f"Shelters matter. {head.text} {tail.text} {other.text} Shelters cost money."
    assert whole.text in whole.passage and (whole.page, whole.page_end) == (9, 11)


def test_quotes_are_not_joined_across_a_section_nor_out_of_order():
    last = _said("Vaccination must reach everyone.")
    byline = _said("By Gema Kloppe-Santamaría")
    index = _passages(("Foreign Policy", [_said("Health matters."), last]), ("Security", [byline, _said("Crime rose.")]))
    assert [c.text for c in citations_for(index, [_picked(index, 0, 1, 1.0), _picked(index, 1, 0, 1.0)])] == \
        [last.text, byline.text]  # a chapter's byline is no part of the last chapter's quote
    # an overlap of two sentences: the copy of the first comes before the second, not after it
    alpha, beta = _said("Alpha one."), _said("Beta two.")
    index = _passages(("Trade", [_said("Zero."), alpha, beta]), ("Trade", [alpha, beta, _said("Gamma three.")]))
    [quote] = citations_for(index, [_picked(index, 0, 2, 1.0), _picked(index, 1, 0, 1.0)])
    assert quote.text == "Alpha one. Beta two." and quote.text in quote.passage
    # a sentence said twice in a report: the card's passage still holds the whole quote
    index = _passages(("Trade", [_said("Intro."), _said("See Figure 2."), _said("Trade grew fast.")]),
                      ("Trade", [_said("Trade grew fast."), _said("Exports doubled."), _said("See Figure 2."), _said("End.")]))
    [quote] = citations_for(index, [_picked(index, 0, 2, 1.0), _picked(index, 1, 1, 1.0),
                                    _picked(index, 1, 2, 1.0)])
    assert quote.text == "Trade grew fast. Exports doubled. See Figure 2." and quote.text in quote.passage
