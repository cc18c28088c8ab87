"""The agent edit snapshot sessions of a repository, as refs and the files the hot path keeps
beside them; light enough for `status` (no parser, no pair rules)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pygit2

SNAPSHOT_REFS = "refs/selfware/snapshot/"


@dataclass(frozen=True)
class Session:
    ref: str
    agent: str
    name: str
    tip: str


def sessions(repo: pygit2.Repository) -> list[Session]:
    """Every snapshot session of the repository."""
    found = []
    for ref in sorted(repo.references):
        if not ref.startswith(SNAPSHOT_REFS):
            continue
        agent, _, name = ref[len(SNAPSHOT_REFS) :].partition("/")
        target = repo.references[ref].target
        if name and isinstance(target, pygit2.Oid):
            found.append(Session(ref, agent, name, str(target)))
    return found


def session_files(selfware_dir: Path, ref: str) -> list[Path]:
    """What the hot path keeps beside a session's ref: its last snapshot and its index."""
    agent, _, name = ref[len(SNAPSHOT_REFS) :].partition("/")
    state = selfware_dir / "snapshots" / agent / name
    return [state, state.with_name(name + ".index")]
