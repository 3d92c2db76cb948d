"""The limits belie sets on what it reads, in one place (docs/security.md lists them).

Each keeps one hostile or mistaken input from costing minutes or gigabytes; each is far
above what a real case holds, and input beyond one is refused with a message that names
the file, the line and the limit, never cut silently.
"""
from __future__ import annotations

#: An id (entity, source, claim): a name to refer to, not a text.
MAX_ID_CHARS = 200

#: A claim's `quote`: a passage of its source, not the source (about three pages).
MAX_QUOTE_CHARS = 10_000

#: A case file (case.yaml, a file under claims/), checked before it is read.
MAX_CASE_FILE_BYTES = 64_000_000

#: A source file belie reads (`belie add`, a `file:`), checked before it is read, and
#: the text extracted from it.
MAX_SOURCE_BYTES = 200_000_000
MAX_SOURCE_CHARS = 200_000_000

#: In the terminal, a word longer than this is shown by its two ends (a 40,000-character
#: word once took the terminal renderer 25 s to wrap); the JSON, CSV and HTML outputs keep it.
MAX_TERMINAL_WORD = 120

#: The longest explanation or message shown whole in the terminal.
MAX_TERMINAL_TEXT = 4_000


def human_bytes(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.0f} {unit}"
        n /= 1000
    return f"{n} bytes"  # pragma: no cover
