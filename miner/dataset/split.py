"""A train/test split that is deterministic and grouped: every row of the same function of the
same repository lands on the same side, today and after the store has grown."""

from __future__ import annotations

import hashlib
from typing import Any


def group_key(row: dict[str, Any]) -> str:
    meta = row["metadata"]
    return f"{meta['repo']}\0{meta['path']}\0{meta['function']}"


def split_of(row: dict[str, Any], test_fraction: float) -> str:
    digest = hashlib.sha256(group_key(row).encode("utf-8")).digest()
    position = int.from_bytes(digest[:8], "big") / 2**64
    return "test" if position < test_fraction else "train"
