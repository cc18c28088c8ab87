"""`selfware-git mine`: the trail and history of repositories into pairs, in the JSONL store
or (--out DIR) a folder of Parquet parts, on the local or the Ray engine."""

from __future__ import annotations

import calendar
import json
import sys
from pathlib import Path
from typing import Any

import click

from selfware_git.hooks.errors import UserError

from ..cores import available_cores
from ..engines import ENGINES
from .options import old_spelling, open_store, store_option


@click.command("mine")
@click.argument("repos", nargs=-1)
@store_option
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="A folder of Parquet parts, one per repository (DIR/repo=<id>/), instead of the "
    "JSONL store; either engine writes it.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="local",
    show_default=True,
    help="local: this machine (--jobs); ray: one Ray task per repository (needs --out DIR).",
)
@click.option(
    "--address",
    default=None,
    metavar="ADDR",
    help="The Ray cluster to join: auto, HOST:PORT or ray://HOST:PORT "
    "(default: a fresh local instance).",
)
@click.option(
    "--since",
    type=click.DateTime(),
    default=None,
    help="Leave out corrections made before this date (YYYY-MM-DD).",
)
@click.option(
    "--window",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="A person's edit of an agent's lines is a fix up to this many commits after the "
    "agent commit, counted along ancestry (`git rev-list --count --ancestry-path`).",
)
@click.option(
    "--rebuild",
    is_flag=True,
    help="Replace each repository's rows, even where they were mined under the current rules.",
)
@click.option(
    "--remotes",
    is_flag=True,
    help="Walk remote-tracking branches too (default: HEAD and every local branch).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    show_default="the machine's cores",
    help="Processes: repositories mined side by side, or for a single repository, workers "
    "building its rows while its history is walked (same rows either way).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bar, no summary (errors still show).")
def mine_cmd(
    repos: tuple[str, ...],
    store: Path | None,
    out: Path | None,
    engine: str,
    address: str | None,
    since: Any,
    window: int,
    rebuild: bool,
    remotes: bool,
    jobs: int | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Turn agent commits and the person's corrections into rejected/chosen pairs.

    Reads the captured trail (hooks) and the plain history of each REPO (default: the current
    one). Pairs go to the store, unpaired rejections (for KTO) beside it. Rerunning adds only
    what is new. With --out DIR, a REPO may be a clone URL, cloned into scratch space.
    """
    from ..mine import MineOptions, mine_all
    from ..report_text import format_summary

    if out is not None and (out.suffix == ".jsonl" or out.is_file()):
        old_spelling("mine --out FILE", "--store FILE")
        store, out = store or out, None
    elif out is None and store is not None and store.is_dir():
        out = store
    options = MineOptions(
        window=window,
        rebuild=rebuild,
        remotes=remotes,
        since=calendar.timegm(since.timetuple()) if since else None,
        progress=not quiet and not as_json and sys.stderr.isatty(),
    )
    if out is not None:
        from ..engines import engine_for
        from ..engines.clones import parse_source
        from ..engines.mine_parts import mine_parts
        from ..parts import PartsStore

        chosen: Any = PartsStore(out)
        runner = engine_for(engine, jobs, address)
        sources = [parse_source(text) for text in repos or (".",)]
        summary = mine_parts(sources, chosen, options, runner)
    else:
        from ..engines.mine_parts import local_paths

        if engine != "local" or address is not None:
            raise UserError("--engine ray writes a folder of Parquet parts", "pass --out DIR")
        chosen = open_store(store)
        chosen.check()
        paths = local_paths([*repos] or ["."])
        summary = mine_all(paths, chosen, options, jobs or available_cores())
    errors = [r for r in summary.reports if r.status == "error"]
    if as_json:
        click.echo(json.dumps(summary.as_dict(), indent=2))
    elif not quiet and len(errors) < len(summary.reports):
        text = format_summary(summary)
        if not chosen.exists():
            text = text.rsplit("\n", 1)[0] + "\nNo pairs found; nothing was written."
        click.echo(text)
    for report in errors:
        click.echo(f"error: {report.path}: {report.message}", err=True)
    if errors:
        sys.exit(1)
