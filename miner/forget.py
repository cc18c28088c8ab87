"""`selfware-git forget`: take rows out of the store and the exports, and records out of a
repository's journal and pinned refs. Each file is rewritten whole; `--dry-run` only counts."""

from __future__ import annotations

import fnmatch
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from selfware_git.hooks.gitpaths import RepoPaths, run_git

from .snapshot_sessions import SNAPSHOT_REFS, session_files
from .store import Store, atomic_write, read_rows
from .writers import encode


@dataclass(frozen=True)
class ForgetRequest:
    """What to forget: every criterion given must hold (`everything` stands in for none)."""

    repo_name: str | None = None
    path_glob: str | None = None
    commit: str | None = None
    row_id: str | None = None  # a row's metadata id, or a unique start of it
    everything: bool = False
    dry_run: bool = False

    def matches_row(self, row: dict[str, Any]) -> bool:
        meta = row.get("metadata") or {}
        if self.repo_name and meta.get("repo") != self.repo_name:
            return False
        if self.path_glob and not fnmatch.fnmatch(meta.get("path", ""), self.path_glob):
            return False
        if self.row_id and not str(meta.get("id", "")).startswith(self.row_id):
            return False
        if self.commit:
            commits = (meta.get("rejected_commit") or "", meta.get("chosen_commit") or "")
            return any(c.startswith(self.commit) for c in commits if c)
        return True


@dataclass
class ForgetReport:
    rows: dict[str, int] = field(default_factory=dict)  # file → rows removed
    journal_lines: int = 0
    refs: list[str] = field(default_factory=list)


def forget_rows(store: Store, exports: list[Path], request: ForgetRequest) -> dict[str, int]:
    """Rows removed per file: the store's (JSONL, or every part of a parts folder), then the
    exports'."""
    removed = {}
    for path in [*store.files("pairs"), *store.files("unpaired")]:
        count = _forget_in_store(store, path, request)
        if count:
            removed[str(path)] = count
    for folder in exports:
        for path in sorted(folder.glob("*.jsonl")):
            count = _forget_in_jsonl(path, request)
            if count:
                removed[str(path)] = count
        for path in sorted(folder.glob("*.parquet")):
            count = _forget_in_parquet(path, request)
            if count:
                removed[str(path)] = count
    return removed


def _forget_in_store(store: Store, path: Path, request: ForgetRequest) -> int:
    if not path.exists():
        return 0
    rows = list(store.read(path))
    kept = [row for row in rows if not request.matches_row(row)]
    if len(kept) != len(rows) and not request.dry_run:
        store.rewrite(path, kept)
    return len(rows) - len(kept)


def _forget_in_jsonl(path: Path, request: ForgetRequest) -> int:
    if not path.exists():
        return 0
    rows = list(read_rows(path))
    kept = [row for row in rows if not request.matches_row(row)]
    if len(kept) != len(rows) and not request.dry_run:
        atomic_write(path, encode(kept, None, "jsonl"))
    return len(rows) - len(kept)


def _forget_in_parquet(path: Path, request: ForgetRequest) -> int:
    table = pq.read_table(path)
    rows = table.to_pylist()
    kept = [row for row in rows if not request.matches_row(row)]
    if len(kept) != len(rows) and not request.dry_run:
        atomic_write(path, encode(kept, table.schema, "parquet"))
    return len(rows) - len(kept)


def forget_trail(paths: RepoPaths, request: ForgetRequest) -> tuple[int, list[str]]:
    """Journal lines and refs/selfware entries naming the commit (or all of them)."""
    if not (request.commit or request.everything):
        return 0, []
    removed_lines = 0
    if paths.journal.exists():
        lines = paths.journal.read_bytes().splitlines(keepends=True)
        needle = (request.commit or "").encode()
        kept = [line for line in lines if not request.everything and needle not in line]
        removed_lines = len(lines) - len(kept)
        if removed_lines and not request.dry_run:
            atomic_write(paths.journal, b"".join(kept))
    listing = run_git(
        paths.common_dir, "for-each-ref", "--format=%(refname) %(objectname)", "refs/selfware/"
    )
    refs = []
    for line in listing.splitlines():
        name, target = line.rsplit(" ", 1)
        named = name.rsplit("/", 1)[-1]
        if request.everything or any(x.startswith(request.commit) for x in (named, target)):
            refs.append(name)
        elif name.startswith(SNAPSHOT_REFS) and _in_chain(paths, target, request.commit or ""):
            refs.append(name)  # an agent edit session holding the commit: all of it goes
    if refs and not request.dry_run:
        commands = "".join(f"delete {name}\n" for name in refs)
        _update_refs(paths, commands)
        for name in refs:
            if name.startswith(SNAPSHOT_REFS):
                for file in session_files(paths.selfware_dir, name):
                    file.unlink(missing_ok=True)
    return removed_lines, refs


def _in_chain(paths: RepoPaths, tip: str, commit: str) -> bool:
    """Is `commit` one of the snapshots of the session ending at `tip`?"""
    listing = run_git(paths.common_dir, "rev-list", "--first-parent", tip, check=False)
    return any(sha.startswith(commit) for sha in listing.split())


def _update_refs(paths: RepoPaths, commands: str) -> None:
    env = {**os.environ, "SELFWARE_INTERNAL": "1"}  # our hooks ignore their own bookkeeping
    subprocess.run(
        ["git", "-C", str(paths.common_dir), "update-ref", "--stdin"],
        input=commands,
        text=True,
        check=True,
        capture_output=True,
        env=env,
    )
