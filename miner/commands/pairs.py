"""`selfware-git pairs` and `pairs show`: the stored rows, listed or one at a time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .options import CONTEXT, filter_options, open_store, row_filters, store_option, warning


@click.group("pairs", context_settings=CONTEXT, invoke_without_command=True)
@store_option
@filter_options
@click.option("--event", multiple=True, help="Only this event: amend, fix, reset… (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="One JSON row a line, as stored.")
@click.pass_context
def pairs_cmd(
    ctx: click.Context,
    store: Path | None,
    event: tuple[str, ...],
    limit: int | None,
    as_json: bool,
    **filter_options: Any,
) -> None:
    """List the stored pairs (and unpaired rejections), newest last; `pairs show ID` prints one.

    Filters as in `export`. Look before you train, and `forget --id ID` what should not be there.
    """
    from ..dataset.browse import list_line, select_rows

    if ctx.invoked_subcommand is not None:
        ctx.obj = {"store": store}
        return
    rows, unreadable = select_rows(
        open_store(store), row_filters(filter_options), set(event), limit
    )
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False) if as_json else list_line(row))
    if not as_json:
        click.echo(f"{len(rows)} row(s); `selfware-git pairs show ID` prints one", err=True)
    if unreadable:
        warning(f"{unreadable} unreadable line(s) in the store skipped")


@pairs_cmd.command("show", context_settings=CONTEXT)
@click.argument("row_id")
@store_option
@click.option("--color/--no-color", default=None, help="Colour the diff (default: on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the stored row as JSON.")
@click.pass_context
def pairs_show_cmd(
    ctx: click.Context, row_id: str, store: Path | None, color: bool | None, as_json: bool
) -> None:
    """Print one pair: its provenance, its prompt, and the diff from rejected to chosen.

    ROW_ID is the id `pairs` lists, or any unique start of it (at least 4 characters).
    """
    from ..dataset.browse import find_row, render_row

    row = find_row(open_store(store or (ctx.obj or {}).get("store")), row_id)
    if as_json:
        click.echo(json.dumps(row, indent=2, ensure_ascii=False))
        return
    click.echo(render_row(row), color=color)
