"""The rows one correction yields: every function the agent's commit touched, compared with
what the person kept."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import pygit2

from .filters import Scope
from .functions import Function
from .pairs import FileVersions, agent_touched, compare
from .repository import config_values, decode, lookup_commit
from .rows import EventContext, build_row
from .sources import MovedTexts, SkipFile, SourceReader, changed_paths
from .trail import Correction, Trail

# Kinds where the person explicitly threw the agent's code away, so a function of the agent's
# that is gone is a rejection; after a later fix a function that is gone may just have moved.
EXPLICIT_REJECTIONS = {"amend", "rebase", "revert", "reset", "cherry-pick"}


class Extractor:
    def __init__(self, repo: pygit2.Repository, trail: Trail, repo_name: str, skips: Counter):
        self.repo = repo
        self.trail = trail
        self.repo_name = repo_name
        self.skips = skips
        scope = Scope(
            config_values(repo, "selfware.include"), config_values(repo, "selfware.exclude")
        )
        self.reader = SourceReader(repo, scope)
        self._paths = lru_cache(maxsize=256)(self._agent_paths)

    def _agent_paths(self, sha: str) -> tuple[str, ...]:
        """Files an agent commit changed, once per commit however many corrections name it.
        Submodule entries are counted by the history walk, not again here."""
        return tuple(changed_paths(self.repo[sha], Counter()))

    def rows(self, correction: Correction) -> Iterator[dict[str, Any]]:
        agent_commit = lookup_commit(self.repo, correction.agent_commit)
        if agent_commit is None:
            self.skips["missing_object"] += 1
            return
        if len(agent_commit.parents) > 1:
            self.skips["merge_commit"] += 1
            return
        person = lookup_commit(self.repo, correction.person_commit or "")
        if correction.person_commit and person is None:
            self.skips["missing_object"] += 1
            return
        base_tree = agent_commit.parents[0].tree if agent_commit.parents else None
        between_tree = None
        if correction.kind == "fix" and person is not None and person.parents:
            between_tree = person.parents[0].tree
        moved = MovedTexts(self.reader, agent_commit, person)
        context = None
        for path in self._paths(str(agent_commit.id)):
            if between_tree is not None and _blob_id(between_tree, path) == _blob_id(
                person.tree, path
            ):
                continue  # the later commit did not touch this file
            try:
                spec = self.reader.spec_for(path)
                base = self.reader.functions(base_tree, path, spec)
                agent = self.reader.functions(agent_commit.tree, path, spec)
                if between_tree is not None and not self._may_fix(
                    agent_touched(base, agent), between_tree, person.tree, path
                ):
                    continue
                versions = FileVersions(
                    path=path,
                    language=spec.name,
                    base=base,
                    agent=agent,
                    person=self._person_functions(person, path, spec),
                    between=(
                        self.reader.functions(between_tree, path, spec)
                        if between_tree is not None
                        else None
                    ),
                )
            except SkipFile as skip:
                if str(skip) != "not_source":
                    self.skips[str(skip)] += 1
                continue
            keep_unpaired = correction.kind in EXPLICIT_REJECTIONS
            for outcome in compare(versions, moved, self.skips, keep_unpaired):
                context = context or self._context(correction, agent_commit, person)
                row = build_row(context, path, spec.name, outcome)
                if row is None:
                    self.skips["secret_only_change"] += 1
                else:
                    yield row

    def _may_fix(
        self, touched: list[Function], between: pygit2.Tree, after: pygit2.Tree, path: str
    ) -> bool:
        """Before parsing both sides of a later commit: is some function the agent wrote still
        there verbatim before it, and gone from it after? Plain text search, no parse."""
        before_text, after_text = self._text(between, path), self._text(after, path)
        return any(
            _contains_whole(before_text, fn.text) and not _contains_whole(after_text, fn.text)
            for fn in touched
        )

    def _text(self, tree: pygit2.Tree, path: str) -> str:
        blob_id = _blob_id(tree, path)
        return decode(self.repo[blob_id].data) if blob_id else ""

    def _person_functions(self, person: pygit2.Commit | None, path: str, spec):
        if person is None:
            return None
        try:
            person.tree[path]
        except KeyError:
            return None
        return self.reader.functions(person.tree, path, spec)

    def _context(
        self, correction: Correction, agent_commit: pygit2.Commit, person: pygit2.Commit | None
    ) -> EventContext:
        return EventContext(
            repo=self.repo_name,
            event=correction.kind,
            agent=self.trail.agent_of(agent_commit) or "unknown",
            task_text=self.trail.task_of(agent_commit),
            rejected_commit=str(agent_commit.id),
            chosen_commit=str(person.id) if person is not None else None,
            corrected_by=decode(person.author.raw_name) if person is not None else "unknown",
            person_message=decode(person.raw_message) if person is not None else "",
            timestamp=(person or agent_commit).commit_time,
        )


def _contains_whole(text: str, code: str) -> bool:
    """`code` stands in `text` as a whole: `return 1` is not inside `return 100`."""
    start = text.find(code)
    while start != -1:
        before = text[start - 1 : start]
        after = text[start + len(code) : start + len(code) + 1]
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return True
        start = text.find(code, start + 1)
    return False


def _blob_id(tree: pygit2.Tree, path: str) -> pygit2.Oid | None:
    try:
        return tree[path].id
    except KeyError:
        return None
