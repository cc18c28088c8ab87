"""What several commands share: the REPO argument, --store, the row filters, the notes and
warnings on stderr, and the hidden spellings of the previous release."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from selfware_git.hooks.errors import UserError

from ..dataset.selection import Filters
from ..store import Store, default_pairs_path

CONTEXT = {"help_option_names": ["-h", "--help"]}


def note(message: str) -> None:
    click.echo(f"note: {message}", err=True)


def warning(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def old_spelling(old: str, new: str) -> None:
    note(f"{old} is now {new}; the old spelling goes in the next release")


def repo_argument(command: Any) -> Any:
    """`[REPO]`, the repository (any folder inside it), and the hidden `--repo PATH` of the
    previous release."""
    command = click.option(
        "--repo", "repo_alias", type=click.Path(file_okay=False, path_type=Path), hidden=True
    )(command)
    return click.argument("repo", required=False, type=click.Path(file_okay=False, path_type=Path))(
        command
    )


def one_repo(repo: Path | None, alias: Path | None, default: Path | None = Path(".")) -> Any:
    if alias is not None:
        old_spelling("--repo PATH", "a REPO argument")
        if repo is not None and repo != alias:
            raise UserError("two repositories given", "name one REPO")
        return alias
    return repo if repo is not None else default


def store_option(command: Any) -> Any:
    return click.option(
        "--store",
        type=click.Path(path_type=Path),
        default=None,
        help="The pairs file (default: $SELFWARE_HOME/feedback/preferences.jsonl, "
        "SELFWARE_HOME defaulting to ~/.selfware), or a folder `mine --out` wrote.",
    )(command)


def open_store(path: Path | None) -> Any:
    """The JSONL store, or the folder of Parquet parts where `path` is a folder."""
    if path is not None and path.is_dir():
        from ..parts import PartsStore, is_parts_folder

        if not is_parts_folder(path):
            raise UserError(
                f"{path} is a folder but no store of pairs",
                "pass --store with the pairs file, or with a folder `mine --out` wrote",
            )
        return PartsStore(path)
    return Store(path or default_pairs_path())


def with_options(options: list[Any]) -> Any:
    """One decorator for a list of click options, in the order listed."""

    def apply(command: Any) -> Any:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


# The row filters of `export` and `pairs`.
filter_options = with_options(
    [
        click.option("--task", multiple=True, help="Only this task tag (repeatable)."),
        click.option("--agent", multiple=True, help="Only this agent (repeatable)."),
        click.option("--language", multiple=True, help="Only this language (repeatable)."),
        click.option(
            "--repo-name",
            "repo_name",
            multiple=True,
            help="Only this repository, by the name `stats` shows (repeatable).",
        ),
        click.option("--repo", "repo_name_alias", multiple=True, hidden=True),
        click.option(
            "--since",
            type=click.DateTime(["%Y-%m-%d"]),
            default=None,
            help="Only rows mined from corrections on or after this day (YYYY-MM-DD).",
        ),
        click.option(
            "--until",
            type=click.DateTime(["%Y-%m-%d"]),
            default=None,
            help="Only rows mined from corrections on or before this day (YYYY-MM-DD).",
        ),
        click.option(
            "--max-chars",
            type=click.IntRange(min=1),
            default=None,
            help="Leave out rows whose prompt, chosen and rejected exceed this many characters.",
        ),
    ]
)


def row_filters(options: dict[str, Any]) -> Filters:
    names = options.pop("repo_name")
    if options.get("repo_name_alias"):
        old_spelling("--repo NAME", "--repo-name NAME")
    names = (*names, *options.pop("repo_name_alias", ()))
    return Filters(
        tasks=frozenset(options.pop("task")),
        agents=frozenset(options.pop("agent")),
        languages=frozenset(options.pop("language")),
        repos=frozenset(names),
        since=options.pop("since"),
        until=options.pop("until"),
        max_chars=options.pop("max_chars"),
    )
