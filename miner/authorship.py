"""Line-level authorship by token content, blame-like with white space ignored, carried
forward along the history walk through each commit's diff hunks (never a blame per line):

- a commit *writes* the lines of its new version that hold tokens its diff inserted or
  replaced; a line it only re-indents, re-wraps or reformats (every token the same, in order)
  keeps the author of the line those tokens came from; blank lines and lines of lone
  brackets carry no authorship;
- a later commit *touches* a line when it removes or changes a token of it, or inserts code
  right next to it (a guard before the agent's line, a `try` around it, a missing call after
  it); code put in place of lines that carry no authorship (a blank line, `}, []);`) is
  inserted there too; code inserted between lines that others wrote touches nothing of the
  agent's, nor does code added at the edge of a change to someone else's line.

Authors are small integers (0: nobody we track, a person or a bot), so a file version's
authorship is one compact array of a number per line.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import pygit2

from .lexer import Token, one_quote_style, token_spans, tokens

NOBODY = 0
_FLAGS = pygit2.enums.DiffOption.IGNORE_WHITESPACE
_NO_AUTHORSHIP = frozenset("{}()[];,")

Authors = array  # array('I'): author of each line, index 0 is line 1


@dataclass(frozen=True)
class Hunk:
    """One change, line numbers 1-based as git writes them; `old_count` 0: an insertion after
    line `old_start`."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    old_lines: tuple[str, ...]
    new_lines: tuple[str, ...]


def hunks(old: bytes | None, new: bytes | None) -> list[Hunk]:
    """The changes from `old` to `new`, white space ignored, no context lines."""
    patch = pygit2.Patch.create_from(old, new, flag=_FLAGS, context_lines=0, interhunk_lines=0)
    found = []
    for hunk in patch.hunks:
        removed = tuple(line.content for line in hunk.lines if line.origin == "-")
        added = tuple(line.content for line in hunk.lines if line.origin == "+")
        found.append(
            Hunk(hunk.old_start, hunk.old_lines, hunk.new_start, hunk.new_lines, removed, added)
        )
    return found


def line_count(data: bytes | None) -> int:
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def carry(
    old_authors: Authors | None,
    old: bytes | None,
    new: bytes,
    changes: list[Hunk],
    writer: int,
    language: str,
) -> Authors:
    """Authorship of `new`, from that of `old` and the commit (`writer`) that made `new`."""
    result = array("I", bytes(4 * line_count(new)))
    old_authors = old_authors or array("I", bytes(4 * line_count(old)))
    old_line = new_line = 1  # next unchanged line on each side

    def copy_until(end: int) -> None:  # unchanged lines new_line..end-1 keep their author
        count = end - new_line
        if count > 0:
            run = old_authors[old_line - 1 : old_line - 1 + count]
            run.extend([NOBODY] * (count - len(run)))
            result[new_line - 1 : end - 1] = run

    for hunk in changes:
        copy_until(hunk.new_start if hunk.new_count else hunk.new_start + 1)
        for line, author in _hunk_authors(hunk, old_authors, writer, language).items():
            result[line - 1] = author
        old_line = hunk.old_start + (hunk.old_count or 1)
        new_line = hunk.new_start + (hunk.new_count or 1)
    copy_until(len(result) + 1)
    return result


def _at(authors: Authors, line: int) -> int:
    return authors[line - 1] if 0 < line <= len(authors) else NOBODY


def _hunk_authors(hunk: Hunk, old_authors: Authors, writer: int, language: str) -> dict[int, int]:
    """Author of each new line of one hunk."""
    old, new, opcodes = _hunk_tokens(hunk, language)
    authors = {hunk.new_start + i: NOBODY for i in range(hunk.new_count)}
    if not new:
        return authors
    written: set[int] = set()
    inherited: dict[int, int] = {}
    if not old:
        written = {line for _, line in new}
    else:
        for op, i1, i2, j1, j2 in opcodes:
            if op == "equal":
                for (_, old_line), (_, new_line) in zip(old[i1:i2], new[j1:j2], strict=True):
                    inherited.setdefault(new_line, _at(old_authors, old_line))
            elif op in ("insert", "replace"):
                written.update(line for token, line in new[j1:j2] if token not in _NO_AUTHORSHIP)
            elif j1 and j1 < len(new) and new[j1 - 1][1] == new[j1][1]:
                written.add(new[j1][1])  # tokens deleted inside a line: the line is edited
    for offset, text in enumerate(hunk.new_lines):
        line = hunk.new_start + offset
        if not carries_authorship(text, language):
            continue
        authors[line] = writer if line in written else inherited.get(line, NOBODY)
    return authors


LineTokens = list[tuple[str, int]]


@lru_cache(maxsize=64)
def _hunk_tokens(
    hunk: Hunk, language: str
) -> tuple[LineTokens, LineTokens, list[tuple[str, int, int, int, int]]]:
    """A hunk's old and new tokens with their lines, and the token opcodes between them (none
    where the new side is empty): a person's hunk is read twice, to carry authorship and to see
    what it touched, and is tokenised and diffed once."""
    old = _line_tokens(hunk.old_lines, hunk.old_start, language)
    new = _line_tokens(hunk.new_lines, hunk.new_start, language)
    opcodes = token_opcodes([t for t, _ in old], [t for t, _ in new]) if new else []
    return old, new, opcodes


def _line_tokens(lines: tuple[str, ...], first: int, language: str) -> list[tuple[str, int]]:
    """(normalised token, line number) for every token of `lines`, numbered from `first`."""
    return [
        (token, first + offset)
        for offset, line in enumerate(lines)
        for token in _normal_tokens(line, language)
    ]


@lru_cache(maxsize=262144)
def _normal_tokens(line: str, language: str) -> tuple[str, ...]:
    """A line's tokens, comments' white space folded and one quote style, an empty pair of
    brackets one token (`[]` in `}, []);` is a value, not structure): lines recur across
    hunks and commits, so each is read once."""
    found: list[str] = []
    for token in tokens(line, language):
        text = _normal(token, language)
        if found and found[-1] + text in _EMPTY_PAIRS:
            found[-1] += text
        else:
            found.append(text)
    return tuple(found)


_EMPTY_PAIRS = frozenset({"[]", "{}", "()"})


def _normal(token: Token, language: str) -> str:
    if token.kind == "comment":
        return " ".join(token.text.split())
    if token.kind == "string":
        return one_quote_style(token.text, language)
    return token.text


def carries_authorship(line: str, language: str) -> bool:
    """Does the line hold more than brackets, commas and semicolons?"""
    return any(token not in _NO_AUTHORSHIP for token in _normal_tokens(line, language))


def token_opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib-style opcodes between two token lists, computed by libgit2's diff in C (one
    token a line), which keeps large hunks fast."""
    patch = pygit2.Patch.create_from(
        _token_lines(old),
        _token_lines(new),
        flag=pygit2.enums.DiffOption.FORCE_TEXT,
        context_lines=0,
        interhunk_lines=0,
    )
    codes: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for hunk in patch.hunks:
        i2 = hunk.old_start - 1 if hunk.old_lines else hunk.old_start
        j2 = hunk.new_start - 1 if hunk.new_lines else hunk.new_start
        if i2 > i:
            codes.append(("equal", i, i2, j, j2))
        i, j = i2, j2
        i2, j2 = i + hunk.old_lines, j + hunk.new_lines
        op = (
            "replace"
            if hunk.old_lines and hunk.new_lines
            else "delete"
            if hunk.old_lines
            else "insert"
        )
        codes.append((op, i, i2, j, j2))
        i, j = i2, j2
    if i < len(old):
        codes.append(("equal", i, len(old), j, len(new)))
    return codes


_SEPARATOR = "\x1e"  # ASCII record separator: joins tokens, then becomes the line break


def _token_lines(tokens: list[str]) -> str:
    """One token a line, line breaks inside a token shown as symbols: joined and replaced in
    C over the whole text, token by token only where a token holds the separator itself."""
    if not tokens:
        return ""
    text = _SEPARATOR.join(tokens)
    if text.count(_SEPARATOR) != len(tokens) - 1:
        text = _SEPARATOR.join(t.replace(_SEPARATOR, "\u241e") for t in tokens)
    text = text.replace("\n", "\u2424").replace("\r", "\u240d")
    return text.replace(_SEPARATOR, "\n") + "\n"


@dataclass
class Touch:
    """What one hunk of a later commit does to the old version: lines whose tokens it removes
    or changes, lines it only inserts tokens into (`f(a)` → `f(a, b)`), and insertions as the
    pair of lines with content just above and below."""

    hunk: Hunk
    removed: set[int] = field(default_factory=set)
    extended: set[int] = field(default_factory=set)
    inserted_between: list[tuple[int | None, int | None]] = field(default_factory=list)


def touches(old: bytes, changes: list[Hunk], language: str) -> list[Touch]:
    """What `changes` do to `old`, formatting-insensitively."""
    old_lines = old.decode("utf-8", errors="replace").splitlines()
    found = []
    for hunk in changes:
        touch = Touch(hunk)
        if hunk.old_count == 0:
            if not _only_comments(hunk.new_lines, language) or _defines(old_lines, hunk.old_start):
                around = _around(old_lines, hunk.old_start, language)
                _insert(touch, around, list(_new_tokens(hunk, language)))
            found.append(touch)
            continue
        before, after, opcodes = _hunk_tokens(hunk, language)
        if not _meaningful(before):  # blank lines or lone brackets replaced: an insertion
            if _meaningful(after):
                around = _around(old_lines, hunk.old_start - 1, language)
                _insert(touch, around, [t for t, _ in after])
                found.append(touch)
            continue
        if not after:
            touch.removed.update(line for _, line in before)
        else:
            for op, i1, i2, j1, j2 in opcodes:
                if op == "equal":
                    continue
                removed = _meaningful(before[i1:i2])
                touch.removed.update(removed)
                extended = [] if removed else _inside_line(before, i1)
                touch.extended.update(extended)
                if not removed and not extended and _meaningful(after[j1:j2]):
                    inserted = [t for t, _ in after[j1:j2]]
                    around = _inserted_at(before, i1)
                    if around[1] is None and _opens_block(inserted):  # over the line below
                        below = hunk.old_start + hunk.old_count - 1
                        around = (around[0], _around(old_lines, below, language)[1])
                    _insert(touch, around, inserted)
        if touch.removed or touch.extended or touch.inserted_between:
            found.append(touch)
    return found


_CONTINUATIONS = frozenset({".", "else", "elif", "except", "catch", "finally"})


def _insert(touch: Touch, around: tuple[int | None, int | None], inserted: list[str]) -> None:
    """Code inserted between the lines `around`; code that opens a block over the line below
    (a guard `if …:`, a `try {`) puts that line under it: an edit of the line, as if its
    tokens had changed."""
    touch.inserted_between.append(_attached(around, inserted))
    if around[1] is not None and _opens_block(inserted):
        touch.extended.add(around[1])


def _opens_block(inserted: list[str]) -> bool:
    return bool(inserted) and inserted[-1] in (":", "{")


def _attached(
    around: tuple[int | None, int | None], inserted: Iterable[str]
) -> tuple[int | None, int | None]:
    """Code that opens by continuing the statement above (a chained `.call`, an `else`,
    `except`, `catch` or `finally` branch) belongs with the line above alone."""
    first = next((token for token in inserted if token not in _NO_AUTHORSHIP), None)
    return (around[0], None) if first in _CONTINUATIONS else around


def _only_comments(lines: tuple[str, ...], language: str) -> bool:
    """Are the lines comments, blank lines and lone brackets only?"""
    text = "".join(lines)
    return all(
        kind == "comment" or text[start:end] in _NO_AUTHORSHIP
        for kind, start, end in token_spans(text, language)
    )


_DEFINITION = re.compile(
    r"\s*(?:(?:pub(?:\([\w:]+\))?|export|async|static|public|private)\s+)*"
    r"(?:def|func|fn|function|class|struct|impl|trait|interface)\b"
)


def _defines(lines: list[str], after_line: int) -> bool:
    """Does a definition follow line `after_line`? Comments put there are its documentation
    (a docs pair where the agent wrote it); elsewhere a comment inserted touches no code."""
    below = next((line for line in lines[after_line:] if line.strip()), "")
    return bool(_DEFINITION.match(below))


def _new_tokens(hunk: Hunk, language: str) -> Iterator[str]:
    """The tokens of a hunk's new lines, read only as far as asked."""
    return (token for line in hunk.new_lines for token in _normal_tokens(line, language))


def _meaningful(run: list[tuple[str, int]]) -> list[int]:
    """Lines of the tokens in `run` that are more than brackets, commas and semicolons."""
    return [line for token, line in run if token not in _NO_AUTHORSHIP]


def _inside_line(before: list[tuple[str, int]], index: int) -> list[int]:
    """The line tokens inserted at `index` go into, where they go between two tokens of one
    line (`a ? b` → `a && c ? b`): that line is edited, not code put next to it."""
    if 0 < index < len(before) and before[index - 1][1] == before[index][1]:
        return [before[index][1]]
    return []


def _inserted_at(before: list[tuple[str, int]], index: int) -> tuple[int | None, int | None]:
    """The lines around an insertion inside a hunk that also changes lines: only the hunk's
    own old lines count, so code added next to an edited line of one author is not taken as
    inserted into the block of the author of the line beyond the hunk."""
    above = before[index - 1][1] if index else None
    below = before[index][1] if index < len(before) else None
    return above, below


def _around(lines: list[str], after_line: int, language: str) -> tuple[int | None, int | None]:
    """The nearest lines with content at or above `after_line` and below it (1-based)."""
    above = next(
        (n for n in range(after_line, 0, -1) if carries_authorship(lines[n - 1], language)),
        None,
    )
    below = next(
        (
            n
            for n in range(after_line + 1, len(lines) + 1)
            if carries_authorship(lines[n - 1], language)
        ),
        None,
    )
    return above, below
