"""Who wrote each line of every source file version the history walk meets: authorship
(see authorship.py) carried forward commit by commit, kept by blob id in a cache bounded by
lines, so memory stays flat however long the history. Only versions holding lines an agent
wrote are kept; a person's commit on them is where corrections are found."""

from __future__ import annotations

from array import array
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

import pygit2

from .authorship import NOBODY, Authors, Hunk, Touch, carry, hunks, touches
from .sources import SUBMODULE_MODE, SkipFile, SourceReader

Changes = list[tuple[str, str | None, str | None]]

CACHE_LINES = 4_000_000  # about 16 MiB of authorship


@dataclass(frozen=True)
class PathFix:
    """A person's commit on one file: the authorship of the file before it, and each agent
    line it touched → (the agent commit that wrote it, the hunk's old start line); with what
    reading the function's own diff later needs."""

    before: Authors
    touched: dict[int, tuple[str, int]]
    insertions_count: bool = True  # not a commit that announces new work
    writers: dict[int, str] = field(default_factory=dict)  # author number in `before` → commit


class Ownership:
    def __init__(
        self, reader: SourceReader, skips: Counter, cache_lines: int = CACHE_LINES
    ) -> None:
        self.reader = reader
        self.skips = skips
        self.cache_lines = cache_lines
        self.agents: list[str] = [""]  # author number → agent commit; 0 is nobody
        self._by_blob: OrderedDict[str, Authors] = OrderedDict()
        self._lines = 0

    def authors(self, blob_id: str) -> Authors | None:
        found = self._by_blob.get(blob_id)
        if found is not None:
            self._by_blob.move_to_end(blob_id)
        return found

    def commit(
        self, commit: pygit2.Commit, changes: Changes, agent: bool, new_work: bool = False
    ) -> dict[str, PathFix]:
        """Carry authorship through a commit's `changes` (against its first parent); for a
        person's commit, what it touched of the agents' lines. `new_work`: the commit announces
        new work (`trail.announces_new_work`), so what it inserts is the person's own."""
        if len(commit.parents) > 1:
            self._merge(commit, changes)
            return {}
        writer = NOBODY
        if agent:
            writer = len(self.agents)
            self.agents.append(str(commit.id))
        touched = {}
        insertions_count = writer == NOBODY and not new_work
        for path, old_id, new_id in changes:
            found = self._change(path, old_id, new_id, writer, insertions_count)
            if found is not None:
                touched[path] = found
        return touched

    def _change(
        self, path: str, old_id: str | None, new_id: str, writer: int, insertions_count: bool
    ) -> PathFix | None:
        """Carry authorship through one file's change; for a person's, the agents' lines it
        modified or deleted, and those it inserted code into or next to where
        `insertions_count` (not in a commit that announces new work: what that inserts is the
        new work)."""
        before = self.authors(old_id) if old_id else None
        if writer == NOBODY and before is None:
            return None
        try:
            language = self.reader.spec_for(path).name
            old = self.reader.blob(old_id) if old_id else None
            new = self.reader.blob(new_id) if new_id else None
        except SkipFile as skip:
            if writer != NOBODY and str(skip) != "not_source":
                self.skips[str(skip)] += 1  # counted where an agent's work is left unread
            return None
        changes = hunks(old, new)
        if new_id and new is not None and new_id not in self._by_blob:
            self._keep(new_id, carry(before, old, new, changes, writer, language))
        if writer != NOBODY or before is None or old is None:
            return None
        found = touches(old, changes, language)
        lines, _edited = agent_hits(found, before, insertions_count)
        if lines:
            hit = {n: (self.agents[before[n - 1]], start) for n, start in lines.items()}
            writers = {a: self.agents[a] for a in set(before) if a}
            return PathFix(before, hit, insertions_count, writers)
        if found:
            self.skips["not_agent_lines"] += 1
        elif any(_owned(before, hunk) for hunk in changes):
            self.skips["formatter_only"] += 1  # quotes, semicolons, commas on the agent's lines
        return None

    def _merge(self, commit: pygit2.Commit, changes: Changes) -> None:
        """A merge's new versions: each line from whichever parent's version it came from."""
        for path, old_id, new_id in changes:
            if new_id is None or new_id in self._by_blob:
                continue
            language = self._language(path)
            if language is None:
                continue
            sides = []
            for parent in commit.parents:
                first = parent.id == commit.parent_ids[0]
                parent_id = old_id if first else blob_at(parent.tree, path)
                before = self.authors(parent_id) if parent_id else None
                if before is not None:
                    sides.append((parent_id, before))
            if not sides:
                continue
            merged = None
            try:
                new = self.reader.blob(new_id)
                for parent_id, before in sides:
                    old = self.reader.blob(parent_id)
                    carried = carry(before, old, new, hunks(old, new), NOBODY, language)
                    merged = carried if merged is None else _union(merged, carried)
            except SkipFile:
                continue
            if merged is not None:
                self._keep(new_id, merged)

    def _language(self, path: str) -> str | None:
        try:
            return self.reader.spec_for(path).name
        except SkipFile:
            return None

    def _keep(self, blob_id: str, authors: Authors) -> None:
        if not any(authors):
            return
        self._by_blob[blob_id] = authors
        self._lines += len(authors)
        while self._lines > self.cache_lines and len(self._by_blob) > 1:
            _, dropped = self._by_blob.popitem(last=False)
            self._lines -= len(dropped)


def agent_hits(
    found: list[Touch], before: Authors, insertions_count: bool, offset: int = 0
) -> tuple[dict[int, int], set[int]]:
    """Of what a person's change does (`found`, line numbers `offset` below the file's): the
    agent lines it modifies or deletes, and those it inserts code into or next to where
    insertions count, each → its hunk's old start; and every line whose code it edits."""
    hit: dict[int, int] = {}
    edited: set[int] = set()
    for change in found:
        start = change.hunk.old_start + offset
        edited.update(n + offset for n in change.removed | change.extended)
        for line in change.removed | (change.extended if insertions_count else set()):
            if before[line + offset - 1]:
                hit.setdefault(line + offset, start)
        for around in change.inserted_between if insertions_count else ():
            line = next((n for n in around if n and before[n + offset - 1]), None)
            if line is not None:
                hit.setdefault(line + offset, start)
    return hit, edited


def _owned(authors: Authors, hunk: Hunk) -> bool:
    lines = range(hunk.old_start, hunk.old_start + hunk.old_count)
    return any(0 < n <= len(authors) and authors[n - 1] for n in lines)


def _union(first: Authors, second: Authors) -> Authors:
    return array("I", (a or b for a, b in zip(first, second, strict=True)))


def blob_at(tree: pygit2.Tree, path: str) -> str | None:
    """The blob at `path` in `tree`; None where there is none (a submodule is no blob)."""
    try:
        entry = tree[path]
    except KeyError:
        return None
    return str(entry.id) if entry.filemode != SUBMODULE_MODE else None
