"""Reading the journal the hooks append to. One record a line, tab-separated, versioned by its
first field; a line this version cannot read is skipped and counted, never fatal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

NONE = "-"


@dataclass(frozen=True)
class CommitRecord:
    """HEAD moved to `sha` from `old` while SELFWARE_AGENT was set; `task_blob` holds
    SELFWARE_TASK. Whether the move made a new commit is for the reader to check."""

    sha: str
    agent: str
    task_blob: str | None
    old: str


@dataclass(frozen=True)
class RewriteRecord:
    """One old→new line of post-rewrite: `kind` is amend or rebase."""

    kind: str
    old: str
    new: str
    agent: str | None


@dataclass(frozen=True)
class RefRecord:
    """A move of HEAD or a branch; `agent` is SELFWARE_AGENT when the move was the agent's."""

    old: str
    new: str
    ref: str
    agent: str | None


Record = CommitRecord | RewriteRecord | RefRecord


def _opt(value: str) -> str | None:
    return None if value in ("", NONE) else value


def parse_line(line: str) -> Record | None:
    """The record on one journal line, or None for a torn, foreign or garbage line."""
    fields = line.rstrip("\n").split("\t")
    if len(fields) < 2 or fields[0] != "v1":
        return None
    kind, rest = fields[1], fields[2:]
    if kind == "commit" and len(rest) == 4 and _is_oid(rest[0]) and _is_oid(rest[3]):
        return CommitRecord(rest[0], rest[1], _opt(rest[2]), rest[3])
    if kind == "rewrite" and len(rest) == 4 and _is_oid(rest[1]) and _is_oid(rest[2]):
        return RewriteRecord(rest[0], rest[1], rest[2], _opt(rest[3]))
    if kind == "ref" and len(rest) == 4 and _is_oid(rest[0]) and _is_oid(rest[1]):
        return RefRecord(rest[0], rest[1], rest[2], _opt(rest[3]))
    return None


def _is_oid(value: str) -> bool:
    return len(value) in (40, 64) and all(c in "0123456789abcdef" for c in value)


def is_zero(oid: str) -> bool:
    return set(oid) == {"0"}


@dataclass
class JournalStats:
    lines: int = 0
    unreadable: int = 0


def read_journal(path: Path, stats: JournalStats | None = None) -> Iterator[Record]:
    """Stream the records of a journal; a missing journal is an empty one."""
    stats = stats if stats is not None else JournalStats()
    try:
        handle = path.open("r", encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return
    with handle:
        for line in handle:
            stats.lines += 1
            record = parse_line(line)
            if record is None:
                stats.unreadable += 1
                continue
            yield record
