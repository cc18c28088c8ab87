"""Log-likelihood of a completion given its prompt, computed as TRL's DPO and KTO trainers
compute it: the prompt and prompt + completion tokenised on their own (special tokens as the
tokenizer adds them), the completion taken as the tokens after the prompt's, and the summed
log-probability of those tokens. One model in memory: the base scores come from the same
PeftModel with its adapter disabled. torch, transformers and peft are imported here only."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfware_git.hooks.errors import UserError

from .fine_tune import INSTALL_HINT, installed

# config.json keys that must agree between the base model given and the one the adapter was
# trained on (Axolotl saves the latter beside the adapter).
SHAPE_KEYS = ("model_type", "vocab_size", "hidden_size", "num_hidden_layers", "intermediate_size")


@dataclass(frozen=True)
class Score:
    logp: float  # summed over the completion's tokens
    tokens: int

    @property
    def mean(self) -> float:
        return self.logp / self.tokens if self.tokens else float("-inf")


def require_libraries() -> None:
    """torch, transformers and peft, or a UserError naming the extra that brings them."""
    missing = [name for name in ("torch", "transformers", "peft") if not installed(name)]
    if missing:
        raise UserError(f"{', '.join(missing)} not installed, so nothing can load the adapter",
                        INSTALL_HINT)  # fmt: skip


def device_and_dtype() -> tuple[str, Any]:
    """A CUDA GPU in bf16 where it has it, else fp32 (on the CPU, and on older GPUs where fp16
    would overflow long sums)."""
    import torch

    if torch.cuda.is_available():
        return "cuda", torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float32
    return "cpu", torch.float32


def check_base_matches(adapter: Path, base_model: str) -> None:
    """Refuse a base model whose shape differs from the one the adapter was trained on, before
    peft fails deep inside with a size mismatch."""
    from transformers import AutoConfig

    saved = adapter / "config.json"
    if not saved.is_file():
        return
    trained = AutoConfig.from_pretrained(adapter).to_dict()
    given = _load(AutoConfig.from_pretrained, base_model).to_dict()
    differ = [k for k in SHAPE_KEYS if trained.get(k) != given.get(k)]
    if differ:
        raise UserError(
            f"{base_model} does not match the model {adapter} was trained on ("
            + ", ".join(f"{k} {given.get(k)} here, {trained.get(k)} there" for k in differ)
            + ")",
            "pass --base-model with the model the adapter was trained on",
        )


def _load(loader: Any, name: str, **kwargs: Any) -> Any:
    try:
        return loader(name, **kwargs)
    except (OSError, ValueError) as exc:  # not there; there but not a model transformers knows
        raise UserError(
            f"cannot load the base model {name}: {str(exc).splitlines()[0]}",
            "pass --base-model with a model folder, or a name in the local Hugging Face cache",
        ) from exc


def load_tokenizer(adapter: Path, base_model: str) -> Any:
    """The tokenizer Axolotl saved beside the adapter (its chat template is the one training
    rendered with), else the base model's."""
    from transformers import AutoTokenizer

    if (adapter / "tokenizer_config.json").is_file():
        return AutoTokenizer.from_pretrained(adapter)
    return _load(AutoTokenizer.from_pretrained, base_model)


def load_model(adapter: Path, base_model: str, device: str, dtype: Any) -> Any:
    """The base model with the adapter on it, in eval mode on `device`."""
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    check_base_matches(adapter, base_model)
    base = _load(AutoModelForCausalLM.from_pretrained, base_model, dtype=dtype, device_map=device)
    try:
        model = PeftModel.from_pretrained(base, adapter)
    except (RuntimeError, ValueError, KeyError) as exc:
        raise UserError(
            f"the adapter in {adapter} does not fit {base_model}: {str(exc).splitlines()[0]}",
            "pass --base-model with the model the adapter was trained on",
        ) from exc
    return model.to(device).eval()


def token_ids(tokenizer: Any, prompt: str, *completions: str) -> tuple[list[int], list[list[int]]]:
    """(prompt ids, each completion's ids) as TRL's tokenize_fn splits them: a completion is
    what follows the prompt's own tokens in the tokens of prompt + completion. The prompt is
    tokenised once for all its completions."""
    prompt_ids = tokenizer(text=prompt)["input_ids"]
    return prompt_ids, [
        tokenizer(text=prompt + completion)["input_ids"][len(prompt_ids) :]
        for completion in completions
    ]


class Scorer:
    """Summed log-probabilities of completions, with logits computed for the completions'
    positions only where the model allows it (a long prompt then costs no vocabulary-wide
    logits)."""

    def __init__(self, model: Any, tokenizer: Any, device: str) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.device = device
        forward = getattr(model, "get_base_model", lambda: model)().forward
        self.keeps_logits = "logits_to_keep" in inspect.signature(forward).parameters

    def score(self, prompt_ids: list[int], completions: list[list[int]]) -> list[Score]:
        """The completions of one prompt (a pair's chosen and rejected) in one right-padded
        batch, as TRL's collator builds it, so that the same kernels see the same inputs."""
        import torch

        sequences = [prompt_ids + completion for completion in completions]
        width = max(map(len, sequences))
        pad = self.tokenizer.pad_token_id
        pad = pad if pad is not None else self.tokenizer.eos_token_id or 0
        ids = torch.tensor([s + [pad] * (width - len(s)) for s in sequences], device=self.device)
        mask = torch.tensor(
            [[1] * len(s) + [0] * (width - len(s)) for s in sequences], device=self.device
        )
        start = max(len(prompt_ids) - 1, 0)  # the logit that predicts the first completion token
        kwargs = {"logits_to_keep": width - start} if self.keeps_logits else {}
        with torch.inference_mode():
            logits = self.model(
                input_ids=ids, attention_mask=mask, use_cache=False, **kwargs
            ).logits
        logits = logits[:, -(width - start) :].float()
        first = start + 1  # the first token scored: the sequence's first has no logit
        scores = []
        for row, sequence in enumerate(sequences):
            labels = ids[row, first : len(sequence)]
            predicted = logits[row, : len(labels)]
            logps = torch.log_softmax(predicted, dim=-1).gather(1, labels[:, None]).squeeze(1)
            scores.append(Score(float(logps.sum()), len(labels)))
        return scores
