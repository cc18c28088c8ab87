"""Which commits an AI coding agent wrote. The one place that knows the markers agents leave;
status and the miner both ask it, with or without hooks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CommitFacts:
    """What detection reads of a commit: no git object, so it works from any history source."""

    author_name: str
    author_email: str
    message: str


@dataclass(frozen=True)
class Rule:
    agent: str
    field: str  # "author" (name and email) or "message"
    pattern: re.Pattern[str]


def _rule(agent: str, field: str, pattern: str) -> Rule:
    return Rule(agent, field, re.compile(pattern, re.IGNORECASE | re.MULTILINE))


_TRAILER = r"^co-authored-by:\s*"

BUILTIN_RULES: tuple[Rule, ...] = (
    # aider: only the author counts; a committer-only suffix marks the person's own edits.
    _rule("aider", "author", r" \(aider\) <"),
    _rule("aider", "message", _TRAILER + r"aider \(.*<aider@aider\.chat>"),
    _rule("aider", "message", r"\Aaider: "),
    _rule("claude", "message", _TRAILER + r"claude.*<noreply@anthropic\.com>"),
    _rule("claude", "message", r"generated with \[claude code\]"),
    _rule("copilot", "author", r"copilot-swe-agent\[bot\]|\+copilot@users\.noreply\.github\.com"),
    _rule("devin", "author", r"devin-ai-integration\[bot\]"),
    _rule("devin", "message", r"generated with \[devin\]"),
    _rule("codex", "author", r"chatgpt-codex-connector\[bot\]"),
    _rule("codex", "message", _TRAILER + r"codex\b"),
    _rule("cursor", "message", _TRAILER + r"cursor <cursoragent@cursor\.com>"),
    _rule("cursor", "author", r"\Acursor agent <"),
    _rule("openhands", "message", _TRAILER + r"openhands <openhands@all-hands\.dev>"),
    _rule("gemini", "message", _TRAILER + r".*gemini-cli.*noreply"),
    _rule("gemini", "author", r"gemini-cli.*noreply"),
)


def user_rules(patterns: Iterable[str]) -> list[Rule]:
    """Rules from `git config selfware.agentPattern` values: `NAME=REGEX` or a bare REGEX,
    matched against `Author Name <email>` and the message."""
    rules = []
    for raw in patterns:
        name, sep, regex = raw.partition("=")
        if not sep or not re.fullmatch(r"[\w.-]+", name):
            name, regex = "custom", raw
        try:
            rules.append(_rule(name, "any", regex))
        except re.error:
            continue
    return rules


def detect_agent(facts: CommitFacts, extra_rules: Iterable[Rule] = ()) -> str | None:
    """The agent's name if the commit carries an agent's marker, else None."""
    author = f"{facts.author_name} <{facts.author_email}>"
    for rule in (*BUILTIN_RULES, *extra_rules):
        if rule.field == "author":
            texts = (author,)
        elif rule.field == "message":
            texts = (facts.message,)
        else:
            texts = (author, facts.message)
        if any(rule.pattern.search(text) for text in texts):
            return rule.agent
    return None
