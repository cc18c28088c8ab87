"""The agent edit snapshot sessions of a repository, as refs and the files the hot path keeps
beside them; light enough for `status` (no parser, no pair rules)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pygit2

from selfware_git.hooks.gitpaths import RepoPaths

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


def delete_refs(paths: RepoPaths, commands: str, check: bool) -> bool:
    """`git update-ref --stdin` with `commands` (`delete <ref> [<old>]` lines), as our own
    bookkeeping that our hooks ignore; then the files beside each snapshot session deleted.
    False, and nothing deleted, where git refused (with `check`: CalledProcessError)."""
    proc = subprocess.run(
        ["git", "-C", str(paths.common_dir), "update-ref", "--stdin"],
        input=commands,
        text=True,
        capture_output=True,
        env={**os.environ, "SELFWARE_INTERNAL": "1"},
        check=check,
    )
    if proc.returncode != 0:
        return False
    for line in commands.splitlines():
        ref = line.split()[1]
        if ref.startswith(SNAPSHOT_REFS):
            for file in session_files(paths.selfware_dir, ref):
                file.unlink(missing_ok=True)
    return True
