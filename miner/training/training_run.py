"""What one training run was, read back from what it left: the adapter folder, the Axolotl
config that wrote it, and the exported data beside that config. `evaluate`, `merge-adapter`
and `report` all start here, so each finds the same adapter, base model and data by the same
rules. Light on purpose (no torch): `report` reads the latest evaluation through it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from selfware_git.hooks.errors import UserError

from ..store import selfware_home
from .axolotl_config import find_split
from .fine_tune import ADAPTER_FILES

ADAPTER_CONFIG = "adapter_config.json"
EVALUATION_FILE = "evaluation.json"
DEFAULT_BETA = 0.1  # TRL's DPOConfig and KTOConfig default, which Axolotl keeps unless told
DPO_TYPE = "chat_template.default"  # the dataset type selfware-git's DPO configs use
STYLE_OF = {"dpo": "standard", "kto": "kto"}


@dataclass(frozen=True)
class TrainingRun:
    adapter: Path
    base_model: str
    rl: str  # "dpo" or "kto"
    beta: float
    sequence_len: int | None  # training drops pairs longer than this
    data_dir: Path  # the export the run trained on; its other split is held out
    config: Path | None
    kto_formats: tuple[str, str] = ("{prompt}", "{completion}")
    notes: tuple[str, ...] = ()


def runs_folder() -> Path:
    """Where `fine-tune` trains: one folder a variant, its adapter inside."""
    return selfware_home() / "feedback" / "runs"


def configs_folder() -> Path:
    """Where `axolotl-config` writes the configs."""
    return selfware_home() / "feedback" / "axolotl"


def dataset_folder(style: str) -> Path:
    """Where `export` writes a style's dataset by default."""
    return selfware_home() / "feedback" / f"dataset-{style}"


def find_adapter(adapter: Path | None) -> Path:
    """The adapter folder given, or the newest one `fine-tune` wrote."""
    if adapter is None:
        found = sorted(
            (p for p in runs_folder().glob("*/adapter") if (p / ADAPTER_CONFIG).is_file()),
            key=lambda p: (p / ADAPTER_CONFIG).stat().st_mtime,
        )
        if not found:
            raise UserError(
                f"no trained adapter in {runs_folder()}",
                "run `selfware-git fine-tune` first, or pass --adapter with the adapter folder",
            )
        return found[-1]
    missing = [name for name in ADAPTER_FILES if not (adapter / name).is_file()]
    if missing:
        raise UserError(
            f"{adapter} holds no LoRA adapter ({', '.join(missing)} missing)",
            "pass --adapter with the folder `fine-tune` wrote (it holds adapter_config.json)",
        )
    return adapter


def find_config(adapter: Path, config: Path | None) -> Path | None:
    """The Axolotl config given, or the one among selfware-git's whose output_dir is this
    adapter: it says how the run rendered its data, its beta and its base model."""
    if config is not None:
        return config
    for candidate in sorted(configs_folder().glob("*.yml")):
        output_dir = _read_config(candidate).get("output_dir")
        if output_dir and Path(str(output_dir)).expanduser().resolve() == adapter.resolve():
            return candidate
    return None


def _read_config(path: Path) -> dict[str, Any]:
    try:
        loaded = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (OSError, YAMLError) as exc:
        raise UserError(f"cannot read the Axolotl config {path}: {exc}") from exc
    return loaded if isinstance(loaded, dict) else {}


def recorded_base_model(adapter: Path) -> str | None:
    """The base model peft wrote into adapter_config.json when the adapter was saved."""
    try:
        config = json.loads((adapter / ADAPTER_CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return config.get("base_model_name_or_path") or None


def load_run(
    adapter: Path | None = None, config: Path | None = None, base_model: str | None = None
) -> TrainingRun:
    """Everything evaluate and merge-adapter need to know about a run; raises UserError for a
    missing adapter or a config whose data rendering evaluate cannot reproduce."""
    folder = find_adapter(adapter).resolve()
    config_path = find_config(folder, config)
    settings = _read_config(config_path) if config_path else {}
    notes = []
    if config_path is None:
        notes.append(
            f"no Axolotl config found for {folder}: its data is taken to be rendered as"
            f" selfware-git's configs render it, beta {DEFAULT_BETA} (pass --config to say)"
        )
    base = base_model or settings.get("base_model") or recorded_base_model(folder)
    if not base:
        raise UserError(
            f"which base model {folder} adapts is not recorded", "pass --base-model NAME"
        )
    rl = str(settings.get("rl") or "dpo")
    if rl not in STYLE_OF:
        raise UserError(
            f"{config_path} trains with rl: {rl}; evaluate scores DPO and KTO runs",
            "evaluate a DPO or KTO adapter",
        )
    dataset = (settings.get("datasets") or [{}])[0]
    kto_formats = _check_rendering(rl, dataset, config_path)
    trl = settings.get("trl") or {}
    beta = trl.get("beta") if isinstance(trl, dict) else None
    beta = beta if beta is not None else settings.get("rl_beta", DEFAULT_BETA)
    if dataset.get("path"):
        data_dir = Path(str(dataset["path"])).expanduser().parent
    else:
        data_dir = dataset_folder(STYLE_OF[rl])
    return TrainingRun(
        adapter=folder,
        base_model=str(base),
        rl=rl,
        beta=float(beta),
        sequence_len=settings.get("sequence_len"),
        data_dir=data_dir,
        config=config_path,
        kto_formats=kto_formats,
        notes=tuple(notes),
    )


def _check_rendering(rl: str, dataset: dict[str, Any], config: Path | None) -> tuple[str, str]:
    """The KTO prompt and completion formats; a dataset type whose rendering evaluate does not
    reproduce is refused rather than scored on text the adapter never saw."""
    kind = dataset.get("type", DPO_TYPE if rl == "dpo" else {})
    if rl == "dpo":
        if kind != DPO_TYPE:
            raise UserError(
                f"{config} renders its data with type {kind!r}; evaluate reproduces {DPO_TYPE}"
                " (what selfware-git's DPO configs use)",
                "train with a config `selfware-git axolotl-config` wrote",
            )
        return ("{prompt}", "{completion}")
    if not isinstance(kind, dict):
        raise UserError(
            f"{config} renders its KTO data with type {kind!r}; evaluate reproduces a field"
            " mapping (what selfware-git's KTO config uses)",
            "train with a config `selfware-git axolotl-config --kto` wrote",
        )
    return (
        kind.get("prompt_format") or "{prompt}",
        kind.get("completion_format") or "{completion}",
    )


def split_file(data: Path, split: str) -> Path:
    """The file of `split` in an export folder (or `data` itself when it is a file)."""
    if data.is_file():
        return data
    found = find_split(data, split) if data.is_dir() else None
    if found is not None:
        return found
    if split == "test" and data.is_dir():
        raise UserError(
            f"the export in {data} has no test split, so nothing is held out to evaluate on",
            "export with --test-split above 0 once there are more corrections, or pass --data"
            " with held-out pairs (--split train scores the training pairs, which says little)",
        )
    raise UserError(
        f"no {split} split in {data}", "pass --data with an export folder or a .parquet/.jsonl file"
    )


def latest_evaluation() -> dict[str, Any] | None:
    """The newest evaluation.json beside any adapter `fine-tune` wrote, or None."""
    found = sorted(
        runs_folder().glob(f"*/adapter/{EVALUATION_FILE}"), key=lambda p: p.stat().st_mtime
    )
    for path in reversed(found):
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return None
