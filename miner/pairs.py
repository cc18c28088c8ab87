"""Function-level comparison of the agent's version of a file with the person's version:
which functions the agent wrote, and what the person made of each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Container
from dataclasses import dataclass

from .functions import Function
from .tokens import IDENT, KEYWORDS, TOKEN, normalized


@dataclass(frozen=True)
class FileVersions:
    """One file around one correction. `base`: before the agent's commit; `agent`: after it;
    `person`: the version the person kept (None: the file is gone); `between`, for later
    fixes only: just before the person's commit, where the agent's function must still be
    exactly as the agent left it."""

    path: str
    language: str
    base: dict[str, Function]
    agent: dict[str, Function]
    person: dict[str, Function] | None
    between: dict[str, Function] | None = None


@dataclass(frozen=True)
class Outcome:
    """`chosen` None: the person removed the agent's function (an unpaired rejection)."""

    rejected: Function
    chosen: Function | None
    renamed: bool = False


def shape_key(text: str) -> tuple[str, ...]:
    """The code with every name numbered by first appearance: two functions with the same key
    differ only by a consistent renaming (of the function, its parameters, its locals)."""
    numbers: dict[str, str] = {}
    key = []
    for token in TOKEN.findall(text):
        if IDENT.fullmatch(token) and token not in KEYWORDS:
            token = numbers.setdefault(token, f"\0{len(numbers)}")
        key.append(token)
    return tuple(key)


def agent_touched(base: dict[str, Function], agent: dict[str, Function]) -> list[Function]:
    """Functions the agent's commit added or changed."""
    return [fn for name, fn in agent.items() if name not in base or base[name].text != fn.text]


def compare(
    versions: FileVersions,
    moved_elsewhere: Container[str],
    skips: Counter,
    keep_unpaired: bool,
) -> list[Outcome]:
    """What the person made of each function the agent touched. A pair only where both sides
    parse cleanly and differ beyond white space; a function only moved is no pair."""
    outcomes = []
    person = versions.person or {}
    new_in_person = [fn for name, fn in person.items() if name not in versions.agent]
    for fn in agent_touched(versions.base, versions.agent):
        if versions.between is not None:
            before = versions.between.get(fn.qualname)
            if before is None or before.text != fn.text:
                continue  # changed since the agent's commit by someone else: not this link
        if fn.has_error:
            skips["syntax_error"] += 1
            continue
        kept = person.get(fn.qualname)
        if kept is not None:
            if kept.has_error:
                skips["syntax_error"] += 1
            elif normalized(kept.text) != normalized(fn.text):
                outcomes.append(Outcome(fn, kept))
            continue
        renamed = next((p for p in new_in_person if shape_key(p.text) == shape_key(fn.text)), None)
        if renamed is not None:
            outcomes.append(Outcome(fn, renamed, renamed=True))
        elif not keep_unpaired:
            continue
        elif normalized(fn.text) in moved_elsewhere:
            skips["moved"] += 1
        else:
            outcomes.append(Outcome(fn, None))
    return outcomes
