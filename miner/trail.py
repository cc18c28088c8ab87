"""The captured trail of one repository: which commits an agent wrote, with what task, and the
corrections the hooks saw (amend, rebase, reset, cherry-pick) read back from the journal,
the pinned refs under refs/selfware/ and the reflogs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pygit2

from selfware_git.hooks.agents import AGENT, BOT, PERSON, Rule, detect_agent, is_bot, user_rules
from selfware_git.hooks.journal import (
    CommitRecord,
    JournalStats,
    RefRecord,
    RewriteRecord,
    is_zero,
    read_journal,
)

from .repository import commit_facts, config_values, decode, lookup_commit

TASK_REFS = "refs/selfware/task/"
PIN_REFS = "refs/selfware/pin/"
DROP_WALK_LIMIT = 200

_REVERT = re.compile(r"This reverts commit ([0-9a-f]{7,64})")
_CHERRY = re.compile(r"\(cherry picked from commit ([0-9a-f]{40,64})\)")


@dataclass(frozen=True)
class Correction:
    """The person's answer to one agent commit. `person_commit` holds the version the person
    kept; None where nothing of theirs is left to compare (a deleted branch)."""

    kind: str
    agent_commit: str
    person_commit: str | None


_TRAILER_LINE = re.compile(r"^[A-Za-z][\w-]*:\s")
_GENERATED_LINE = re.compile(r"generated with \[", re.IGNORECASE)
_SQUASH_SEPARATOR = re.compile(r"^-{9,}\s*$", re.MULTILINE)
_SQUASHED_TITLE = re.compile(r"\(#\d+\)\s*$")
_COMMIT_LOG_ITEM = re.compile(r"^\* \S")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CHECKBOX = re.compile(r"^\s*[-*] \[[ xX]\] ")


def task_from_message(message: str) -> str:
    """A commit message as a task: title and description. Left out: trailers, 'Generated
    with' lines, aider's prefix, and what a squash merge pastes in (the branch's commit log as
    `* …` paragraphs, the `---------` separator and what follows it, PR-template comments and
    checklists)."""
    text = _HTML_COMMENT.sub("", message.strip())
    text = _SQUASH_SEPARATOR.split(text, 1)[0]
    paragraphs = [p.strip("\n") for p in text.strip().split("\n\n") if p.strip()]
    while len(paragraphs) > 1 and all(
        _TRAILER_LINE.match(line) for line in paragraphs[-1].strip().splitlines()
    ):
        paragraphs.pop()
    if paragraphs and _SQUASHED_TITLE.search(paragraphs[0].splitlines()[0]):
        paragraphs = [paragraphs[0]] + [
            p for p in paragraphs[1:] if not _COMMIT_LOG_ITEM.match(p.lstrip())
        ]
    text = "\n\n".join(paragraphs)
    lines = [
        line
        for line in text.splitlines()
        if not _GENERATED_LINE.search(line) and not _CHECKBOX.match(line)
    ]
    text = "\n".join(lines).strip()
    return text[len("aider: ") :] if text.startswith("aider: ") else text


_FIX_TITLE = re.compile(r"\b(?:hot)?fix(?:es|ed|ing)?\b|\bbugs?\b|\bregression\b", re.IGNORECASE)
_NEW_WORK_TITLE = re.compile(
    r"(?:feat|feature)(?:\([^)]*\))?!?:|(?:add|adds|added|implement|implements|support|"
    r"introduce|introduces)\b",
    re.IGNORECASE,
)


def announces_new_work(message: str) -> bool:
    """Does the commit's title announce new work (`feat: …`, `feat(cli): …`, `Add …`,
    `Implement …`, `Support …`, `Introduce …`)? Code such a commit inserts is that work's."""
    return bool(_NEW_WORK_TITLE.match(message.lstrip()))


_REFACTOR_TITLE = re.compile(
    r"\b(?:refactor\w*|migrat\w*|extract\w*|consolidat\w*|deprecat\w*|standardi[sz]\w*)"
    r"|\A(?:chore|ref|style)(?:\([^)]*\))?!?:",
    re.IGNORECASE,
)


def says_refactor(message: str) -> bool:
    """Does the commit's title say it restructures code (`refactor: …`, `Migrate …`,
    `extract …`, `consolidate …`, `deprecate …`, `standardize …`, or the conventional types
    for work that is neither feature nor fix: `chore: …`, `ref: …`, `style: …`) and not that
    it fixes something? What such a commit rolls out across the codebase is the
    restructuring's."""
    return bool(_REFACTOR_TITLE.search(title(message))) and not says_fix(message)


def title(message: str) -> str:
    """A commit message's first line."""
    return message.strip().splitlines()[0] if message.strip() else ""


def says_fix(message: str) -> bool:
    """Does the commit's title say it fixes something (`fix: …`, `Fix bd-346`, `(hotfix)`,
    `bug`)? New code such a commit builds into the agent's function may be the fix."""
    return bool(_FIX_TITLE.search(title(message)))


def revert_target(message: str) -> str | None:
    match = _REVERT.search(message)
    return match.group(1) if match else None


class Trail:
    """What the hooks left for one repository, with agent detection for any of its commits."""

    def __init__(self, repo: pygit2.Repository, selfware_dir: Path) -> None:
        self.repo = repo
        self.journal_stats = JournalStats()
        self.records = list(read_journal(selfware_dir / "journal", self.journal_stats))
        self.rules: list[Rule] = user_rules(config_values(repo, "selfware.agentPattern"))
        self.env_agents: dict[str, str] = {}
        self.task_blobs: dict[str, str] = {}
        self._load_env_agents()

    def _load_env_agents(self) -> None:
        for name in self.repo.references:
            if name.startswith(TASK_REFS):
                self.task_blobs[name[len(TASK_REFS) :]] = str(self.repo.references[name].target)
        for record in self.records:
            if isinstance(record, CommitRecord) and self._made_by_move(record.sha, record.old):
                self.env_agents[record.sha] = record.agent
                if record.task_blob:
                    self.task_blobs[record.sha] = record.task_blob
            elif isinstance(record, RewriteRecord) and record.agent:
                # The agent rewrote its own commit: the new one is still the agent's, same task.
                self.env_agents[record.new] = self.env_agents.get(record.old, record.agent)
                if record.old in self.task_blobs:
                    self.task_blobs[record.new] = self.task_blobs[record.old]

    def _made_by_move(self, sha: str, old: str) -> bool:
        """Did moving HEAD from `old` to `sha` make a new commit (commit, amend, revert,
        cherry-pick, merge), rather than go back to one that existed (reset, checkout)?"""
        commit = lookup_commit(self.repo, sha)
        if commit is None:
            return False
        parents = [str(p) for p in commit.parent_ids]
        if is_zero(old):
            return not parents
        if old in parents:
            return True
        previous = lookup_commit(self.repo, old)
        return previous is not None and [str(p) for p in previous.parent_ids] == parents

    def agent_of(self, commit: pygit2.Commit) -> str | None:
        sha = str(commit.id)
        if sha in self.env_agents:
            return self.env_agents[sha]
        return detect_agent(commit_facts(commit), self.rules)

    def author_of(self, commit: pygit2.Commit) -> tuple[str, str | None]:
        """(AGENT, BOT or PERSON; the agent's name for an agent): markers read once."""
        agent = self.agent_of(commit)
        if agent:
            return AGENT, agent
        return (BOT if is_bot(commit_facts(commit)) else PERSON), None

    def task_of(self, commit: pygit2.Commit) -> str:
        """The agent's task: SELFWARE_TASK where it was captured, else the commit message."""
        blob_id = self.task_blobs.get(str(commit.id))
        if blob_id:
            blob = self.repo.get(blob_id)
            if isinstance(blob, pygit2.Blob):
                return decode(blob.data).strip()
        return task_from_message(decode(commit.raw_message))

    def pinned(self) -> list[str]:
        return [n[len(PIN_REFS) :] for n in self.repo.references if n.startswith(PIN_REFS)]

    @cached_property
    def reflog_messages(self) -> dict[tuple[str, str], str]:
        """(old, new) → reflog message, to tell a reset from a rebase or a cherry-pick."""
        messages: dict[tuple[str, str], str] = {}
        for name in ["HEAD", *self.repo.branches.local]:
            ref = self.repo.references.get(name) or self.repo.references.get(f"refs/heads/{name}")
            if ref is None:
                continue
            try:
                for entry in ref.log():
                    messages[(str(entry.oid_old), str(entry.oid_new))] = entry.message or ""
            except pygit2.GitError:
                continue
        return messages

    def seen_commits(self) -> set[str]:
        """Every commit the journal or the pins name."""
        seen = set(self.env_agents) | set(self.pinned())
        for record in self.records:
            if isinstance(record, RewriteRecord):
                seen.update((record.old, record.new))
            elif isinstance(record, RefRecord):
                seen.update(oid for oid in (record.old, record.new) if not is_zero(oid))
        return seen

    def agent_commits(self) -> dict[str, str]:
        """sha → agent, for every agent commit the trail names."""
        found = {}
        for sha in self.seen_commits():
            commit = lookup_commit(self.repo, sha)
            agent = self.agent_of(commit) if commit else self.env_agents.get(sha)
            if agent:
                found[sha] = agent
        return found

    def corrections(self) -> Iterator[Correction]:
        """Corrections only the trail can show; reverts and later fixes come from history.
        One per agent commit and kind of trail: a fixup is an amend inside a rebase, and a
        rebase moves HEAD before the branch, so the last record of each says what was kept."""
        rewrites: dict[str, Correction] = {}
        for record in self.records:
            if isinstance(record, RewriteRecord) and not record.agent:
                rewrites.pop(record.old, None)
                rewrites.update((c.agent_commit, c) for c in self._rewrite_correction(record))
        picks: dict[str, Correction] = {}
        drops: dict[str, Correction] = {}
        moves = [r for r in self.records if isinstance(r, RefRecord)]
        seen_moves: set[tuple[str, str]] = set()
        for index, move in enumerate(moves):
            if (move.old, move.new) in seen_moves or move.agent:
                continue
            seen_moves.add((move.old, move.new))
            message = self.reflog_messages.get((move.old, move.new), "")
            if message.startswith("cherry-pick"):
                picks.update((c.agent_commit, c) for c in self._cherry_pick_correction(move.new))
            elif not is_zero(move.old):
                for drop in self._drop_corrections(move, moves[index + 1 :], message):
                    drops[drop.agent_commit] = drop
        yield from rewrites.values()
        yield from picks.values()
        yield from (d for sha, d in drops.items() if sha not in rewrites and sha not in picks)

    def _rewrite_correction(self, record: RewriteRecord) -> Iterator[Correction]:
        commit = lookup_commit(self.repo, record.old)
        if commit is not None and self.agent_of(commit):
            yield Correction(record.kind, record.old, record.new)

    def _cherry_pick_correction(self, sha: str) -> Iterator[Correction]:
        picked = lookup_commit(self.repo, sha)
        if picked is None:
            return
        match = _CHERRY.search(decode(picked.raw_message))
        source = lookup_commit(self.repo, match.group(1)) if match else self._same_origin(picked)
        if source is not None and source.id != picked.id and self.agent_of(source):
            yield Correction("cherry-pick", str(source.id), sha)

    def _same_origin(self, picked: pygit2.Commit) -> pygit2.Commit | None:
        """The agent commit a cherry-pick copied: same author, author time and message."""
        for sha in self.env_agents:
            source = lookup_commit(self.repo, sha)
            if (
                source is not None
                and source.id != picked.id
                and source.author.time == picked.author.time
                and source.author.raw_email == picked.author.raw_email
                and source.raw_message == picked.raw_message
            ):
                return source
        return None

    def _drop_corrections(
        self, move: RefRecord, later: list[RefRecord], message: str
    ) -> Iterator[Correction]:
        kept = None if is_zero(move.new) else move.new
        if kept and self._is_ancestor(move.old, kept):
            return
        kind = "rebase" if message.startswith("rebase") else "reset"
        person = kept
        if kind == "reset":
            redo = next((m.new for m in later if m.ref == move.ref and m.old == move.new), None)
            person = redo if redo and not is_zero(redo) else kept
        for sha in self._dropped(move.old, kept):
            commit = lookup_commit(self.repo, sha)
            if commit is not None and self.agent_of(commit):
                yield Correction(kind, sha, person)

    def _is_ancestor(self, old: str, new: str) -> bool:
        try:
            return old == new or self.repo.descendant_of(new, old)
        except (pygit2.GitError, ValueError, KeyError):
            return True

    def _dropped(self, old: str, kept: str | None) -> list[str]:
        """Commits reachable from the old tip and from no branch any more."""
        if lookup_commit(self.repo, old) is None:
            return []
        walker = self.repo.walk(old, pygit2.enums.SortMode.TOPOLOGICAL)
        for tip in [kept, *(str(b.target) for b in self._branch_refs())]:
            if tip and lookup_commit(self.repo, tip) is not None:
                walker.hide(tip)
        dropped = []
        for commit in walker:
            dropped.append(str(commit.id))
            if len(dropped) >= DROP_WALK_LIMIT:
                break
        return dropped

    def _branch_refs(self) -> list[pygit2.Reference]:
        return [
            self.repo.references[n] for n in self.repo.references if n.startswith("refs/heads/")
        ]
