"""`selfware-git demo`: a throwaway repository played through and mined."""

from __future__ import annotations

import json
from pathlib import Path

import click

from selfware_git.hooks.errors import UserError


@click.command("demo")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to build the demo (default: a new temp folder).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the mined rows as JSON lines.")
def demo_cmd(directory: Path | None, as_json: bool) -> None:
    """Build a throwaway repository, play an agent and a person through every kind of
    correction with the real hooks, mine it and show the pairs."""
    from ..demo import format_row, run_demo
    from ..report_text import format_summary

    try:
        summary, rows, root = run_demo(directory)
    except FileExistsError as exc:
        raise UserError(str(exc), "pass --dir with a new or empty folder") from exc
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    for row in rows:
        click.echo(format_row(row))
    click.echo(format_summary(summary))
    click.echo(f"Demo repository: {root / 'demo-repo'} (look around: git log, selfware-git status)")
