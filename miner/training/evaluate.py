"""`selfware-git evaluate`: on held-out pairs, does base + adapter prefer the person's version
more often than the base model does? The pairs are rendered and tokenised exactly as training
saw them, scored with the adapter on and off (one model in memory), and the figures are
written as evaluation.json beside the adapter."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from itertools import product
from pathlib import Path
from typing import Any

from selfware_git.hooks.errors import UserError

from ..store import atomic_write
from .axolotl_config import COLUMNS, read_dataset, third_party_quiet
from .evaluation_figures import PairScores, breakdown, figures
from .scoring import (
    Score,
    Scorer,
    device_and_dtype,
    load_model,
    load_tokenizer,
    require_libraries,
    token_ids,
)
from .training_run import EVALUATION_FILE, STYLE_OF, TrainingRun, load_run, split_file
from .training_text import TrainingText, dpo_text, dropped_by_training, kto_text, with_eos

KTO_NOTE = (
    "KTO rows are unpaired: each desirable completion is set against each undesirable one of"
    " the same prompt; prompts with only one kind are not scored"
)


@dataclass(frozen=True)
class EvaluateRequest:
    adapter: Path | None = None
    base_model: str | None = None
    config: Path | None = None
    data: Path | None = None  # an export folder or one split file
    split: str = "test"
    max_pairs: int | None = None
    progress: bool = False
    verbose: bool = False


@dataclass(frozen=True)
class HeldOut:
    """A pair to score, as training text, and the groups it is counted under."""

    text: TrainingText
    groups: dict[str, str]


def _groups(row: dict[str, Any]) -> dict[str, str]:
    meta = row.get("metadata") or {}
    return {"task": row.get("task") or "", "language": meta.get("language") or "",
            "agent": meta.get("agent") or ""}  # fmt: skip


def _method(run: TrainingRun, rows: list[dict[str, Any]], data: Path) -> str:
    """The run's method, checked against the data's columns (inferred from them without a
    config)."""
    kto_rows = COLUMNS["kto"] <= set(rows[0])
    method = run.rl if run.config else ("kto" if kto_rows else "dpo")
    if (method == "kto") != kto_rows:
        wanted = "prompt/completion/label" if method == "kto" else "prompt/chosen/rejected"
        raise UserError(
            f"{data} does not hold the {method.upper()} rows the adapter was trained on ({wanted})",
            f"pass --data with an export of style {STYLE_OF[method]}",
        )
    return method


@dataclass(frozen=True)
class Tokenised:
    pair: HeldOut
    prompt_ids: list[int]
    chosen_ids: list[int]
    rejected_ids: list[int]


def held_out(
    rows: list[dict[str, Any]], method: str, tokenizer: Any, run: TrainingRun
) -> tuple[list[HeldOut], int | None]:
    """The pairs to score and, for KTO, how many prompts had both kinds of completion."""
    if method == "dpo":
        return [HeldOut(dpo_text(row, tokenizer), _groups(row)) for row in rows], None
    by_prompt: dict[Any, dict[bool, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_prompt[json.dumps(row["prompt"])][bool(row["label"])].append(row)
    pairs, prompts = [], 0
    for kinds in by_prompt.values():
        if not (kinds[True] and kinds[False]):
            continue
        prompts += 1
        for good, bad in product(kinds[True], kinds[False]):
            prompt, chosen = kto_text(good, run.kto_formats)
            rejected = kto_text(bad, run.kto_formats)[1]
            pairs.append(HeldOut(TrainingText(prompt, chosen, rejected), _groups(good)))
    return pairs, prompts


def evaluate(request: EvaluateRequest, run: TrainingRun | None = None) -> dict[str, Any]:
    """Score the held-out pairs and save evaluation.json; raises UserError for a missing
    adapter, a base model that does not fit it, or nothing to evaluate. `run`: the request's
    run where the caller has read it already."""
    run = run or load_run(request.adapter, request.config, request.base_model)
    data = split_file(request.data or run.data_dir, request.split)
    rows = read_dataset(data)
    if not rows:
        raise UserError(f"{data} holds no rows to evaluate on", "pass --data with another split")
    method = _method(run, rows, data)
    require_libraries()
    with third_party_quiet(request.verbose):
        tokenizer = load_tokenizer(run.adapter, run.base_model)
    pairs, kto_prompts = held_out(rows, method, tokenizer, run)
    tokens, too_long = _tokenised(tokenizer, pairs, run.sequence_len)
    if request.max_pairs is not None:
        tokens = tokens[: request.max_pairs]
    if not tokens:
        raise UserError(
            f"no pair to evaluate in {data}"
            + (f" ({too_long} longer than the run's sequence_len)" if too_long else ""),
            "KTO needs a desirable and an undesirable completion of the same prompt"
            if method == "kto"
            else "pass --data with a split that holds pairs",
        )
    with third_party_quiet(request.verbose):
        device, dtype = device_and_dtype()
        model = load_model(run.adapter, run.base_model, device, dtype)
    scored = _score(Scorer(model, tokenizer, device), tokens, request.progress)
    beta = run.beta
    result = {
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "selfware_git": version("selfware-git"),
        "adapter": str(run.adapter),
        "base_model": run.base_model,
        "config": str(run.config) if run.config else None,
        "data": str(data),
        "split": None if data == request.data else request.split,  # a file given is no split
        "method": method,
        "beta": beta,
        "device": device,
        "dtype": str(dtype).removeprefix("torch."),
        "skipped": {"longer_than_sequence_len": too_long},
        "overall": figures(scored, beta),
        "by": breakdown(scored, beta),
        "notes": list(run.notes) + ([KTO_NOTE] if method == "kto" else []),
    }
    if kto_prompts is not None:
        result["kto_prompts_with_both"] = kto_prompts
    write_evaluation(run.adapter, result)
    return result


def _tokenised(
    tokenizer: Any, pairs: list[HeldOut], limit: int | None
) -> tuple[list[Tokenised], int]:
    """Each pair's token ids, after TRL's EOS; the pairs training drops (longer than
    sequence_len) left out and counted."""
    kept, too_long = [], 0
    eos = tokenizer.eos_token
    for pair in pairs:
        if limit and dropped_by_training(pair.text, tokenizer, limit):
            too_long += 1
            continue
        prompt_ids, (chosen, rejected) = token_ids(
            tokenizer,
            pair.text.prompt,
            with_eos(pair.text.chosen, eos),
            with_eos(pair.text.rejected, eos),
        )
        kept.append(Tokenised(pair, prompt_ids, chosen, rejected))
    return kept, too_long


def _score(scorer: Scorer, tokens: list[Tokenised], progress: bool) -> list[PairScores]:
    """Each pair scored with the adapter, then with it disabled: the base model."""
    from tqdm import tqdm

    bar = tqdm(total=2 * len(tokens), desc="scoring", unit=" pairs", file=sys.stderr,
               disable=not progress, leave=False)  # fmt: skip

    def scores() -> list[list[Score]]:
        found = []
        for t in tokens:
            found.append(scorer.score(t.prompt_ids, [t.chosen_ids, t.rejected_ids]))
            bar.update()
        return found

    adapted = scores()
    with scorer.model.disable_adapter():
        base = scores()
    bar.close()
    return [
        PairScores(*with_adapter, *without, t.pair.groups)
        for t, with_adapter, without in zip(tokens, adapted, base, strict=True)
    ]


def write_evaluation(adapter: Path, result: dict[str, Any]) -> Path:
    path = adapter / EVALUATION_FILE
    atomic_write(path, (json.dumps(result, indent=2) + "\n").encode("utf-8"))
    return path
