"""Rows from a later commit by a person: each function in which the person changed lines an
agent wrote (line-level, formatting-insensitive authorship), as it stood right before the
person's commit (`rejected`) and as the person left it (`chosen`), linked to the agent commit
that wrote the changed lines. Mechanical edits are counted under their reason, not paired."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import PurePosixPath
from typing import Any

import pygit2

from .authorship import Authors, carries_authorship, hunks, touches
from .functions import Function
from .growth import is_growth
from .history import LaterFix
from .languages import LanguageSpec
from .mechanical import DEPENDENCY_MANIFESTS, CommitEdits, function_edit_reason
from .ownership import PathFix, agent_hits
from .pairs import Outcome, shape_key
from .repository import decode
from .rows import EventContext, build_row
from .sources import MovedTexts, SkipFile, SourceReader
from .tasks import is_test
from .tokens import normalized
from .trail import Trail

MAX_COMMIT_FILES = 400  # a commit wider than this is read for sweeps by its first files only
# A person's change touching agent lines in more functions than WIDE_FUNCTIONS, written by at
# least WIDE_AGENT_COMMITS agent commits, is a rewrite (a release, a migration, a sync, a
# subsystem removed), not an answer to particular agent code.
WIDE_FUNCTIONS = 20
WIDE_AGENT_COMMITS = 3
# A commit changing BROAD_FILES files or more, under a title that does not say it fixes
# something, is a change across the codebase (a refactor, a migration, a release, a feature
# landing): what it does to agent lines follows that change, not the agent's code.
BROAD_FILES = 30


@dataclass
class _Hit:
    """A function of the file before the person's commit, with the agent lines it touched."""

    function: Function
    agents: set[str]
    places: set[tuple[str, int]]


@dataclass
class _Candidate:
    """A function the person's change may pair: where it is, and the agent commit linked."""

    path: str
    spec: LanguageSpec
    functions: dict[str, Function]  # the file's functions before the change
    touched: PathFix
    hit: _Hit
    agent_sha: str


class LaterFixes:
    def __init__(
        self,
        repo: pygit2.Repository,
        trail: Trail,
        reader: SourceReader,
        repo_name: str,
        skips: Counter,
    ) -> None:
        self.repo = repo
        self.trail = trail
        self.reader = reader
        self.repo_name = repo_name
        self.skips = skips

    def rows(self, fix: LaterFix) -> Iterator[dict[str, Any]]:
        person = self.repo[fix.person_commit]
        context = partial(self._context, person=person)
        return self.rows_between(fix, person.parents[0].tree, person.tree, context)

    def rows_between(
        self,
        fix: LaterFix,
        before: pygit2.Tree,
        after: pygit2.Tree,
        context: Callable[[str], EventContext],
    ) -> Iterator[dict[str, Any]]:
        """The rows of the person's change from `before` to `after` (a commit and its parent,
        or two agent edit snapshots); `context(agent_sha)` says what each row shares."""
        candidates = list(self._candidates(fix, before))
        if _is_wide(candidates):
            self.skips["wide_commit"] += len(candidates)
            return  # a rewrite, not an answer to particular agent code: nothing more is read
        if fix.files_changed >= BROAD_FILES and not fix.says_fix:
            self.skips["broad_commit"] += len(candidates)
            return
        moved = MovedTexts(self.reader, before, after)
        edits: CommitEdits | None = None
        kept_of: dict[str, tuple[dict[str, Function], list[Function]] | None] = {}
        for candidate in candidates:
            path, spec, touched, hit = (
                candidate.path,
                candidate.spec,
                candidate.touched,
                candidate.hit,
            )
            agent_sha = candidate.agent_sha
            if path not in kept_of:
                kept_of[path] = self._kept(after, path, spec, candidate.functions)
            if kept_of[path] is None:
                continue  # the version after is unreadable by rule: counted once
            kept, new_names = kept_of[path]
            outcome = self._outcome(hit, kept, new_names, spec, moved, path, touched, fix.says_fix)
            if outcome is None:
                continue
            if outcome.chosen is not None:
                confirmed = _confirmed_agents(hit, outcome.chosen, touched, spec.name)
                if not confirmed:
                    self.skips["not_agent_lines"] += 1
                    continue
                agent_sha = self._latest(confirmed)
                if agent_sha in fix.reverted:
                    continue
                if not fix.within_window(agent_sha):
                    self.skips["outside_window"] += 1
                    continue
                edits = edits or self._commit_edits(before, after, fix)
                reason = edits.reason(
                    outcome.rejected.text,
                    outcome.chosen.text,
                    spec.name,
                    hit.places,
                    outcome.rejected.name,
                    is_test(path, outcome.rejected.qualname, outcome.rejected.text),
                )
                if reason == "ripple" and self._restores(agent_sha, path, spec, outcome):
                    reason = None  # the agent's edit of this call undone: a correction
                if reason:
                    self.skips[reason] += 1
                    continue
            row = build_row(context(agent_sha), path, spec.name, outcome)
            if row is None:
                self.skips["secret_only_change"] += 1
            else:
                yield row

    def _candidates(self, fix: LaterFix, before: pygit2.Tree) -> Iterator[_Candidate]:
        """Each function whose agent lines the person's change touched, with the agent commit
        whose lines it touched (the latest), where that commit is in the window and not one
        the change reverts; only the versions before are parsed."""
        for path, touched in fix.paths.items():
            near = {sha for sha, _ in touched.touched.values() if sha not in fix.reverted}
            if not near:
                continue  # all of it the revert's own rows
            if not any(fix.within_window(sha) for sha in near):
                self.skips["outside_window"] += 1
                continue  # nothing here is close enough: no parse
            try:
                spec = self.reader.spec_for(path)
                functions = self.reader.functions(before, path, spec)
            except SkipFile as skip:
                self.skips[str(skip)] += 1
                continue
            for hit in _innermost(functions, path, touched):
                agent_sha = self._latest(hit.agents)
                if agent_sha in fix.reverted:
                    continue  # the revert's own rows say it
                if not fix.within_window(agent_sha):
                    self.skips["outside_window"] += 1
                    continue
                yield _Candidate(path, spec, functions, touched, hit, agent_sha)

    def _kept(
        self, after: pygit2.Tree, path: str, spec: LanguageSpec, functions: dict[str, Function]
    ) -> tuple[dict[str, Function], list[Function]] | None:
        """The functions of the version after, and those of them new in it; None where the
        rules do not let it be read (the reason counted)."""
        try:
            kept = self.reader.functions(after, path, spec)
        except SkipFile as skip:
            self.skips[str(skip)] += 1
            return None
        return kept, [fn for name, fn in kept.items() if name not in functions]

    def _latest(self, agents: set[str]) -> str:
        """Of the agent commits whose lines one function's edit touched, the latest (by sha
        where two share a second, so every run links the same one)."""
        return max(agents, key=lambda sha: (self.repo[sha].commit_time, sha))

    def _outcome(
        self,
        hit: _Hit,
        kept: dict[str, Function],
        new_names: list[Function],
        spec: LanguageSpec,
        moved: MovedTexts,
        path: str,
        touched: PathFix,
        says_fix: bool,
    ) -> Outcome | None:
        fn = hit.function
        chosen = kept.get(fn.qualname)
        renamed = False
        if chosen is None:
            shape = shape_key(fn.text)
            chosen = next((p for p in new_names if shape_key(p.text) == shape), None)
            renamed = chosen is not None
        if chosen is None:
            if fn.has_error:
                self.skips["syntax_error"] += 1
                return None
            if moved.holds(fn, path):
                self.skips["moved"] += 1
                return None
            if not _agents_wrote_most(fn, touched.before, spec.name):
                self.skips["deleted_person_function"] += 1
                return None
            return Outcome(fn, None)
        if not fn.parses_like(chosen):
            self.skips["syntax_error"] += 1
            return None
        if normalized(chosen.text) == normalized(fn.text):
            return None
        reason = function_edit_reason(fn.text, chosen.text, fn.name, chosen.name, spec.name)
        new_work = not touched.insertions_count and not is_test(path, fn.qualname, fn.text)
        if reason is None and not says_fix and is_growth(fn.text, chosen.text, spec.name, new_work):
            reason = "growth"
        if reason:
            self.skips[reason] += 1
            return None
        return Outcome(fn, chosen, renamed=renamed)

    def _restores(self, agent_sha: str, path: str, spec: LanguageSpec, outcome: Outcome) -> bool:
        """Does the person put the function back as it was before the agent's commit?"""
        agent = self.repo[agent_sha]
        if not agent.parents or outcome.chosen is None:
            return False
        try:
            earlier = self.reader.functions(agent.parents[0].tree, path, spec)
        except SkipFile:
            return False
        found = earlier.get(outcome.rejected.qualname)
        return found is not None and normalized(found.text) == normalized(outcome.chosen.text)

    def _commit_edits(self, before: pygit2.Tree, after: pygit2.Tree, fix: LaterFix) -> CommitEdits:
        language_of: dict[str, str] = {}
        changes: dict[str, list] = {}
        texts: dict[str, tuple[str, str]] = {}
        diff = before.diff_to_tree(after)
        deltas = list(diff.deltas)
        manifests = any(
            PurePosixPath(delta.new_file.path or delta.old_file.path).name in DEPENDENCY_MANIFESTS
            for delta in deltas
        )
        for delta in deltas[:MAX_COMMIT_FILES]:
            path = delta.new_file.path if delta.new_file.path else delta.old_file.path
            try:
                spec = self.reader.spec_for(path)
                old = self.reader.data(before, delta.old_file.path)
                new = self.reader.data(after, delta.new_file.path)
            except SkipFile:
                continue
            language_of[path] = spec.name
            changes[path] = hunks(old, new)
            texts[path] = (decode(old or b""), decode(new or b""))
        authors = {path: touched.before for path, touched in fix.paths.items()}
        return CommitEdits(language_of, changes, authors, texts, manifests, fix.says_refactor)

    def _context(self, agent_sha: str, person: pygit2.Commit) -> EventContext:
        agent_commit = self.repo[agent_sha]
        return EventContext(
            repo=self.repo_name,
            event="fix",
            agent=self.trail.agent_of(agent_commit) or "unknown",
            task_text=self.trail.task_of(agent_commit),
            rejected_commit=agent_sha,
            chosen_commit=str(person.id),
            corrected_by=decode(person.author.raw_name),
            person_message=decode(person.raw_message),
            timestamp=person.commit_time,
        )


def _is_wide(candidates: list[_Candidate]) -> bool:
    """Does one change touch agent lines in more than WIDE_FUNCTIONS functions, linked to at
    least WIDE_AGENT_COMMITS agent commits: the work of several agent tasks reworked at once?
    Reworking one or two agent tasks, however widely, answers them."""
    agents = {candidate.agent_sha for candidate in candidates}
    return len(candidates) > WIDE_FUNCTIONS and len(agents) >= WIDE_AGENT_COMMITS


def _agents_wrote_most(fn: Function, before: Authors, language: str) -> bool:
    """Did agents write most of a function's lines that have content?"""
    content = [
        fn.start_line + offset
        for offset, line in enumerate(fn.text.splitlines())
        if carries_authorship(line, language)
    ]
    agents = sum(1 for n in content if n <= len(before) and before[n - 1])
    return bool(content) and 2 * agents > len(content)


def _innermost(functions: dict[str, Function], path: str, touched: PathFix) -> list[_Hit]:
    """The touched agent lines grouped by the innermost function holding each: one edit gives
    one pair, at the function nested deepest."""
    by_size = sorted(functions.values(), key=lambda fn: fn.end_line - fn.start_line)
    hits: dict[str, _Hit] = {}
    for line, (agent_sha, hunk_start) in touched.touched.items():
        inner = next((fn for fn in by_size if fn.start_line <= line <= fn.end_line), None)
        if inner is None:
            continue
        hit = hits.setdefault(inner.qualname, _Hit(inner, set(), set()))
        hit.agents.add(agent_sha)
        hit.places.add((path, hunk_start))
    return list(hits.values())


def _confirmed_agents(hit: _Hit, chosen: Function, touched: PathFix, language: str) -> set[str]:
    """The agent commits of `hit` whose lines the function's own diff shows the person
    touching: those whose lines it changes, or, where it changes none, those whose lines
    border the code it inserts. The file's diff may align lines of a function the person
    moved with other code (a line kept word for word then reads as deleted); and code inserted
    next to the agent's lines while the person edits other lines of the function, and none of
    the agent's, goes with the person's own edit."""
    old, new = hit.function.text.encode(), chosen.text.encode()
    found = touches(old, hunks(old, new), language)
    offset = hit.function.start_line - 1
    lines, edited = agent_hits(found, touched.before, touched.insertions_count, offset)
    if edited and not edited & lines.keys():
        return set()
    changed = edited & lines.keys() or lines.keys()  # bordering lines only where none changed
    return {touched.writers[touched.before[n - 1]] for n in changed} & hit.agents
