"""Thumbs up/down on answers, appended to a JSONL file that evaluators read."""

from __future__ import annotations

import json
import os
import threading
from datetime import datetime, timezone
from pathlib import Path


class FeedbackLog:
    """Appends one JSON line per rating; safe for concurrent sessions of one server process."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def record(self, *, liked: bool, question: str, answer: dict, comment: str, index_hash: str) -> None:
        entry = {
            "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "rating": "up" if liked else "down",
            "comment": comment.strip(),
            "question": question,
            "answer": answer.get("answer", ""),
            "citations": answer.get("citations", []),
            "abstained": answer.get("abstained"),
            "index_hash": index_hash,
        }
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            # One write() on an O_APPEND descriptor: lines from other processes never interleave.
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
