"""`selfware-git fine-tune`: export, config, `axolotl train`, then evaluate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from selfware_git.hooks.errors import UserError

from .axolotl_config import variant_of, with_variant_options, write_axolotl_config
from .evaluate import show_evaluation
from .options import note, open_store, store_option, warning


@click.command("fine-tune")
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="An Axolotl config to train (default: export and write one).",
)
@with_variant_options
@store_option
@click.option(
    "--launcher",
    type=click.Choice(["python", "accelerate", "torchrun"]),
    default="python",
    show_default=True,
    help="How Axolotl starts training; accelerate or torchrun for several GPUs.",
)
@click.option(
    "--evaluate/--no-evaluate",
    default=True,
    show_default=True,
    help="Evaluate base against base + adapter on the test split afterwards.",
)
def fine_tune_cmd(
    config: Path | None,
    base_model: str | None,
    qlora: bool,
    kto: bool,
    overrides: tuple[str, ...],
    verbose: bool,
    store: Path | None,
    launcher: str,
    evaluate: bool,
) -> None:
    """Train a LoRA adapter on your corrections with Axolotl.

    Without --config: exports the store (to dataset-<style> beside it), writes the config (as
    axolotl-config does), then runs `axolotl train` on it, then `evaluate` on the export's
    test split. Needs the train extra: pip install 'selfware-git[train]'.
    """
    from ..dataset.export import ExportRequest, export
    from ..training.fine_tune import require_axolotl, run_training

    require_axolotl()
    if config is None:
        from ..training.axolotl_config import VARIANTS

        variant = variant_of(qlora, kto)
        style = VARIANTS[variant][1]
        chosen = open_store(store)
        folder = chosen.home / f"dataset-{style}"
        export(ExportRequest(chosen, folder, style=style))
        config = write_axolotl_config(base_model, variant, folder, None, overrides, verbose)
    adapter = run_training(config, launcher)
    click.echo(f"Adapter written to {adapter} (adapter_model.safetensors, adapter_config.json).")
    if evaluate:
        _evaluate_after_training(adapter, config, verbose)


def _evaluate_after_training(adapter: Path, config: Path, verbose: bool) -> None:
    """Base against base + adapter on the export's test split; without one, say so and score
    nothing (the training pairs would only say how well it memorised them)."""
    from ..training.evaluate import EvaluateRequest, evaluate
    from ..training.training_run import load_run, split_file

    try:
        run = load_run(adapter, config)
        split_file(run.data_dir, "test")
    except UserError as exc:
        note(f"nothing evaluated: {exc.message}")
        return
    request = EvaluateRequest(adapter, config=config, progress=sys.stderr.isatty(), verbose=verbose)
    try:
        result = evaluate(request, run)
    except UserError as exc:  # the adapter is trained and saved: that is not undone
        warning(f"the adapter is saved, but evaluating it failed: {exc}")
        return
    show_evaluation(result)
