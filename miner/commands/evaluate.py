"""`selfware-git evaluate`, and the adapter options it shares with merge-adapter."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .options import with_options

adapter_options = with_options(
    [
        click.option(
            "--adapter",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help="The adapter folder (default: the newest one fine-tune wrote).",
        ),
        click.option(
            "--base-model",
            default=None,
            help="The model it adapts (default: the one its training config names).",
        ),
        click.option(
            "--config",
            type=click.Path(dir_okay=False, exists=True, path_type=Path),
            default=None,
            help="The Axolotl config it was trained with (default: found by its output_dir).",
        ),
        click.option(
            "--verbose", is_flag=True, help="Show the warnings torch and transformers print."
        ),
    ]
)


@click.command("evaluate")
@adapter_options
@click.option(
    "--data",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="An export folder or a split file (default: the export the run trained on).",
)
@click.option("--split", default="test", show_default=True, help="The split of --data to score.")
@click.option("--max-pairs", type=click.IntRange(min=1), default=None, help="Score at most N.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate_cmd(
    adapter: Path | None,
    base_model: str | None,
    config: Path | None,
    verbose: bool,
    data: Path | None,
    split: str,
    max_pairs: int | None,
    as_json: bool,
) -> None:
    """How often base and base + adapter prefer the person's version on held-out pairs.

    Scores the text exactly as training saw it (chat template, prompt/completion split, EOS),
    by per-token mean and summed log-likelihood, and the adapter's implicit DPO reward
    (TRL's rewards/accuracies and margins, the base as reference), each with a 95 % interval;
    by task, language and agent where there are enough pairs. Saves evaluation.json beside
    the adapter. Uses a CUDA GPU when there is one.
    """
    from ..training.evaluate import EvaluateRequest, evaluate

    progress = not as_json and sys.stderr.isatty()
    request = EvaluateRequest(
        adapter, base_model, config, data, split, max_pairs, progress, verbose
    )
    result = evaluate(request)
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        show_evaluation(result)


def show_evaluation(result: dict[str, Any]) -> None:
    """The figures as text, and where they were saved."""
    from ..training.evaluation_text import format_evaluation
    from ..training.training_run import EVALUATION_FILE

    click.echo(format_evaluation(result))
    click.echo(f"Saved to {Path(result['adapter']) / EVALUATION_FILE}.")
