"""The task tags of a pair: what kind of correction the person made. Decided first by what the
change itself does (the two function texts as tokens: what was added, removed, kept), then by
whole-word cues in the person's commit message, then in the agent's task, then by size.
`TASK_TAGS` is the table, one rule a tag, the same in the README; a change may show several
tags (`tags`, most specific first; `task` is the first)."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .authorship import token_opcodes
from .lexer import Token, name_words, tokens
from .tokens import IDENT, KEYWORDS

TASK_TAGS: dict[str, str] = {
    "revert": "the person reverted the agent's commit, or says so (a title starting `Revert`)",
    "removal": "the agent's code deleted (the function, or lines of it), no line in its place",
    "naming": "only identifiers renamed to new names, consistently (the function, parameters, "
    "locals)",
    "docs": "only docstrings, doc comments or comments changed",
    "typing": "only type annotations or declarations changed",
    "tests": "a test function (test_*/Test*/#[test]/it()/test()) or a test file",
    "error_handling": "handling added or changed: try/except/catch/finally, raise/throw/panic, "
    "`if err != nil`, Rust's `?`/`Err`/`map_err`, Go's `_ =`, error reporting, exception types, "
    "guards that raise, fail or return early on nil, any change in a function named for errors; "
    "second to the shape's tag where the person added more than 10 lines",
    "performance": "caching or memoising added (`lru_cache`, `useMemo`, a `_cached_…` name), or "
    "loops and collections restructured for speed",
    "refactor": "the same tokens rearranged: structure changed, vocabulary kept",
    "feature": "new behaviour: only lines added (3 or more), or, where no word says otherwise, "
    "at least twice the lines it changes",
    "bugfix": "the agent's behaviour changed: one or two lines edited, nothing more; the default",
}

_ERROR_WORDS = {
    "try", "except", "catch", "finally", "raise", "throw", "throws", "rescue", "ensure",
    "panic", "Err", "Errorf", "ok_or", "ok_or_else", "map_err", "reject", "recover",
}  # fmt: skip
# A guard: an `if` whose branch raises, or returns an error, nothing or a failure value.
_GUARD = re.compile(
    r"\bif\b[^{}:;]*[{:]?\s*(?:raise|throw|panic|return\s+(?:err\b|error|None\b|nil\b|null\b|"
    r"false\b|False\b|undefined\b|-\s*1\b|Err\b|''|\"\"|\[\s*\]|\{\s*\}|[^;\n]*\berr\b))"
)
# A guard on a missing value that returns early (a fallback or nothing).
_NULL_GUARD = re.compile(
    r"\bif\b[^{}:;]*(?:= =|\bis\b)\s*(?:nil|None|null|undefined)\b[^{};]*[{:]\s*return\b"
)
_REPORTS_ERROR = re.compile(
    r"\. (?:error|exception|warn|warning|Errorf|Fatalf?|Warnf?|Error)\b|\berrors \. New\b"
)
_ERROR_TYPE = re.compile(r"[A-Z]\w*(?:Error|Exception)")
_TYPE_WORDS = {
    "int", "str", "float", "bool", "bytes", "list", "dict", "set", "tuple", "None", "Any",
    "Optional", "Union", "List", "Dict", "Set", "Tuple", "Callable", "Sequence", "Iterable",
    "Iterator", "Mapping", "string", "number", "boolean", "any", "unknown", "never", "void",
    "null", "undefined", "object", "interface", "type", "as", "readonly", "i8", "i16", "i32",
    "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize", "f32", "f64", "char",
    "Self", "Vec", "Box", "Rc", "Arc", "String", "error", "int8", "int16", "int32", "int64",
    "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "rune", "byte",
    "mut", "dyn", "impl", "const",
}  # fmt: skip
_TYPE_PUNCTUATION = set(":-><|?[],&*.=")
_PUNCTUATION = set("{}()[];,.:")
_CACHE_WORDS = {
    "cache", "lru_cache", "cached_property", "functools", "memo", "memoize", "useMemo",
    "useCallback", "Once", "OnceCell", "OnceLock", "lazy_static", "once_cell", "sync",
    "WeakMap", "cached",
}  # fmt: skip
# A name with a cache word as one of its parts: `_cached_result`, `cacheKey`, `getMemoValue`.
_CACHE_NAME = re.compile(
    r"(?:^|_)(?:[cC]ache[dD]?|CACHED?|[mM]emo(?:i[sz]ed?)?|MEMO)(?:_|$|[A-Z])"
    r"|[a-z](?:Cache|Cached|Memo)(?:[A-Z_]|$)"
)
_TEST_PATH = re.compile(
    r"(^|/)(tests?|spec|specs|__tests__|e2e|testing)/|(_test|_spec|\.test|\.spec|_tests)\.\w+$|"
    r"(^|/)test_[^/]*$"
)
_TEST_NAME = re.compile(r"(^|[.:#])(test_?\w*|Test\w*|Benchmark\w*|Example\w*)$")
_TEST_ATTRIBUTE = re.compile(r"#\[(tokio::)?test\b|@pytest\.|@Test\b|\bt \*testing\.[TB]\b")
HANDLING_LEADS_UP_TO = 10  # added lines; a larger change is tagged by its shape first
_REVERT_TITLE = re.compile(r"revert\b", re.IGNORECASE)
# Whole words only: "fast" in a project's name, "handler" or "handleRowClick" are no cues.
_MESSAGE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (tag, re.compile(pattern, re.IGNORECASE))
    for tag, pattern in (
        (
            "error_handling",
            r"\b(error[- ]handling|handle (the )?errors?|exceptions?|validat(e|es|ed|ion))\b",
        ),
        ("typing", r"\b(type (hints?|annotations?|errors?|checks?)|typing|mypy|pyright|tsc)\b"),
        (
            "performance",
            r"\b(perf|performance|faster|speed( up)?|optimi[sz](e|es|ed|ation)|latency)\b",
        ),
        ("tests", r"\b(tests?|testing|specs?|coverage)\b"),
        ("docs", r"\b(docs?|docstrings?|documentation|readme)\b"),
        ("naming", r"\b(renam(e|es|ed|ing)|naming)\b"),
        (
            "refactor",
            r"\b(refactor(s|ed|ing)?|clean ?up|simplif(y|ies|ied)|restructur(e|ed|ing)|dedup\w*)\b",
        ),
        (
            "bugfix",
            r"\b(fix(es|ed)?|bugs?|crash(es|ed)?|wrong|incorrect|broken|regression|"
            r"off[- ]by[- ]one)\b",
        ),
        (
            "feature",
            r"\b(add(s|ed)?|implement(s|ed)?|feat|features?|support(s|ed)?|introduc(e|es|ed)|new)\b",
        ),
    )
)


@dataclass(frozen=True)
class Change:
    """What the classifier reads of one pair."""

    event: str
    path: str
    function: str
    rejected: str
    chosen: str | None
    task_text: str
    person_message: str
    language: str = ""
    renamed: bool = False


def tags_of(change: Change) -> list[str]:
    """Every tag the change shows, the main one first."""
    if change.event == "revert":
        return ["revert"]
    if change.chosen is None:
        return ["removal"]
    if _REVERT_TITLE.match(change.person_message.lstrip()):
        return ["revert"]  # the person's own revert of the agent's work, by hand or by squash
    language = change.language
    old, new = tokens(change.rejected, language), tokens(change.chosen, language)
    old_code = [t.text for t in old if t.kind != "comment"]
    new_code = [t.text for t in new if t.kind != "comment"]
    name = re.split(r"[.:#]+", change.function)[-1]
    removed, added = _diff(old_code, new_code)
    found: list[str] = ["tests"] if _is_test(change, name) else []
    if change.renamed or _only_identifiers_changed(old_code, new_code, name):
        found.append("naming")
    elif _only_docs_changed(old, new):
        found.append("docs")
    elif _only_types_changed(old_code, new_code) and not _names_errors(removed + added):
        found.append("typing")
    elif _only_removes(removed, added) and line_counts(change.rejected, change.chosen)[0] == 0:
        found.append("removal")
    handling = _handles_errors(removed, added, new_code, language) or _is_error_handler(name)
    leads = line_counts(change.rejected, change.chosen)[0] <= HANDLING_LEADS_UP_TO
    if handling and leads:
        found.append("error_handling")
    if _caches(added) and not _caches(removed):
        found.append("performance")
    cue = _message_cue(change.person_message) or _message_cue(change.task_text)
    if not found or found == ["tests"]:
        found.append(_by_shape(old_code, new_code, change, cue))
    elif cue and cue not in found:
        found.append(cue)
    if handling and not leads:
        found.append("error_handling")  # part of a larger change, not what it is about
    return list(dict.fromkeys(found))


def _caches(changed: list[str]) -> bool:
    """A caching construct or a name for one (`lru_cache`, `useMemo`, `_cached_result`)."""
    return any(t in _CACHE_WORDS or _CACHE_NAME.search(t) for t in changed if IDENT.fullmatch(t))


def _only_removes(removed: list[str], added: list[str]) -> bool:
    """The person deleted the agent's code and put (almost) nothing in its place."""
    words = [t for t in removed if t not in _PUNCTUATION]
    return len(words) >= 3 and len([t for t in added if t not in _PUNCTUATION]) <= 1


def _diff(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    """Tokens removed and tokens added, by a token-level diff."""
    removed, added = [], []
    for op, i1, i2, j1, j2 in token_opcodes(old, new):
        if op != "equal":
            removed.extend(old[i1:i2])
            added.extend(new[j1:j2])
    return removed, added


def _only_identifiers_changed(old: list[str], new: list[str], name: str) -> bool:
    """Same code with names consistently replaced by new ones, each renamed name a real
    binding (used at least twice, or the function's own name): `int(x)` → `float(x)` is no
    rename."""
    if len(old) != len(new) or old == new:
        return False
    mapping: dict[str, str] = {}
    for before, after in zip(old, new, strict=True):
        if before == after:
            continue
        if not (IDENT.fullmatch(before) and IDENT.fullmatch(after)) or {before, after} & KEYWORDS:
            return False
        if mapping.setdefault(before, after) != after:
            return False
    if set(mapping.values()) & set(old):
        return False  # a switch to a name already there (`self._x` → `self.x`): no rename
    return all(old.count(before) >= 2 or before == name for before in mapping)


def _only_docs_changed(old: list[Token], new: list[Token]) -> bool:
    """Only comments or the docstring differ: every other token, strings included, is the
    same."""
    old_doc, old_code = _split_docstring(old)
    new_doc, new_code = _split_docstring(new)
    if old_code != new_code:
        return False
    old_comments = [t.text for t in old if t.kind == "comment"]
    new_comments = [t.text for t in new if t.kind == "comment"]
    return old_doc != new_doc or old_comments != new_comments


def _split_docstring(toks: list[Token]) -> tuple[str | None, list[str]]:
    """The docstring (a string right after the header's `:`, Python's place for it) and the
    other code tokens."""
    code = [t for t in toks if t.kind != "comment"]
    opened = False  # a `(` seen before this token: the header's parameter list
    for index, token in enumerate(code[:-1]):
        after_header = token.text == ":" and opened
        opened = opened or token.text == "("
        followed = index + 2 >= len(code) or code[index + 2].text != ")"
        if after_header and code[index + 1].kind == "string" and followed:
            doc = code[index + 1].text
            return doc, [t.text for t in code[: index + 1] + code[index + 2 :]]
        if token.text in ("{", "=>"):
            break
    return None, [t.text for t in code]


def _only_types_changed(old: list[str], new: list[str]) -> bool:
    removed, added = _diff(old, new)
    changed = removed + added
    if not changed:
        return False
    words = [t for t in changed if t not in _TYPE_PUNCTUATION]
    return (
        bool(words)
        and all(t in _TYPE_WORDS or t[:1].isupper() for t in words)
        and any(t in old + new for t in (":", "->"))
    )


def _is_test(change: Change, name: str) -> bool:
    return bool(
        _TEST_PATH.search(change.path)
        or _TEST_NAME.search(name)
        or _TEST_ATTRIBUTE.search(change.rejected[:400])
    )


def _handles_errors(removed: list[str], added: list[str], new: list[str], language: str) -> bool:
    """Error handling added or changed: its constructs among the added tokens (more of them
    than were removed), `if err != nil`, Rust's `?`, Go's `_ =` (an error discarded on
    purpose), error reporting (`.error(`, `Errorf`, `errors.New`), exception types swapped, or
    a guard that raises, returns a failure, or returns early on nil/None/null."""
    gained = Counter(t for t in added if t in _ERROR_WORDS)
    gained.subtract(Counter(t for t in removed if t in _ERROR_WORDS))
    if any(count > 0 for count in gained.values()):
        return True
    if language == "rust" and added.count("?") > removed.count("?"):
        return True
    text = " ".join(added)
    if language == "go" and text.count("_ =") > " ".join(removed).count("_ ="):
        return True
    return (
        "err ! = nil" in text
        or bool(_GUARD.search(text) or _NULL_GUARD.search(text) or _REPORTS_ERROR.search(text))
        or _names_errors(added)
    )


def _names_errors(changed: list[str]) -> bool:
    """An exception or error type among the tokens (`AuthenticationError`, `ValueError`)."""
    return any(_ERROR_TYPE.fullmatch(token) for token in changed)


def _is_error_handler(name: str) -> bool:
    """The function's own name says it handles errors (`handle_http_error`, `onFailure`)."""
    words = name_words(name)
    return bool(words & {"error", "errors", "exception", "exceptions", "failure", "fail"})


def _message_cue(text: str) -> str | None:
    """The first tag whose whole-word cue the text holds, in the table's order."""
    title = text.strip().splitlines()[0] if text.strip() else ""
    for words in (title, text):
        for tag, pattern in _MESSAGE_CUES:
            if pattern.search(words):
                return tag
    return None


def _by_shape(old: list[str], new: list[str], change: Change, cue: str | None) -> str:
    """refactor (the same tokens, rearranged); a shape that says more than any message (lines
    only added, three or more: feature; one or two lines changed, nothing more: bugfix); the
    message's cue; else feature where the person's version mostly adds lines, bugfix else."""
    if Counter(old) == Counter(new):
        return "refactor"
    added, removed = line_counts(change.rejected, change.chosen or "")
    if removed == 0 and added >= 3:
        return "feature"
    if 0 < added <= 2 and 0 < removed <= 2:
        return "bugfix"
    if cue:
        return cue
    if added >= 3 and added >= 2 * max(removed, 1):
        return "feature"
    return "bugfix"


@lru_cache(maxsize=16)
def line_counts(rejected: str, chosen: str) -> tuple[int, int]:
    """Lines added and removed going from the agent's version to the person's. Cached: a row's
    metadata and several tag rules ask for the same pair."""
    added = removed = 0
    for line in difflib.unified_diff(rejected.splitlines(), chosen.splitlines(), lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    return added, removed
