"""The local store of pairs: JSONL files replaced atomically, so a killed run leaves the last
complete store and a rerun adds exactly what is missing. One writer at a time (a lock file)."""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def selfware_home() -> Path:
    """`SELFWARE_HOME`, else ~/.selfware: everything selfware-git writes outside repositories."""
    return Path(os.environ.get("SELFWARE_HOME") or Path.home() / ".selfware")


def default_pairs_path() -> Path:
    return selfware_home() / "feedback" / "preferences.jsonl"


@dataclass(frozen=True)
class Drop:
    """Rows to remove: by id, or (for stores written before ids were recorded per
    repository) every row of one repository name."""

    ids: set[str]
    repo: str | None = None

    def matches(self, row: dict[str, Any]) -> bool:
        metadata = row["metadata"]
        return metadata.get("id") in self.ids or (
            self.repo is not None and metadata.get("repo") == self.repo
        )


class Store:
    """Pairs in `path`; unpaired rejections (KTO-only rows) and mining state beside it."""

    def __init__(self, path: Path) -> None:
        self.pairs = path
        self.unpaired = path.with_name(f"{path.stem}.unpaired.jsonl")
        self.state_file = path.with_name(f"{path.stem}.state.json")
        self._lock_file = path.with_name(f".{path.name}.lock")

    @contextmanager
    def locked(self) -> Iterator[Store]:
        self.pairs.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self._lock_file, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            for stale in self.pairs.parent.glob(".*.tmp"):
                stale.unlink(missing_ok=True)  # left by a run that was killed mid-write
            yield self
        finally:
            os.close(fd)

    def ids(self, path: Path) -> set[str]:
        return {row["metadata"]["id"] for row in read_rows(path)}

    def add(self, path: Path, rows: Iterable[dict[str, Any]]) -> int:
        """Append rows whose id is new; the file is replaced in one step. Returns rows added."""
        known = self.ids(path)
        fresh = []
        for row in rows:
            row_id = row["metadata"]["id"]
            if row_id not in known:
                known.add(row_id)
                fresh.append(row)
        if fresh:
            existing = path.read_bytes() if path.exists() else b""
            lines = b"".join(dump_row(row) for row in fresh)
            atomic_write(path, existing + lines)
        return len(fresh)

    def remove(self, path: Path, drop: Drop) -> int:
        """Remove the rows `drop` names; the file is replaced in one step. Returns rows removed."""
        if not path.exists():
            return 0
        kept, removed = [], 0
        for row in read_rows(path):
            if drop.matches(row):
                removed += 1
            else:
                kept.append(row)
        if removed:
            atomic_write(path, b"".join(dump_row(row) for row in kept))
        return removed

    def load_state(self) -> dict[str, Any]:
        try:
            return json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return {}

    def save_state(self, state: dict[str, Any]) -> None:
        atomic_write(self.state_file, json.dumps(state, indent=2, sort_keys=True).encode())


def dump_row(row: dict[str, Any]) -> bytes:
    """One JSONL line: the single encoding of a row, in the store and in exports alike."""
    return (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a JSONL store; a line that is not a JSON object with an id is passed over."""
    if not path.exists():
        return
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if isinstance(row, dict) and isinstance(row.get("metadata"), dict):
                yield row


def atomic_write(path: Path, data: bytes) -> None:
    """Write a private file all at once: readers see the old file or the new, never half."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
