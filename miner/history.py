"""Corrections found in plain history, with or without hooks: reverts of agent commits, and
later commits by the person that change functions an agent wrote (within a window of commits,
or linked explicitly by a `Fixes:` trailer). Streams commits; holds only the window."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable, Iterator

import pygit2

from .repository import decode
from .sources import changed_paths
from .trail import Correction, Trail, revert_target

_FIXES = re.compile(r"^Fixes:\s*([0-9a-f]{7,64})\b", re.IGNORECASE | re.MULTILINE)


def resolve(repo: pygit2.Repository, short: str) -> pygit2.Commit | None:
    """A commit from a full or abbreviated id, as messages and trailers write them."""
    try:
        obj = repo.revparse_single(short)
    except (KeyError, ValueError, pygit2.GitError):
        return None
    return obj if isinstance(obj, pygit2.Commit) else None


def history_corrections(
    repo: pygit2.Repository,
    trail: Trail,
    window: int,
    skips: Counter,
    on_commit: Callable[[pygit2.Commit, str | None], None] = lambda commit, agent: None,
) -> Iterator[Correction]:
    """Walk HEAD's history oldest first and yield what the person did to agent commits."""
    if repo.head_is_unborn:
        return
    live: dict[str, deque[tuple[str, int]]] = {}
    walker = repo.walk(
        repo.head.target, pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.REVERSE
    )
    for index, commit in enumerate(walker):
        agent = trail.agent_of(commit)
        on_commit(commit, agent)
        if len(commit.parents) > 1:
            skips["merge_commit"] += 1
            continue
        paths = list(changed_paths(commit, skips))
        sha = str(commit.id)
        if agent:
            for path in paths:
                live.setdefault(path, deque()).append((sha, index))
            continue
        explicit = list(_explicit_links(repo, trail, commit))
        yield from explicit
        linked: dict[str, None] = {}
        for path in paths:
            for agent_sha, seen_at in reversed(live.get(path, ())):
                if index - seen_at <= window:
                    linked.setdefault(agent_sha)
        explicit_agents = {c.agent_commit for c in explicit}
        for agent_sha in linked:
            if agent_sha not in explicit_agents:
                yield Correction("fix", agent_sha, sha)
        if index % 1024 == 0:
            _forget_old(live, index, window)


def _explicit_links(
    repo: pygit2.Repository, trail: Trail, commit: pygit2.Commit
) -> Iterator[Correction]:
    message = decode(commit.raw_message)
    target = revert_target(message)
    if target:
        reverted = resolve(repo, target)
        if reverted is not None and trail.agent_of(reverted):
            yield Correction("revert", str(reverted.id), str(commit.id))
    for short in _FIXES.findall(message):
        fixed = resolve(repo, short)
        if fixed is not None and trail.agent_of(fixed) and fixed.id != commit.id:
            yield Correction("fix", str(fixed.id), str(commit.id))


def _forget_old(live: dict[str, deque[tuple[str, int]]], index: int, window: int) -> None:
    """Drop agent commits that fell out of the window, so memory stays flat with history."""
    for path in list(live):
        queue = live[path]
        while queue and index - queue[0][1] > window:
            queue.popleft()
        if not queue:
            del live[path]
