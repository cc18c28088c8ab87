"""`selfware-git pairs`: the stored rows, to look at before training. One line a row in the
list; `pairs show ID` prints one row's provenance, prompt and diff (coloured on a terminal)."""

from __future__ import annotations

from itertools import chain
from typing import Any

import click

from selfware_git.hooks.errors import UserError

from ..demo import format_row
from ..store import LineCounts, Store
from .selection import Filters, select

MIN_ID = 4  # characters of an id that `pairs show` and `forget --id` accept
PROVENANCE = (
    ("repo", "Repository"),
    ("path", "File"),
    ("function", "Function"),
    ("event", "Event"),
    ("agent", "Agent"),
    ("rejected_commit", "Agent's commit"),
    ("chosen_commit", "Person's commit"),
    ("corrected_by", "Corrected by"),
)


def _rows(store: Store, counts: LineCounts | None = None) -> Any:
    if not store.exists():
        raise UserError(f"no store at {store.label}", "run `selfware-git mine` first")
    return chain(store.rows("pairs", counts), store.rows("unpaired", counts))


def select_rows(
    store: Store, filters: Filters, events: set[str], limit: int | None
) -> tuple[list[dict[str, Any]], int]:
    """The rows the filters take (pairs, then unpaired rejections), and how many lines of the
    store were unreadable."""
    counts = LineCounts()
    rows = []
    for row in select(_rows(store, counts), filters):
        if events and row["metadata"].get("event") not in events:
            continue
        rows.append(row)
        if limit and len(rows) >= limit:
            break
    return rows, counts.unreadable


def list_line(row: dict[str, Any]) -> str:
    meta = row["metadata"]
    kind = "pair" if row.get("chosen") is not None else "unpaired"
    return (
        f"{meta.get('id', '?')[:12]}  {row.get('timestamp', '')[:10]}  {kind:<8} "
        f"{meta.get('event', '?'):<11} {row.get('task', '?'):<14} {meta.get('agent', '?'):<10} "
        f"{meta.get('repo', '?')}:{meta.get('path', '?')} {meta.get('function', '?')}"
    )


def find_row(store: Store, row_id: str) -> dict[str, Any]:
    """The one row whose id is `row_id` or starts with it."""
    if len(row_id) < MIN_ID:
        raise UserError(f"{row_id!r} is too short for an id", f"give at least {MIN_ID} characters")
    found = [row for row in _rows(store) if str(row["metadata"].get("id", "")).startswith(row_id)]
    if not found:
        raise UserError(
            f"no row with id {row_id} in {store.label}", "`selfware-git pairs` lists them"
        )
    if len({row["metadata"]["id"] for row in found}) > 1:
        ids = ", ".join(sorted(row["metadata"]["id"][:12] for row in found)[:5])
        raise UserError(f"{row_id} starts several ids ({ids})", "give more of the id")
    return found[0]


def render_row(row: dict[str, Any]) -> str:
    """Provenance, prompt and the rejected → chosen diff, with colour codes (click.echo drops
    them where the output is no terminal)."""
    meta = row["metadata"]
    lines = [click.style(f"pair {meta.get('id')}", bold=True)]
    lines += [f"{label + ':':<17}{meta[key]}" for key, label in PROVENANCE if meta.get(key)]
    lines += [f"{'Task:':<17}{row.get('task')}", f"{'Timestamp:':<17}{row.get('timestamp')}"]
    lines += ["", click.style("Prompt", bold=True)]
    lines += [f"  {line}" for line in str(row.get("prompt", "")).splitlines()]
    lines += ["", click.style("Diff", bold=True)]
    if row.get("chosen") is None:
        lines += ["  unpaired rejection: the person removed it; the agent's version was:"]
        lines += [click.style(f"  -{line}", fg="red") for line in row["rejected"].splitlines()]
        return "\n".join(lines)
    for line in format_row(row).splitlines()[1:]:  # format_row's first line is a heading
        body = line[2:]
        colour = (
            "cyan"
            if body.startswith("@@")
            else "red"
            if body.startswith("-")
            else "green"
            if body.startswith("+")
            else None
        )
        lines.append(click.style(line, fg=colour) if colour else line)
    return "\n".join(lines)
