"""Messages for people: one plain sentence saying what to change, never a validator's report."""

from __future__ import annotations

from pydantic import ValidationError

# What a field must hold, by pydantic's error type, in words.
EXPECTED = {
    "string_type": "text",
    "list_type": "a list",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "model_type": "an object with role and content",
}


def user_message(exc: Exception) -> str:
    """What to tell the user about an error raised while checking what they sent."""
    if not isinstance(exc, ValidationError):
        return str(exc)
    error = exc.errors(include_url=False)[0]
    if error["type"] == "value_error":  # a validator of ours: its message is already the sentence
        return str(error["ctx"]["error"])
    field = _field_name(error["loc"])
    if error["type"] == "missing":
        return f"{field} is missing: add it."
    if error["type"] == "literal_error":
        return f"{field} must be {error['ctx']['expected']}."
    if error["type"] in EXPECTED:
        return f"{field} must be {EXPECTED[error['type']]}."
    return f"{field}: {error['msg']}."


def _field_name(loc: tuple) -> str:
    """("history", 0, "role") -> "history item 1 role": the names a program sent."""
    return " ".join(f"item {part + 1}" if isinstance(part, int) else str(part) for part in loc) or "the request"
