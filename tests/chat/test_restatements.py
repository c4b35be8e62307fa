"""Passages that sum up what their report says pages away."""

import numpy as np

from chat.restatements import summary_share


def unit(*rows: list[float]) -> np.ndarray:
    vectors = np.array(rows, dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def shares(vectors, pages, owners, reports, similarity=0.9) -> list[float]:
    owners = np.array(owners)
    return summary_share(vectors, np.array(pages), owners, np.array(reports), int(owners.max()) + 1,
                         similarity).tolist()


def test_a_summary_of_the_body_sums_up_and_the_body_does_not():
    # Passage 0 (p. 3) says two things the body (pp. 20-21) says among other things
    vectors = unit([1, 0, 0, 0], [0, 1, 0, 0], [1, 0.1, 0, 0], [0, 0, 1, 0], [0, 0.1, 0, 1], [0.1, 1, 0, 0])
    assert shares(vectors, [3, 3, 20, 20, 21, 21], [0, 0, 1, 1, 2, 2], ["a"] * 6) == [1.0, 0.0, 0.0]


def test_two_copies_alike_sum_up_neither():
    # A report printed twice, short and long: each copy is wholly restated in the other
    vectors = unit([1, 0], [0, 1], [1, 0.05], [0.05, 1])
    assert shares(vectors, [2, 2, 40, 40], [0, 0, 1, 1], ["a"] * 4) == [0.0, 0.0]


# A summary passage (0) of two sentences, and a body passage (1) with one twin of each and a third
# sentence: as they stand, passage 0 sums up passage 1.
SUMMARY = unit([1, 0, 0], [0, 1, 0], [1, 0.05, 0], [0.05, 1, 0], [0, 0, 1])


def test_a_twin_on_the_next_page_is_no_restatement():
    assert shares(SUMMARY, [10, 10, 30, 30, 30], [0, 0, 1, 1, 1], ["a"] * 5) == [1.0, 0.0]
    assert shares(SUMMARY, [10, 10, 11, 11, 11], [0, 0, 1, 1, 1], ["a"] * 5) == [0.0, 0.0]


def test_a_twin_in_another_report_or_below_the_similarity_is_no_restatement():
    assert shares(SUMMARY, [10, 10, 30, 30, 30], [0, 0, 1, 1, 1], ["a", "a", "b", "b", "b"]) == [0.0, 0.0]
    assert shares(SUMMARY, [10, 10, 30, 30, 30], [0, 0, 1, 1, 1], ["a"] * 5, similarity=0.9999) == [0.0, 0.0]


def test_a_passage_without_sentences_has_no_share():
    vectors = unit([1, 0], [1, 0.05], [0, 1])
    assert shares(vectors, [1, 20, 20], [0, 1, 1], ["a"] * 3)[:2] == [1.0, 0.0]
    assert summary_share(vectors, np.array([1, 20, 20]), np.array([0, 1, 1]), np.array(["a"] * 3), 3, 0.9).tolist() == [
        1.0, 0.0, 0.0]
