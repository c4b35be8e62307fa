"""Passages that restate what their report says pages away."""

import numpy as np

from chat.restatements import restated_share


def unit(*rows: list[float]) -> np.ndarray:
    vectors = np.array(rows, dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_a_sentence_said_again_pages_away_in_the_same_report_is_restated():
    vectors = unit([1, 0, 0], [0, 1, 0], [1, 0.1, 0], [0, 0, 1], [0, 0.1, 1], [1, 0, 0.05])
    pages = np.array([3, 3, 20, 20, 21, 40])
    reports = np.array(["a", "a", "a", "a", "a", "b"])
    offsets = np.array([0, 2, 4, 5, 6])  # passages: sentences 0-1, 2-3, 4, 5
    share = restated_share(vectors, pages, reports, offsets, similarity=0.9)
    # sentence 0 and 2 say the same 17 pages apart; 3 and 4 say the same on the next page, which is
    # no restatement; 5 says what 0 says, but in another report
    assert share.tolist() == [0.5, 0.5, 0.0, 0.0]


def test_nothing_is_restated_below_the_similarity():
    vectors = unit([1, 0], [1, 0.5])
    share = restated_share(vectors, np.array([1, 30]), np.array(["a", "a"]), np.array([0, 1, 2]), similarity=0.95)
    assert share.tolist() == [0.0, 0.0]
