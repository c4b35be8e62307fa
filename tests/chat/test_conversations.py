"""The conversations kept in the browser: saving, listing, and what a tampered store turns into."""

from chat import conversations
from chat.conversations import KEPT, KEPT_PASSAGES


def _turn(question: str, passages: int = 10) -> dict:
    return {"id": "t", "question": question, "filters": {},
            "answer": {"answer": "…", "citations": [], "retrieved": [{"text": str(i)} for i in range(passages)]}}


def _messages(question: str) -> list[dict]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": "…"}]


def test_a_saved_conversation_becomes_current_and_newest_and_keeps_its_first_title():
    store, first = conversations.save(conversations.empty_store(), None, _messages("Energy?"), [_turn("Energy?")])
    store, second = conversations.save(store, None, _messages("Migration?"), [_turn("Migration?")])
    assert first != second and store["current"] == second
    assert [label.split(" · ")[0] for label, _ in conversations.choices(store)] == ["Migration?", "Energy?"]
    store, again = conversations.save(store, first, _messages("Energy?") * 2, [_turn("Energy?"), _turn("More?")])
    assert again == first and conversations.current(store)["title"] == "Energy?"
    assert [cid for _, cid in conversations.choices(store)] == [first, second]  # the one continued goes first


def test_only_what_the_page_shows_is_kept_and_the_oldest_conversations_go():
    store = conversations.empty_store()
    for i in range(KEPT + 3):
        store, _ = conversations.save(store, None, _messages(f"Question {i}?"), [_turn(f"Question {i}?")])
    kept = conversations.conversations(store)
    assert len(kept) == KEPT and kept[0]["title"] == f"Question {KEPT + 2}?"
    assert len(kept[0]["turns"][0]["answer"]["retrieved"]) == KEPT_PASSAGES
    long_question = "Why " + "very " * 40 + "long?"
    store, _ = conversations.save(store, None, _messages(long_question), [_turn(long_question)])
    assert len(conversations.current(store)["title"]) <= conversations.TITLE_CHARS


def test_an_empty_conversation_is_not_saved():
    store, cid = conversations.save(conversations.empty_store(), None, [], [])
    assert cid is None and conversations.conversations(store) == []


def test_a_store_of_another_shape_counts_as_empty():
    for store in (None, "text", [], {"conversations": "x"}, {"current": "a", "conversations": [{"id": "a"}, 3]}):
        assert conversations.conversations(store) == [] and conversations.current(store) is None
        assert conversations.choices(store) == []
