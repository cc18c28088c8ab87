"""The dataset card (README.md) written beside an export: a Hugging Face YAML header naming
configs, splits and features, then how the data was mined, the tags and the counts."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pyarrow as pa
import yaml

from ..tasks import TASK_TAGS

_DTYPES = {pa.string(): "string", pa.bool_(): "bool", pa.int32(): "int32"}


def _features(schema: pa.Schema) -> list[dict[str, Any]]:
    return [_feature(field.name, field.type) for field in schema]


def _feature(name: str, kind: pa.DataType) -> dict[str, Any]:
    if pa.types.is_struct(kind):
        return {"name": name, "struct": [_feature(f.name, f.type) for f in kind]}
    if pa.types.is_list(kind):
        inner = kind.value_type
        if pa.types.is_struct(inner):
            return {"name": name, "list": [_feature(f.name, f.type) for f in inner]}
        return {"name": name, "sequence": _DTYPES[inner]}
    return {"name": name, "dtype": _DTYPES[kind]}


def render_card(
    style: str,
    fmt: str,
    schema: pa.Schema,
    splits: dict[str, list[dict[str, Any]]],
    files: dict[str, str],
    filters: str,
    sizes: dict[str, int],
) -> str:
    header = {
        "configs": [
            {
                "config_name": "default",
                "data_files": [{"split": s, "path": files[s]} for s in splits],
            }
        ],
        "dataset_info": {
            "features": _features(schema),
            "splits": [
                {"name": s, "num_examples": len(rows), "num_bytes": sizes[s]}
                for s, rows in splits.items()
            ],
        },
        "tags": ["dpo", "kto", "preference", "code", "selfware-git"],
        "task_categories": ["text-generation"],
    }
    rows = [row for split in splits.values() for row in split]
    counts = {
        what: Counter(_get(row, what) for row in rows)
        for what in ("task", "agent", "language", "event", "repo")
    }
    lines = [
        "---",
        yaml.safe_dump(header, sort_keys=False).rstrip(),
        "---",
        "",
        f"# Code preference pairs ({style})",
        "",
        "Mined by [selfware-git](https://pypi.org/project/selfware-git/) from git history: an AI "
        "coding agent's version of a function (rejected) against the version the person kept "
        "after amending, rebasing, reverting, resetting or fixing the agent's commit (chosen).",
        "",
        f"- Style: `{style}`; format: `{fmt}`; filters: {filters}.",
        "- Splits are grouped: every row of one function of one repository is on one side.",
        "- `prompt` is the agent's task, then the language, the file, the enclosing scopes and "
        "the name of the function to write.",
        "",
        "## Task tags",
        "",
        "| tag | meaning |",
        "|---|---|",
        *(f"| `{tag}` | {meaning} |" for tag, meaning in TASK_TAGS.items()),
        "",
        "## Counts",
        "",
        *(f"- {s}: {len(r)} rows" for s, r in splits.items()),
    ]
    for what, counter in counts.items():
        listed = ", ".join(f"{k}: {v}" for k, v in counter.most_common())
        lines.append(f"- by {what}: {listed}")
    lines += [
        "",
        "## Privacy",
        "",
        "Mined locally; nothing was uploaded. The rows hold source code and task prompts from "
        "the repositories named in `metadata.repo`, with secrets redacted before storage. "
        "Review before sharing.",
        "",
    ]
    return "\n".join(lines)


def _get(row: dict[str, Any], what: str) -> str:
    return str(row["task"] if what == "task" else row["metadata"][what])
