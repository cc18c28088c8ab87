"""The terminal summary of a mining run."""

from __future__ import annotations

from .mine import MineSummary


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in counts.items()) or "none"


def format_summary(summary: MineSummary) -> str:
    lines = []
    for r in summary.reports:
        if r.status == "error":
            continue
        if r.status == "disabled":
            lines.append(f"{r.repo}: skipped, {r.message} (`selfware-git enable` turns it on)")
            continue
        if r.status == "up_to_date":
            lines.append(f"{r.repo}: up to date, nothing new since the last run")
            continue
        rebuilt = " (earlier rows rebuilt under the current pair rules)" if r.rebuilt else ""
        lines += [
            f"{r.repo}: {r.commits} commits, {r.agent_commits} by agents ({_counts(r.agents)})"
            + rebuilt,
            f"  corrections: {_counts(r.events)}",
            f"  pairs: {r.pairs}, unpaired rejections: {r.unpaired}",
            f"  skipped: {_counts(r.skips)}",
        ]
    lines.append(
        f"Added {summary.added_pairs} new pair(s) to {summary.store}"
        f" and {summary.added_unpaired} unpaired rejection(s) to {summary.unpaired_store}."
    )
    return "\n".join(lines)
