"""`evaluate` and `merge-adapter` on a tiny model built here (CPU, offline): the text scored is
the text Axolotl trains on, the figures are TRL's own DPO evaluation figures, the base scores
are the bare base model's, and every user mistake ends in one clear error line."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from selfware_git.miner.training.axolotl_config import read_dataset
from selfware_git.miner.training.evaluate import EvaluateRequest, evaluate, held_out
from selfware_git.miner.training.evaluation_figures import PairScores, breakdown, figures
from selfware_git.miner.training.intervals import mean, share, t95
from selfware_git.miner.training.scoring import Score, Scorer, token_ids
from selfware_git.miner.training.training_run import TrainingRun
from selfware_git.miner.training.training_text import (
    dpo_text,
    dropped_by_training,
    kto_text,
    with_eos,
)
from tests.gitrepo import CLI

KTO_FORMATS = ("{prompt}\n", "{completion}")  # what axolotl_configs/kto-lora.yml writes
EVERY_FIGURE = (
    "per-token mean log-likelihood",
    "summed log-likelihood (length-biased)",
    "implicit DPO reward accuracy",
    "mean implicit reward margin",
)


def run_cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def exports(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's pairs exported whole to train (standard and KTO): no test split."""
    root = tmp_path_factory.mktemp("eval-exports")
    for style in ("standard", "kto"):
        subprocess.run(
            [*CLI, "export", "--store", str(demo_store), "--style", style, "--test-split", "0"]
            + ["--out", str(root / style)],
            check=True,
            capture_output=True,
        )
    return root


def build_adapter(base: Path, folder: Path, random: bool) -> Path:
    """A LoRA adapter saved as Axolotl saves one (tokenizer and base config beside it):
    random weights, or peft's own initialisation (B = 0, so no change to the model)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.manual_seed(7)  # the same random adapter every run
    model = AutoModelForCausalLM.from_pretrained(base)
    config = LoraConfig(
        r=4, lora_alpha=8, target_modules="all-linear", init_lora_weights=not random
    )
    get_peft_model(model, config).save_pretrained(folder)
    AutoTokenizer.from_pretrained(base).save_pretrained(folder)
    model.config.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def random_adapter(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_adapter(tiny_model, tmp_path_factory.mktemp("random-adapter"), random=True)


@pytest.fixture(scope="module")
def fresh_adapter(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_adapter(tiny_model, tmp_path_factory.mktemp("fresh-adapter"), random=False)


def tokenizer_of(model: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(model)


def test_scored_text_is_the_text_axolotl_trains_on(tiny_model, exports) -> None:
    """Our rendering against Axolotl's own strategies, with TRL's EOS step after them."""
    from axolotl.prompt_strategies.dpo.chat_template import default as dpo_default
    from axolotl.prompt_strategies.kto.user_defined import default as kto_default
    from axolotl.utils.data.rl import _drop_long_sequences
    from axolotl.utils.dict import DictDefault
    from axolotl.utils.schemas.enums import RLType

    tokenizer = tokenizer_of(tiny_model)
    eos = tokenizer.eos_token
    dpo_cfg = DictDefault(
        chat_template="tokenizer_default",
        datasets=[{"type": "chat_template.default", "field_messages": "prompt"}],
    )
    transform, _ = dpo_default(dpo_cfg)
    rows = read_dataset(exports / "standard" / "train.parquet")
    assert len(rows) == 6
    for row in rows:
        theirs = transform(dict(row), tokenizer=tokenizer)
        ours = dpo_text(row, tokenizer)
        assert vars(ours) == {k: theirs[k] for k in ("prompt", "chosen", "rejected")}
        assert ours.prompt.endswith("<|assistant|>\n") and ours.chosen.endswith(eos)
        assert with_eos(ours.chosen, eos) == ours.chosen  # the turn ends in EOS: TRL adds none
        assert ours.chosen.startswith(row["chosen"].rstrip())
        for limit in (64, 96, 128, 160, 4096):  # which pairs training leaves out, as it counts
            kept = _drop_long_sequences(theirs, RLType.DPO, tokenizer, limit)
            assert dropped_by_training(ours, tokenizer, limit) == (not kept), limit
    kto_type = {"field_prompt": "prompt", "field_completion": "completion", "field_label": "label"}
    kto_type.update(prompt_format=KTO_FORMATS[0], completion_format=KTO_FORMATS[1])
    kto_cfg = DictDefault(datasets=[{"type": kto_type}])
    kto_transform = kto_default(kto_cfg)
    for row in read_dataset(exports / "kto" / "train.parquet"):
        theirs = kto_transform(dict(row))
        assert kto_text(row, KTO_FORMATS) == (theirs["prompt"], theirs["completion"])
        assert with_eos(theirs["completion"], eos) == theirs["completion"] + eos


def test_figures_equal_trl_dpo_trainer_evaluation(tiny_model, random_adapter, exports, tmp_path):
    """TRL's DPOTrainer.evaluate on the merged model with the base as reference gives the
    figures evaluate gives, to 1e-4, on the same pairs and the same training text."""
    from datasets import Dataset
    from peft import PeftModel
    from transformers import AutoModelForCausalLM
    from trl import DPOConfig, DPOTrainer

    data = exports / "standard" / "train.parquet"
    result = evaluate(EvaluateRequest(random_adapter, str(tiny_model), data=data))
    adapter = result["overall"]["adapter"]
    assert result["overall"]["pairs"] == 6 and result["beta"] == 0.1
    changed = abs(adapter["reward_chosen"]["value"]) + abs(adapter["reward_rejected"]["value"])
    assert changed > 1e-3  # the adapter does change the scores

    tokenizer = tokenizer_of(tiny_model)
    texts = [dpo_text(row, tokenizer) for row in read_dataset(data)]
    pairs = Dataset.from_list([vars(t) for t in texts])
    base = AutoModelForCausalLM.from_pretrained(tiny_model)
    merged = PeftModel.from_pretrained(base, random_adapter).merge_and_unload()
    trainer = DPOTrainer(
        model=merged,
        ref_model=AutoModelForCausalLM.from_pretrained(tiny_model),
        args=DPOConfig(
            output_dir=str(tmp_path / "trl"),
            per_device_eval_batch_size=1,
            report_to=[],
            use_cpu=True,
            bf16=False,  # TRL's default autocasts to bf16, even on the CPU; we score in fp32
            beta=0.1,
        ),
        train_dataset=pairs,
        eval_dataset=pairs,
        processing_class=tokenizer,
    )
    trl = trainer.evaluate()
    ours = {
        "eval_rewards/accuracies": adapter["reward_accuracy"]["value"],
        "eval_rewards/margins": adapter["reward_margin"]["value"],
        "eval_rewards/chosen": adapter["reward_chosen"]["value"],
        "eval_rewards/rejected": adapter["reward_rejected"]["value"],
        "eval_logps/chosen": result["overall"]["logps"]["chosen"]["value"],
        "eval_logps/rejected": result["overall"]["logps"]["rejected"]["value"],
    }
    for name, value in ours.items():
        # log-probabilities are sums over a row's tokens: float32 order noise grows with them
        assert trl[name] == pytest.approx(value, rel=1e-6, abs=1e-4), name


def _score_all(scorer: Scorer, rows: list[dict]) -> list[Score]:
    scores = []
    for row in rows:
        text = dpo_text(row, scorer.tokenizer)
        eos = scorer.tokenizer.eos_token
        prompt_ids, (chosen, rejected) = token_ids(
            scorer.tokenizer, text.prompt, with_eos(text.chosen, eos), with_eos(text.rejected, eos)
        )
        scores += scorer.score(prompt_ids, [chosen, rejected])
    return scores


def test_adapter_disabled_scores_exactly_as_the_bare_base(tiny_model, random_adapter, exports):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    rows = read_dataset(exports / "standard" / "train.parquet")
    tokenizer = tokenizer_of(tiny_model)
    bare = Scorer(AutoModelForCausalLM.from_pretrained(tiny_model).eval(), tokenizer, "cpu")
    base = AutoModelForCausalLM.from_pretrained(tiny_model)
    adapted = Scorer(PeftModel.from_pretrained(base, random_adapter).eval(), tokenizer, "cpu")
    with adapted.model.disable_adapter():
        disabled = _score_all(adapted, rows)
    expected = _score_all(bare, rows)
    assert disabled == expected and all(s.tokens > 0 for s in expected)
    assert _score_all(adapted, rows) != expected  # enabled, the random adapter does differ


def test_a_fresh_lora_scores_as_the_base(tiny_model, fresh_adapter, exports) -> None:
    data = exports / "standard" / "train.parquet"
    result = evaluate(EvaluateRequest(fresh_adapter, str(tiny_model), data=data))
    overall = result["overall"]
    assert overall["adapter"]["mean_loglik"] == overall["base"]["mean_loglik"]
    assert overall["adapter"]["sum_loglik"] == overall["base"]["sum_loglik"]
    assert overall["adapter"]["reward_margin"]["value"] == 0.0
    assert overall["adapter"]["reward_chosen"]["value"] == 0.0
    assert overall["adapter"]["reward_accuracy"]["value"] == 0.0  # a tie prefers nothing
    saved = json.loads((fresh_adapter / "evaluation.json").read_text())
    assert saved["overall"] == json.loads(json.dumps(overall))


def test_kto_pairs_set_desirable_against_undesirable_of_the_same_prompt(tiny_model) -> None:
    tokenizer = tokenizer_of(tiny_model)
    meta = {"language": "python", "agent": "claude"}

    def row(prompt: str, completion: str, label: bool) -> dict:
        return {"prompt": prompt, "completion": completion, "label": label, "task": "naming",
                "metadata": meta}  # fmt: skip

    rows = [
        row("p1", "good a", True),
        row("p1", "good b", True),
        row("p1", "bad", False),
        row("p2", "only bad", False),  # an unpaired rejection: nothing to rank it against
        row("p3", "only good", True),
    ]
    run = TrainingRun(Path("."), "m", "kto", 0.1, None, Path("."), None, KTO_FORMATS)
    pairs, prompts = held_out(rows, "kto", tokenizer, run)
    assert prompts == 1
    assert [(p.text.prompt, p.text.chosen, p.text.rejected) for p in pairs] == [
        ("p1\n", "good a", "bad"),
        ("p1\n", "good b", "bad"),
    ]
    assert pairs[0].groups == {"task": "naming", "language": "python", "agent": "claude"}


def test_a_kto_run_is_scored_on_its_own_formats_and_beta(
    tiny_model, random_adapter, exports, tmp_path
) -> None:
    train = exports / "kto" / "train.parquet"
    config = write_config(tmp_path / "kto.yml", tiny_model, random_adapter, train, rl="kto")
    result = evaluate(EvaluateRequest(random_adapter, config=config, data=train))
    assert result["method"] == "kto" and result["beta"] == 0.2
    assert result["base_model"] == str(tiny_model) and result["config"] == str(config)
    rows = read_dataset(train)
    by_prompt: dict[str, list[bool]] = {}
    for row in rows:
        by_prompt.setdefault(row["prompt"], []).append(row["label"])
    expected = sum(v.count(True) * v.count(False) for v in by_prompt.values())
    assert result["overall"]["pairs"] == expected > 0
    assert result["kto_prompts_with_both"] == sum(1 for v in by_prompt.values() if len(set(v)) == 2)
    assert any("KTO rows are unpaired" in note for note in result["notes"])


def test_intervals() -> None:
    eight = share(8, 10)
    assert eight["value"] == 0.8
    assert (round(eight["low"], 3), round(eight["high"], 3)) == (0.49, 0.943)  # Wilson
    assert share(0, 5)["low"] == 0.0 and share(5, 5)["high"] == 1.0
    assert share(0, 0)["value"] is None
    for df, t in ((5, 2.571), (30, 2.042), (40, 2.021), (60, 2.000), (120, 1.980)):
        assert t95(df) == pytest.approx(t, abs=1e-3)
    spread = mean([1.0, 2.0, 3.0])
    assert spread["value"] == 2.0 and spread["high"] - 2.0 == pytest.approx(4.303 / math.sqrt(3))
    assert mean([0.5])["low"] is None


def test_breakdown_keeps_groups_with_enough_pairs() -> None:
    def pair(task: str, better: bool) -> PairScores:
        chosen, rejected = Score(-10.0 if better else -30.0, 10), Score(-20.0, 10)
        return PairScores(chosen, rejected, Score(-20.0, 10), Score(-20.0, 10), {"task": task})

    pairs = [pair("naming", True)] * 10 + [pair("bugfix", False)] * 3
    groups = breakdown(pairs, beta=0.1)
    assert list(groups) == ["task", "language", "agent"]
    assert list(groups["task"]) == ["naming"]  # bugfix's 3 pairs are too few
    naming = groups["task"]["naming"]
    assert naming["adapter"]["reward_accuracy"]["value"] == 1.0
    assert naming["adapter"]["reward_margin"]["value"] == pytest.approx(0.1 * 10.0)
    assert groups["language"]["unknown"]["pairs"] == 13
    overall = figures(pairs, beta=0.1)
    assert overall["base"]["mean_loglik"]["value"] == 0.0  # equal scores: a tie
    assert overall["adapter"]["mean_loglik"]["value"] == pytest.approx(10 / 13)


def test_the_terminal_view_shows_every_figure_and_the_groups() -> None:
    from selfware_git.miner.training.evaluation_text import format_evaluation

    better = PairScores(Score(-10.0, 10), Score(-20.0, 10), Score(-15.0, 10), Score(-15.0, 10),
                        {"task": "naming", "language": "go", "agent": "aider"})  # fmt: skip
    pairs = [better] * 12
    result = {
        "adapter": "/a", "data": "/d/test.parquet", "method": "dpo", "beta": 0.1,
        "base_model": "m", "device": "cpu", "skipped": {"longer_than_sequence_len": 2},
        "overall": figures(pairs, 0.1), "by": breakdown(pairs, 0.1), "notes": ["n1"],
    }  # fmt: skip
    text = format_evaluation(result)
    for label in EVERY_FIGURE:
        assert text.count(label) == 4, label  # overall, then task, language and agent
    assert "task naming (12 pairs):" in text and "agent aider (12 pairs):" in text
    assert "100.0% [75.8–100.0] n=12" in text  # the adapter prefers the person's version
    assert "2 pair(s) longer than the run's sequence_len left out" in text
    assert "note: n1" in text


def test_max_pairs_scores_the_first_n(tiny_model, random_adapter, exports) -> None:
    data = exports / "standard" / "train.parquet"
    result = evaluate(EvaluateRequest(random_adapter, str(tiny_model), data=data, max_pairs=2))
    assert result["overall"]["pairs"] == 2 and result["split"] is None  # a file is no split


def test_clear_errors_for_user_mistakes(env, tiny_model, random_adapter, exports, tmp_path):
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    other = tmp_path / "other-model"
    shape = {"num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 2}
    config = LlamaConfig(vocab_size=600, hidden_size=48, intermediate_size=64, **shape)
    LlamaForCausalLM(config).save_pretrained(other)
    AutoTokenizer.from_pretrained(tiny_model).save_pretrained(other)
    empty = tmp_path / "empty"
    empty.mkdir()
    standard = str(exports / "standard")
    pairs = str(exports / "standard" / "train.parquet")
    kto_pairs = str(exports / "kto" / "train.parquet")
    lonely = tmp_path / "unpaired.jsonl"  # a KTO split with nothing desirable to rank against
    row = {"prompt": "p", "completion": "c", "label": False, "task": "bugfix", "metadata": {}}
    lonely.write_text(json.dumps(row) + "\n")
    dpo_config = write_config(tmp_path / "dpo.yml", tiny_model, random_adapter, Path(pairs))
    scored = ["evaluate", "--adapter", str(random_adapter), "--base-model"]
    cases = [
        (["evaluate"], "no trained adapter in"),
        (["evaluate", "--adapter", str(empty)], "holds no LoRA adapter"),
        (["merge-adapter", "--adapter", str(empty)], "holds no LoRA adapter"),
        ([*scored, str(other), "--data", pairs], "does not match the model"),
        ([*scored, str(tiny_model), "--data", standard], "has no test split"),
        ([*scored, str(tiny_model), "--data", standard, "--split", "dev"], "no dev split in"),
        (
            [*scored, str(tiny_model), "--config", str(dpo_config), "--data", kto_pairs],
            "does not hold the DPO rows",
        ),
        ([*scored, "/no/such/model", "--data", pairs], "cannot load the base model"),
        ([*scored, str(tiny_model), "--data", str(lonely)], "no pair to evaluate in"),
    ]
    for args, message in cases:
        proc = run_cli(env, *args)
        assert proc.returncode == 1, (args, proc.stdout)
        assert proc.stderr.startswith("error: ") and message in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
    no_shape = tmp_path / "adapter-without-config"
    subprocess.run(["cp", "-r", str(random_adapter), str(no_shape)], check=True)
    (no_shape / "config.json").unlink()  # then peft's own size check speaks
    (no_shape / "evaluation.json").unlink(missing_ok=True)
    proc = run_cli(env, "evaluate", "--adapter", str(no_shape), "--base-model", str(other),
                   "--data", pairs)  # fmt: skip
    assert proc.returncode == 1 and "does not fit" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and not (no_shape / "evaluation.json").exists()


def test_without_peft_the_train_extra_is_named(env, random_adapter, exports, tmp_path) -> None:
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'peft' or name.startswith('peft.'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
    )
    blocked = {**env, "PYTHONPATH": str(blocker)}
    data = str(exports / "standard" / "train.parquet")
    for command in (["evaluate", "--data", data], ["merge-adapter"]):
        proc = run_cli(blocked, *command, "--adapter", str(random_adapter), "--base-model", "x")
        assert proc.returncode == 1, proc.stdout
        assert "peft not installed" in proc.stderr and "selfware-git[train]" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_merge_adapter_writes_a_plain_model_that_scores_as_the_adapter(
    env, tiny_model, random_adapter, exports, tmp_path
) -> None:
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    out = tmp_path / "merged"
    args = ["merge-adapter", "--adapter", str(random_adapter), "--base-model", str(tiny_model)]
    proc = run_cli(env, *args, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert f"Merged model written to {out}" in proc.stdout
    assert (out / "model.safetensors").is_file() and (out / "tokenizer.json").is_file()
    assert not (out / "adapter_config.json").exists()  # a standard model: no peft needed
    again = run_cli(env, *args, "--out", str(out))
    assert again.returncode == 1 and "already exists" in again.stderr
    rows = read_dataset(exports / "standard" / "train.parquet")
    tokenizer = tokenizer_of(out)
    merged = Scorer(AutoModelForCausalLM.from_pretrained(out).eval(), tokenizer, "cpu")
    plain = Scorer(AutoModelForCausalLM.from_pretrained(tiny_model).eval(), tokenizer, "cpu")
    base = AutoModelForCausalLM.from_pretrained(tiny_model)
    adapted = Scorer(PeftModel.from_pretrained(base, random_adapter).eval(), tokenizer, "cpu")
    scores = zip(
        _score_all(merged, rows), _score_all(adapted, rows), _score_all(plain, rows), strict=True
    )
    for ours, theirs, untouched in scores:
        # float32 summation order differs between W + BA and W x + B(A x): allow 1e-5 a token,
        # far below what the random adapter itself moves (checked against the plain base)
        tolerance = 1e-5 * theirs.tokens
        assert ours.tokens == theirs.tokens
        assert ours.logp == pytest.approx(theirs.logp, abs=tolerance)
        assert abs(untouched.logp - theirs.logp) > 100 * tolerance


def write_config(path: Path, base: Path, adapter: Path, train: Path, rl: str = "dpo") -> Path:
    """The keys of a selfware-git Axolotl config that evaluate reads."""
    kind = "chat_template.default" if rl == "dpo" else '{prompt_format: "{prompt}\\n"}'
    path.write_text(
        f"base_model: {base}\nrl: {rl}\noutput_dir: {adapter}\ntrl:\n  beta: 0.2\n"
        f"datasets:\n  - path: {train}\n    type: {kind}\n"
    )
    return path


def test_fine_tune_without_a_test_split_evaluates_nothing(
    env, tiny_model, fresh_adapter, exports, tmp_path, monkeypatch, capsys
) -> None:
    from selfware_git.miner.commands.fine_tune import _evaluate_after_training

    monkeypatch.setenv("SELFWARE_HOME", env["SELFWARE_HOME"])
    train = exports / "standard" / "train.parquet"
    config = write_config(tmp_path / "run.yml", tiny_model, fresh_adapter, train)
    before = (fresh_adapter / "evaluation.json").stat().st_mtime_ns
    _evaluate_after_training(fresh_adapter, config, verbose=False)
    captured = capsys.readouterr()
    assert "note: nothing evaluated: the export in" in captured.err
    assert "has no test split" in captured.err and captured.out == ""
    assert (fresh_adapter / "evaluation.json").stat().st_mtime_ns == before


def test_importing_the_cli_loads_no_heavy_library() -> None:
    script = (
        "import sys, selfware_git.miner.cli\n"
        "print(sorted(m for m in ('torch', 'transformers', 'peft', 'trl') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.stdout.strip() == "[]", proc.stderr


def test_fine_tune_then_evaluate_end_to_end(env, tiny_model, demo_store, hooked) -> None:
    """`fine-tune` (2 steps) evaluates on the export's test split and prints every figure;
    `evaluate --json` gives the same; `report` shows the latest evaluation."""
    home = Path(env["SELFWARE_HOME"])
    store = home / "feedback" / "preferences.jsonl"
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_bytes(demo_store.read_bytes())
    steps = ["max_steps=2", "micro_batch_size=1", "gradient_accumulation_steps=1",
             'save_strategy="no"', "gradient_checkpointing=false"]  # fmt: skip
    sets = [arg for step in steps for arg in ("--set", step)]
    proc = run_cli(env, "fine-tune", "--base-model", str(tiny_model), *sets)
    assert proc.returncode == 0, proc.stderr[-3000:]
    adapter = home / "feedback" / "runs" / "dpo-lora" / "adapter"
    for label in EVERY_FIGURE:
        assert label in proc.stdout, proc.stdout
    assert (
        "base + adapter" in proc.stdout and f"Saved to {adapter / 'evaluation.json'}" in proc.stdout
    )
    saved = json.loads((adapter / "evaluation.json").read_text())
    test_rows = read_dataset(home / "feedback" / "dataset-standard" / "test.parquet")
    assert saved["overall"]["pairs"] == len(test_rows) >= 1
    assert saved["data"].endswith("dataset-standard/test.parquet")
    assert saved["config"].endswith("axolotl/dpo-lora.yml") and saved["method"] == "dpo"
    for side in ("base", "adapter"):
        for key, value in saved["overall"][side].items():
            assert value["pairs"] == len(test_rows) and value["value"] is not None, key

    again = run_cli(env, "evaluate", "--json")  # every default: the run fine-tune made
    assert again.returncode == 0, again.stderr
    result = json.loads(again.stdout)
    assert result["overall"] == saved["overall"] and result["adapter"] == str(adapter)

    report = hooked.cli("report").stdout
    assert "latest evaluation" in report and "held-out pairs" in report, report
    page = (home / "feedback" / "report.html").read_text()
    assert "person&#x27;s version preferred, base → adapter" in page
