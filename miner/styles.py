"""The three row shapes TRL (and Axolotl) read: standard strings, conversational message lists,
and unpaired KTO rows, each with one fixed Arrow schema so Parquet never guesses types."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa

METADATA = pa.struct(
    [
        ("id", pa.string()),
        ("repo", pa.string()),
        ("path", pa.string()),
        ("language", pa.string()),
        ("function", pa.string()),
        ("chosen_function", pa.string()),
        ("event", pa.string()),
        ("agent", pa.string()),
        ("rejected_commit", pa.string()),
        ("chosen_commit", pa.string()),
        ("corrected_by", pa.string()),
        ("lines_added", pa.int32()),
        ("lines_removed", pa.int32()),
        ("paired", pa.bool_()),
        ("tags", pa.list_(pa.string())),
    ]
)
MESSAGES = pa.list_(pa.struct([("role", pa.string()), ("content", pa.string())]))
_COMMON = [("task", pa.string()), ("timestamp", pa.string()), ("metadata", METADATA)]

SCHEMAS: dict[str, pa.Schema] = {
    "standard": pa.schema(
        [("prompt", pa.string()), ("chosen", pa.string()), ("rejected", pa.string()), *_COMMON]
    ),
    "conversational": pa.schema(
        [("prompt", MESSAGES), ("chosen", MESSAGES), ("rejected", MESSAGES), *_COMMON]
    ),
    "kto": pa.schema(
        [("prompt", pa.string()), ("completion", pa.string()), ("label", pa.bool_()), *_COMMON]
    ),
}


def _common(row: dict[str, Any]) -> dict[str, Any]:
    return {"task": row["task"], "timestamp": row["timestamp"], "metadata": row["metadata"]}


def shape(row: dict[str, Any], style: str, system: str | None = None) -> Iterator[dict[str, Any]]:
    """The export rows one stored row becomes in `style` (none, one, or two for KTO)."""
    paired = row["chosen"] is not None
    if style == "kto":
        if paired:
            yield {
                "prompt": row["prompt"],
                "completion": row["chosen"],
                "label": True,
                **_common(row),
            }
        yield {
            "prompt": row["prompt"],
            "completion": row["rejected"],
            "label": False,
            **_common(row),
        }
        return
    if not paired:
        return
    if style == "standard":
        yield {
            "prompt": row["prompt"],
            "chosen": row["chosen"],
            "rejected": row["rejected"],
            **_common(row),
        }
        return
    prompt = [{"role": "user", "content": row["prompt"]}]
    if system:
        prompt.insert(0, {"role": "system", "content": system})
    yield {
        "prompt": prompt,
        "chosen": [{"role": "assistant", "content": row["chosen"]}],
        "rejected": [{"role": "assistant", "content": row["rejected"]}],
        **_common(row),
    }
