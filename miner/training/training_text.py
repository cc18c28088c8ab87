"""The exact text a training run sees for an exported row. Axolotl renders the row (DPO: its
`chat_template.default` strategy; KTO: the config's prompt and completion formats) and drops
the rows longer than `sequence_len`; then TRL's trainer appends EOS to a plain-text completion
that lacks it. Scoring any other text would measure something the adapter was not trained on,
so this mirrors the three steps, quirks included (tests compare it with Axolotl's own
transforms)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DUMMY_USER = {"role": "user", "content": "[[dummy_message]]"}  # Axolotl's, to render a turn


@dataclass(frozen=True)
class TrainingText:
    """A pair as Axolotl hands it to TRL: plain strings, before TRL's EOS."""

    prompt: str
    chosen: str
    rejected: str


def _messages(prompt: Any) -> list[dict[str, str]]:
    if isinstance(prompt, str):
        return [{"role": "user", "content": prompt}]
    return [{"role": m["role"], "content": m["content"]} for m in prompt]


def _turn(completion: Any) -> dict[str, str]:
    if isinstance(completion, str):
        return {"role": "assistant", "content": completion}
    message = completion if isinstance(completion, dict) else completion[-1]
    return {"role": message["role"], "content": message["content"]}


def _rendered_turn(tokenizer: Any, completion: Any) -> str:
    """The assistant turn as the template writes it, from its content on (end-of-turn markers
    kept, trailing whitespace cut), as Axolotl does. A template that changes the content
    (trims it) makes `find` miss; Axolotl then keeps the last character, and so does this."""
    turn = _turn(completion)
    text = tokenizer.apply_chat_template([DUMMY_USER, turn], tokenize=False)
    return text[text.find(turn["content"]) :].rstrip()


def with_eos(text: str, eos_token: str | None) -> str:
    """TRL's DPO and KTO trainers end every plain-text completion with EOS."""
    return text if not eos_token or text.endswith(eos_token) else text + eos_token


def dpo_text(row: dict[str, Any], tokenizer: Any) -> TrainingText:
    """A standard or conversational row as `chat_template.default` renders it."""
    prompt = tokenizer.apply_chat_template(
        _messages(row["prompt"]), add_generation_prompt=True, tokenize=False
    )
    return TrainingText(
        prompt=prompt,
        chosen=_rendered_turn(tokenizer, row["chosen"]),
        rejected=_rendered_turn(tokenizer, row["rejected"]),
    )


def kto_text(row: dict[str, Any], formats: tuple[str, str]) -> tuple[str, str]:
    """A KTO row as Axolotl's field-mapping strategy formats it: (prompt, completion)."""
    prompt_format, completion_format = formats
    if "{system}" in prompt_format and row.get("system"):
        prompt = prompt_format.format(system=row["system"], prompt=row["prompt"])
    else:
        prompt = prompt_format.format(prompt=row["prompt"])
    return prompt, completion_format.format(completion=row["completion"])


def dropped_by_training(text: TrainingText, tokenizer: Any, sequence_len: int) -> bool:
    """Axolotl's default for rows that do not fit (`excess_length_strategy: drop`), counted as
    it counts: prompt plus the longer completion, without special tokens."""

    def length(part: str) -> int:
        return len(tokenizer(part, add_special_tokens=False)["input_ids"])

    return length(text.prompt) + max(length(text.chosen), length(text.rejected)) > sequence_len
