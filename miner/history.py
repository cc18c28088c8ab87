"""Corrections found in plain history, with or without hooks: reverts of agent commits (of a
merge: of the agent commits it brought in), and later commits by a person that change lines
an agent wrote, within a window measured along ancestry or linked by a `Fixes:` trailer.
Walks every local branch once, parents first; holds only what the window can still reach."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pygit2

from selfware_git.hooks.agents import AGENT, BOT

from .ancestry import Ancestry
from .ownership import Ownership, PathFix
from .raw_log import commits_with_changes
from .repository import decode
from .sources import SourceReader
from .trail import (
    Correction,
    Trail,
    announces_new_work,
    revert_target,
    says_fix,
    says_refactor,
)

_FIXES = re.compile(r"^Fixes:\s*([0-9a-f]{7,64})\b", re.IGNORECASE | re.MULTILINE)
# Ancestry older than this many generations below the walk's newest commit is forgotten:
# a fix that far from its agent commit is past any window worth mining.
FORGET_GENERATIONS = 20_000
MERGE_REVERT_LIMIT = 200


@dataclass(frozen=True)
class LaterFix:
    """A person's commit and, per path, the agent lines it touched. `near` says, for each
    agent commit whose lines it touched, whether the commit is close enough to it along
    ancestry (or linked to it by `Fixes:`); decided during the walk, so a LaterFix stands on
    its own and can be handed to another process."""

    person_commit: str
    paths: dict[str, PathFix]
    near: dict[str, bool]
    reverted: frozenset[str] = frozenset()  # agent commits this one reverts: rows of their own
    says_fix: bool = False  # the title says it fixes something (trail.says_fix)
    says_refactor: bool = False  # the title says it restructures code (trail.says_refactor)
    files_changed: int = 0  # files of any kind the commit changes

    def within_window(self, agent_commit: str) -> bool:
        return self.near.get(agent_commit, False)


def resolve(repo: pygit2.Repository, short: str) -> pygit2.Commit | None:
    """A commit from a full or abbreviated id, as messages and trailers write them."""
    try:
        obj = repo.revparse_single(short)
    except (KeyError, ValueError, pygit2.GitError):
        return None
    return obj if isinstance(obj, pygit2.Commit) else None


def branch_tips(repo: pygit2.Repository, remotes: bool = False) -> list[pygit2.Oid]:
    """HEAD and every local branch (and remote-tracking branch on request)."""
    prefixes = ("refs/heads/", "refs/remotes/") if remotes else ("refs/heads/",)
    tips = [] if repo.head_is_unborn else [repo.head.target]
    for name in repo.references:
        if name.startswith(prefixes):
            try:
                target = repo.references[name].peel(pygit2.Commit).id
            except (pygit2.GitError, ValueError, KeyError, pygit2.InvalidSpecError):
                continue
            tips.append(target)
    return list(dict.fromkeys(tips))


def history_corrections(
    repo: pygit2.Repository,
    trail: Trail,
    reader: SourceReader,
    window: int,
    skips: Counter,
    on_commit: Callable[[pygit2.Commit, str | None], None] = lambda commit, agent: None,
    remotes: bool = False,
) -> Iterator[Correction | LaterFix]:
    """Walk all branches oldest first, carrying line authorship, and yield what people did
    to agent commits."""
    tips = branch_tips(repo, remotes)
    if not tips:
        return
    ancestry = Ancestry()
    ownership = Ownership(reader, skips)
    walker = repo.walk(tips[0], pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.REVERSE)
    for tip in tips[1:]:
        walker.push(tip)
    walk = commits_with_changes(Path(repo.path), (str(c.id) for c in walker), skips)
    for count, (sha, changes) in enumerate(walk, 1):
        commit = repo[sha]
        ancestry.add(sha, [str(p) for p in commit.parent_ids])
        kind, agent = trail.author_of(commit)
        on_commit(commit, agent)
        if len(commit.parents) > 1:
            skips["merge_commit"] += 1
        message = decode(commit.raw_message)
        new_work = kind != AGENT and announces_new_work(message)
        touched = ownership.commit(commit, changes, agent=kind == AGENT, new_work=new_work)
        if kind == BOT:
            if touched:
                skips["bot_commit"] += 1
            continue
        if kind == AGENT or len(commit.parents) > 1:
            continue
        explicit = list(_explicit_links(repo, trail, commit, message))
        yield from (c for c in explicit if c.kind == "revert")
        if touched:
            linked = {c.agent_commit for c in explicit if c.kind == "fix"}
            reverted = frozenset(c.agent_commit for c in explicit if c.kind == "revert")
            near = _window_answers(ancestry, sha, window, linked, touched, reverted)
            yield LaterFix(
                sha,
                touched,
                near,
                reverted,
                says_fix(message),
                says_refactor(message),
                len({path for path, _old, _new in changes}),
            )
        if count % 4096 == 0:
            ancestry.forget_below(ancestry.generation(sha) - FORGET_GENERATIONS)


def _window_answers(
    ancestry: Ancestry,
    sha: str,
    window: int,
    linked: set[str],
    touched: dict[str, PathFix],
    reverted: frozenset[str],
) -> dict[str, bool]:
    """For each agent commit whose lines the person's commit touched (a revert's own
    excepted): within the window along ancestry, or linked by `Fixes:`?"""
    agents = sorted({agent for fix in touched.values() for agent, _ in fix.touched.values()})
    asked = [agent for agent in agents if agent not in reverted]
    found = ancestry.distances([a for a in asked if a not in linked], sha, window)
    found.update(ancestry.distances([a for a in asked if a in linked], sha, 1 << 30))
    return {agent: found[agent] is not None for agent in asked}


def _explicit_links(
    repo: pygit2.Repository, trail: Trail, commit: pygit2.Commit, message: str
) -> Iterator[Correction]:
    target = revert_target(message)
    if target:
        reverted = resolve(repo, target)
        for agent_commit in _brought_in(repo, reverted):
            if trail.agent_of(agent_commit):
                yield Correction("revert", str(agent_commit.id), str(commit.id))
    for short in _FIXES.findall(message):
        fixed = resolve(repo, short)
        if fixed is not None and trail.agent_of(fixed) and fixed.id != commit.id:
            yield Correction("fix", str(fixed.id), str(commit.id))


def _brought_in(repo: pygit2.Repository, commit: pygit2.Commit | None) -> list[pygit2.Commit]:
    """The commit itself, or for a merge the commits it brought into its first parent."""
    if commit is None:
        return []
    if len(commit.parents) < 2:
        return [commit]
    walker = repo.walk(commit.id, pygit2.enums.SortMode.TOPOLOGICAL)
    walker.hide(commit.parent_ids[0])
    brought = []
    for found in walker:
        if found.id != commit.id and len(found.parents) < 2:
            brought.append(found)
        if len(brought) >= MERGE_REVERT_LIMIT:
            break
    return brought
