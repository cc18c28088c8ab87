"""The rows one correction the person made of an agent commit as a whole (amend, rebase,
reset, cherry-pick, revert) yields: every function the agent's commit touched, compared with
what the person kept. Later fixes of single lines are fixes.py's."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import pygit2

from .filters import Scope
from .pairs import FileVersions, compare
from .repository import config_values, decode, lookup_commit
from .rows import EventContext, build_row
from .sources import MovedTexts, SkipFile, SourceReader, changed_paths
from .trail import Correction, Trail


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
        moved = MovedTexts(self.reader, agent_commit.tree, person.tree if person else None)
        context = None
        for path in self._paths(str(agent_commit.id)):
            try:
                spec = self.reader.spec_for(path)
                versions = FileVersions(
                    path=path,
                    language=spec.name,
                    base=self.reader.functions(base_tree, path, spec),
                    agent=self.reader.functions(agent_commit.tree, path, spec),
                    person=self._person_functions(person, path, spec),
                )
            except SkipFile as skip:
                if str(skip) != "not_source":
                    self.skips[str(skip)] += 1
                continue
            for outcome in compare(versions, moved, self.skips):
                context = context or self._context(correction, agent_commit, person)
                row = build_row(context, path, spec.name, outcome)
                if row is None:
                    self.skips["secret_only_change"] += 1
                else:
                    yield row

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
