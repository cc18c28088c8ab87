"""Growth: the person's commit builds new code into the agent's function and changes almost
nothing of what was there. That is the function growing with the project (a new option, a new
check, a new branch), not an answer to the agent's code, however the diff touches its lines."""

from __future__ import annotations

from .lexer import code_tokens
from .tasks import line_counts, token_diff
from .tokens import PUNCTUATION

GROWTH_LINES = 15  # lines added to the function, at least
GROWTH_WORDS_CHANGED = 1  # words of the old code removed or replaced, at most


def is_growth(rejected: str, chosen: str, language: str) -> bool:
    """At least GROWTH_LINES lines added to the function, and at most GROWTH_WORDS_CHANGED
    words (punctuation aside) of its old code removed or replaced."""
    if line_counts(rejected, chosen)[0] < GROWTH_LINES:
        return False
    removed, _ = token_diff(code_tokens(rejected, language), code_tokens(chosen, language))
    return sum(token not in PUNCTUATION for token in removed) <= GROWTH_WORDS_CHANGED
