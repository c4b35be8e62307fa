"""Passages that sum up what their report says pages away."""

import numpy as np

from chat.restatements import summary_share


def unit(*rows: list[float]) -> np.ndarray:
    vectors = np.array(rows, dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_a_summary_of_the_body_sums_up_and_the_body_does_not():
    # Passage 0 (p. 3) says two things the body (pp. 20-21) says among other things
    vectors = unit([1, 0, 0, 0], [0, 1, 0, 0], [1, 0.1, 0, 0], [0, 0, 1, 0], [0, 0.1, 0, 1], [0.1, 1, 0, 0])
    pages = np.array([3, 3, 20, 20, 21, 21])
    reports = np.array(["a"] * 6)
    offsets = np.array([0, 2, 4, 6])
    assert summary_share(vectors, pages, reports, offsets, similarity=0.9).tolist() == [1.0, 0.0, 0.0]


def test_two_copies_alike_sum_up_neither():
    # A report printed twice, short and long: each copy is wholly restated in the other
    vectors = unit([1, 0], [0, 1], [1, 0.05], [0.05, 1])
    share = summary_share(vectors, np.array([2, 2, 40, 40]), np.array(["a"] * 4), np.array([0, 2, 4]), 0.9)
    assert share.tolist() == [0.0, 0.0]


def test_no_restatement_on_the_next_page_in_another_report_or_below_the_similarity():
    vectors = unit([1, 0, 0], [0, 1, 0], [1, 0.05, 0], [0, 0, 1], [1, 0.5, 0], [0, 0.3, 1])
    pages = np.array([10, 10, 11, 11, 40, 40])
    reports = np.array(["a", "a", "a", "a", "a", "b"])
    offsets = np.array([0, 2, 4, 6])
    # 0 and 2 are a page apart; 4 is below the similarity; 5 is another report's
    assert summary_share(vectors, pages, reports, offsets, similarity=0.95).tolist() == [0.0, 0.0, 0.0]
