"""Import statements inside a function (Python's local imports, Rust's `use`): a change that
only drops imports the function never uses (a lint fix) or reorders them is housekeeping, not
an answer to the agent's code. An import moved to the module's top while the function still
uses it is the person's style, and a changed or added import may be a real correction: both
stay pairs."""

from __future__ import annotations

import re

from .lexer import code_tokens, formatter_tokens

_STATEMENTS = {
    "python": re.compile(
        r"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]+(?:\([^)]*\)|[^\n]*)", re.MULTILINE
    ),
    "rust": re.compile(r"^[ \t]*(?:pub(?:\([\w:]+\))?[ \t]+)?use[ \t]+[^;]*;", re.MULTILINE),
}
_FROM = re.compile(r"from (\S+) import (.*)")

Imported = dict[tuple[str, str], str]  # (module, what is imported) → the name it binds


def only_drops_unused_imports(rejected: str, chosen: str, language: str) -> bool:
    """Is the change from `rejected` to `chosen` nothing but imports reordered, or dropped
    where the function never used the names they bind: the rest of the code the same
    tokens?"""
    pattern = _STATEMENTS.get(language)
    if pattern is None:
        return False
    before = _imported(pattern.findall(rejected), language)
    after = _imported(pattern.findall(chosen), language)
    if not before or not after.keys() <= before.keys():
        return False
    rest = pattern.sub("", rejected)
    if formatter_tokens(rest, language) != formatter_tokens(pattern.sub("", chosen), language):
        return False
    used = set(code_tokens(rest, language))
    return not any(before[item] in used for item in before.keys() - after.keys())


def _imported(statements: list[str], language: str) -> Imported:
    found: Imported = {}
    for statement in statements:
        text = " ".join(statement.split("#", 1)[0].replace("(", " ").replace(")", " ").split())
        if language == "python":
            matched = _FROM.fullmatch(text)
            module, names = matched.groups() if matched else ("", text.removeprefix("import "))
        else:
            module, _, names = text.removeprefix("pub ").removeprefix("use ").rpartition("::")
            names = names.rstrip(";").strip("{} ")
        for name in (" ".join(n.split()) for n in names.split(",")):
            if name:
                found[(module, name)] = _bound(name, language)
    return found


def _bound(name: str, language: str) -> str:
    """The name an import binds: `b` for `a as b`, `os` for Python's `import os.path`."""
    if " as " in name:
        return name.rsplit(" as ", 1)[1]
    return name.split(".")[0] if language == "python" else name.rsplit("::", 1)[-1]
