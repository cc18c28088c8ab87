"""Axolotl configs and training: templates and generated variants pass Axolotl's schema, and a
real (tiny, CPU, offline) DPO LoRA run through `axolotl train` and through TRL writes an adapter."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from selfware_git.miner.training.axolotl_config import VARIANTS, load_template, validate
from tests.gitrepo import CLI


def run_cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def datasets_dir(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store exported in both styles the templates train on."""
    root = tmp_path_factory.mktemp("exports")
    for style in ("standard", "kto"):
        subprocess.run(
            [
                *CLI,
                "export",
                "--store",
                str(demo_store),
                "--style",
                style,
                "--test-split",
                "0",
                "--out",
                str(root / style),
            ],
            check=True,
            capture_output=True,
        )
    return root


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_template_passes_axolotl_schema(variant, tiny_model, datasets_dir) -> None:
    config = json.loads(json.dumps(load_template(variant)))
    style = VARIANTS[variant][1]
    config["base_model"] = str(tiny_model)
    config["datasets"][0]["path"] = str(datasets_dir / style / "train.parquet")
    assert validate(config) == []  # validate_config and normalize_config both ran


@pytest.mark.parametrize("flags", [[], ["--qlora"], ["--kto"], ["--set", "lora_r=32"]])
def test_generated_configs_pass_axolotl_schema(flags, env, tiny_model, datasets_dir, tmp_path):
    style = "kto" if "--kto" in flags else "standard"
    out = tmp_path / "cfg.yml"
    proc = run_cli(
        env,
        "axolotl-config",
        "--base-model",
        str(tiny_model),
        *flags,
        "--dataset",
        str(datasets_dir / style),
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    config = YAML(typ="safe").load(out.read_text())
    assert out.read_text().startswith("# Written by `selfware-git axolotl-config`")
    assert "# The model to adapt" in out.read_text()  # the template's comments survive
    assert config["base_model"] == str(tiny_model)
    assert config["datasets"][0]["path"] == str(datasets_dir / style / "train.parquet")
    assert config["bf16"] is False and config["fp16"] is False  # this machine has no GPU
    assert 512 <= config["sequence_len"] <= 8192 and config["sequence_len"] % 256 == 0
    assert config["lora_r"] == (32 if "lora_r=32" in flags else 16)
    assert validate(config) == []
    if "--qlora" in flags:
        assert config["adapter"] == "qlora" and config["load_in_4bit"] is True
        assert "CUDA GPU" in proc.stderr


def test_bad_configs_are_never_written(env, tiny_model, datasets_dir, tmp_path) -> None:
    out = tmp_path / "cfg.yml"
    cases = [
        (["--set", "lora_r=eight"], "lora_r"),
        (["--set", "micro_batch_size=not-a-number"], "micro_batch_size"),
        (["--dataset", str(tmp_path / "nothing")], "no exported training data"),
        (["--dataset", str(datasets_dir / "kto")], "lacks the columns dpo-lora trains on"),
        (["--set", "novalue"], "is not key=value"),
    ]
    for extra, message in cases:
        args = ["axolotl-config", "--base-model", str(tiny_model), "--out", str(out)]
        if "--dataset" not in extra:
            args += ["--dataset", str(datasets_dir / "standard")]
        proc = run_cli(env, *args, *extra)
        assert proc.returncode == 1, extra
        assert message in proc.stderr and "Traceback" not in proc.stderr
        assert not out.exists()
    proc = run_cli(env, "axolotl-config", "--dataset", str(datasets_dir / "standard"))
    assert proc.returncode == 1 and "--base-model" in proc.stderr


def config_args(datasets_dir: Path, out: Path, *extra: str) -> list[str]:
    return [
        "axolotl-config",
        "--base-model",
        "Qwen/Qwen2.5-Coder-1.5B-Instruct",  # not on this machine: no tokenizer, no download
        "--dataset",
        str(datasets_dir / "standard"),
        "--out",
        str(out),
        *extra,
    ]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("lora_r.x=1", "lora_r is 16, a single value with no keys"),
        ("no_such_key_xyz=1", "Axolotl's config has no key 'no_such_key_xyz'"),
        ("lora_rr=8", "did you mean lora_r"),
        ("trl.betta=0.2", "did you mean beta"),
        ("micro_batch_size=-3", "micro_batch_size is -3; it must be a whole number"),
        ("lora_dropout=2", "lora_dropout is 2"),
        ("datasets.5.path=x", "datasets is a list of 1"),
    ],
)
def test_unknown_keys_and_invalid_values_are_refused(
    override, message, env, datasets_dir, tmp_path
) -> None:
    out = tmp_path / "cfg.yml"
    proc = run_cli(env, *config_args(datasets_dir, out, "--set", override))
    assert proc.returncode == 1, proc.stdout
    assert proc.stderr.startswith("error: ") and message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()


def test_axolotl_config_is_quiet_and_says_what_checked_it(env, datasets_dir, tmp_path) -> None:
    out = tmp_path / "cfg.yml"
    proc = run_cli(env, *config_args(datasets_dir, out, "--set", "trl.beta=0.2"))
    assert proc.returncode == 0, proc.stderr
    assert "checked with Axolotl" in proc.stdout and "schema" in proc.stdout
    noise = [line for line in proc.stderr.splitlines() if not line.startswith("note: ")]
    assert noise == []  # no torchao, torch or Axolotl warnings
    dataset, run = str(datasets_dir / "standard"), str(tmp_path / "run")
    script = (
        "import sys, pathlib\n"
        "from selfware_git.miner.training.axolotl_config import ConfigRequest, generate\n"
        f"generate(ConfigRequest('Qwen/x', 'dpo-lora', pathlib.Path({dataset!r}),"
        f" pathlib.Path({run!r})))\n"
        "print(sorted(m for m in ('axolotl.utils.config', 'axolotl.train') if m in sys.modules))\n"
    )
    modules = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert modules.stdout.strip() == "[]"  # only the schema: not Axolotl's training stack


def test_without_axolotl_only_our_checks_run_and_it_says_so(env, datasets_dir, tmp_path) -> None:
    blocked = without_axolotl(env, tmp_path)
    out = tmp_path / "cfg.yml"
    proc = run_cli(blocked, *config_args(datasets_dir, out))
    assert proc.returncode == 0, proc.stderr
    assert "only selfware-git's own checks ran: Axolotl is not installed here" in proc.stdout
    assert "not Axolotl's schema" in proc.stderr
    assert "checked with Axolotl" not in proc.stdout
    out.unlink()
    for override, message in (
        ("micro_batch_size=-3", "micro_batch_size is -3"),
        ("lora_rr=8", "did you mean lora_r?"),
        ("lora_r.x=1", "a single value with no keys"),
    ):
        proc = run_cli(blocked, *config_args(datasets_dir, out, "--set", override))
        assert proc.returncode == 1 and message in proc.stderr, proc.stderr
        assert not out.exists()


def test_fine_tune_end_to_end_on_cpu(env, tiny_model, demo_store, tmp_path) -> None:
    """Export, config, `axolotl train` for 2 steps, adapter on disk, a finite loss."""
    home = Path(env["SELFWARE_HOME"])
    store = home / "feedback" / "preferences.jsonl"
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_bytes(demo_store.read_bytes())
    proc = run_cli(
        env,
        "fine-tune",
        "--base-model",
        str(tiny_model),
        "--set",
        "max_steps=2",
        "--set",
        "micro_batch_size=1",
        "--set",
        "gradient_accumulation_steps=1",
        "--set",
        'save_strategy="no"',
        "--set",
        "gradient_checkpointing=false",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    adapter = home / "feedback" / "runs" / "dpo-lora" / "adapter"
    assert (adapter / "adapter_model.safetensors").stat().st_size > 0
    assert (adapter / "adapter_config.json").exists()
    assert f"Adapter written to {adapter}" in proc.stdout
    losses = [float(v) for v in _values(proc.stdout + proc.stderr, "'loss': '")]
    assert len(losses) == 2 and all(math.isfinite(loss) for loss in losses)


def _values(log: str, marker: str) -> list[str]:
    return [chunk.split("'", 1)[0] for chunk in log.split(marker)[1:]]


def without_axolotl(env: dict, tmp_path: Path) -> dict:
    """An environment in which `import axolotl` fails, as where it is not installed."""
    blocker = tmp_path / "block"
    blocker.mkdir(exist_ok=True)
    (blocker / "sitecustomize.py").write_text(
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'axolotl' or name.startswith('axolotl.'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
    )
    return {**env, "PYTHONPATH": str(blocker)}


def test_fine_tune_without_axolotl_names_the_extra(env, tmp_path) -> None:
    proc = subprocess.run(
        [*CLI, "fine-tune", "--base-model", "x"],
        capture_output=True,
        text=True,
        env=without_axolotl(env, tmp_path),
    )
    assert proc.returncode == 1
    assert "Axolotl is not installed" in proc.stderr and "selfware-git[train]" in proc.stderr


def test_trl_dpo_trainer_with_peft_lora(tiny_model, datasets_dir, tmp_path) -> None:
    """The same data through TRL's DPOTrainer with a peft LoRA config: 2 steps on CPU."""
    import datasets
    from peft import LoraConfig
    from transformers import AutoTokenizer
    from trl import DPOConfig, DPOTrainer

    train = datasets.load_dataset(
        "parquet", data_files=str(datasets_dir / "standard" / "train.parquet")
    )["train"]
    args = DPOConfig(
        output_dir=str(tmp_path / "trl"),
        max_steps=2,
        per_device_train_batch_size=1,
        report_to=[],
        use_cpu=True,
        save_strategy="no",
        logging_steps=1,
        max_length=4096,
    )
    trainer = DPOTrainer(
        model=str(tiny_model),
        args=args,
        train_dataset=train,
        processing_class=AutoTokenizer.from_pretrained(tiny_model),
        peft_config=LoraConfig(
            r=8, lora_alpha=16, target_modules="all-linear", task_type="CAUSAL_LM"
        ),
    )
    result = trainer.train()
    assert math.isfinite(result.training_loss)
    trainer.save_model(str(tmp_path / "adapter"))
    assert (tmp_path / "adapter" / "adapter_model.safetensors").exists()
    assert sys.modules.get("peft") is not None
