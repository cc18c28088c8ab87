"""The Parquet-parts store: one folder, one part per repository (`repo=<stable id>/`), each
holding `pairs.parquet` and `unpaired.parquet` (so DPO loaders read the pairs alone) and the
fingerprint of what it was mined from. A part is written only by the task that mines its
repository, so many machines can write one store; every file is replaced whole, so a killed
task leaves the previous part or the new one, never half of one. `datasets.load_dataset(DIR)`
reads the pairs through the card's `configs` (`load_dataset(DIR, "unpaired")` the rest)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import Any

from selfware_git.hooks.errors import UserError

from .store import (
    FOLDER_HINT,
    LineCounts,
    atomic_write,
    exclusive,
    unique_by_id,
)

KINDS = ("pairs", "unpaired")
PREFIX = "repo="
FINGERPRINT = ".fingerprint.json"  # hidden: datasets and pyarrow pass over dot files
CARD = "README.md"
MARKER = "<!-- selfware-git parts store -->"


def part_id(name: str, key: str) -> str:
    """Readable and stable: the repository's name, then a hash of its path or URL, so two
    repositories with one name get two parts and a rerun finds its part again."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._-")[:60] or "repo"
    return f"{safe}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:12]}"


class PartsStore:
    """Rows in `folder/repo=<id>/{pairs,unpaired}.parquet`, one fingerprint beside each part."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock_file = folder / ".lock"

    @property
    def label(self) -> str:
        return str(self.folder)

    @property
    def home(self) -> Path:
        return self.folder.parent

    def part(self, part_id: str) -> Path:
        return self.folder / f"{PREFIX}{part_id}"

    def files(self, kind: str) -> list[Path]:
        return sorted(self.folder.glob(f"{PREFIX}*/{kind}.parquet"))

    def exists(self) -> bool:
        return any(self.files(kind) for kind in KINDS)

    def read(self, path: Path, counts: LineCounts | None = None) -> Iterator[dict[str, Any]]:
        import pyarrow.parquet as pq

        rows = pq.read_table(path).to_pylist()
        if counts is not None:
            counts.rows += len(rows)
        return iter(rows)

    def rows(self, kind: str, counts: LineCounts | None = None) -> Iterator[dict[str, Any]]:
        """Each id once: the same pair found in two repositories is one row to readers."""
        parts = chain.from_iterable(self.read(path, counts) for path in self.files(kind))
        return unique_by_id(parts)

    def rewrite(self, path: Path, rows: list[dict[str, Any]]) -> None:
        """Replace one part file; an empty one is removed (datasets cannot read a Parquet
        file without rows)."""
        write_rows(path, rows)

    @contextmanager
    def locked(self) -> Iterator[PartsStore]:
        """One driver at a time; tasks write only their own part while the driver holds it."""
        with exclusive(self._lock_file):
            yield self

    def check(self) -> None:
        """Refuse, before anything is written, a folder that is something else's."""
        if self.folder.exists() and not self.folder.is_dir():
            raise UserError(f"{self.folder} is a file, not a folder of parts", FOLDER_HINT)
        if self.folder.is_dir() and not is_parts_folder(self.folder):
            raise UserError(
                f"{self.folder} is a folder with other files, not a selfware-git parts store:"
                " refusing to write into it",
                "pass --out with a new or empty folder, or with a folder `mine` wrote",
            )

    def write_card(self) -> None:
        """The dataset card whose `configs` make `load_dataset(DIR)` read the pairs alone."""
        atomic_write(self.folder / CARD, render_card([k for k in KINDS if self.files(k)]).encode())


def is_parts_folder(folder: Path) -> bool:
    """Only parts (even those of a first run killed before its card), our card and dot files:
    a folder `mine --out` may write into and the other commands read."""
    for entry in folder.iterdir():
        if entry.name.startswith(".") or (entry.is_dir() and entry.name.startswith(PREFIX)):
            continue
        if entry.name == CARD and MARKER in entry.read_text(errors="replace"):
            continue
        return False
    return True


def write_rows(path: Path, rows: list[dict[str, Any]]) -> None:
    from .styles import SCHEMAS
    from .writers import encode

    if rows:
        atomic_write(path, encode(rows, SCHEMAS["standard"], "parquet"))
    else:
        path.unlink(missing_ok=True)


def row_ids(part: Path) -> set[str]:
    """Ids of the rows a part holds now (both kinds)."""
    import pyarrow.parquet as pq

    ids: set[str] = set()
    for kind in KINDS:
        path = part / f"{kind}.parquet"
        if path.exists():
            metadata = pq.read_table(path, columns=["metadata"]).column("metadata").to_pylist()
            ids.update(meta["id"] for meta in metadata)
    return ids


def read_fingerprint(part: Path) -> dict[str, Any]:
    """What the part was mined from and under which rules; empty where there is none yet."""
    try:
        return json.loads((part / FINGERPRINT).read_text())
    except (OSError, ValueError):
        return {}


def write_part(
    part: Path,
    pairs: list[dict[str, Any]],
    unpaired: list[dict[str, Any]],
    fingerprint: dict[str, Any],
) -> None:
    """Rows first, fingerprint last: a task killed in between leaves an old fingerprint, so
    the next run mines that repository again and completes its part."""
    for kind, rows in (("pairs", pairs), ("unpaired", unpaired)):
        write_rows(part / f"{kind}.parquet", rows)
    atomic_write(part / FINGERPRINT, json.dumps(fingerprint, indent=2, sort_keys=True).encode())


def render_card(kinds: list[str]) -> str:
    configs = []
    for kind in kinds:
        name = "default" if kind == "pairs" else kind
        configs += [
            f"- config_name: {name}",
            "  data_files:",
            "  - split: train",
            f'    path: "{PREFIX}*/{kind}.parquet"',
        ]
    header = ["---", "configs:", *configs, "---"] if configs else []
    return "\n".join(
        [
            *header,
            MARKER,
            "# selfware-git preference pairs (Parquet parts)",
            "",
            "Written by `selfware-git mine --out`: one folder per repository",
            f"(`{PREFIX}<name>-<hash of its path or URL>/`), pairs in `pairs.parquet`, unpaired",
            "rejections (KTO rows, `chosen` null) in `unpaired.parquet`.",
            "",
            "```python",
            "import datasets",
            'pairs = datasets.load_dataset("<this folder>")',
            'unpaired = datasets.load_dataset("<this folder>", "unpaired")',
            "```",
            "",
            "The same pair found in two repositories is in both parts; `selfware-git export",
            "--store <this folder>` (and `stats`, `pairs`) count each id once.",
            "",
        ]
    )
