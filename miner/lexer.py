"""Code as a stream of tokens that knows strings and comments apart, per language family:
enough to tell a formatter run or a comment edit from a change of code, without a parse."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

_HASH_COMMENTS = {"python", "ruby"}
_STRINGS = {
    "python": r"[rRbBuUfF]{0,2}(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\")|",
    "rust": r"'(?:\\[^'\n]{1,10}|[^'\\\n])'|",
}
_COMMON_STRINGS = r"\"(?:\\.|[^\"\\\n])*\"|`(?:\\.|[^`\\])*`"
_SINGLE_QUOTED = r"|'(?:\\.|[^'\\\n])*'"


class Token(NamedTuple):
    kind: str  # "code", "string" or "comment"
    text: str


_new_token = tuple.__new__


@cache
def _pattern(language: str) -> re.Pattern[str]:
    comment = r"#[^\n]*" if language in _HASH_COMMENTS else r"//[^\n]*|/\*.*?\*/"
    single = "" if language == "rust" else _SINGLE_QUOTED
    strings = _STRINGS.get(language, "") + _COMMON_STRINGS + single
    return re.compile(
        rf"(?P<comment>{comment})|(?P<string>{strings})|(?P<code>[A-Za-z_$][\w$]*|\d[\w.]*|\S)",
        re.DOTALL,
    )


@lru_cache(maxsize=4096)
def tokens(text: str, language: str) -> tuple[Token, ...]:
    """Every token of `text` in order; white space and line breaks are not tokens. Cached:
    each function text is read by several rules."""
    found = []
    keep = found.append
    for match in _pattern(language).finditer(text):
        keep(_new_token(Token, (match.lastgroup or "code", match.group())))  # C, not Token(...)
    return tuple(found)


def token_spans(text: str, language: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every token of `text`."""
    return [(m.lastgroup or "code", m.start(), m.end()) for m in _pattern(language).finditer(text)]


def code_tokens(text: str, language: str) -> list[str]:
    """The tokens without comments."""
    return [t.text for t in tokens(text, language) if t.kind != "comment"]


def comments(text: str, language: str) -> list[str]:
    return [" ".join(t.text.split()) for t in tokens(text, language) if t.kind == "comment"]


def formatter_tokens(text: str, language: str) -> list[str]:
    """Code tokens as a formatter leaves them indistinguishable: one quote style, no
    semicolons, no trailing commas, no parentheses (a formatter adds and drops redundant ones)."""
    raw = code_tokens(text, language)
    out = []
    for index, token in enumerate(raw):
        if token in (";", "(", ")"):
            continue
        if token == "," and index + 1 < len(raw) and raw[index + 1] in (")", "]", "}"):
            continue
        if len(token) >= 2 and token[0] == token[-1] == "'" and not token.startswith("'''"):
            token = '"' + token[1:-1] + '"'
        out.append(token)
    return out


def leading_comments(text: str, language: str) -> list[str]:
    """The comments before the first line of code: a function's doc comment."""
    found = []
    for token in tokens(text, language):
        if token.kind != "comment":
            break
        found.append(" ".join(token.text.split()))
    return found


_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|_+|[^\sA-Za-z\d_]")


def sweep_tokens(text: str, language: str) -> list[str]:
    """Code tokens with names split into words (`parseConvo`, `convo_id` → `convo`) and
    strings into words, so one substitution made across a commit shows as the same words."""
    out = []
    for token in tokens(text, language):
        if token.kind == "comment":
            continue
        if token.kind == "string" or (token.kind == "code" and len(token.text) > 1):
            out.extend(_WORD.findall(token.text))
        else:
            out.append(token.text)
    return out
