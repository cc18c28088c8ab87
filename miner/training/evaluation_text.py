"""The terminal view of an evaluation: base against base + adapter, every figure with its 95 %
interval and number of pairs, then the groups with enough pairs to break down."""

from __future__ import annotations

from typing import Any

ROWS = (  # (key, label, side it exists for)
    ("mean_loglik", "per-token mean log-likelihood", "both"),
    ("sum_loglik", "summed log-likelihood (length-biased)", "both"),
    ("reward_accuracy", "implicit {method} reward accuracy", "adapter"),
    ("reward_margin", "mean implicit reward margin", "adapter"),
)
SHARES = {"mean_loglik", "sum_loglik", "reward_accuracy"}


def figure(value: dict[str, Any], as_share: bool) -> str:
    """`58.3% [31.9–80.7] n=12`, or `0.0123 [-0.0100, 0.0346] n=12` for a mean."""
    if value["value"] is None:
        return "–"
    n = value["pairs"]
    if as_share:
        low, high = value["low"] * 100, value["high"] * 100
        return f"{value['value']:.1%} [{low:.1f}–{high:.1f}] n={n}"
    if value["low"] is None:
        return f"{value['value']:.4f} (one pair: no interval) n={n}"
    return f"{value['value']:.4f} [{value['low']:.4f}, {value['high']:.4f}] n={n}"


def _table(figures: dict[str, Any], method: str, indent: str) -> list[str]:
    lines = []
    for key, label, side in ROWS:
        label = label.format(method=method.upper())
        base = figure(figures["base"][key], key in SHARES) if side == "both" else "–"
        adapter = figure(figures["adapter"][key], key in SHARES)
        lines.append(f"{indent}{label:<40} {base:<28} {adapter}")
    return lines


def format_evaluation(result: dict[str, Any]) -> str:
    overall = result["overall"]
    skipped = result["skipped"]["longer_than_sequence_len"]
    lines = [
        f"Evaluated {result['adapter']} on {overall['pairs']} pair(s) from"
        f" {result['data']} ({result['method'].upper()}, beta {result['beta']},"
        f" base {result['base_model']}, {result['device']}).",
        "How often the person's version is preferred (95 % interval, pairs):",
        f"  {'':<40} {'base':<28} base + adapter",
        *_table(overall, result["method"], "  "),
        "Summed log-likelihood favours the shorter completion, and the person's version is often"
        " longer: read the per-token mean first.",
        "The base model's implicit reward is 0 by definition: it is judged by likelihood only.",
    ]
    if skipped:
        lines.append(f"{skipped} pair(s) longer than the run's sequence_len left out, as training"
                     " leaves them out.")  # fmt: skip
    for group, values in result["by"].items():
        for value, figures in values.items():
            lines.append(f"{group} {value} ({figures['pairs']} pairs):")
            lines += _table(figures, result["method"], "    ")
    lines += [f"note: {note}" for note in result["notes"]]
    return "\n".join(lines)


def one_line(result: dict[str, Any]) -> str:
    """The headline for `report`: per-token preference, base → adapter, and reward accuracy."""
    overall = result["overall"]
    base = overall["base"]["mean_loglik"]["value"]
    adapter = overall["adapter"]["mean_loglik"]["value"]
    reward = overall["adapter"]["reward_accuracy"]["value"]
    return (
        f"latest evaluation ({result['created']}, {overall['pairs']} held-out pairs):"
        f" person's version preferred {base:.0%} (base) → {adapter:.0%} (base + adapter) by"
        f" per-token likelihood, implicit reward accuracy {reward:.0%}"
    )
