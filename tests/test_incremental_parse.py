"""A file's next version parsed incrementally from the parse of its earlier one gives exactly
the functions a fresh parse gives: the reader relies on it for every later version of a path."""

from __future__ import annotations

import random

import pytest

from selfware_git.miner.functions import extract_functions, functions_of, parse
from selfware_git.miner.languages import LANGUAGES

SOURCES = {
    "python": "class A:\n    def f(self, x):\n        return x + 1\n\n\ndef g(y):\n"
    "    if y:\n        return 2\n    return 3\n",
    "go": "package main\n\nfunc F(x int) int {\n\treturn x + 1\n}\n\n"
    "func G(y int) int {\n\tif y > 0 {\n\t\treturn 2\n\t}\n\treturn 3\n}\n",
    "rust": "fn f(x: i64) -> i64 {\n    x + 1\n}\n\nimpl A {\n    fn g(&self) -> i64 {\n"
    "        3\n    }\n}\n",
    "javascript": "function f(x) {\n  return x + 1;\n}\n\nconst g = (y) => {\n"
    "  if (y) { return 2; }\n  return 3;\n};\n",
}
PIECES = ["\n", "    ", "return 0\n", "def h():\n    pass\n", "}", "{", "(", "x + y", "# c\n"]


def _edited(source: str, rng: random.Random) -> str:
    """The source with a few random insertions and deletions, broken code included."""
    text = source
    for _ in range(rng.randint(1, 3)):
        at = rng.randint(0, len(text))
        if rng.random() < 0.5:
            text = text[:at] + rng.choice(PIECES) + text[at:]
        else:
            text = text[:at] + text[at + rng.randint(1, 12) :]
    return text


@pytest.mark.parametrize("language", sorted(SOURCES))
def test_incremental_parse_gives_the_functions_of_a_fresh_parse(language: str) -> None:
    spec = LANGUAGES[language]
    rng = random.Random(language)
    original = SOURCES[language]
    first = extract_functions(original.encode(), spec)
    earlier = (original.encode(), parse(original.encode(), spec))
    changed = 0
    for _ in range(200):  # each version an edit of the original, parsed from the one before
        new = _edited(original, rng).encode()
        tree = parse(new, spec, earlier)
        got = functions_of(tree, new, spec)
        assert got == extract_functions(new, spec), (earlier[0], new)
        changed += got != first
        earlier = (new, tree)
    assert changed > 50  # the edits really changed what was found


def test_the_reader_keeps_parses_within_its_byte_bound(
    repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parses of a real repository's blobs: the cache drops the least recently used once the
    bytes behind it pass the bound, and what it hands out equals a fresh parse."""
    import pygit2

    from selfware_git.miner import sources
    from selfware_git.miner.filters import Scope

    versions = [SOURCES["python"].replace("x + 1", f"x + {i}") * 3 for i in range(6)]
    for i, text in enumerate(versions):
        repo.commit(f"v{i}", {"app.py": text})
    bound = 2 * len(versions[0].encode())
    monkeypatch.setattr(sources, "PARSE_CACHE_BYTES", bound)
    git = pygit2.Repository(str(repo.path))
    reader = sources.SourceReader(git, Scope([], []))
    spec = reader.spec_for("app.py")
    commit = git[git.head.target]
    trees = []
    while True:
        trees.append(commit.tree)
        if not commit.parents:
            break
        commit = commit.parents[0]
    for tree, text in zip(reversed(trees), versions, strict=True):
        found = reader.functions(tree, "app.py", spec)
        assert found == extract_functions(text.encode(), spec)
        assert reader._parsed_bytes <= bound
    assert len(reader._parsed) == 2
