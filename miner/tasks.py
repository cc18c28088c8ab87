"""The task tag of a pair: what kind of correction the person made. Rules in a fixed order,
first match wins: what the change itself shows, then the words of the task and the person's
commit message. Documented in the README; `TASK_TAGS` is the list with definitions."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .tokens import IDENT, KEYWORDS, TOKEN

TASK_TAGS: dict[str, str] = {
    "revert": "the person reverted the agent's change",
    "naming": "a function or identifiers were renamed, the logic kept",
    "docs": "only comments or docstrings changed",
    "tests": "test code (a test file or a test function)",
    "error_handling": "errors handled, raised, propagated or validated",
    "typing": "type annotations or type declarations",
    "performance": "faster or leaner code",
    "style": "formatting or lint-level changes",
    "refactor": "the same behaviour restructured",
    "bugfix": "wrong behaviour fixed",
    "feature": "new behaviour added",
}

_ERROR_CONSTRUCTS = re.compile(
    r"\b(try|except|catch|raise|throw|throws|finally|rescue|ensure|panic|Err|Result|"
    r"errors\.New|fmt\.Errorf)\b|if err != nil|\?;|\.ok_or|\.expect\("
)
_COMMENT = re.compile(r"^\s*(#|//|/\*|\*|\"\"\"|'''|--)")
_TEST_PATH = re.compile(
    r"(^|/)(tests?|spec|__tests__)/|(_test|_spec|\.test|\.spec)\.\w+$|"
    r"(^|/)test_[^/]*$"
)
_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (tag, re.compile(pattern, re.IGNORECASE))
    for tag, pattern in (
        ("error_handling", r"\berror|exception|\bhandl|validat|\braise|\bthrow|panic|unwrap"),
        ("typing", r"\btyp(e|es|ing|ed)\b|annotation|mypy|generic"),
        ("performance", r"\bperf|\bfast|\bslow|speed|optimi[sz]|\bcach|latency|efficien"),
        ("tests", r"\btest|\bspec\b|coverage"),
        ("docs", r"\bdoc(s|string|umentation)?\b|\bcomment|readme"),
        ("naming", r"\brenam|\bnaming\b"),
        ("style", r"\bformat|\bstyle|\blint|whitespace|pep ?8|prettier|\bblack\b|\bruff\b"),
        ("refactor", r"refactor|clean ?up|simplif|extract|restructur|reorgani[sz]|dedup"),
        ("bugfix", r"\bfix|\bbug|crash|\bwrong|incorrect|broken|regression|off.by.one"),
        ("feature", r"\badd|implement|\bfeature|\bsupport|introduc|\bnew\b|\bcreate"),
    )
)


@dataclass(frozen=True)
class Change:
    """What the classifier reads of one pair."""

    event: str
    path: str
    function: str
    rejected: str
    chosen: str
    task_text: str
    person_message: str
    renamed: bool = False


def classify(change: Change) -> str:
    if change.event == "revert":
        return "revert"
    name = re.split(r"[.:#]+", change.function)[-1]
    if change.renamed or _only_identifiers_changed(change.rejected, change.chosen, name):
        return "naming"
    if _only_formatting_changed(change.rejected, change.chosen):
        return "style"
    added, removed = _changed_lines(change.rejected, change.chosen)
    if added + removed and all(_COMMENT.match(line) for line in added + removed):
        return "docs"
    if _TEST_PATH.search(change.path) or name.lower().startswith("test"):
        return "tests"
    if any(_ERROR_CONSTRUCTS.search(line) for line in added):
        return "error_handling"
    for words in (change.person_message, change.task_text):
        for tag, pattern in _KEYWORDS:
            if pattern.search(words):
                return tag
    return "bugfix"


def _changed_lines(rejected: str, chosen: str) -> tuple[list[str], list[str]]:
    added, removed = [], []
    for line in difflib.unified_diff(rejected.splitlines(), chosen.splitlines(), lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            added.append(line[1:])
        elif line.startswith("-") and not line.startswith("---"):
            removed.append(line[1:])
    return added, removed


def _only_identifiers_changed(rejected: str, chosen: str, name: str) -> bool:
    """Same code with names consistently replaced, each renamed name a real binding (used at
    least twice, or the function's own name): `int(x)` → `float(x)` is no rename."""
    old_tokens, new_tokens = TOKEN.findall(rejected), TOKEN.findall(chosen)
    if len(old_tokens) != len(new_tokens) or old_tokens == new_tokens:
        return False
    mapping: dict[str, str] = {}
    for old, new in zip(old_tokens, new_tokens, strict=True):
        if old == new:
            continue
        if not (IDENT.fullmatch(old) and IDENT.fullmatch(new)) or {old, new} & KEYWORDS:
            return False
        if mapping.setdefault(old, new) != new:
            return False
    return all(old_tokens.count(old) >= 2 or old == name for old in mapping)


def _only_formatting_changed(rejected: str, chosen: str) -> bool:
    """Quotes, trailing commas, line breaks: what a formatter changes, nothing a reader does."""

    def shape(text: str) -> list[str]:
        tokens = TOKEN.findall(text.replace("'", '"'))
        return [
            t
            for i, t in enumerate(tokens)
            if not (t == "," and tokens[i + 1 : i + 2] in ([")"], ["]"], ["}"]))
        ]

    return rejected != chosen and shape(rejected) == shape(chosen)


def line_counts(rejected: str, chosen: str) -> tuple[int, int]:
    """Lines added and removed going from the agent's version to the person's."""
    added, removed = _changed_lines(rejected, chosen)
    return len(added), len(removed)
