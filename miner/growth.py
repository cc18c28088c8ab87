"""Growth: the person's commit builds new code into the agent's function and changes almost
nothing of what was there, or, under a title that announces new work (`feat: …`, `Add …`), adds
far more than it changes. That is the function growing with the project (a new option, a new
check, a new branch), not an answer to the agent's code, however the diff touches its lines."""

from __future__ import annotations

from .lexer import code_tokens
from .tasks import line_counts, token_diff
from .tokens import PUNCTUATION

GROWTH_LINES = 15  # lines added to the function, at least
GROWTH_WORDS_CHANGED = 1  # words of the old code removed or replaced, at most
NEW_WORK_LINES = 5  # under a new-work title: lines added, at least, and twice the lines removed


def is_growth(rejected: str, chosen: str, language: str, new_work: bool = False) -> bool:
    """At least GROWTH_LINES lines added to the function, and at most GROWTH_WORDS_CHANGED
    words (punctuation aside) of its old code removed or replaced; in a commit that announces
    `new_work`, at least NEW_WORK_LINES lines added and twice as many added as removed."""
    added, removed = line_counts(rejected, chosen)
    if new_work and added >= NEW_WORK_LINES and added >= 2 * removed:
        return True
    if added < GROWTH_LINES:
        return False
    words, _ = token_diff(code_tokens(rejected, language), code_tokens(chosen, language))
    return sum(token not in PUNCTUATION for token in words) <= GROWTH_WORDS_CHANGED
