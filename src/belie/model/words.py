"""Small helpers for writing numbers into English sentences, shared by every layer."""
from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 note', '2 notes', '1,200 days', '3 people' (with ``many="people"``)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
