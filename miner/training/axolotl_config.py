"""`selfware-git axolotl-config`: one of the templates in axolotl_configs/ filled in for the
exported data, checked (by Axolotl's own schema where Axolotl is installed, and by our own
checks for what that schema cannot know) and written only when it passes."""

from __future__ import annotations

import difflib
import io
import json
import math
import os
import sys
import types
import typing
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from selfware_git.hooks.errors import UserError

from ..store import atomic_write

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
    verbose: bool = False  # let third-party libraries print their warnings


@dataclass
class GeneratedConfig:
    text: str
    notes: list[str]
    checked_with: str = ""  # which checks the config passed, in words


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


# Our own checks of values, run whether Axolotl is installed or not (its schema lets a negative
# batch size through): key → (what the value must be, the test).
VALUE_RULES: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "micro_batch_size": ("a whole number of at least 1", _whole),
    "gradient_accumulation_steps": ("a whole number of at least 1", _whole),
    "sequence_len": ("a whole number of at least 1", _whole),
    "max_steps": ("a whole number of at least 1", _whole),
    "lora_r": ("a whole number of at least 1", _whole),
    "lora_alpha": ("a number above 0", lambda v: _number(v) and v > 0),
    "learning_rate": ("a number above 0", lambda v: _number(v) and v > 0),
    "num_epochs": ("a number above 0", lambda v: _number(v) and v > 0),
    "lora_dropout": ("a number from 0 to below 1", lambda v: _number(v) and 0 <= v < 1),
    "warmup_ratio": ("a number from 0 to 1", lambda v: _number(v) and 0 <= v <= 1),
}


@contextmanager
def third_party_quiet(verbose: bool = False) -> Iterator[None]:
    """Importing torch, torchao, transformers and Axolotl prints warnings that are none of the
    user's business (optional kernels that failed to load, deprecations): silenced, down to
    the file descriptors, unless `verbose`."""
    if verbose:
        yield
        return
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)


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


def find_split(folder: Path, split: str) -> Path | None:
    """The non-empty file of `split` in an export folder (Parquet first), or None."""
    for fmt in ("parquet", "jsonl"):
        path = folder / f"{split}.{fmt}"
        if path.is_file() and path.stat().st_size:
            return path
    return None


def dataset_file(folder: Path) -> Path:
    found = find_split(folder, "train")
    if found is not None:
        return found
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
    template_keys = set(config)
    config["base_model"] = request.base_model
    dataset = config["datasets"][0]
    dataset["path"] = str(data)
    dataset["ds_type"] = "parquet" if data.suffix == ".parquet" else "json"
    config["dataset_prepared_path"] = str(request.run_dir / "prepared")
    config["output_dir"] = str(request.run_dir / "adapter")
    with third_party_quiet(request.verbose):
        config["sequence_len"] = sequence_len(rows, style, request.base_model, notes)
        _set_precision(config, notes)
    keys = [_apply_override(config, override) for override in request.overrides]
    _check_output_dir(Path(str(config["output_dir"])))
    buffer = io.StringIO()
    _yaml().dump(config, buffer)
    plain = yaml.safe_load(buffer.getvalue())  # exactly what Axolotl will read
    check_values(plain)
    schema = load_schema(request.verbose)
    for key in keys:
        if schema is None:
            _check_key_without_schema(key, template_keys)
        else:
            check_key(schema, key)
    notes += validate(plain, request.verbose, schema)
    checked = (
        f"checked with Axolotl {schema.version}'s schema and selfware-git's own checks"
        if schema
        else "only selfware-git's own checks ran: Axolotl is not installed here"
    )
    return GeneratedConfig(buffer.getvalue(), notes, checked)


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
    """Token counts by the base model's own tokenizer where it is on this machine: its
    tokenizer.json through `tokenizers` (fast to load), else transformers' AutoTokenizer, else
    an estimate. A model that is nowhere here never costs the import of transformers."""
    tokenizer_json = _local_tokenizer_json(base_model)
    if tokenizer_json is not None:
        try:
            from tokenizers import Tokenizer

            fast = Tokenizer.from_file(str(tokenizer_json))
            return lambda text: len(fast.encode(text, add_special_tokens=False).ids)
        except Exception:  # not installed, or a file it cannot read: try transformers
            pass
    if tokenizer_json is not None or Path(base_model).expanduser().is_dir():
        try:
            from transformers import AutoTokenizer

            tokenizer = AutoTokenizer.from_pretrained(base_model, local_files_only=True)
            return lambda text: len(tokenizer(text, add_special_tokens=False)["input_ids"])
        except Exception:  # not installed, or not a tokenizer
            pass
    notes.append(
        f"sequence_len estimated at {CHARS_PER_TOKEN} characters a token "
        f"({base_model}'s tokenizer is not on this machine)"
    )
    return lambda text: math.ceil(len(text) / CHARS_PER_TOKEN)


def _local_tokenizer_json(base_model: str) -> Path | None:
    """tokenizer.json of a model folder, or of a model in the Hugging Face cache."""
    folder = Path(base_model).expanduser()
    if folder.is_dir():
        found = folder / "tokenizer.json"
        return found if found.is_file() else None
    try:
        from huggingface_hub import try_to_load_from_cache

        cached = try_to_load_from_cache(base_model, "tokenizer.json")
    except Exception:  # not installed, or not a repository id
        return None
    return Path(cached) if isinstance(cached, str) else None


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


def _apply_override(config: Any, override: str) -> list[str]:
    """Set one `key.sub=value` and return the key's parts. A part that runs into a value with
    no keys (`lora_r.x` where lora_r is 16), or past a list's end, is a UserError."""
    key, sep, raw = override.partition("=")
    if not sep or not key.strip():
        raise UserError(f"--set {override!r} is not key=value", "e.g. --set lora_r=32")
    try:
        value = _yaml().load(raw) if raw.strip() else None
    except YAMLError as exc:
        raise UserError(f"--set {key}: {raw!r} is not a YAML value ({exc})") from exc
    key = key.strip()
    parts = key.split(".")
    if not all(parts):
        raise UserError(f"--set {key}: a key part is empty", "e.g. --set trl.beta=0.2")
    target = config
    for depth, part in enumerate(parts):
        where = ".".join(parts[:depth])
        index: int | str = part
        if isinstance(target, list):
            if not part.isdigit() or int(part) >= len(target):
                raise UserError(
                    f"--set {key}: {where} is a list of {len(target)}, with no item {part!r}",
                    f"use a position from 0 to {len(target) - 1}",
                )
            index = int(part)
        elif not isinstance(target, dict):
            raise UserError(
                f"--set {key}: {where} is {target!r}, a single value with no keys",
                f"set {where} itself: --set {where}=VALUE",
            )
        if depth == len(parts) - 1:
            target[index] = value
        elif isinstance(target, dict) and index not in target:
            target = target.setdefault(index, {})
        else:
            target = target[index]
    return parts


def check_values(config: dict[str, Any]) -> None:
    """Our own checks of values, Axolotl installed or not."""
    for key, (expected, test) in VALUE_RULES.items():
        value = config.get(key)
        if value is not None and not test(value):
            raise UserError(f"{key} is {value!r}; it must be {expected}", f"--set {key}=VALUE")


@dataclass(frozen=True)
class Schema:
    """Axolotl's pydantic config model and its DPO and KTO dataset models."""

    config: Any
    datasets: dict[str, Any]  # `rl` value → dataset model
    version: str

    def check(self, config: dict[str, Any]) -> dict[str, Any]:
        """The config as Axolotl's validate_config builds it: datasets as their models by
        `rl`, then the config model; returns the validated, dumped config."""
        config = json.loads(json.dumps(config))
        model = self.datasets.get(config.get("rl"))
        if model is not None:
            config["datasets"] = [model(**dataset) for dataset in config.get("datasets") or []]
        return self.config(**config).model_dump(exclude_none=True)


def load_schema(verbose: bool = False) -> Schema | None:
    """Axolotl's config schema, or None where Axolotl is not installed. Only the schema modules
    are imported (about 3 s with torch), not Axolotl's training stack (about 10 s)."""
    os.environ.setdefault("AXOLOTL_DO_NOT_TRACK", "1")
    try:
        with third_party_quiet(verbose):
            from importlib.metadata import version

            from axolotl.utils.schemas.config import AxolotlInputConfig
            from axolotl.utils.schemas.datasets import DPODataset, KTODataset
    except ImportError:
        return None
    datasets = {"dpo": DPODataset, "ipo": DPODataset, "simpo": DPODataset, "kto": KTODataset}
    return Schema(AxolotlInputConfig, datasets, version("axolotl"))


def _model_of(annotation: Any) -> Any:
    """The one pydantic model a field holds (through Optional and Annotated), else None."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_of(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        models = [m for m in map(_model_of, typing.get_args(annotation)) if m is not None]
        return models[0] if len(models) == 1 else None
    return annotation if hasattr(annotation, "model_fields") else None


def _fields(model: Any) -> dict[str, Any]:
    names = {}
    for name, info in model.model_fields.items():
        names[name] = info
        if info.alias:
            names[info.alias] = info
    return names


def check_key(schema: Schema, parts: list[str]) -> None:
    """Each part of an overridden key names a field of Axolotl's schema, as deep as the schema
    describes (free-form mappings and lists end the check)."""
    model = schema.config
    for depth, part in enumerate(parts):
        fields = _fields(model)
        if part not in fields:
            under = f" under {'.'.join(parts[:depth])}" if depth else ""
            raise UserError(
                f"--set {'.'.join(parts)}: Axolotl's config has no key {part!r}{under}",
                _did_you_mean(part, fields)
                or "see https://docs.axolotl.ai/docs/config-reference.html",
            )
        model = _model_of(fields[part].annotation)
        if model is None:
            return


def _check_key_without_schema(parts: list[str], template_keys: set[str]) -> None:
    """Without Axolotl, a new top-level key that looks like a misspelt template key is refused;
    any other is let through (the notes say that Axolotl's schema did not run)."""
    if parts[0] not in template_keys:
        hint = _did_you_mean(parts[0], template_keys, cutoff=0.8)
        if hint:
            raise UserError(f"--set {'.'.join(parts)}: unknown key {parts[0]!r}", hint)


def _did_you_mean(name: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(name, list(choices), n=3, cutoff=cutoff)
    return f"did you mean {' or '.join(close)}?" if close else ""


def _check_output_dir(path: Path) -> None:
    probe = path
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK):
        raise UserError(f"output_dir {path} is not writable", "pass --set output_dir=<a folder>")


def validate(
    config: dict[str, Any], verbose: bool = False, schema: Schema | None = None
) -> list[str]:
    """Axolotl's own schema (as validate_config applies it, then normalize_config where the
    base model is a local folder it can read). Returns notes; raises UserError naming each bad
    key. Without Axolotl, the note says plainly that its schema did not run."""
    schema = schema or load_schema(verbose)
    if schema is None:
        return [
            "Axolotl is not installed here: only selfware-git's own checks ran, not Axolotl's"
            " schema (pip install 'selfware-git[train]')"
        ]
    try:
        checked = schema.check(config)
    except Exception as exc:  # pydantic's ValidationError and Axolotl's ValueErrors
        raise UserError(
            f"Axolotl rejects this config: {_explain(exc)}", "fix the value with --set key=value"
        ) from exc
    if not Path(str(config["base_model"])).expanduser().is_dir():
        return [f"normalize_config skipped: {config['base_model']} is not a local folder"]
    with third_party_quiet(verbose):
        from axolotl.utils.config import normalize_config
        from axolotl.utils.dict import DictDefault
    try:
        with third_party_quiet(verbose):
            normalize_config(DictDefault(checked))
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
