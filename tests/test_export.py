"""`selfware-git export` and `stats`: the datasets load in Hugging Face `datasets` and TRL."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import datasets
import pyarrow.parquet as pq
import pytest

from selfware_git.miner.dataset.split import group_key, split_of
from selfware_git.miner.store import read_rows
from tests.gitrepo import CLI

STYLES = ("standard", "conversational", "kto")
COLUMNS = {
    "standard": ["prompt", "chosen", "rejected", "task", "timestamp", "metadata"],
    "conversational": ["prompt", "chosen", "rejected", "task", "timestamp", "metadata"],
    "kto": ["prompt", "completion", "label", "task", "timestamp", "metadata"],
}


def run_cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True)


def export(env: dict, store: Path, out: Path, *args: str) -> dict:
    proc = run_cli(env, "export", "--store", str(store), "--out", str(out), "--json", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def load(out: Path, fmt: str) -> datasets.DatasetDict:
    builder = "parquet" if fmt == "parquet" else "json"
    files = {p.stem: str(p) for p in out.glob(f"*.{fmt}")}
    return datasets.load_dataset(builder, data_files=files)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_every_style_loads_in_datasets(style, fmt, demo_store, env, tmp_path) -> None:
    out = tmp_path / "ds"
    result = export(env, demo_store, out, "--style", style, "--format", fmt, "--test-split", "0")
    loaded = load(out, fmt)
    assert list(loaded) == ["train"]
    train = loaded["train"]
    assert train.column_names == COLUMNS[style]
    expected = {"standard": 6, "conversational": 6, "kto": 13}[style]
    assert len(train) == result["counts"]["train"] == expected
    assert set(train.features["metadata"]) >= {"id", "repo", "path", "language", "agent"}
    if style == "conversational":
        assert train[0]["prompt"][-1]["role"] == "user"
        assert train[0]["chosen"][0]["role"] == "assistant"
    if style == "kto":
        assert sorted(train["label"]) == [False] * 7 + [True] * 6


def test_the_folder_loads_by_its_card(demo_store, env, tmp_path) -> None:
    out = tmp_path / "ds"
    export(env, demo_store, out, "--test-split", "0.5")
    card = (out / "README.md").read_text()
    assert card.startswith("---\nconfigs:")
    assert "## Task tags" in card and "error_handling" in card and "## Privacy" in card
    loaded = datasets.load_dataset(str(out))
    assert sum(len(split) for split in loaded.values()) == 6


def test_round_trip_keeps_the_rows_and_parquet_equals_jsonl(demo_store, env, tmp_path) -> None:
    export(env, demo_store, tmp_path / "p", "--test-split", "0")
    export(env, demo_store, tmp_path / "j", "--test-split", "0", "--format", "jsonl")
    parquet_rows = pq.read_table(tmp_path / "p" / "train.parquet").to_pylist()
    jsonl_rows = [json.loads(line) for line in (tmp_path / "j" / "train.jsonl").open()]
    stored = [row for row in read_rows(demo_store) if row["chosen"] is not None]
    assert parquet_rows == jsonl_rows == stored
    assert pq.read_schema(tmp_path / "p" / "train.parquet").field("metadata").type.num_fields == 15


def test_system_message_in_conversational_style(demo_store, env, tmp_path) -> None:
    export(
        env,
        demo_store,
        tmp_path / "c",
        "--style",
        "conversational",
        "--system",
        "Be terse.",
        "--test-split",
        "0",
    )
    row = pq.read_table(tmp_path / "c" / "train.parquet").to_pylist()[0]
    assert row["prompt"][0] == {"role": "system", "content": "Be terse."}


def test_filters(demo_store, env, tmp_path) -> None:
    counts = export(env, demo_store, tmp_path / "a", "--language", "python", "--test-split", "0")
    assert counts["counts"] == {"train": 3}
    counts = export(
        env,
        demo_store,
        tmp_path / "b",
        "--agent",
        "claude",
        "--agent",
        "codex",
        "--test-split",
        "0",
    )
    assert counts["counts"] == {"train": 4}
    counts = export(env, demo_store, tmp_path / "c", "--task", "naming", "--test-split", "0")
    assert counts["counts"] == {"train": 1}
    sizes = sorted(
        len(r["prompt"]) + len(r["chosen"]) + len(r["rejected"])
        for r in read_rows(demo_store)
        if r["chosen"] is not None
    )
    counts = export(
        env, demo_store, tmp_path / "d", "--max-chars", str(sizes[2]), "--test-split", "0"
    )
    assert counts["counts"] == {"train": 3}
    counts = export(env, demo_store, tmp_path / "e", "--since", "2000-01-01", "--test-split", "0")
    assert counts["counts"] == {"train": 6}
    proc = run_cli(
        env,
        "export",
        "--store",
        str(demo_store),
        "--out",
        str(tmp_path / "f"),
        "--until",
        "2000-01-01",
    )
    assert proc.returncode == 1
    assert "no rows match the filters (until=2000-01-01)" in proc.stderr
    assert not (tmp_path / "f").exists()


def test_empty_or_missing_store_writes_nothing(env, tmp_path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    for store in (empty, tmp_path / "missing.jsonl"):
        proc = run_cli(env, "export", "--store", str(store), "--out", str(tmp_path / "out"))
        assert proc.returncode == 1
        assert "no pairs in" in proc.stderr and "selfware-git mine" in proc.stderr
        assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()
    proc = run_cli(env, "stats", "--store", str(tmp_path / "missing.jsonl"))
    assert proc.returncode == 1 and "no store" in proc.stderr


def test_grouped_split_never_leaks_a_function_and_is_stable() -> None:
    rows = [
        {"metadata": {"repo": f"r{i % 3}", "path": f"p{i % 17}.py", "function": f"f{i % 41}"}}
        for i in range(3000)
    ]
    sides: dict[str, set[str]] = {}
    for row in rows:
        sides.setdefault(group_key(row), set()).add(split_of(row, 0.2))
    assert all(len(s) == 1 for s in sides.values())
    test_share = sum(1 for s in sides.values() if s == {"test"}) / len(sides)
    assert 0.1 < test_share < 0.3
    assert [split_of(r, 0.2) for r in rows[:50]] == [split_of(r, 0.2) for r in rows[:50]]
    grown = rows + [{"metadata": {"repo": "new", "path": "x.py", "function": "g"}}]
    assert [split_of(r, 0.2) for r in grown[:3000]] == [split_of(r, 0.2) for r in rows]


def test_stats(demo_store, env) -> None:
    stats = json.loads(run_cli(env, "stats", "--store", str(demo_store), "--json").stdout)
    assert stats["pairs"] == 6 and stats["unpaired"] == 1
    assert stats["by"]["event"] == {"amend": 1, "rebase": 1, "reset": 1, "fix": 2, "edit": 1}
    assert stats["by"]["language"]["python"] == 3
    table = run_cli(env, "stats", "--store", str(demo_store)).stdout
    assert "6 pairs, 1 unpaired" in table and "language" in table


@pytest.mark.parametrize("style", STYLES)
def test_trl_prepares_every_style(style, demo_store, env, tmp_path, tiny_model) -> None:
    """TRL's own dataset preparation (chat template, DPO or KTO tokenisation) takes each style."""
    from transformers import AutoTokenizer
    from trl import DPOConfig, DPOTrainer, KTOConfig, KTOTrainer

    out = tmp_path / "ds"
    export(env, demo_store, out, "--style", style, "--test-split", "0")
    train = datasets.load_dataset("parquet", data_files=str(out / "train.parquet"))["train"]
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    common = dict(
        output_dir=str(tmp_path / "run"),
        report_to=[],
        use_cpu=True,
        max_length=4096,
        per_device_train_batch_size=2,
        save_strategy="no",
    )
    if style == "kto":
        trainer = KTOTrainer(
            model=str(tiny_model),
            args=KTOConfig(**common),
            train_dataset=train,
            processing_class=tokenizer,
        )
        keys = ("prompt_ids", "completion_ids")
    else:
        trainer = DPOTrainer(
            model=str(tiny_model),
            args=DPOConfig(**common),
            train_dataset=train,
            processing_class=tokenizer,
        )
        keys = ("prompt_ids", "chosen_ids", "rejected_ids")
    prepared = trainer.train_dataset
    assert len(prepared) == len(train)
    for row in prepared:
        assert all(len(row[key]) > 0 for key in keys)
