"""Corrections that never became commits, from the agent edit snapshots that
`hooks/selfware-snapshot.sh` chains per session under refs/selfware/snapshot/<agent>/<session>.

A session is a line of commits, oldest first. What a `post` snapshot changed against the one
before it is the agent's (its tool call ran in between); what a `pre` snapshot changed is the
person's (they edited between the agent's tool calls). So a session is mined like history,
through the same Ownership (line-level authorship) and LaterFixes (pair rules, mechanical
edits out) as commits: a person's change of lines the agent wrote is a pair, event `edit`,
the agent's last version of the function against the person's. The person's version is the
next `pre` snapshot that changed those lines, or, after the session's last snapshot, the
person's first later commit within the window (not past an agent commit: what follows one is
history mining's). The prompt is the session's latest `prompt` event before the agent's edit.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pygit2

from selfware_git.hooks.agents import AGENT, PERSON
from selfware_git.hooks.gitpaths import locate, run_git

from .fixes import LaterFixes
from .history import LaterFix, branch_tips
from .ownership import Ownership, PathFix, blob_at
from .repository import config_values, decode, lookup_commit
from .rows import EventContext
from .snapshot_sessions import Session, delete_refs
from .sources import file_changes, tree_changes
from .trail import announces_new_work

HEADER = "selfware snapshot v1 "
DEFAULT_MAX_AGE_DAYS = 30
_PROMPT = re.compile(r'"prompt"\s*:\s*"((?:[^"\\]|\\.)*)')
_AGE = re.compile(r"\s*(\d+)\s*([hdw]?)\s*\Z", re.IGNORECASE)


@dataclass(frozen=True)
class Snapshot:
    """One event of a session: `event` pre, post or prompt; `payload` the agent's hook JSON."""

    commit: pygit2.Commit
    event: str
    head: str | None
    payload: str

    @property
    def sha(self) -> str:
        return str(self.commit.id)


def parse_snapshot(commit: pygit2.Commit) -> Snapshot | None:
    """The event a snapshot commit records, or None for a commit that is no snapshot."""
    text = decode(commit.raw_message)
    title, _, rest = text.partition("\n\n")
    if not title.startswith(HEADER):
        return None
    fields_text, _, payload = rest.partition("\n\n")
    fields = dict(line.split(": ", 1) for line in fields_text.splitlines() if ": " in line)
    head = fields.get("head")
    head = head if head and re.fullmatch(r"[0-9a-f]{40,64}", head) else None
    return Snapshot(commit, title[len(HEADER) :].strip(), head, payload.rstrip("\n"))


def prompt_of(payload: str) -> str | None:
    """The `prompt` of a prompt event's payload; from a cut (too long) payload, its start."""
    try:
        data = json.loads(payload)
    except ValueError:
        data = None
    if isinstance(data, dict):
        prompt = data.get("prompt")
        return prompt if isinstance(prompt, str) else None
    match = _PROMPT.search(payload)
    if match is None:
        return None
    text = match.group(1)
    try:
        return json.loads(f'"{text}"')
    except ValueError:
        return text.replace('\\"', '"').replace("\\n", "\n")


def session_events(repo: pygit2.Repository, session: Session) -> list[Snapshot]:
    """A session's events, oldest first (the chain of first parents from its ref)."""
    events = []
    commit = lookup_commit(repo, session.tip)
    while commit is not None:
        snapshot = parse_snapshot(commit)
        if snapshot is None:
            break
        events.append(snapshot)
        commit = lookup_commit(repo, str(commit.parent_ids[0])) if commit.parent_ids else None
    return events[::-1]


def max_age_seconds(repo: pygit2.Repository) -> int:
    """`selfware.snapshotMaxAge`: days (`30`, `30d`), hours (`12h`) or weeks (`2w`)."""
    values = config_values(repo, "selfware.snapshotMaxAge")
    match = _AGE.match(values[-1]) if values else None
    if match is None:
        return DEFAULT_MAX_AGE_DAYS * 86400
    unit = {"h": 3600, "d": 86400, "w": 7 * 86400, "": 86400}[match.group(2).lower()]
    return int(match.group(1)) * unit


def is_expired(events: list[Snapshot], max_age: int) -> bool:
    """Is the session's last event older than the age snapshots are kept?"""
    if not events:
        return True
    return time.time() - events[-1].commit.commit_time > max_age


class SnapshotEdits:
    """The `edit` rows of snapshot sessions, through the history miner's own pair rules."""

    def __init__(self, fixes: LaterFixes, window: int) -> None:
        """`fixes`: the history miner's own, whose repository, trail, reader and skip counts
        the sessions are read with."""
        self.fixes = fixes
        self.repo = fixes.repo
        self.trail = fixes.trail
        self.reader = fixes.reader
        self.repo_name = fixes.repo_name
        self.skips = fixes.skips
        self.window = window

    @cached_property
    def _tips(self) -> list[pygit2.Oid]:
        """The branches a person's later commit is looked for on: the same for every session
        of one `mine`."""
        return branch_tips(self.repo)

    @cached_property
    def person_name(self) -> str:
        """Whoever edits this working tree: the repository's git user, as git reads it
        (`GIT_CONFIG_GLOBAL` included, which libgit2 does not honour)."""
        folder = Path(self.repo.workdir or self.repo.path)
        return run_git(folder, "config", "user.name", check=False).strip() or "unknown"

    def corrections(self, session: Session, events: list[Snapshot]) -> Iterator[list[dict]]:
        """The rows of each person's edit in the session, one list per edit."""
        ownership = Ownership(self.reader, self.skips)
        prompt = ""
        tasks: dict[str, str] = {}  # the agent's snapshot → the prompt it worked on
        last: Snapshot | None = None  # the latest snapshot with a tree
        for snapshot in events:
            if snapshot.event == "prompt":
                prompt = prompt_of(snapshot.payload) or prompt
                continue
            if snapshot.event not in ("pre", "post"):
                continue
            if last is not None:
                changes = tree_changes(last.commit.tree, snapshot.commit.tree, self.skips)
                agent = snapshot.event == "post"
                touched = ownership.commit(snapshot.commit, changes, agent=agent)
                if agent:
                    tasks[snapshot.sha] = prompt
                elif touched:
                    yield self._rows(
                        session, tasks, last.commit.tree, snapshot.commit, touched, True
                    )
            last = snapshot
        if last is not None and tasks:
            yield from self._later_commit(session, tasks, ownership, last)

    def _later_commit(
        self, session: Session, tasks: dict[str, str], ownership: Ownership, last: Snapshot
    ) -> Iterator[list[dict]]:
        """After the last snapshot: the person's first later commit, compared on the paths it
        changed (whatever it left uncommitted is no decision)."""
        person = self._first_person_commit(last)
        if person is None:
            return
        committed = {path: new for path, _, new in file_changes(person, self.skips)}
        changes = []
        for path, new in committed.items():
            old = blob_at(last.commit.tree, path)
            if old != new:
                changes.append((path, old, new))
        new_work = announces_new_work(decode(person.raw_message))
        touched = ownership.commit(person, changes, agent=False, new_work=new_work)
        if touched:
            yield self._rows(session, tasks, last.commit.tree, person, touched, False)

    def _first_person_commit(self, last: Snapshot) -> pygit2.Commit | None:
        tips = self._tips
        if not tips:
            return None
        order = pygit2.enums.SortMode.TOPOLOGICAL | pygit2.enums.SortMode.REVERSE
        walker = self.repo.walk(tips[0], order)
        for tip in tips[1:]:
            walker.push(tip)
        if last.head and lookup_commit(self.repo, last.head) is not None:
            walker.hide(last.head)
        for count, commit in enumerate(walker):
            if count >= self.window:
                return None
            if commit.commit_time < last.commit.commit_time:
                continue  # made during the session: its content is in the snapshots
            kind, _ = self.trail.author_of(commit)
            if kind == AGENT:
                return None  # the agent committed: what the person did next is history's
            if kind == PERSON and len(commit.parents) == 1:
                return commit
        return None

    def _rows(
        self,
        session: Session,
        tasks: dict[str, str],
        before: pygit2.Tree,
        person: pygit2.Commit,
        touched: dict[str, PathFix],
        snapshot: bool,
    ) -> list[dict[str, Any]]:
        """The rows of the person's change from `before` to `person`: a snapshot of the
        working tree (`snapshot`), or the person's own later commit."""

        def context(agent_sha: str) -> EventContext:
            return EventContext(
                repo=self.repo_name,
                event="edit",
                agent=session.agent,
                task_text=tasks.get(agent_sha, ""),
                rejected_commit=agent_sha,
                chosen_commit=str(person.id),
                corrected_by=self.person_name if snapshot else decode(person.author.raw_name),
                person_message="" if snapshot else decode(person.raw_message),
                timestamp=person.commit_time,
            )

        agents = {sha for path_fix in touched.values() for sha, _ in path_fix.touched.values()}
        fix = LaterFix(str(person.id), touched, near={sha: sha in tasks for sha in agents})
        return list(self.fixes.rows_between(fix, before, person.tree, context))


def prune_sessions(repo_path: Path, expired: list[tuple[str, str]]) -> None:
    """Delete mined sessions past their age: each ref only where it still points where it
    did when mined (a session that went on is kept), with the files beside it."""
    if not expired:
        return
    commands = "".join(f"delete {ref} {tip}\n" for ref, tip in expired)
    # A session that moved on meanwhile makes git refuse: kept whole, pruned by a later `mine`.
    delete_refs(locate(repo_path), commands, check=False)
