"""Dataset files as bytes, JSONL and Parquet with the same rows; callers write them whole
(`atomic_write`), so a reader never sees half a file."""

from __future__ import annotations

import io
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .store import dump_row


def encode(rows: list[dict[str, Any]], schema: pa.Schema | None, fmt: str) -> bytes:
    if fmt == "jsonl":
        return b"".join(dump_row(row) for row in rows)
    table = pa.Table.from_pylist(rows, schema=schema)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()
