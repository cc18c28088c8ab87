"""Dataset files, written whole or not at all: JSONL and Parquet with the same rows."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .store import atomic_write


def encode(rows: list[dict[str, Any]], schema: pa.Schema, fmt: str) -> bytes:
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()
    table = pa.Table.from_pylist(rows, schema=schema)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def write_split(path: Path, rows: list[dict[str, Any]], schema: pa.Schema, fmt: str) -> None:
    atomic_write(path, encode(rows, schema, fmt))
