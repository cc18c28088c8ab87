"""`selfware-git export`: the store as a dataset directory that Hugging Face `datasets`, TRL
and Axolotl load untouched: one file per split, and a dataset card."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from selfware_git.hooks.errors import UserError

from ..store import LineCounts, Store, atomic_write
from ..styles import SCHEMAS, shape
from ..writers import encode
from .dataset_card import render_card
from .selection import Filters, select
from .split import group_key, split_of


@dataclass(frozen=True)
class ExportRequest:
    store: Store  # or a PartsStore: the same reading methods
    out: Path
    fmt: str = "parquet"
    style: str = "standard"
    test_split: float = 0.1
    system: str | None = None
    filters: Filters = field(default_factory=Filters)


@dataclass
class ExportResult:
    out: Path
    files: dict[str, Path]
    counts: dict[str, int]
    notes: list[str] = field(default_factory=list)  # what the person should know about it


def export(request: ExportRequest) -> ExportResult:
    """Write the splits and the card; refuse, writing nothing, when no row would be written."""
    store = request.store
    kinds = ["pairs", "unpaired"] if request.style == "kto" else ["pairs"]
    sources = [path for kind in kinds for path in store.files(kind)]
    if not any(path.exists() and path.stat().st_size for path in sources):
        raise UserError(
            f"no pairs in {store.label}",
            "run `selfware-git mine` first, or pass --store with the pairs file to export",
        )
    counts = LineCounts()
    stored = chain.from_iterable(store.rows(kind, counts) for kind in kinds)
    splits: dict[str, list[dict]] = {"train": [], "test": []}
    groups = set()
    for row in select(stored, request.filters):
        groups.add(group_key(row))
        for shaped in shape(row, request.style, request.system):
            splits[split_of(row, request.test_split)].append(shaped)
    splits = {name: rows for name, rows in splits.items() if rows}
    if not splits:
        raise UserError(
            f"no rows match the filters ({request.filters.describe()})",
            "loosen the filters; `selfware-git stats` shows what the store holds",
        )
    schema = SCHEMAS[request.style]
    files = {name: request.out / f"{name}.{request.fmt}" for name in splits}
    payloads = {name: encode(rows, schema, request.fmt) for name, rows in splits.items()}
    for name, payload in payloads.items():
        atomic_write(files[name], payload)
    card = render_card(
        style=request.style,
        fmt=request.fmt,
        schema=schema,
        splits=splits,
        files={name: path.name for name, path in files.items()},
        filters=request.filters.describe(),
        sizes={name: len(payload) for name, payload in payloads.items()},
    )
    atomic_write(request.out / "README.md", card.encode())
    for stale in ("train", "test"):
        for fmt in ("parquet", "jsonl"):
            old = request.out / f"{stale}.{fmt}"
            if old.exists() and old not in files.values():
                old.unlink()  # a split this export no longer has must not linger beside it
    notes = []
    if request.test_split > 0 and "test" not in splits:
        notes.append(
            f"no test split: the {len(groups)} function(s) exported are too few for a"
            f" {request.test_split:.0%} test split (each function goes whole to one side);"
            " evaluate on more data, or pass --test-split 0 to say no test split is wanted"
        )
    if counts.unreadable:
        notes.append(f"{counts.unreadable} unreadable line(s) in the store skipped (not a pair)")
    counts_by_split = {name: len(rows) for name, rows in splits.items()}
    return ExportResult(request.out, files, counts_by_split, notes)
