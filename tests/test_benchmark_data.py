"""The hand-labelled pair-quality data stays what the benchmarks read: shas, paths, function
names, known labels and one-line notes (no third-party code), every row's repository named
with its snapshot HEAD."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "benchmarks" / "pair_quality"
SHA = re.compile(r"[0-9a-f]{40}")
LABELS = {
    "correction",
    "growth",
    "agent",
    "bot",
    "comment",
    "formatter",
    "move",
    "other_lines",
    "rename",
    "ripple",
    "sweep",
}
SAMPLE_LABELS = {"correction", "mechanical", "growth", "other_lines", "other"}
NOTE_CHARS = 300  # one line in the labeller's words, never a pasted diff


def rows_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def check_row(row: dict, labels: set[str]) -> None:
    assert SHA.fullmatch(row["commit"]), row
    assert SHA.fullmatch(row["agent_commit"]), row
    assert row["path"] and row["function"], row
    assert row["label"] in labels, row
    assert "\n" not in row["note"] and len(row["note"]) <= NOTE_CHARS, row


@pytest.mark.parametrize("path", sorted((DATA / "labels").glob("*.jsonl")), ids=lambda p: p.stem)
def test_labelled_sets_hold_only_shas_names_labels_and_notes(path: Path) -> None:
    repos = json.loads((DATA / "repos.json").read_text())
    assert SHA.fullmatch(repos[path.stem]["head"])
    for row in rows_of(path):
        check_row(row, LABELS)


def test_samples_hold_only_shas_names_labels_and_notes() -> None:
    meta = json.loads((DATA / "samples" / "samples.json").read_text())
    files = sorted((DATA / "samples").glob("*.jsonl"))
    assert {path.stem for path in files} == set(meta["repositories"])
    for path in files:
        assert SHA.fullmatch(meta["repositories"][path.stem]["head"])
        for row in rows_of(path):
            check_row(row, SAMPLE_LABELS)
            assert row["sample"] in meta["samples"], row
