"""Function-level comparison of the agent's version of a file with the person's version:
which functions the agent wrote, and what the person made of each."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .functions import Function
from .mechanical import function_edit_reason
from .sources import MovedTexts
from .tokens import IDENT, KEYWORDS, TOKEN, normalized


@dataclass(frozen=True)
class FileVersions:
    """One file around one correction. `base`: before the agent's commit; `agent`: after it;
    `person`: the version the person kept (None: the file is gone)."""

    path: str
    language: str
    base: dict[str, Function]
    agent: dict[str, Function]
    person: dict[str, Function] | None


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
    moved_elsewhere: MovedTexts,
    skips: Counter,
) -> list[Outcome]:
    """What the person made of each function the agent touched. A pair only where both sides
    parse cleanly and differ beyond white space; a function only moved is no pair."""
    outcomes = []
    person = versions.person or {}
    new_in_person = [fn for name, fn in person.items() if name not in versions.agent]
    for fn in agent_touched(versions.base, versions.agent):
        kept = person.get(fn.qualname)
        renamed = kept is None
        if kept is None:
            kept = next((p for p in new_in_person if shape_key(p.text) == shape_key(fn.text)), None)
        if kept is not None:
            if not fn.parses_like(kept):
                skips["syntax_error"] += 1
            elif normalized(kept.text) != normalized(fn.text):
                _add_unless_mechanical(outcomes, fn, kept, renamed, versions.language, skips)
        elif fn.has_error:
            skips["syntax_error"] += 1
        elif moved_elsewhere.holds(fn, versions.path):
            skips["moved"] += 1
        else:
            outcomes.append(Outcome(fn, None))
    return innermost_only(outcomes)


def _add_unless_mechanical(
    outcomes: list[Outcome],
    rejected: Function,
    chosen: Function,
    renamed: bool,
    language: str,
    skips: Counter,
) -> None:
    reason = function_edit_reason(rejected.text, chosen.text, rejected.name, chosen.name, language)
    if reason:
        skips[reason] += 1
    else:
        outcomes.append(Outcome(rejected, chosen, renamed=renamed))


def innermost_only(outcomes: list[Outcome]) -> list[Outcome]:
    """One edit, one pair: an enclosing function whose whole change is that of a function
    nested in it gives no pair of its own."""
    return [
        outer
        for outer in outcomes
        if not any(inner is not outer and _explained_by(outer, inner) for inner in outcomes)
    ]


def _explained_by(outer: Outcome, inner: Outcome) -> bool:
    if outer.chosen is None or inner.chosen is None:
        return False
    if not inner.rejected.qualname.startswith(outer.rejected.qualname):
        return False
    if inner.rejected.text not in outer.rejected.text:
        return False
    rebuilt = outer.rejected.text.replace(inner.rejected.text, inner.chosen.text, 1)
    return normalized(rebuilt) == normalized(outer.chosen.text)
