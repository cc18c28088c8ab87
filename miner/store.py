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
from itertools import chain, islice
from pathlib import Path
from typing import Any

from selfware_git.hooks.errors import UserError, describe_os_error

# How many lines at the top of an existing file decide whether it is a store of pairs.
SNIFF_LINES = 20


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


def unique_by_id(
    rows: Iterable[dict[str, Any]], seen: set[str] | None = None
) -> Iterator[dict[str, Any]]:
    """The first row of each id, leaving out ids in `seen` (which grows as rows pass)."""
    seen = set() if seen is None else seen
    for row in rows:
        row_id = row["metadata"]["id"]
        if row_id not in seen:
            seen.add(row_id)
            yield row


class Store:
    """Pairs in `path`; unpaired rejections (KTO-only rows) and mining state beside it."""

    def __init__(self, path: Path) -> None:
        self.pairs = path
        self.unpaired = path.with_name(f"{path.stem}.unpaired.jsonl")
        self.state_file = path.with_name(f"{path.stem}.state.json")
        self._lock_file = path.with_name(f".{path.name}.lock")

    @property
    def label(self) -> str:
        """How messages name the store."""
        return str(self.pairs)

    @property
    def home(self) -> Path:
        """The folder the exports of this store go into (`dataset-<style>`)."""
        return self.pairs.parent

    def exists(self) -> bool:
        return self.pairs.exists() or self.unpaired.exists()

    def files(self, kind: str) -> list[Path]:
        """The files holding one kind of row: "pairs" or "unpaired"."""
        return [self.pairs if kind == "pairs" else self.unpaired]

    def read(self, path: Path, counts: LineCounts | None = None) -> Iterator[dict[str, Any]]:
        return read_rows(path, counts)

    def rows(self, kind: str, counts: LineCounts | None = None) -> Iterator[dict[str, Any]]:
        return chain.from_iterable(self.read(path, counts) for path in self.files(kind))

    def rewrite(self, path: Path, rows: list[dict[str, Any]]) -> None:
        atomic_write(path, b"".join(dump_row(row) for row in rows))

    @contextmanager
    def locked(self) -> Iterator[Store]:
        with exclusive(self._lock_file):
            yield self

    def check(self) -> None:
        """Refuse, with a UserError, a pairs file that exists and is no store of ours, before
        anything is written into it."""
        blocker = _file_in_the_way(self.pairs.parent)
        if blocker is not None:
            raise UserError(
                f"cannot keep a store in {self.pairs.parent}: {blocker} is a file", FOLDER_HINT
            )
        for path in (self.pairs, self.unpaired):
            if path.is_dir():
                raise UserError(
                    f"{path} is a folder, not a pairs file", "pass --store with a file's path"
                )
            if not looks_like_store(path):
                raise UserError(
                    f"{path} is not a selfware-git pairs file: refusing to write into it",
                    "pass --store with a new file, or with a store that `mine` wrote",
                )

    def ids(self, path: Path) -> set[str]:
        return {row["metadata"]["id"] for row in read_rows(path)}

    def add(self, path: Path, rows: Iterable[dict[str, Any]]) -> int:
        """Append rows whose id is new; the file is replaced in one step. Returns rows added."""
        fresh = list(unique_by_id(rows, self.ids(path)))
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
            self.rewrite(path, kept)
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


@dataclass
class LineCounts:
    """What reading a store met: rows, and lines that were no row (torn, foreign, garbage)."""

    rows: int = 0
    unreadable: int = 0


def parse_row(line: str) -> dict[str, Any] | None:
    try:
        row = json.loads(line)
    except ValueError:
        return None
    if isinstance(row, dict) and isinstance(row.get("metadata"), dict):
        return row
    return None


def read_rows(path: Path, counts: LineCounts | None = None) -> Iterator[dict[str, Any]]:
    """Rows of a JSONL store; a line that is not a JSON object with metadata is passed over
    (and counted in `counts`, where given). Blank lines are not counted."""
    if not path.exists():
        return
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            row = parse_row(line)
            if row is not None:
                if counts is not None:
                    counts.rows += 1
                yield row
            elif counts is not None and line.strip():
                counts.unreadable += 1


def looks_like_store(path: Path) -> bool:
    """Missing, empty, or a row among its first lines: a file `mine` may add to."""
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            lines = [line for line in islice(handle, SNIFF_LINES) if line.strip()]
    except FileNotFoundError:
        return True
    return not lines or any(parse_row(line) is not None for line in lines)


FOLDER_HINT = "move that file away, or choose another place (--store, --out, SELFWARE_HOME)"


def _file_in_the_way(folder: Path) -> Path | None:
    """The folder itself or the nearest of its parents that exists as something else."""
    return next((p for p in [folder, *folder.parents] if p.exists() and not p.is_dir()), None)


def make_folder(folder: Path) -> None:
    """Create a private folder (and its parents), or say which file stands in the way."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        blocker = _file_in_the_way(folder) or exc.filename
        raise UserError(
            f"cannot create the folder {folder}: {blocker} is a file", FOLDER_HINT
        ) from exc
    except OSError as exc:
        raise UserError(f"cannot create the folder {folder}: {describe_os_error(exc)}") from exc


def atomic_write(path: Path, data: bytes) -> None:
    """Write a private file all at once: readers see the old file or the new, never half."""
    make_folder(path.parent)
    if path.is_dir():
        raise UserError(f"{path} is a folder; a file was to be written there", "choose a file path")
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


@contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    """One writer at a time in the lock file's folder. The lock file goes when its holder is
    done: a writer that waited on a lock file since removed tries again on the new one. Temp
    files a killed run left in that folder are removed once the lock is held."""
    make_folder(lock_file.parent)
    while True:
        fd = os.open(lock_file, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            current = os.stat(lock_file).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(fd).st_ino:
            break
        os.close(fd)
    try:
        remove_temp_files(lock_file.parent)
        yield
    finally:
        lock_file.unlink(missing_ok=True)
        os.close(fd)


def remove_temp_files(folder: Path) -> None:
    """The temp files `atomic_write` leaves when its process is killed mid-write."""
    for stale in folder.glob(".*.tmp"):
        stale.unlink(missing_ok=True)
