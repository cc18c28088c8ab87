"""From the scores of held-out pairs to the figures `evaluate` reports: how often the base model
and the base + adapter prefer the person's version, and the adapter's implicit DPO reward
β·(log π − log π_ref) against the base as reference, as TRL's `rewards/*` metrics define it.
Overall and, where a group has enough pairs to say something, by task, language and agent."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .intervals import mean, share
from .scoring import Score

MIN_GROUP_PAIRS = 10  # fewer pairs than this give an interval too wide to read
GROUPS = ("task", "language", "agent")


@dataclass(frozen=True)
class PairScores:
    chosen: Score  # base + adapter
    rejected: Score
    base_chosen: Score
    base_rejected: Score
    groups: dict[str, str] = field(default_factory=dict)  # task, language, agent


def figures(pairs: list[PairScores], beta: float) -> dict[str, Any]:
    """Every figure for these pairs. Preference is strict, as in TRL: a tie prefers nothing."""
    chosen_rewards = [beta * (p.chosen.logp - p.base_chosen.logp) for p in pairs]
    rejected_rewards = [beta * (p.rejected.logp - p.base_rejected.logp) for p in pairs]
    n = len(pairs)
    return {
        "pairs": n,
        "base": {
            "mean_loglik": share(sum(p.base_chosen.mean > p.base_rejected.mean for p in pairs), n),
            "sum_loglik": share(sum(p.base_chosen.logp > p.base_rejected.logp for p in pairs), n),
        },
        "adapter": {
            "mean_loglik": share(sum(p.chosen.mean > p.rejected.mean for p in pairs), n),
            "sum_loglik": share(sum(p.chosen.logp > p.rejected.logp for p in pairs), n),
            "reward_accuracy": share(
                sum(c > r for c, r in zip(chosen_rewards, rejected_rewards, strict=True)), n
            ),
            "reward_margin": mean(
                [c - r for c, r in zip(chosen_rewards, rejected_rewards, strict=True)]
            ),
            "reward_chosen": mean(chosen_rewards),
            "reward_rejected": mean(rejected_rewards),
        },
        "logps": {
            "chosen": mean([p.chosen.logp for p in pairs]),
            "rejected": mean([p.rejected.logp for p in pairs]),
        },
    }


def breakdown(pairs: list[PairScores], beta: float) -> dict[str, dict[str, Any]]:
    """Figures per task, language and agent, for the groups with at least MIN_GROUP_PAIRS pairs."""
    result: dict[str, dict[str, Any]] = {}
    for name in GROUPS:
        members: dict[str, list[PairScores]] = defaultdict(list)
        for pair in pairs:
            members[pair.groups.get(name) or "unknown"].append(pair)
        kept = {
            value: figures(group, beta)
            for value, group in sorted(members.items())
            if len(group) >= MIN_GROUP_PAIRS
        }
        if kept:
            result[name] = kept
    return result
