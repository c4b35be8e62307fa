"""Conversations kept in the browser (gr.BrowserState): the current one and a list of earlier ones.

The store is a plain dict, {"current": id or None, "conversations": [newest first]}, each
conversation {"id", "title", "updated", "messages", "turns"}. Whatever the browser sends back is
checked before use: a store that is not of this shape counts as empty.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

KEPT = 20  # conversations kept; localStorage holds about 5 MB, an answer with its sources ~15 kB
KEPT_PASSAGES = 3  # retrieved passages kept per answer: what a source card shows when it abstains
TITLE_CHARS = 70


def empty_store() -> dict:
    return {"current": None, "conversations": []}


def conversations(store) -> list[dict]:
    if not isinstance(store, dict) or not isinstance(store.get("conversations"), list):
        return []
    return [c for c in store["conversations"] if isinstance(c, dict) and {"id", "title", "messages", "turns"} <= c.keys()
            and isinstance(c["messages"], list) and isinstance(c["turns"], list)]


def find(store, conversation_id: str | None) -> dict | None:
    return next((c for c in conversations(store) if conversation_id and c["id"] == conversation_id), None)


def current(store) -> dict | None:
    return find(store, store.get("current") if isinstance(store, dict) else None)


def save(store, conversation_id: str | None, messages: list, turns: list[dict]) -> tuple[dict, str | None]:
    """The store with this conversation saved as the newest (a new one gets an id), and its id.

    A conversation with no message is not saved.
    """
    kept = conversations(store)
    if not messages:
        return {"current": None, "conversations": kept}, None
    conversation_id = conversation_id or uuid.uuid4().hex
    previous = find(store, conversation_id)
    question = next((t["question"] for t in turns), "") or _first_user_text(messages) or "Conversation"
    entry = {"id": conversation_id, "title": previous["title"] if previous else _title(question),
             "updated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
             "messages": messages, "turns": [_slim(t) for t in turns]}
    others = [c for c in kept if c["id"] != conversation_id]
    return {"current": conversation_id, "conversations": ([entry] + others)[:KEPT]}, conversation_id


def choices(store) -> list[tuple[str, str]]:
    """(label, id) for the list of conversations, newest first."""
    return [(f"{c['title']} · {str(c.get('updated', ''))[:16].replace('T', ' ')}", c["id"]) for c in conversations(store)]


def _title(question: str) -> str:
    question = " ".join(question.split())
    return question if len(question) <= TITLE_CHARS else question[:TITLE_CHARS - 1].rstrip() + "…"


def _first_user_text(messages: list) -> str:
    for m in messages:
        if isinstance(m, dict) and m.get("role") == "user" and isinstance(m.get("content"), str):
            return m["content"]
    return ""


def _slim(turn: dict) -> dict:
    answer = dict(turn.get("answer") or {})
    answer["retrieved"] = list(answer.get("retrieved") or [])[:KEPT_PASSAGES]
    return {**turn, "answer": answer}
