"""`selfware-git stats`: what the store holds, counted by task, agent, language, event, repo."""

from __future__ import annotations

from typing import Any

import pandas as pd

from selfware_git.hooks.errors import UserError

from ..store import LineCounts, Store

DIMENSIONS = ("task", "agent", "language", "event", "repo")


def _frame(store: Store, kind: str, counts: LineCounts) -> pd.DataFrame:
    records = [
        {"task": row.get("task"), **{d: row["metadata"].get(d) for d in DIMENSIONS if d != "task"}}
        for row in store.rows(kind, counts)
    ]
    return pd.DataFrame.from_records(records, columns=list(DIMENSIONS))


def gather_stats(store: Store) -> dict[str, Any]:
    """Counts of the store's rows; a store with lines but not one row is a UserError."""
    counts = {kind: LineCounts() for kind in ("pairs", "unpaired")}
    pairs = _frame(store, "pairs", counts["pairs"])
    unpaired = _frame(store, "unpaired", counts["unpaired"])
    # Only a JSONL store has lines that are no row: one file of each kind.
    counts = {store.files(kind)[0]: count for kind, count in counts.items() if count.unreadable}
    for path, count in counts.items():
        if not count.rows:
            raise UserError(
                f"{path} is not a selfware-git pairs file: none of its {count.unreadable}"
                " line(s) is a pair",
                "pass --store with the file `mine` wrote",
            )
    return {
        "store": store.label,
        "pairs": len(pairs),
        "unpaired": len(unpaired),
        "unreadable_lines": {str(p): c.unreadable for p, c in counts.items()},
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
