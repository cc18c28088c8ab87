"""Reading file versions out of git objects, by rule, with parses cached by blob."""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterator
from functools import lru_cache

import pygit2

from .filters import Scope, content_skip_reason, path_skip_reason
from .functions import Function, Parsed, functions_of, parse
from .languages import LANGUAGES, LanguageSpec, language_for
from .tokens import normalized

SUBMODULE_MODE = 0o160000
RECENT_TREES = 8  # paths whose latest parse tree is kept for the next version's reparse
PARSE_CACHE_BYTES = 32 << 20  # source bytes whose functions are kept, most recently used first


class SkipFile(Exception):
    """This file version is not read; the reason is counted."""


def changed_paths(commit: pygit2.Commit, skips: Counter) -> Iterator[str]:
    """Paths a (non-merge) commit added or modified against its parent."""
    return (path for path, _, new in file_changes(commit, skips) if new is not None)


def file_changes(commit: pygit2.Commit, skips: Counter) -> list[tuple[str, str | None, str | None]]:
    """(path, old blob or None where added, new blob or None where deleted) for each file a
    commit changed against its first parent; submodules are counted, not listed."""
    return tree_changes(commit.parents[0].tree if commit.parents else None, commit.tree, skips)


def tree_changes(
    before: pygit2.Tree | None, after: pygit2.Tree, skips: Counter
) -> list[tuple[str, str | None, str | None]]:
    """(path, old blob or None where added, new blob or None where deleted) for each file
    that differs between two trees; submodules are counted, not listed."""
    diff = before.diff_to_tree(after) if before is not None else after.diff_to_tree(swap=True)
    changes = []
    for delta in diff.deltas:
        if SUBMODULE_MODE in (delta.new_file.mode, delta.old_file.mode):
            skips["submodule"] += 1
            continue
        added = delta.status == pygit2.enums.DeltaStatus.ADDED
        deleted = delta.status == pygit2.enums.DeltaStatus.DELETED
        old_id = None if added else str(delta.old_file.id)
        new_id = None if deleted else str(delta.new_file.id)
        path = delta.old_file.path if deleted else delta.new_file.path
        changes.append((path, old_id, new_id))
    return changes


class SourceReader:
    """Functions of a path in a tree. Absent file: {}. Unreadable by rule: SkipFile."""

    def __init__(self, repo: pygit2.Repository, scope: Scope) -> None:
        self.repo = repo
        self.scope = scope
        self._parsed: OrderedDict[tuple[str, str], tuple[int, dict[str, Function]]] = OrderedDict()
        self._parsed_bytes = 0
        # A commit's new version is the next commit's old one: read each blob once.
        self.blob = lru_cache(maxsize=64)(self._read_blob)
        self._specs: dict[str, LanguageSpec | str] = {}
        # The latest parse of each recently parsed path: the next version of the file is
        # parsed incrementally from it.
        self._trees: OrderedDict[str, Parsed] = OrderedDict()

    def spec_for(self, path: str) -> LanguageSpec:
        """The language of a path the rules let us read; SkipFile (with the reason) else."""
        found = self._specs.get(path)
        if found is None:
            found = self._specs[path] = self._spec_or_reason(path)
        if isinstance(found, str):
            raise SkipFile(found)
        return found

    def _spec_or_reason(self, path: str) -> LanguageSpec | str:
        reason = path_skip_reason(path)
        if reason:
            return reason
        if not self.scope.allows(path):
            return "excluded"
        return language_for(path) or "not_source"

    def functions(
        self, tree: pygit2.Tree | None, path: str, spec: LanguageSpec
    ) -> dict[str, Function]:
        blob_id = self._blob_id(tree, path)
        return {} if blob_id is None else self._parse(blob_id, spec.name, path)

    def _parse(self, blob_id: str, language: str, path: str) -> dict[str, Function]:
        """The functions of a blob, from the cache where it holds them: bounded by the bytes
        of source behind them, not by a count, so a history of large files stays in memory
        bounds (each function's text is about its share of its file)."""
        key = (blob_id, language)
        found = self._parsed.get(key)
        if found is not None:
            self._parsed.move_to_end(key)
            return found[1]
        functions = self._parse_blob(blob_id, language, path)
        size = len(self.blob(blob_id))
        self._parsed[key] = (size, functions)
        self._parsed_bytes += size
        while self._parsed_bytes > PARSE_CACHE_BYTES and len(self._parsed) > 1:
            dropped, _ = self._parsed.popitem(last=False)[1]
            self._parsed_bytes -= dropped
        return functions

    def data(self, tree: pygit2.Tree | None, path: str) -> bytes | None:
        """The file's bytes where the rules let it be read; None where it is absent."""
        blob_id = self._blob_id(tree, path)
        return None if blob_id is None else self.blob(blob_id)

    def _blob_id(self, tree: pygit2.Tree | None, path: str) -> str | None:
        if tree is None:
            return None
        try:
            entry = tree[path]
        except KeyError:
            return None
        if entry.filemode == SUBMODULE_MODE:
            raise SkipFile("submodule")
        return str(entry.id)

    def _read_blob(self, blob_id: str) -> bytes:
        """A blob's bytes where the rules let it be read, else SkipFile."""
        try:
            blob = self.repo[blob_id]
        except (KeyError, ValueError, pygit2.GitError) as exc:
            raise SkipFile("missing_object") from exc
        if not isinstance(blob, pygit2.Blob):
            raise SkipFile("not_a_file")
        if blob.size > 0 and blob.is_binary:
            raise SkipFile("binary")
        data = blob.data
        reason = content_skip_reason(data)
        if reason:
            raise SkipFile(reason)
        return data

    def _parse_blob(self, blob_id: str, language: str, path: str) -> dict[str, Function]:
        source, spec = self.blob(blob_id), LANGUAGES[language]
        tree = parse(source, spec, self._trees.pop(path, None))
        self._trees[path] = (source, tree)
        if len(self._trees) > RECENT_TREES:
            self._trees.popitem(last=False)
        return functions_of(tree, source, spec)


class MovedTexts:
    """Where a function that went missing from its file may have gone: the function texts
    (white space normalised) in the files a commit added or changed, and the names it newly
    defines in each. Computed only when a function has gone missing, to tell a move from a
    deletion."""

    def __init__(
        self, reader: SourceReader, before: pygit2.Tree, after: pygit2.Tree | None
    ) -> None:
        self.reader = reader
        self.before = before
        self.after = after
        self._texts: set[str] | None = None
        self._new_names: dict[str, set[str]] = {}  # path → qualnames new in that file

    def holds(self, fn: Function, path: str) -> bool:
        """Did the commit put `fn` elsewhere: the same text anywhere, or a function of the same
        name new in another file (moved, and edited on the way)?"""
        if self._texts is None:
            self._texts = self._collect()
        if normalized(fn.text) in self._texts:
            return True
        return any(
            fn.qualname in names for other, names in self._new_names.items() if other != path
        )

    def _collect(self) -> set[str]:
        texts: set[str] = set()
        if self.after is None:
            return texts
        diff = self.before.diff_to_tree(self.after)
        for delta in diff.deltas:
            path = delta.new_file.path
            try:
                spec = self.reader.spec_for(path)
                functions = self.reader.functions(self.after, path, spec)
                earlier = (
                    self.reader.functions(self.before, delta.old_file.path, spec)
                    if delta.status != pygit2.enums.DeltaStatus.ADDED
                    else {}
                )
            except SkipFile:
                continue
            texts.update(normalized(fn.text) for fn in functions.values())
            self._new_names[path] = {name for name in functions if name not in earlier}
        return texts
