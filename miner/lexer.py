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
    for comment, string, code in _pattern(language).findall(text):  # one group holds the token
        if code:
            keep(_new_token(Token, ("code", code)))  # C, not Token(...)
        elif string:
            keep(_new_token(Token, ("string", string)))
        else:
            keep(_new_token(Token, ("comment", comment)))
    return tuple(found)


def token_spans(text: str, language: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every token of `text`."""
    return [(m.lastgroup or "code", m.start(), m.end()) for m in _pattern(language).finditer(text)]


def code_tokens(text: str, language: str) -> list[str]:
    """The tokens without comments."""
    return [t.text for t in tokens(text, language) if t.kind != "comment"]


def comments(text: str, language: str) -> list[str]:
    return [" ".join(t.text.split()) for t in tokens(text, language) if t.kind == "comment"]


# Languages where '…' and "…" are both strings (elsewhere '…' is a character).
_QUOTES_ALIKE = frozenset({"python", "javascript", "typescript", "tsx", "ruby"})


def formatter_tokens(text: str, language: str) -> list[str]:
    """Code tokens as a formatter leaves them indistinguishable: one quote style (escaped
    quotes too: `'it\\'s'` is `"it's"`), number literals in one case (`0XFF`, `0xff`), no
    semicolons, no trailing commas, no parentheses (a formatter adds and drops redundant ones)."""
    raw = _without_comment_containers(code_tokens(text, language), text, language)
    out = []
    for index, token in enumerate(raw):
        if token in (";", "(", ")"):
            continue
        if token == "," and index + 1 < len(raw) and raw[index + 1] in (")", "]", "}"):
            continue
        out.append(token.lower() if token[0].isdigit() else one_quote_style(token, language))
    return out


def one_quote_style(token: str, language: str) -> str:
    """A one-line string literal as the same value in double quotes, its escaped quotes
    unescaped, where the language has both quotes for strings; any other token as it is."""
    if language not in _QUOTES_ALIKE:
        return token
    if token[:3] == "'''" and token[-3:] == "'''" and len(token) >= 6:
        return '"""' + token[3:-3] + '"""'  # black's docstring quotes
    quote = token[0]
    if quote not in "'\"" or len(token) < 2 or token[-1] != quote or token[:3] == '"""':
        return token
    return '"' + token[1:-1].replace("\\'", "'").replace('\\"', '"') + '"'


_JSX_FAMILY = frozenset({"javascript", "typescript", "tsx"})


def _without_comment_containers(code: list[str], text: str, language: str) -> list[str]:
    """JSX's `{/* note */}` between tags is a comment: with the comment gone, its braces go
    too (`>{/* note */}<`; an arrow's or a block's `{ /* none */ }` stays a block)."""
    if language not in _JSX_FAMILY or "{/*" not in text.replace(" ", ""):
        return code
    found = tokens(text, language)
    out: list[str] = []
    index = 0
    while index < len(found):
        token = found[index]
        end = index + 1
        while token.text == "{" and end < len(found) and found[end].kind == "comment":
            end += 1
        between_tags = (
            end > index + 1
            and end + 1 < len(found)
            and found[end].text == "}"
            and found[end + 1].text == "<"
            and out[-1:] == [">"]
            and out[-2:-1] != ["="]
        )
        if between_tags:
            index = end + 1
            continue
        if token.kind != "comment":
            out.append(token.text)
        index += 1
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
_NAME_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def name_words(name: str) -> frozenset[str]:
    """The words of a name, lower case (`tryFileLock`, `try_file_lock` → try, file, lock)."""
    return frozenset(word.lower() for word in _NAME_WORD.findall(name))


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
