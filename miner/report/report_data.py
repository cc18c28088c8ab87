"""The report's figures as plain data: what `report --json` prints and the page draws."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime, timezone
from pathlib import PurePosixPath
from typing import Any

from .outcomes import AgentFunction

OUTCOMES = ("kept", "amend", "rebase", "fix", "revert", "reset", "cherry-pick")
DIMENSIONS = ("task", "agent", "language", "event")
TOP = 10
WEEKLY_UP_TO_DAYS = 84  # a history shorter than twelve weeks is shown by week, else by month
HOUR_BUCKETS = (
    ("under 1 hour", 1),
    ("1 to 24 hours", 24),
    ("1 to 7 days", 168),
    ("over 7 days", float("inf")),
)


def _period(epoch: int, weekly: bool) -> str:
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    if weekly:
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{moment:%Y-%m}"


def survival(functions: list[AgentFunction]) -> dict[str, Any]:
    times = [f.written_at for f in functions]
    weekly = bool(times) and (max(times) - min(times)) <= WEEKLY_UP_TO_DAYS * 86400
    by_period: dict[str, Counter] = {}
    for function in functions:
        by_period.setdefault(_period(function.written_at, weekly), Counter())[function.outcome] += 1
    totals = Counter(f.outcome for f in functions)
    return {
        "agent_functions": len(functions),
        "outcomes": {o: totals.get(o, 0) for o in OUTCOMES},
        "share_kept": round(totals.get("kept", 0) / len(functions), 4) if functions else None,
        "period": "week" if weekly else "month",
        "by_period": {
            period: {o: counts.get(o, 0) for o in OUTCOMES}
            for period, counts in sorted(by_period.items())
        },
    }


def time_to_correction(functions: list[AgentFunction]) -> dict[str, Any]:
    hours = sorted(f.hours_to_correction for f in functions if f.hours_to_correction is not None)
    buckets = Counter()
    for value in hours:
        buckets[next(name for name, limit in HOUR_BUCKETS if value < limit)] += 1
    return {
        "count": len(hours),
        "median_hours": round(statistics.median(hours), 2) if hours else None,
        "buckets": {name: buckets.get(name, 0) for name, _ in HOUR_BUCKETS},
    }


def corrections(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def value(row: dict[str, Any], what: str) -> str:
        return row["task"] if what == "task" else row["metadata"][what]

    by = {f"by_{d}": dict(Counter(value(r, d) for r in rows).most_common()) for d in DIMENSIONS}
    files = Counter(r["metadata"]["path"] for r in rows)
    folders = Counter(str(PurePosixPath(r["metadata"]["path"]).parent) for r in rows)
    return {
        **by,
        "top_files": dict(files.most_common(TOP)),
        "top_directories": dict(folders.most_common(TOP)),
    }


def figures(
    repos: list[str], functions: list[AgentFunction], rows: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "repositories": repos,
        "pairs": sum(1 for r in rows if r["chosen"] is not None),
        "unpaired": sum(1 for r in rows if r["chosen"] is None),
        "survival": survival(functions),
        "corrections": corrections(rows),
        "time_to_correction": time_to_correction(functions),
    }
