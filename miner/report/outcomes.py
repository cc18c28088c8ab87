"""What became of every function an agent wrote: kept untouched, or corrected (and how, and
how long after). The report's survival figures; the pairs say what the corrections were."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from selfware_git.hooks.gitpaths import locate

from ..filters import Scope
from ..mine import RepoResult
from ..pairs import agent_touched
from ..repository import config_values, lookup_commit, open_repository, printable
from ..sources import SkipFile, SourceReader, changed_paths


@dataclass(frozen=True)
class AgentFunction:
    repo: str
    commit: str
    path: str
    function: str
    agent: str
    written_at: int  # the agent commit's time, epoch seconds
    outcome: str  # "kept", or the event that corrected it (amend, rebase, fix, revert, …)
    hours_to_correction: float | None


def agent_functions(path: Path, result: RepoResult) -> Iterator[AgentFunction]:
    """Every function the repository's agent commits added or changed, with its outcome."""
    repo = open_repository(locate(path).common_dir)
    scope = Scope(config_values(repo, "selfware.include"), config_values(repo, "selfware.exclude"))
    reader = SourceReader(repo, scope)
    corrected: dict[tuple[str, str, str], tuple[str, str | None]] = {}
    for row in [*result.pairs, *result.unpaired]:
        meta = row["metadata"]
        key = (meta["rejected_commit"], meta["path"], meta["function"])
        corrected.setdefault(key, (meta["event"], meta["chosen_commit"]))
    for sha, agent in sorted(result.agent_commits.items()):
        commit = lookup_commit(repo, sha)
        if commit is None or len(commit.parents) > 1:
            continue
        base_tree = commit.parents[0].tree if commit.parents else None
        for file_path in changed_paths(commit, Counter()):
            try:
                spec = reader.spec_for(file_path)
                base = reader.functions(base_tree, file_path, spec)
                written = reader.functions(commit.tree, file_path, spec)
            except SkipFile:
                continue
            shown = printable(file_path)
            for function in agent_touched(base, written):
                if function.has_error:
                    continue
                event, chosen = corrected.get((sha, shown, function.qualname), ("kept", None))
                person = lookup_commit(repo, chosen) if chosen else None
                hours = (person.commit_time - commit.commit_time) / 3600 if person else None
                yield AgentFunction(
                    result.report.repo,
                    sha,
                    shown,
                    function.qualname,
                    agent,
                    commit.commit_time,
                    event,
                    hours,
                )
