"""`selfware-git forget`: take rows out of the store and the exports, and records out of a
repository's journal and pinned refs. Each file is rewritten whole; `--dry-run` only counts."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from selfware_git.hooks.gitpaths import RepoPaths, run_git

from .snapshot_sessions import SNAPSHOT_REFS, delete_refs
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
    holding = set() if request.everything else _sessions_holding(paths, request.commit or "")
    for line in listing.splitlines():
        name, target = line.rsplit(" ", 1)
        named = name.rsplit("/", 1)[-1]
        if request.everything or any(x.startswith(request.commit) for x in (named, target)):
            refs.append(name)
        elif name in holding:
            refs.append(name)  # an agent edit session holding the commit: all of it goes
    if refs and not request.dry_run:
        delete_refs(paths, "".join(f"delete {name}\n" for name in refs), check=True)
    return removed_lines, refs


def _sessions_holding(paths: RepoPaths, commit: str) -> set[str]:
    """The snapshot sessions whose chain holds `commit` (a snapshot has only the one before it
    as parent, so a chain is all its tip's history); none where git does not know it."""
    listing = run_git(
        paths.common_dir,
        "for-each-ref",
        "--format=%(refname)",
        "--contains",
        commit,
        SNAPSHOT_REFS,
        check=False,
    )
    return set(listing.split())
