"""`selfware-git stats`: what the store holds, counted by task, agent, language, event, repo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .store import Store, read_rows

DIMENSIONS = ("task", "agent", "language", "event", "repo")


def _frame(path: Path) -> pd.DataFrame:
    records = [
        {"task": row["task"], **{d: row["metadata"][d] for d in DIMENSIONS if d != "task"}}
        for row in read_rows(path)
    ]
    return pd.DataFrame.from_records(records, columns=list(DIMENSIONS))


def gather_stats(store: Store) -> dict[str, Any]:
    pairs, unpaired = _frame(store.pairs), _frame(store.unpaired)
    return {
        "store": str(store.pairs),
        "pairs": len(pairs),
        "unpaired": len(unpaired),
        "by": {d: {k: int(v) for k, v in pairs[d].value_counts().items()} for d in DIMENSIONS},
        "unpaired_by": {
            d: {k: int(v) for k, v in unpaired[d].value_counts().items()} for d in DIMENSIONS
        },
    }


def format_stats(stats: dict[str, Any]) -> str:
    lines = [f"{stats['pairs']} pairs, {stats['unpaired']} unpaired rejections in {stats['store']}"]
    for dimension in DIMENSIONS:
        counts = stats["by"][dimension]
        if not counts:
            continue
        table = pd.Series(counts, name="pairs").rename_axis(dimension).to_frame()
        table["share"] = (table["pairs"] / stats["pairs"] * 100).round(1).astype(str) + " %"
        lines += ["", table.to_string()]
    return "\n".join(lines)
