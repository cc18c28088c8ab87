"""`selfware-git stats`: what the store holds, counted by task, agent, language, event, repo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from selfware_git.hooks.errors import UserError

from .store import LineCounts, Store, read_rows

DIMENSIONS = ("task", "agent", "language", "event", "repo")


def _frame(path: Path, counts: LineCounts) -> pd.DataFrame:
    records = [
        {"task": row.get("task"), **{d: row["metadata"].get(d) for d in DIMENSIONS if d != "task"}}
        for row in read_rows(path, counts)
    ]
    return pd.DataFrame.from_records(records, columns=list(DIMENSIONS))


def gather_stats(store: Store) -> dict[str, Any]:
    """Counts of the store's rows; a store with lines but not one row is a UserError."""
    counts = {path: LineCounts() for path in (store.pairs, store.unpaired)}
    pairs = _frame(store.pairs, counts[store.pairs])
    unpaired = _frame(store.unpaired, counts[store.unpaired])
    for path, count in counts.items():
        if count.unreadable and not count.rows:
            raise UserError(
                f"{path} is not a selfware-git pairs file: none of its {count.unreadable}"
                " line(s) is a pair",
                "pass --store with the file `mine` wrote",
            )
    return {
        "store": str(store.pairs),
        "pairs": len(pairs),
        "unpaired": len(unpaired),
        "unreadable_lines": {str(p): c.unreadable for p, c in counts.items() if c.unreadable},
        "by": {d: {k: int(v) for k, v in pairs[d].value_counts().items()} for d in DIMENSIONS},
        "unpaired_by": {
            d: {k: int(v) for k, v in unpaired[d].value_counts().items()} for d in DIMENSIONS
        },
    }


def format_stats(stats: dict[str, Any]) -> str:
    lines = [f"{stats['pairs']} pairs, {stats['unpaired']} unpaired rejections in {stats['store']}"]
    for path, count in stats["unreadable_lines"].items():
        lines.append(f"warning: {count} unreadable line(s) in {path} skipped (not a pair)")
    for dimension in DIMENSIONS:
        counts = stats["by"][dimension]
        if not counts:
            continue
        table = pd.Series(counts, name="pairs").rename_axis(dimension).to_frame()
        table["share"] = (table["pairs"] / stats["pairs"] * 100).round(1).astype(str) + " %"
        lines += ["", table.to_string()]
    return "\n".join(lines)
