"""Which stored rows an export or a report takes: filters by tag, agent, language, repository,
date and size, applied while the store streams by."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Filters:
    tasks: frozenset[str] = frozenset()
    agents: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    repos: frozenset[str] = frozenset()
    since: datetime | None = None
    until: datetime | None = None
    max_chars: int | None = None

    def describe(self) -> str:
        parts = [
            f"{name}={','.join(sorted(values))}"
            for name, values in (
                ("task", self.tasks),
                ("agent", self.agents),
                ("language", self.languages),
                ("repo", self.repos),
            )
            if values
        ]
        if self.since:
            parts.append(f"since={self.since:%Y-%m-%d}")
        if self.until:
            parts.append(f"until={self.until:%Y-%m-%d}")
        if self.max_chars:
            parts.append(f"max-chars={self.max_chars}")
        return " ".join(parts) or "none"

    def accepts(self, row: dict[str, Any]) -> bool:
        meta = row["metadata"]
        checks = (
            (self.tasks, row["task"]),
            (self.agents, meta["agent"]),
            (self.languages, meta["language"]),
            (self.repos, meta["repo"]),
        )
        if any(values and value not in values for values, value in checks):
            return False
        day = row["timestamp"][:10]
        if self.since and day < f"{self.since:%Y-%m-%d}":
            return False
        if self.until and day > f"{self.until:%Y-%m-%d}":
            return False
        size = len(row["prompt"]) + len(row["chosen"] or "") + len(row["rejected"])
        return not (self.max_chars and size > self.max_chars)


def select(rows: Iterable[dict[str, Any]], filters: Filters) -> Iterator[dict[str, Any]]:
    return (row for row in rows if filters.accepts(row))
