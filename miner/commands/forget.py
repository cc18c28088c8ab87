"""`selfware-git forget`: rows out of the store and exports, records out of a trail."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path

import click

from selfware_git.hooks.errors import UserError
from selfware_git.hooks.gitpaths import RepoPaths, locate

from .options import one_repo, open_store, repo_argument, store_option


@click.command("forget")
@repo_argument
@click.option("--path", "path_glob", default=None, help="Only rows of files matching this glob.")
@click.option("--commit", default=None, help="Only rows, journal lines and refs of this commit.")
@click.option(
    "--id", "row_id", default=None, help="Only the row with this id (as `pairs` lists it)."
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Everything in scope (with REPO: that repository's trail too).",
)
@click.option("--dry-run", is_flag=True, help="Say what would be removed; remove nothing.")
@store_option
@click.option(
    "--export",
    "exports",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Dataset folders to clean too (default: every dataset-* beside the store).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as JSON.")
def forget_cmd(
    repo: Path | None,
    repo_alias: Path | None,
    path_glob: str | None,
    commit: str | None,
    row_id: str | None,
    everything: bool,
    dry_run: bool,
    store: Path | None,
    exports: tuple[Path, ...],
    as_json: bool,
) -> None:
    """Remove captured data: rows from the store and exports, journal records, pinned refs.

    With REPO, only that repository's rows, and its journal and pinned refs.
    """
    from ..forget import ForgetReport, ForgetRequest, forget_rows, forget_trail
    from ..mine import repo_name

    repo = one_repo(repo, repo_alias, default=None)
    if not (repo or path_glob or commit or row_id or everything):
        raise UserError(
            "say what to forget", "name a REPO, or pass --path, --commit, --id or --all"
        )
    if commit and not re.fullmatch(r"[0-9a-f]{4,64}", commit):
        raise UserError(f"{commit!r} is not a commit id", "pass at least 4 hex digits")
    if row_id and not re.fullmatch(r"[0-9a-f]{4,64}", row_id):
        raise UserError(f"{row_id!r} is not a row id", "pass the id `selfware-git pairs` lists")
    paths = locate(repo) if repo else _current_repo(commit)
    request = ForgetRequest(
        repo_name=repo_name(paths.worktree or paths.common_dir) if repo and paths else None,
        path_glob=path_glob,
        commit=commit,
        row_id=row_id,
        everything=everything,
        dry_run=dry_run,
    )
    chosen = open_store(store)
    folders = [*exports] or sorted(chosen.home.glob("dataset-*"))
    with chosen.locked():
        report = ForgetReport(rows=forget_rows(chosen, folders, request))
    if paths is not None and not path_glob and not row_id:
        report.journal_lines, report.refs = forget_trail(paths, request)
    if as_json:
        click.echo(json.dumps({"dry_run": dry_run, **asdict(report)}, indent=2))
        return
    verb = "Would remove" if dry_run else "Removed"
    for file, count in report.rows.items():
        click.echo(f"{verb} {count} row(s) from {file}")
    if report.journal_lines:
        click.echo(f"{verb} {report.journal_lines} journal line(s)")
    if report.refs:
        click.echo(f"{verb} {len(report.refs)} ref(s) under refs/selfware/")
    if not (report.rows or report.journal_lines or report.refs):
        click.echo("Nothing matched; nothing removed.")


def _current_repo(commit: str | None) -> RepoPaths | None:
    """The repository around the current folder, for `--commit` without REPO."""
    if not commit:
        return None
    try:
        return locate(Path("."))
    except UserError:
        return None
