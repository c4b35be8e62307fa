"""What counts as a statement of the report, and so as evidence; which reports a comparison concerns."""

from types import SimpleNamespace

import pytest

from chat.evidence import Candidate, TermWeights, comparison_targets, comparison_topic, cover_reports, is_statement, select
from chat.settings import EvidenceSettings
from indexer.kinds import sentence_kinds
from indexer.models import Chunk, Sentence


def indexed(text: str) -> Sentence:
    """The sentence as the indexer records it, with its kind."""
    return sentence_kinds([Sentence(text=text, page=1, page_end=1)])[0]


@pytest.mark.parametrize("text", [
    "Endnotes [1] Emma Israel and Jeanne Batalova, Mexican Immigrants in the United States, November 5, 2020.",
    "[12] Selee and Ruiz Soto, Building a New Regional Migration System.",
    "7 Rosenblum, Understanding the Potential Impact, 2015.",
    "Source: Pew Research, 2017",
    "Keynote speech, Third Annual North American Energy Forum, Washington D.C., September 22, 2016.",
    "Retrieved from https://www.example.org/report",
])
def test_endnote_entries_and_figure_sources_are_not_statements(text):
    assert not is_statement(indexed(text))


@pytest.mark.parametrize("text", [
    "In the 1990s, the objective was clear: to get NAFTA passed in Congress by the end of 1993.",
    "11 million Mexicans live in the United States, according to the census.",
    "Trade between the two countries reached $584 billion in 2015.",
])
def test_findings_with_figures_and_dates_are_statements(text):
    assert is_statement(indexed(text))


REPORT_YEARS = {"comexi-2017": 2017, "wilson-2017": 2017, "wilson-2021": 2021}
REPORTS = list(REPORT_YEARS)


def test_a_comparison_concerns_the_reports_it_names_or_all_of_them():
    assert comparison_targets("How do the reports compare on remittances?", {}, REPORT_YEARS) == REPORTS
    named = {"comexi-2017": 1.0, "wilson-2021": 0.8, "wilson-2017": 0.1}
    assert comparison_targets("How did COMEXI's view change by 2021?", named, REPORT_YEARS) == [
        "comexi-2017", "wilson-2021"]


def test_a_question_about_one_report_is_no_comparison_across_reports():
    # "shift" and two years sound like a comparison, but the question asks what one report says
    comexi = {"comexi-2017": 1.0}
    assert comparison_targets("What shift in drug policy does COMEXI call for?", comexi, REPORT_YEARS) == []
    assert comparison_targets("What shift does the COMEXI report call for?", comexi, REPORT_YEARS) == []
    assert comparison_targets("How did output fall between 2004 and 2017, per COMEXI?", comexi, REPORT_YEARS) == []
    assert comparison_targets("What does COMEXI propose on trade?", {}, REPORT_YEARS) == []  # no comparison at all
    assert comparison_targets("How does COMEXI's view compare with the other reports?", comexi,
                              REPORT_YEARS) == REPORTS
    wilson_2021 = {"wilson-2021": 1.0}  # "2017" is not read as naming a report here
    assert comparison_targets("How did views change between the 2017 and 2021 reports?", wilson_2021,
                              REPORT_YEARS) == REPORTS


def test_years_set_side_by_side_make_a_comparison_only_when_reports_carry_them():
    question = "What did the Wilson Center propose in 2017, and where did things stand by 2021?"
    assert comparison_targets(question, {}, REPORT_YEARS) == REPORTS
    # the years name the reports compared: not the 2018 deck
    question = "Oil bidding rounds: from the results in 2017 to the situation in 2021"
    assert comparison_targets(question, {}, REPORT_YEARS | {"wayne-2018": 2018}) == REPORTS
    # a report named beside those years stays among them, and "the other reports" are all of them
    years = {"comexi-2017": 2017, "wilson-2020": 2020, "wilson-2021": 2021}
    question = "How does COMEXI's view on the wall compare with the situation in 2020 and 2021?"
    assert comparison_targets(question, {"comexi-2017": 1.0}, years) == ["comexi-2017", "wilson-2020", "wilson-2021"]
    # two reports singled out by their own names are compared, though nothing says "compare"
    question = "Guns smuggled south: what do COMEXI and Olson ask Washington to do?"
    assert comparison_targets(question, {"comexi-2017": 1.0, "wilson-2017": 1.0}, REPORT_YEARS,
                              ["comexi-2017", "wilson-2017"]) == ["comexi-2017", "wilson-2017"]
    assert comparison_targets(question, {"comexi-2017": 1.0, "wilson-2017": 1.0}, REPORT_YEARS) == []
    question = "How does COMEXI's view compare with the other reports, from 2020 to 2021?"
    assert comparison_targets(question, {"comexi-2017": 1.0}, years) == list(years)
    assert comparison_targets("How much did the murder rate climb between 2007 and 2011?", {}, REPORT_YEARS) == []


def test_what_a_comparison_compares_leaves_out_how_it_asks():
    assert comparison_topic("How did views on migration change between the 2017 and 2021 reports?") == ["migration"]
    assert comparison_topic("How do the reports differ on energy reform?") == ["energy", "reform"]


def _chunk(report_id: str, texts: list[str], position: int) -> Chunk:
    return Chunk(id=f"{report_id}-{position}", report_id=report_id, page=1, page_end=1,
                 sentences=[Sentence(text=t, page=1, page_end=1) for t in texts])


def _candidate(chunks: list[Chunk], chunk: int, j: int, score: float) -> Candidate:
    return Candidate(chunk, j, chunks[chunk].sentences[j], score=score, support=0.6, coverage=0.5)


def test_a_list_glued_to_its_lead_in_is_quoted_to_its_last_item():
    chunks = [_chunk("comexi", ["Many elements could be added.",
                                "A list of TPP chapters might easily complement NAFTA: Chapter 13: Telecommunications",
                                "Chapter 14: E-commerce", "Chapter 19: Labor",
                                "Chapter 20: Environment",
                                "The next section turns to the border, where crossings take hours."], 0)]
    index = SimpleNamespace(chunks=chunks)
    chosen = select(index, [_candidate(chunks, 0, 1, 2.0)], EvidenceSettings(max_sentences=1))
    assert [c.sentence.text for c in chosen][1:] == ["Chapter 14: E-commerce", "Chapter 19: Labor",
                                                     "Chapter 20: Environment"]


def test_compared_reports_take_turns_in_the_answer():
    chunks = [_chunk("wilson-2017", [f"Wilson finding number {n} on remittances and their growth." for n in range(4)], 0),
              _chunk("wilson-2021", ["Remittances reached a record in 2020, the outlook says."], 1)]
    pool = [_candidate(chunks, 0, j, 3.0 - 0.1 * j) for j in range(4)] + [_candidate(chunks, 1, 0, 1.5)]
    settings = EvidenceSettings(max_sentences=2, max_sentences_compared=2, redundancy=1.0)
    alone = select(SimpleNamespace(chunks=chunks), pool, settings)
    compared = select(SimpleNamespace(chunks=chunks), pool, settings, ["wilson-2017", "wilson-2021"])
    assert {chunks[c.chunk].report_id for c in alone} == {"wilson-2017"}
    assert [chunks[c.chunk].report_id for c in compared] == ["wilson-2017", "wilson-2021"]
    longer = settings.model_copy(update={"max_sentences_compared": 3})
    assert len(select(SimpleNamespace(chunks=chunks), pool, longer, ["wilson-2017", "wilson-2021"])) == 3
    assert len(select(SimpleNamespace(chunks=chunks), pool, longer)) == 2  # a single answer keeps its length


def test_a_compared_report_quoted_off_topic_gets_its_sentence_on_topic():
    chunks = [_chunk("wilson-2017", ["Migration from Mexico has fallen to net zero."], 0),
              _chunk("wilson-2021", ["Mexicans' views of the United States changed after 2016.",
                                     "Migration policy now rests on the National Guard at the southern border."], 1)]
    weights = TermWeights([" ".join(s.text for s in c.sentences) for c in chunks])
    chosen = [Candidate(0, 0, chunks[0].sentences[0], 2.0, 0.3, 0.5), Candidate(1, 0, chunks[1].sentences[0], 1.0, 0.3, 0.5)]
    pool = chosen + [Candidate(1, 1, chunks[1].sentences[1], 0.5, 0.3, 0.5)]
    covered = cover_reports(SimpleNamespace(chunks=chunks), pool, chosen, ["wilson-2017", "wilson-2021"], 0.5,
                            weights, ["migration"])
    assert [c.sentence.text for c in covered][2:] == ["Migration policy now rests on the National Guard at the southern border."]


def test_a_heading_after_a_list_ends_it():
    lines = [Sentence(text="Three goals stand out: Competitiveness", page=1, page_end=1),
             Sentence(text="Security", page=1, page_end=1, kind="list_item"),  # a bullet the layout found
             Sentence(text="Border Infrastructure", page=1, page_end=1, kind="heading")]
    chunks = [Chunk(id="c-0", report_id="comexi", page=1, page_end=1, sentences=lines)]
    chosen = select(SimpleNamespace(chunks=chunks), [_candidate(chunks, 0, 0, 2.0)], EvidenceSettings(max_sentences=1))
    assert [c.sentence.text for c in chosen] == ["Three goals stand out: Competitiveness", "Security"]


def test_a_full_sentence_with_a_colon_opens_no_list():
    chunks = [_chunk("comexi", ["The goal was clear: to pass NAFTA by 1993.", "Chart: Exports by state"], 0)]
    chosen = select(SimpleNamespace(chunks=chunks), [_candidate(chunks, 0, 0, 2.0)], EvidenceSettings(max_sentences=1))
    assert [c.sentence.text for c in chosen] == ["The goal was clear: to pass NAFTA by 1993."]


AFTER = "Washington sees the same year very differently, as the next section shows."


def test_a_piece_of_a_sentence_cut_for_length_is_quoted_with_the_rest_of_it():
    # The indexer cuts a sentence of over 600 characters into pieces; the last piece starts the
    # next passage (its first sentence repeats the previous passage's last: the overlap). Pieces
    # of 50 characters or more: a shorter sentence leans back anyway.
    head = Sentence(text="This is the long list of his unfriendly actions over the past year: his trip to Washington",
                    page=1, page_end=1, runs_on=True)
    middle = Sentence(text="on the eve of the election, his silence over the events of January 6 in the Capitol",
                      page=1, page_end=1, runs_on=True)
    tail = Sentence(text="and his offer of asylum to Julian Assange, which Washington could not ignore.",
                    page=2, page_end=2)
    before = Sentence(text="A reset in relations will not be easy for the two new governments.", page=1, page_end=1)
    chunks = [Chunk(id="c-0", report_id="wilson", page=1, page_end=1, sentences=[before, head, middle]),
              Chunk(id="c-1", report_id="wilson", page=1, page_end=2, sentences=[middle, tail,
                                                                                  Sentence(text=AFTER, page=2,
                                                                                           page_end=2)])]
    index = SimpleNamespace(chunks=chunks)

    def quoted(chunk: int, j: int) -> list[str]:
        chosen = select(index, [_candidate(chunks, chunk, j, 2.0)], EvidenceSettings(max_sentences=1))
        texts = [c.sentence.text for c in chosen]
        return [t for k, t in enumerate(texts) if t not in texts[:k]]  # the overlap's copy is one sentence

    # "This is…" leans back: the sentence before the first piece is quoted, whichever piece was chosen
    whole = [before.text, head.text, middle.text, tail.text]
    assert quoted(0, 1) == whole  # from its first piece on
    assert quoted(0, 2) == whole  # both ways from a middle piece
    assert quoted(1, 1) == whole  # back from its last piece
    assert quoted(1, 2) == [AFTER]  # a whole sentence stays alone


def test_a_title_the_layout_missed_is_quoted_with_the_points_under_it():
    lines = ["In 2016, the two countries launched a working group on drugs and criminal networks.",
             "2017 Agreements to Combat Illicit Drugs", "Partner to destroy criminal organizations.",
             "Go after the chain: production, distribution, cash and weapons.",
             "Security Cooperation Ahead", "Review the strategy together."]
    chunks = [_chunk("wayne", lines, 0)]
    chosen = select(SimpleNamespace(chunks=chunks), [_candidate(chunks, 0, 1, 2.0)], EvidenceSettings(max_sentences=1))
    assert [c.sentence.text for c in chosen] == lines[1:4]  # up to the next title
    statement = select(SimpleNamespace(chunks=chunks), [_candidate(chunks, 0, 2, 2.0)], EvidenceSettings(max_sentences=1))
    assert [c.sentence.text for c in statement] == lines[1:3]  # a short point leans back on its title only


@pytest.mark.parametrize("line", ["Funding for the border programs reached a record in the last year.⁵",
                                  "Facilitate regional commerce and tourism at the northern border;",
                                  "Mexico should work with the"])
def test_a_sentence_a_list_line_or_a_fragment_is_no_title(line):
    lines = [line, "Partner to destroy criminal organizations.", "Review the strategy together."]
    chunks = [_chunk("wayne", lines, 0)]
    chosen = select(SimpleNamespace(chunks=chunks), [_candidate(chunks, 0, 0, 2.0)], EvidenceSettings(max_sentences=1))
    assert [c.sentence.text for c in chosen] == [line]


def test_sources_joined_in_a_question_make_a_comparison_of_their_reports():
    joined = ["comexi-2017", "wilson-2021"]
    assert comparison_targets("What did COMEXI and Wood warn about?", {}, REPORT_YEARS, joined=joined) == joined
    # A question that says it compares keeps the rules of comparisons
    assert comparison_targets("How do COMEXI and Wood compare on remittances?", {}, REPORT_YEARS,
                              joined=joined) == REPORTS


PRIORITIES = ["Four clear priorities emerged during the campaign and are likely to persist.",
              "Each of them matters for Mexico.",
              "First, the campaign stressed independence from hostile oil suppliers.",
              "Canada and Mexico are friendly suppliers.", "Mexico stands to benefit from this.",
              "The second goal is a lighter regulatory burden on private energy firms.",
              "Permits would come faster.", "Pipelines would be approved sooner.",
              "Third, the campaign promised investment in infrastructure.",
              "Ports and roads would gain.", "Border crossings would too.",
              "Lastly, the administration intends to boost the use of natural gas.",
              "Mexico buys much of it.", "Exports grew in 2016."]


def _quoted(lines: list[str], j: int = 0) -> list[str]:
    chunks = [_chunk("wilson", lines, 0)]
    chosen = select(SimpleNamespace(chunks=chunks), [_candidate(chunks, 0, j, 2.0)], EvidenceSettings(max_sentences=1))
    return [c.sentence.text for c in chosen]


def test_a_sentence_announcing_its_points_is_quoted_with_them():
    # not the paragraphs between (one sentence between two quoted ones is quoted too: the quote runs on)
    assert _quoted(PRIORITIES) == [PRIORITIES[k] for k in (0, 1, 2, 5, 8, 11)]
    # across passages: the points read on into the report's next chunk
    chunks = [_chunk("wilson", PRIORITIES[:6], 0), _chunk("wilson", PRIORITIES[5:], 1)]
    chosen = select(SimpleNamespace(chunks=chunks), [_candidate(chunks, 0, 0, 2.0)], EvidenceSettings(max_sentences=1))
    assert {c.sentence.text for c in chosen} == {PRIORITIES[k] for k in (0, 1, 2, 5, 8, 11)}


def test_points_announced_after_a_lead_in_colon_may_be_labels():
    lines = ["The bank should expand its mandate, at least in three areas: Capitalization: more capital from both.",
             "It would lend more.", "Both governments agree.",
             "Sector expansion: it should finance transport and energy projects.", "Fees would repay them.",
             "Tolls too.", "Regional expansion: it should reach Guatemala, Honduras and El Salvador.",
             "Nothing else is needed."]
    assert _quoted(lines) == [lines[0], lines[3], lines[6]]
    no_colon = ["The bank should expand its mandate in three areas.", *lines[1:]]
    assert _quoted(no_colon) == [no_colon[0]]  # a label is no point without a lead-in


@pytest.mark.parametrize("opening", [
    "The three countries agreed on a dialogue in 2014.",  # a count of what was named before
    "Only two months after the reform, the ministers met in Toluca.",  # a span of time
    "Energy priorities matter to both countries.",  # no count at all
    "Four words stand out in the article: integrity, honesty, responsibility and trust.",  # given after the colon
    "Four things are needed: 1) jobs, 2) roads, 3) ports and 4) trust.",  # points of its own
])
def test_a_count_that_announces_nothing_brings_no_points(opening):
    assert _quoted([opening, *PRIORITIES[1:]]) == [opening]


def _kinded(*lines: tuple[str, str]) -> list[Sentence]:
    return [Sentence(text=text, page=1, page_end=1, kind=kind) for text, kind in lines]


def _quoted_sentences(sentences: list[Sentence]) -> list[str]:
    chunks = [Chunk(id="c-0", report_id="wilson", page=1, page_end=1, sentences=sentences)]
    chosen = select(SimpleNamespace(chunks=chunks), [_candidate(chunks, 0, 0, 2.0)], EvidenceSettings(max_sentences=1))
    return [c.sentence.text for c in chosen]


FILLER = [f"Filler sentence number {n} says something else entirely." for n in range(20)]


def test_points_must_come_in_order_and_in_one_style():
    lines = ["I highlight three innovations.", *FILLER[:2], "The second innovation is a shared duty.",
             *FILLER[2:4], "First, the recognition that bribery has two sides.", *FILLER[4:6],
             "(c) the offer of a bribe abroad."]
    assert _quoted(lines) == [lines[0]]  # "second" before "first", then a lettered point: no points
    mixed = ["Two factors matter here.", *FILLER[:2], "First, oil output fell.", *FILLER[2:4], "(b) the reform is attacked."]
    assert _quoted(mixed) == [mixed[0]]  # "First," then "(b)": one point of each style
    numbered = ["Two steps follow.", *FILLER[:2], "1) Train the police.", *FILLER[2:4], "2) Fund the courts.",
                *FILLER[4:6], "3) Build prisons."]
    assert _quoted(numbered) == [numbered[0], numbered[3], numbered[6]]  # two announced, two quoted
    first_inside = ["Two problems stand out. First, oil output fell.", *FILLER[:2], "Second, the reform is attacked."]
    assert _quoted(first_inside) == [first_inside[0], first_inside[3]]  # the sentence makes the first point
    heading = Sentence(text="Migration", page=1, page_end=1, kind="heading")
    chunks = [Chunk(id="c-0", report_id="wilson", page=1, page_end=1,
                    sentences=[Sentence(text=t, page=1, page_end=1) for t in PRIORITIES[:3]] + [heading] +
                    [Sentence(text=t, page=1, page_end=1) for t in PRIORITIES[5:]])]
    chosen = select(SimpleNamespace(chunks=chunks), [_candidate(chunks, 0, 0, 2.0)], EvidenceSettings(max_sentences=1))
    assert [c.sentence.text for c in chosen] == [PRIORITIES[0]]  # one point before the next heading is too few


def test_what_looks_like_a_point_but_is_none():
    cases = [
        # "first" inside the sentence is no first point, and "Finally," alone ends no list
        ["Three reforms followed when Mexico first joined NAFTA.", *FILLER[:3], "Finally, the peso recovered."],
        # "The last time…" is no last point; "First-time" no first one
        ["Two factors matter here.", *FILLER[:2], "First-time buyers rose.", *FILLER[2:4], "Second, rates fell.",
         *FILLER[4:6]],
        ["Two factors matter here.", *FILLER[:2], "First, oil output fell.", *FILLER[2:4],
         "The last time the U.S. had a trade surplus was in 1975."],
        # the initials of a name are no lettered points
        ["Two authors wrote the chapter.", *FILLER[:2], "A. Selee wrote the first part.", *FILLER[2:4],
         "B. Smith wrote the rest."],
        # another lead-in begins another list: its points are not this sentence's
        ["The plan outlines two strategic lines, set out in its annex.", "I. Attack corruption.",
         "II. Build integrity.", "The agenda should rest on two pillars:", "1) Attack corruption.",
         "2) Build integrity."],
    ]
    for lines in cases:
        assert _quoted(lines) == [lines[0]], lines


def test_only_statements_are_points_and_a_point_cut_for_length_is_quoted_whole():
    sentences = _kinded(("Two steps follow from this.", "statement"), ("1. Smith, Border Policy, 2017.", "reference"),
                        ("2. Jones, Trade, 2018.", "reference"), (FILLER[0], "statement"), (FILLER[1], "statement"),
                        ("1) Train the police in every state and", "statement"), (FILLER[2], "statement"),
                        (FILLER[3], "statement"), ("2) Fund the courts.", "statement"))
    sentences[5] = sentences[5].model_copy(update={"runs_on": True})
    sentences[6] = Sentence(text="fund them for ten years, with audits.", page=1, page_end=1)
    assert _quoted_sentences(sentences) == [sentences[0].text, sentences[5].text, sentences[6].text,
                                            sentences[7].text, sentences[8].text]


def test_points_are_found_far_apart_and_after_and():
    lines = ["Three areas stand out.", *FILLER[:10], "The first would be regular meetings.", *FILLER[10:14],
             *FILLER[:6], "Secondly, a business council.", *FILLER[6:9], "And third, a shared grid."]
    quoted = _quoted(lines)
    assert [t for t in quoted if t not in FILLER] == [lines[0], lines[11], lines[22], lines[26]]
    too_far = ["Two factors matter here.", *FILLER[:2], "First, oil output fell.", *FILLER[2:15], "Second, rates fell."]
    assert _quoted(too_far) == [too_far[0]]  # a "Second," 13 statements on belongs to something else
    finally_second = ["Two problems stand out. First, oil output fell.", *FILLER[:2], "Finally, the reform is attacked."]
    assert _quoted(finally_second) == [finally_second[0], finally_second[3]]


def test_points_stay_in_their_section():
    lines = [Sentence(text=t, page=1, page_end=1) for t in PRIORITIES[:6]]
    chunks = [Chunk(id="c-0", report_id="wilson", section="Energy", page=1, page_end=1, sentences=lines[:3]),
              Chunk(id="c-1", report_id="wilson", section="Trade", page=1, page_end=1, sentences=lines[3:])]
    chosen = select(SimpleNamespace(chunks=chunks), [_candidate(chunks, 0, 0, 2.0)], EvidenceSettings(max_sentences=1))
    assert [c.sentence.text for c in chosen] == [PRIORITIES[0]]  # "The second goal…" is the next section's
