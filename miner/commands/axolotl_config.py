"""`selfware-git axolotl-config`, and the model options it shares with fine-tune."""

from __future__ import annotations

from pathlib import Path

import click

from selfware_git.hooks.errors import UserError

from .options import note, with_options


def variant_of(qlora: bool, kto: bool) -> str:
    if qlora and kto:
        raise UserError("--qlora and --kto do not go together", "KTO runs with a LoRA adapter")
    return "dpo-qlora" if qlora else "kto-lora" if kto else "dpo-lora"


variant_options = [
    click.option(
        "--base-model", default=None, help="Model to adapt: a Hugging Face name or a folder."
    ),
    click.option(
        "--qlora", is_flag=True, help="DPO with a 4-bit QLoRA adapter (needs a CUDA GPU)."
    ),
    click.option("--kto", is_flag=True, help="KTO on unpaired rows instead of DPO on pairs."),
    click.option(
        "--set",
        "overrides",
        multiple=True,
        metavar="KEY=VALUE",
        help="Override any config key (YAML value; dots for nesting), e.g. lora_r=32.",
    ),
    click.option(
        "--verbose", is_flag=True, help="Show the warnings torch, torchao and Axolotl print."
    ),
]


with_variant_options = with_options(variant_options)


def write_axolotl_config(
    base_model: str | None,
    variant: str,
    dataset: Path | None,
    out: Path | None,
    overrides: tuple[str, ...],
    verbose: bool,
) -> Path:
    from ..training.axolotl_config import VARIANTS, ConfigRequest, generate, write_config
    from ..training.training_run import configs_folder, dataset_folder, runs_folder

    if not base_model:
        raise UserError("no base model given", "pass --base-model with a model name or folder")
    style = VARIANTS[variant][1]
    request = ConfigRequest(
        base_model,
        variant,
        dataset or dataset_folder(style),
        runs_folder() / variant,
        list(overrides),
        verbose,
    )
    generated = generate(request)
    out = out or configs_folder() / f"{variant}.yml"
    write_config(generated, out)
    for message in generated.notes:
        note(message)
    click.echo(f"Wrote {out} ({generated.checked_with}).")
    return out


@click.command("axolotl-config")
@with_variant_options
@click.option(
    "--dataset",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The folder `export` wrote (default: $SELFWARE_HOME/feedback/dataset-<style>).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Config file to write (default: $SELFWARE_HOME/feedback/axolotl/<variant>.yml).",
)
def axolotl_config_cmd(
    base_model: str | None,
    qlora: bool,
    kto: bool,
    overrides: tuple[str, ...],
    verbose: bool,
    dataset: Path | None,
    out: Path | None,
) -> None:
    """Write an Axolotl config (DPO LoRA, DPO QLoRA or KTO LoRA) for the exported data.

    Nothing is written unless the config passes Axolotl's own schema (when Axolotl is
    installed; the output says when it is not) and our checks: data present with the right
    columns, a base model, a writable output folder, known keys and sensible values. Then:
    axolotl train <the written file>.
    """
    variant = variant_of(qlora, kto)
    path = write_axolotl_config(base_model, variant, dataset, out, overrides, verbose)
    click.echo(f"Train with: axolotl train {path}")
