"""Reading file versions out of git objects, by rule, with parses cached by blob."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

import pygit2

from .filters import Scope, content_skip_reason, path_skip_reason
from .functions import Function, extract_functions
from .languages import LANGUAGES, LanguageSpec, language_for

SUBMODULE_MODE = 0o160000


class SkipFile(Exception):
    """This file version is not read; the reason is counted."""


def changed_paths(commit: pygit2.Commit, skips: Counter) -> Iterator[str]:
    """Paths a (non-merge) commit added or modified against its parent."""
    if commit.parents:
        diff = commit.parents[0].tree.diff_to_tree(commit.tree)
    else:
        diff = commit.tree.diff_to_tree(swap=True)
    for delta in diff.deltas:
        if delta.status == pygit2.enums.DeltaStatus.DELETED:
            continue
        if delta.new_file.mode == SUBMODULE_MODE:
            skips["submodule"] += 1
            continue
        yield delta.new_file.path


class SourceReader:
    """Functions of a path in a tree. Absent file: {}. Unreadable by rule: SkipFile."""

    def __init__(self, repo: pygit2.Repository, scope: Scope) -> None:
        self.repo = repo
        self.scope = scope
        self._parse = lru_cache(maxsize=1024)(self._parse_blob)

    def spec_for(self, path: str) -> LanguageSpec:
        reason = path_skip_reason(path)
        if reason:
            raise SkipFile(reason)
        if not self.scope.allows(path):
            raise SkipFile("excluded")
        spec = language_for(path)
        if spec is None:
            raise SkipFile("not_source")
        return spec

    def functions(
        self, tree: pygit2.Tree | None, path: str, spec: LanguageSpec
    ) -> dict[str, Function]:
        if tree is None:
            return {}
        try:
            entry = tree[path]
        except KeyError:
            return {}
        if entry.filemode == SUBMODULE_MODE:
            raise SkipFile("submodule")
        return self._parse(str(entry.id), spec.name)

    def _parse_blob(self, blob_id: str, language: str) -> dict[str, Function]:
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
        return extract_functions(data, LANGUAGES[language])
