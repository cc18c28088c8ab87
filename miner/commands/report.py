"""`selfware-git report`: the HTML page and figures of how the agents' code fares."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..store import selfware_home
from .options import warning


@click.command("report")
@click.argument("repos", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The page to write (default: $SELFWARE_HOME/feedback/report.html).",
)
@click.option("--open", "open_page", is_flag=True, help="Open the page in a browser.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def report_cmd(repos: tuple[Path, ...], out: Path | None, open_page: bool, as_json: bool) -> None:
    """How the agents' code fares: a self-contained HTML page (charts and the pairs, with
    diffs) for the REPOs (default: the current one), and the same figures as --json."""
    from ..report.report import build_report, summary, write_report

    data, rows, problems = build_report([*repos] or [Path(".")])
    out = out or selfware_home() / "feedback" / "report.html"
    write_report(out, data, rows)
    for problem in problems:
        warning(f"skipped {problem}")
    if as_json:
        click.echo(json.dumps({**data, "report": str(out)}, indent=2))
    else:
        click.echo(summary(data))
        click.echo(f"Report: {out}")
    if open_page:
        import webbrowser

        webbrowser.open(out.resolve().as_uri())
