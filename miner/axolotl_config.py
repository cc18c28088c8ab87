"""`selfware-git axolotl-config`: one of the templates in axolotl_configs/ filled in for the
exported data, checked (by Axolotl's own schema where Axolotl is installed, and by our own
checks for what that schema cannot know) and written only when it passes."""

from __future__ import annotations

import io
import json
import math
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from selfware_git.hooks.errors import UserError

from .store import atomic_write

VARIANTS: dict[str, tuple[str, str]] = {  # variant → (template, export style it trains on)
    "dpo-lora": ("dpo-lora.yml", "standard"),
    "dpo-qlora": ("dpo-qlora.yml", "standard"),
    "kto-lora": ("kto-lora.yml", "kto"),
}
COLUMNS = {"standard": {"prompt", "chosen", "rejected"}, "kto": {"prompt", "completion", "label"}}
CHARS_PER_TOKEN = 3.5  # when the base model's tokenizer is not on this machine
TEMPLATE_TOKENS = 64  # chat markers around prompt and completion


@dataclass
class ConfigRequest:
    base_model: str
    variant: str
    dataset: Path  # the folder `export` wrote
    run_dir: Path  # prepared data and the adapter go below it
    overrides: list[str] = field(default_factory=list)


@dataclass
class GeneratedConfig:
    text: str
    notes: list[str]


def _yaml() -> YAML:
    """Round-trip YAML written as 1.1, the dialect Axolotl's PyYAML reads: `no` stays a
    string there only when quoted, and ruamel quotes it for 1.1."""
    yaml = YAML()
    yaml.version = (1, 1)
    yaml.width = 4096
    return yaml


def load_template(variant: str) -> Any:
    """A template as a round-trip YAML document: its comments survive into the output."""
    name = VARIANTS[variant][0]
    return _yaml().load(resources.files("selfware_git.axolotl_configs").joinpath(name).read_text())


def dataset_file(folder: Path) -> Path:
    for name in ("train.parquet", "train.jsonl"):
        if (folder / name).exists() and (folder / name).stat().st_size:
            return folder / name
    raise UserError(
        f"no exported training data in {folder}",
        "run `selfware-git export` first (or pass --dataset with the folder it wrote)",
    )


def read_dataset(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def generate(request: ConfigRequest) -> GeneratedConfig:
    """The filled-in config and what the person should know about it; raises UserError for
    anything that would make a bad config."""
    if not request.base_model.strip():
        raise UserError("no base model given", "pass --base-model with a model name or folder")
    style = VARIANTS[request.variant][1]
    data = dataset_file(request.dataset)
    rows = read_dataset(data)
    missing = COLUMNS[style] - set(rows[0]) if rows else COLUMNS[style]
    if missing:
        raise UserError(
            f"{data} lacks the columns {request.variant} trains on: {', '.join(sorted(missing))}",
            f"export with `--style {style}` for {request.variant}",
        )
    notes: list[str] = []
    config = load_template(request.variant)
    config["base_model"] = request.base_model
    dataset = config["datasets"][0]
    dataset["path"] = str(data)
    dataset["ds_type"] = "parquet" if data.suffix == ".parquet" else "json"
    config["dataset_prepared_path"] = str(request.run_dir / "prepared")
    config["output_dir"] = str(request.run_dir / "adapter")
    config["sequence_len"] = sequence_len(rows, style, request.base_model, notes)
    _set_precision(config, notes)
    for override in request.overrides:
        _apply_override(config, override)
    _check_output_dir(Path(str(config["output_dir"])))
    buffer = io.StringIO()
    _yaml().dump(config, buffer)
    plain = yaml.safe_load(buffer.getvalue())  # exactly what Axolotl will read
    notes += validate(plain)
    return GeneratedConfig(buffer.getvalue(), notes)


def sequence_len(rows: list[dict[str, Any]], style: str, base_model: str, notes: list[str]) -> int:
    """Long enough for 98 % of the rows, in whole 256-token steps, between 512 and 8192."""
    count = _token_counter(base_model, notes)
    completions = ("completion",) if style == "kto" else ("chosen", "rejected")
    lengths = sorted(
        count(_text(row["prompt"])) + max(count(_text(row[c])) for c in completions) for row in rows
    )
    p98 = lengths[min(len(lengths) - 1, math.ceil(len(lengths) * 0.98) - 1)] + TEMPLATE_TOKENS
    return int(min(8192, max(512, math.ceil(p98 / 256) * 256)))


def _text(value: Any) -> str:
    if isinstance(value, list):  # conversational messages
        return "\n".join(str(m.get("content", "")) for m in value)
    return str(value)


def _token_counter(base_model: str, notes: list[str]):
    try:
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(base_model, local_files_only=True)
    except Exception:  # not installed, not on this machine, or not a tokenizer
        notes.append(
            f"sequence_len estimated at {CHARS_PER_TOKEN} characters a token "
            f"({base_model}'s tokenizer is not on this machine)"
        )
        return lambda text: math.ceil(len(text) / CHARS_PER_TOKEN)
    return lambda text: len(tokenizer(text, add_special_tokens=False)["input_ids"])


def _set_precision(config: Any, notes: list[str]) -> None:
    """bf16 where the GPU has it, else fp32: never left unset, which Axolotl would take as
    float16 on a CPU."""
    try:
        import torch

        cuda = torch.cuda.is_available()
        bf16 = cuda and torch.cuda.is_bf16_supported()
    except ImportError:
        notes.append("torch is not installed here: bf16 assumed (a recent NVIDIA GPU)")
        return
    config["bf16"] = bool(bf16)
    config["fp16"] = False
    config["tf32"] = bool(cuda and bf16)
    if not cuda:
        notes.append("no CUDA GPU here: bf16 off, training runs in fp32 on this machine")
        if config.get("load_in_4bit"):
            notes.append(
                "QLoRA loads the model in 4 bits through bitsandbytes, "
                "which needs a CUDA GPU: train this config on one"
            )


def _apply_override(config: Any, override: str) -> None:
    key, sep, raw = override.partition("=")
    if not sep or not key.strip():
        raise UserError(f"--set {override!r} is not key=value", "e.g. --set lora_r=32")
    try:
        value = _yaml().load(raw) if raw.strip() else None
    except YAMLError as exc:
        raise UserError(f"--set {key}: {raw!r} is not a YAML value ({exc})") from exc
    target = config
    parts = key.strip().split(".")
    for part in parts[:-1]:
        if part.isdigit() and isinstance(target, list):
            target = target[int(part)]
        else:
            target = target.setdefault(part, {})
    target[int(parts[-1]) if isinstance(target, list) else parts[-1]] = value


def _check_output_dir(path: Path) -> None:
    probe = path
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK):
        raise UserError(f"output_dir {path} is not writable", "pass --set output_dir=<a folder>")


def validate(config: dict[str, Any]) -> list[str]:
    """Axolotl's own schema (validate_config, then normalize_config where the base model is a
    local folder it can read). Returns notes; raises UserError naming each bad key."""
    os.environ.setdefault("AXOLOTL_DO_NOT_TRACK", "1")
    try:
        from axolotl.utils.config import normalize_config, validate_config
        from axolotl.utils.dict import DictDefault
    except ImportError:
        return [
            "Axolotl is not installed here: its schema was not checked "
            "(pip install 'selfware-git[train]')"
        ]
    try:
        checked = validate_config(DictDefault(json.loads(json.dumps(config))))
    except Exception as exc:  # pydantic's ValidationError and Axolotl's ValueErrors
        raise UserError(
            f"Axolotl rejects this config: {_explain(exc)}", "fix the value with --set key=value"
        ) from exc
    if not Path(str(config["base_model"])).expanduser().is_dir():
        return [f"normalize_config skipped: {config['base_model']} is not a local folder"]
    try:
        normalize_config(checked)
    except Exception as exc:
        raise UserError(f"Axolotl cannot use this config: {exc}") from exc
    return []


def _explain(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return "; ".join(
            f"{'.'.join(str(p) for p in error.get('loc', ())) or 'config'}: {error.get('msg')}"
            for error in errors()
        )
    return str(exc)


def write_config(generated: GeneratedConfig, out: Path) -> None:
    header = "# Written by `selfware-git axolotl-config`; train with: axolotl train " + str(out)
    atomic_write(out, (header + "\n" + generated.text).encode("utf-8"))
