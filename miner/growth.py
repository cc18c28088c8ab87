"""Growth: the person's commit builds new code into the agent's function and changes almost
nothing of what was there. That is the function growing with the project (a new option, a new
check, a new branch), not an answer to the agent's code, however the diff touches its lines."""

from __future__ import annotations

from .authorship import token_opcodes
from .lexer import code_tokens
from .tasks import line_counts
from .tokens import PUNCTUATION

GROWTH_LINES = 15  # lines added to the function, at least
GROWTH_WORDS_CHANGED = 1  # words of the old code removed or replaced, at most


def is_growth(rejected: str, chosen: str, language: str) -> bool:
    """At least GROWTH_LINES lines added to the function, and at most GROWTH_WORDS_CHANGED
    words (punctuation aside) of its old code removed or replaced."""
    if line_counts(rejected, chosen)[0] < GROWTH_LINES:
        return False
    old, new = code_tokens(rejected, language), code_tokens(chosen, language)
    changed = sum(
        1
        for op, i1, i2, _, _ in token_opcodes(old, new)
        if op != "equal"
        for token in old[i1:i2]
        if token not in PUNCTUATION
    )
    return changed <= GROWTH_WORDS_CHANGED
