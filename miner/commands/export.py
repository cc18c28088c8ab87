"""`selfware-git export`: the store as a dataset for Hugging Face datasets, TRL and Axolotl."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..dataset.formats import FORMATS, STYLES
from .options import filter_options, note, open_store, row_filters, store_option


@click.command("export")
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="parquet",
    show_default=True,
    help="File format of the splits.",
)
@click.option(
    "--style",
    type=click.Choice(STYLES),
    default="standard",
    show_default=True,
    help="standard: prompt/chosen/rejected strings; conversational: message lists; "
    "kto: prompt/completion/label rows, unpaired rejections included.",
)
@click.option(
    "--test-split",
    type=click.FloatRange(0, 0.9),
    default=0.1,
    show_default=True,
    help="Share of functions held out for the test split (grouped by function).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dataset folder (default: dataset-<style> beside the store).",
)
@click.option("--system", default=None, help="A system message (conversational style only).")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
def export_cmd(
    store: Path | None,
    fmt: str,
    style: str,
    test_split: float,
    out: Path | None,
    system: str | None,
    as_json: bool,
    **filter_options: Any,
) -> None:
    """Write the pairs as a dataset for Hugging Face datasets, TRL and Axolotl."""
    from ..dataset.export import ExportRequest, export

    chosen = open_store(store)
    out = out or chosen.home / f"dataset-{style}"
    request = ExportRequest(
        chosen, out, fmt, style, test_split, system, row_filters(filter_options)
    )
    result = export(request)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "out": str(result.out),
                    "counts": result.counts,
                    "files": {k: str(v) for k, v in result.files.items()},
                    "notes": result.notes,
                },
                indent=2,
            )
        )
        return
    for split, path in result.files.items():
        click.echo(f"{split}: {result.counts[split]} rows → {path}")
    click.echo(f"Dataset card: {result.out / 'README.md'}")
    click.echo(
        f'Load it: datasets.load_dataset("{fmt if fmt == "parquet" else "json"}", '
        f'data_dir="{result.out}")'
    )
    for message in result.notes:
        note(message)
