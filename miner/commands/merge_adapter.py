"""`selfware-git merge-adapter`: the base model with the adapter merged in."""

from __future__ import annotations

from pathlib import Path

import click

from .evaluate import adapter_options


@click.command("merge-adapter")
@adapter_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The model folder to write (default: merged/ beside the adapter folder).",
)
@click.option("--force", is_flag=True, help="Replace --out when it exists.")
def merge_adapter_cmd(
    adapter: Path | None,
    base_model: str | None,
    config: Path | None,
    verbose: bool,
    out: Path | None,
    force: bool,
) -> None:
    """Write the base model with the adapter merged in, as a standard Hugging Face folder
    (what vLLM, llama.cpp's converter, Ollama or transformers load without peft)."""
    from ..training.merge_adapter import merge_adapter
    from ..training.training_run import load_run

    run = load_run(adapter, config, base_model)
    written = merge_adapter(run, out or run.adapter.parent / "merged", force, verbose)
    click.echo(f"Merged model written to {written} (base {run.base_model} + {run.adapter}).")
