"""Checking generated answers: citation parsing, support, renumbering, flag or drop."""

from chat.support import is_supported
from chat.verification import UNSUPPORTED_FLAG, split_claims, verify


def chunk_with(index, words: str) -> int:
    return next(i for i, c in enumerate(index.chunks) if words in c.text)


def test_claims_keep_their_markers_including_lists_and_markers_after_the_full_stop():
    claims = split_claims("Trade grew six-fold [1, 2]. Vehicles cross daily. [3] In short:")
    assert [(c.text, c.markers) for c in claims] == [
        ("Trade grew six-fold.", [1, 2]), ("Vehicles cross daily.", [3]), ("In short:", [])]


def test_support_is_the_share_of_content_words_in_the_cited_text():
    assert is_supported("300,000 vehicles cross every day", "and 300,000 vehicles cross every day.")
    assert not is_supported("Tariffs on steel doubled in 2018", "and 300,000 vehicles cross every day.")


def test_supported_claim_is_kept_and_quoted_from_its_passage(engine):
    index = engine.index
    border, gas = chunk_with(index, "300,000 vehicles"), chunk_with(index, "Natural gas exports")
    checked = verify("Each day 300,000 vehicles cross the border [2].", [gas, border], index, "flag")
    assert checked.text == "Each day 300,000 vehicles cross the border. [1]"
    assert checked.verification.supported == checked.verification.claims == 1
    (citation,) = checked.citations
    assert citation.n == 1 and citation.doc == "trade-2019-outlook" and citation.page == 2
    assert "300,000 vehicles" in citation.text and citation.text in citation.passage


def test_markers_to_no_passage_are_removed_and_wrong_citations_moved(engine):
    index = engine.index
    border, gas = chunk_with(index, "300,000 vehicles"), chunk_with(index, "Natural gas exports")
    checked = verify("Each day 300,000 vehicles cross the border [1][7].", [gas, border], index, "flag")
    assert checked.verification.removed_markers == [7]
    assert checked.verification.recited == ["Each day 300,000 vehicles cross the border."]
    assert "[7]" not in checked.text and checked.text.endswith("[1]")
    assert checked.citations[0].page == 2  # the border passage, which supports it, not the gas one


def test_unsupported_sentence_is_flagged_or_dropped(engine):
    index = engine.index
    border = chunk_with(index, "300,000 vehicles")
    raw = "Each day 300,000 vehicles cross the border [1]. Tariffs on avocados tripled in 2020 [1]."
    flagged = verify(raw, [border], index, "flag")
    assert f"Tariffs on avocados tripled in 2020. [1] ({UNSUPPORTED_FLAG})" in flagged.text
    assert flagged.verification.unsupported == ["Tariffs on avocados tripled in 2020."]
    dropped = verify(raw, [border], index, "drop")
    assert "avocados" not in dropped.text and dropped.verification.action == "drop"
    assert dropped.verification.unsupported == flagged.verification.unsupported


def test_citations_are_numbered_by_first_use(engine):
    index = engine.index
    border, gas = chunk_with(index, "300,000 vehicles"), chunk_with(index, "Natural gas exports")
    checked = verify("Natural gas exports reached six billion cubic feet per day [1]. "
                     "Each day 300,000 vehicles cross the border [2].", [border, gas], index, "flag")
    assert [c.page for c in checked.citations] == [3, 2]
    assert checked.text.index("[1]") < checked.text.index("[2]")
