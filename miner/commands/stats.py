"""`selfware-git stats`: the stored pairs counted."""

from __future__ import annotations

import json
from pathlib import Path

import click

from selfware_git.hooks.errors import UserError

from .options import open_store, store_option


@click.command("stats")
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def stats_cmd(store: Path | None, as_json: bool) -> None:
    """Count the stored pairs by task, agent, language, event and repository."""
    from ..dataset.stats import format_stats, gather_stats

    selected = open_store(store)
    if not selected.exists():
        raise UserError(f"no store at {selected.label}", "run `selfware-git mine` first")
    stats = gather_stats(selected)
    click.echo(json.dumps(stats, indent=2) if as_json else format_stats(stats))
