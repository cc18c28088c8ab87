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
from .lexer import Token, name_words, token_spans, tokens
from .tokens import IDENT, KEYWORDS, PUNCTUATION, enclosing_call
from .trail import title

TASK_TAGS: dict[str, str] = {
    "revert": "the person reverted the agent's commit, or says so (a title starting `Revert`)",
    "removal": "the agent's code deleted (the function, or lines of it), no line of code in its "
    "place (a note, or the code commented out, may stay)",
    "naming": "only identifiers renamed to new names, consistently, the old name gone (the "
    "function, parameters, locals), or a parameter marked unused (`_`, `_x`)",
    "docs": "only docstrings, comments, prose strings reworded in place (help text, prompts) "
    "or the key of a translation call (`t(…)`, `_(…)`)",
    "typing": "only type annotations or declarations changed (`pkg.Type` too; not a value such "
    "as `|| null`, an UPPER_CASE constant or a field set)",
    "tests": "a test function (test_*/Test*/#[test]/it()/test()) or a test file; never by a "
    "message",
    "error_handling": "handling added, changed or taken out: try/except/catch/finally, "
    "raise/throw/panic, `if err != nil`, Rust's `?`/`Err`/`map_err`, Go's `_ =`, error "
    "reporting, exception types, guards that raise, fail or return early on nil, any change in "
    "a function named for errors; second to the shape's tag where the person added or removed "
    "more than 10 lines, unless the title speaks of errors or failures",
    "performance": "caching or memoising added (`lru_cache`, `useMemo`, a `_cached_…` name), "
    "loops and collections restructured for speed, or the person says so (`N+1`, `cache`, "
    "`faster`)",
    "refactor": "the same tokens rearranged: structure changed, vocabulary kept; or the person "
    "says refactor, simplify, move or extract",
    "feature": "new behaviour: only lines added (3 or more) unless the person says fix, or, "
    "where no word says otherwise, at least twice the lines it changes",
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
_LOGIC = re.compile(r"\| \||& &|\? \?|\b(?:or|and|not)\b")  # ||, &&, ?? as the lexer splits them
_TRANSLATION_CALLS = frozenset({"t", "_", "gettext", "ngettext", "tr", "i18n", "formatMessage"})
# A call's argument ends its search at these: the tokens before them are another statement.
_STATEMENT_BOUNDS = frozenset(";{}")
_PLAIN_WORD = re.compile(r"[A-Za-z']+[.,:;!?]?")
_KEY = re.compile(r"^[A-Za-z_]\w* :(?! =)| , [A-Za-z_]\w* :(?! =)")  # a key or field before `:`
_CONSTANT = re.compile(r"[A-Z][A-Z0-9_$]+")
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
# A title about errors: handling leads however large the change (`distinguish open failures`).
_ABOUT_ERRORS = re.compile(r"\b(errors?|failures?|exceptions?|panics?)\b", re.IGNORECASE)
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
            r"\b(perf|performance|faster|speed( up)?|optimi[sz](e|es|ed|ation)|latency|n\+1|"
            r"cach(e|es|ed|ing)|memoi[sz](e|es|ed|ation))\b",
        ),
        ("docs", r"\b(docs?|docstrings?|documentation|readme)\b"),
        ("naming", r"\b(renam(e|es|ed|ing)|naming)\b"),
        (
            "refactor",
            r"\b(refactor(s|ed|ing)?|clean ?up|simplif(y|ies|ied)|restructur(e|ed|ing)|dedup\w*|"
            r"mov(e|es|ed|ing)|extract(s|ed|ing)?)\b",
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
    removed, added = token_diff(old_code, new_code)
    found: list[str] = ["tests"] if is_test(change.path, name, change.rejected) else []
    if change.renamed or _only_identifiers_changed(old_code, new_code, name):
        found.append("naming")
    elif _only_docs_changed(old, new) or _only_help_text_changed(old, new):
        found.append("docs")
    elif _only_types_changed(old_code, new_code) and not _names_errors(removed + added):
        found.append("typing")
    elif _only_removes(removed, added) and not _code_lines_added(change, language):
        found.append("removal")
    handling = _handles_errors(removed, added, new_code, language) or _is_error_handler(name)
    leads = max(line_counts(change.rejected, change.chosen)) <= HANDLING_LEADS_UP_TO or bool(
        _ABOUT_ERRORS.search(title(change.person_message))
    )
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
    words = [t for t in removed if t not in PUNCTUATION]
    return len(words) >= 3 and len([t for t in added if t not in PUNCTUATION]) <= 1


def _code_lines_added(change: Change, language: str) -> int:
    """Lines of code the person's version adds (comments, blank lines and indentation left
    out): code commented out, with a note in its place, is still a deletion."""
    old, new = _code_lines(change.rejected, language), _code_lines(change.chosen or "", language)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return sum(j2 - j1 for op, _, _, j1, j2 in matcher.get_opcodes() if op in ("insert", "replace"))


def _code_lines(text: str, language: str) -> list[str]:
    """The text's lines without comments, each with its white space collapsed."""
    kept, end = [], 0
    for kind, start, stop in token_spans(text, language):
        if kind == "comment":
            kept.append(text[end:start])
            end = stop
    kept.append(text[end:])
    return [" ".join(line.split()) for line in "".join(kept).splitlines() if line.strip()]


def token_diff(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    """Tokens removed and tokens added, by a token-level diff."""
    removed, added = [], []
    for op, i1, i2, j1, j2 in token_opcodes(old, new):
        if op != "equal":
            removed.extend(old[i1:i2])
            added.extend(new[j1:j2])
    return removed, added


def _only_identifiers_changed(old: list[str], new: list[str], name: str) -> bool:
    """Same code with names consistently replaced by new ones, each renamed name a real
    binding (used at least twice, the function's own name, or marked unused: `x` → `_`,
    `_x`): `int(x)` → `float(x)` is no rename."""
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
    if (set(mapping.values()) - {"_"}) & set(old):
        return False  # a switch to a name already there (`self._x` → `self.x`): no rename
    if set(mapping) & set(new):
        return False  # the old name still used: one use switched to another name, no rename
    return all(
        old.count(before) >= 2 or before == name or after in ("_", f"_{before}")
        for before, after in mapping.items()
    )


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


def _only_help_text_changed(old: list[Token], new: list[Token]) -> bool:
    """Only prose edited in place (help text, messages, prompts) and the `+` or `,` that join
    its strings: the code around it is the same, no string added or dropped outright."""
    old_code = [t for t in old if t.kind != "comment"]
    new_code = [t for t in new if t.kind != "comment"]
    old_texts = [t.text for t in old_code]
    runs = [
        (old_code[i1:i2], new_code[j1:j2], i1)
        for op, i1, i2, j1, j2 in token_opcodes(old_texts, [t.text for t in new_code])
        if op != "equal"
    ]
    return bool(runs) and all(
        _prose_edited(before, after) or _translation_key_switched(before, after, old_texts, at)
        for before, after, at in runs
    )


def _translation_key_switched(
    before: list[Token], after: list[Token], old: list[str], at: int
) -> bool:
    """One name or string swapped for another inside a translation call's argument
    (`t(I18nKey.TOKEN_OPTIONAL)` → `t(I18nKey.TOKEN_LABEL)`, `_("…")`): a UI text changed."""
    if len(before) != 1 or len(after) != 1 or before[0].kind != after[0].kind:
        return False
    return enclosing_call(old, at, _STATEMENT_BOUNDS) in _TRANSLATION_CALLS


def _prose_edited(before: list[Token], after: list[Token]) -> bool:
    """Strings of prose on both sides, nothing but strings and their joints between."""
    changed = before + after
    return (
        any(t.kind == "string" for t in before)
        and any(t.kind == "string" for t in after)
        and all(_is_prose(t.text) if t.kind == "string" else t.text in ("+", ",") for t in changed)
    )


def _is_prose(literal: str) -> bool:
    """Words, three or more, mostly plain ones, no interpolation (`{x}`): not a CSS class
    list, a format template or a path."""
    words = literal.split()
    plain = [w for w in words if _PLAIN_WORD.fullmatch(w.strip("\"'`"))]
    return len(words) >= 3 and 2 * len(plain) >= len(words) and "{" not in literal


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
    """Every changed word a type: a type word or a CapWords name (an UPPER_CASE constant is
    no type), no logic operator among the changed tokens (`key || null` is a value) and no
    key or field set (`Title: x.Title`)."""
    removed, added = token_diff(old, new)
    changed = removed + added
    if not changed or _LOGIC.search(" ".join(removed)) or _LOGIC.search(" ".join(added)):
        return False
    if any(_KEY.search(" ".join(run)) for run in (removed, added)):
        return False  # `Title: issue.Title` is a field set, not a type
    words = [t for t in _without_qualifiers(changed) if t not in _TYPE_PUNCTUATION]
    return (
        bool(words)
        and all(t in _TYPE_WORDS or _is_type_name(t) for t in words)
        and any(t in old + new for t in (":", "->"))
    )


def _without_qualifiers(changed: list[str]) -> list[str]:
    """The tokens without the package or module that qualifies a type name (`config` of
    `config.ConflictStrategy`, `typing` of `typing.Optional`)."""
    return [
        token
        for i, token in enumerate(changed)
        if not (changed[i + 1 : i + 2] == ["."] and _is_type_name("".join(changed[i + 2 : i + 3])))
    ]


def _is_type_name(token: str) -> bool:
    """A CapWords name (`TokenUsage`, `Vec`), not an UPPER_CASE constant (`GITHUB_TOKEN`)."""
    return token[:1].isupper() and not _CONSTANT.fullmatch(token)


def is_test(path: str, name: str, text: str) -> bool:
    """Is the function a test: by its file, its name, or a test attribute on it?"""
    return bool(is_test_path(path) or _TEST_NAME.search(name) or _TEST_ATTRIBUTE.search(text[:400]))


def is_test_path(path: str) -> bool:
    """Is the file a test file (`tests/…`, `…_test.go`, `….spec.ts`, `test_….py`)?"""
    return bool(_TEST_PATH.search(path))


def _handles_errors(removed: list[str], added: list[str], new: list[str], language: str) -> bool:
    """Error handling added or changed: its constructs among the added tokens (more of them
    than were removed), `if err != nil`, Rust's `?`, Go's `_ =` (an error discarded on
    purpose), error reporting (`.error(`, `Errorf`, `errors.New`), exception types swapped, or
    a guard that raises, returns a failure, or returns early on nil/None/null."""
    gained = Counter(t for t in added if t in _ERROR_WORDS)
    gained.subtract(Counter(t for t in removed if t in _ERROR_WORDS))
    if any(count != 0 for count in gained.values()):
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
    for words in (title(text), text):
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
    if removed == 0 and added >= 3 and cue != "bugfix":
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
