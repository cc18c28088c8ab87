"""Who wrote a commit: an AI coding agent, a bot that is neither agent nor person, or a
person. The one place that knows the markers agents and bots leave; status and the miner both
ask it, with or without hooks."""

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
    field: str  # "author" (name and email), "message" or "any"
    pattern: re.Pattern[str]
    # What must match first: the opening the rule shares with others (a trailer's key, a
    # disclosure's verb), searched once for them all, so most messages skip most rules.
    gate: re.Pattern[str] | None = None


def _rule(agent: str, field: str, pattern: str) -> Rule:
    openings = _OPENINGS if field == "message" else ()
    opening = next((o for o in openings if pattern.startswith(o.pattern)), None)
    return Rule(agent, field, re.compile(pattern, re.IGNORECASE | re.MULTILINE), opening)


_TRAILER = r"^co-authored-by:\s*"

# AI-use disclosure trailers other than Co-authored-by, naming a coding agent.
_DISCLOSURE = (
    r"^(?:(?:ai-)?(?:assisted|generated|authored|written)-by|made-with|agent-signature):\s*"
)
_PROSE = (
    r"(?:^[(\s*_]*(?:(?:pr|pull request)\s+)?|\b(?:was|were|been|is|are)\s+)"
    r"(?:created|generated|written|made|authored|developed|implemented)\s+(?:with|by|using)\b"
    r"[^.\n]{0,40}?\b"
)

# "Used Codex CLI for this", "with the help of Claude Code": the agent named right after.
_USED = (
    r"(?:^[(\s*_]*(?:i\s+|we\s+)?used\s+|\bwith\s+(?:the\s+)?help\s+(?:of|from)\s+"
    r"|\bwith\s+assistance\s+from\s+)(?:the\s+)?(?:openai\s+|anthropic\s+|google\s+)?"
)
_COAUTHOR_PROSE = r"^[(\s]*co-?authored (?:by|with):?\s+"
_OPENINGS = tuple(
    re.compile(opening, re.IGNORECASE | re.MULTILINE)
    for opening in (_TRAILER, _DISCLOSURE, _PROSE, _USED, _COAUTHOR_PROSE)
)

_PROSE_NAMES = (
    ("claude", r"claude\b"),
    ("codex", r"codex\b"),
    ("cursor", r"cursor\b"),
    ("gemini", r"gemini\b"),
    ("aider", r"aider\b"),
    ("openhands", r"openhands\b"),
    ("devin", r"devin\b"),
    ("crush", r"crush\b"),
)  # agents a sentence may name

BUILTIN_RULES: tuple[Rule, ...] = (
    # aider: only the author counts; a committer-only suffix marks the person's own edits.
    _rule("aider", "author", r" \(aider\) <"),
    _rule("aider", "message", _TRAILER + r"aider \([^)\n]*\)\s*<"),
    _rule("aider", "message", r"\Aaider: "),
    _rule("claude", "author", r"\Aclaude\b[^<]*<[^>]*@anthropic\.com>|\Aclaude\[bot\] <"),
    _rule("claude", "message", _TRAILER + r"claude\b[^\n]*<[^>\n]*@anthropic\.com>"),
    _rule("claude", "message", _TRAILER + r"claude\[bot\]"),
    _rule("claude", "message", _TRAILER + r"claude\b[^<\n]*<[^>\n]*users\.noreply\.github\.com>"),
    _rule("claude", "message", _TRAILER + r"claude(?: code| ai)?\s*$"),
    _rule("claude", "message", r"generated with \[?claude code\b"),
    _rule("claude", "message", _DISCLOSURE + r"[^\n]*\bclaude\b"),
    # Claude Code on the web links its session in every commit it writes.
    _rule("claude", "message", r"\bclaude\.ai/code/session_\w"),
    _rule("copilot", "author", r"copilot-swe-agent\[bot\]|\+copilot@users\.noreply\.github\.com"),
    _rule("copilot", "message", _TRAILER + r"copilot-swe-agent\[bot\]"),
    # Devin signs with its own account or address; a person named Devin is a person.
    _rule(
        "devin", "author", r"devin-ai-integration\[bot\]|\Adevin(?: ai)? <[^>]*devin-|@devin\.ai>"
    ),
    _rule("devin", "message", r"generated with \[devin\]"),
    _rule("devin", "message", r"\bapp\.devin\.ai/sessions/\w"),
    _rule("devin", "message", _TRAILER + r"[^\n]*(?:devin-ai-integration\[bot\]|@devin\.ai>)"),
    _rule("codex", "author", r"chatgpt-codex-connector\[bot\]|\Acodex(?: agent)? <"),
    _rule("codex", "message", _TRAILER + r"codex\b"),
    # …under the model's or vendor's name too: `GPT-5 Codex`, `OpenAI Codex`, `Codex CLI Agent`.
    _rule("codex", "message", _TRAILER + r"[^<\n]*\bcodex\b[^<\n]*<[^>\n]*@openai\.com>"),
    _rule("codex", "message", _DISCLOSURE + r"[^\n]*\bcodex\b"),
    _rule("cursor", "message", _TRAILER + r"[^\n]*<cursoragent@cursor\.com>"),
    # Cursor's background agent marks the pull requests it opens (a squash merge keeps it).
    _rule("cursor", "message", r"<!-- cursor_agent_pr_body_begin -->"),
    _rule("cursor", "author", r"\Acursor agent <"),
    # OpenHands, and OpenDevin, its earlier name.
    _rule("openhands", "message", _TRAILER + r"open(?:hands|devin) <open(?:hands|devin)@"),
    # …and by a name it signs with its model (`OpenHands-Claude`) at its own domain, the
    # address in brackets or not.
    _rule(
        "openhands",
        "message",
        _TRAILER + r"open(?:hands|devin)\b[^<@\n]*<?[\w.+-]*@all-hands\.dev\b",
    ),
    _rule("openhands", "author", r"<open(?:hands|devin)@(?:all-hands\.dev|opendevin\.ai)>"),
    _rule("amp", "message", _TRAILER + r"amp <amp@ampcode\.com>"),
    _rule("droid", "message", _TRAILER + r"factory-droid\[bot\]"),
    _rule("droid", "author", r"\Afactory-droid\[bot\] <"),
    _rule("crush", "message", r"generated with \[?crush\b"),
    _rule("crush", "message", _TRAILER + r"(?:charm )?crush <crush@charm\.land>"),
    _rule("crush", "message", _DISCLOSURE + r"[^\n]*\bcrush\b"),
    # Gemini CLI and its GitHub app by name; `gemini-cli-robot` is the project's release bot.
    _rule("gemini", "message", _TRAILER + r"gemini-cli(?:\[bot\])?\s*<[^>\n]*noreply"),
    _rule("gemini", "author", r"\Agemini-cli(?:\[bot\])? <[^>]*noreply"),
    _rule("gemini", "message", _DISCLOSURE + r"[^\n]*\bgemini\b"),
    _rule("cursor", "message", _DISCLOSURE + r"[^\n]*\bcursor\b"),
    # Agents told by their own addresses and bot accounts: their names alone (Jules, Goose,
    # Kiro, Junie) are also people's names.
    _rule("jules", "author", r"\Agoogle-labs-jules\[bot\] <"),
    _rule("jules", "message", _TRAILER + r"google-labs-jules\[bot\]"),
    _rule("opencode", "author", r"\Aopencode-agent\[bot\] <"),
    _rule(
        "opencode",
        "message",
        _TRAILER + r"(?:opencode\b[^\n]*<[^>\n]*@opencode\.ai>|opencode-agent\[bot\])",
    ),
    _rule("qwen", "message", _TRAILER + r"[^\n]*<qwen-coder@alibabacloud\.com>"),
    _rule("cline", "message", _TRAILER + r"cline\b[^\n]*<[^>\n]*@cline\.bot>"),
    _rule("cline", "message", r"generated with \[?cline\b"),
    _rule(
        "goose",
        "message",
        _TRAILER
        + r"goose\b[^\n]*<(?:[^>\n]*@block\.xyz|[^>\n]*\+aaif-goose@users\.noreply\.github\.com)>",
    ),
    _rule("kiro", "author", r"<[^>]*\+kiro-agent@users\.noreply\.github\.com>"),
    _rule(
        "kiro",
        "message",
        _TRAILER + r"kiro\b[^\n]*<(?:[^>\n]*\+kiro-agent@users\.noreply\.github\.com|"
        r"[^>\n]*@kiro\.dev|kiro@amazon\.com)>",
    ),
    _rule("junie", "message", _TRAILER + r"junie\b[^\n]*<junie@jetbrains\.com>"),
    _rule("warp", "message", _TRAILER + r"(?:warp|oz)\b[^\n]*<(?:oz-)?agent@warp\.dev>"),
    _rule("aider", "message", _DISCLOSURE + r"[^\n]*\baider\b"),
    # Disclosures in prose: "created with OpenAI Codex", "made with assistance from Claude Code".
    *(_rule(agent, "message", _PROSE + name) for agent, name in _PROSE_NAMES),
    # …and "used …" names only agents whose names are no common words or people's names
    # ("used cursor-based paging", "with the help of Devin from the platform team").
    *(
        _rule(agent, "message", _USED + name)
        for agent, name in _PROSE_NAMES
        if agent not in ("cursor", "crush", "devin")
    ),
    # Gas Town's agents (crew, polecats, refinery, witness, mayor): their identities and the
    # `Executed-By:` trailer it writes.
    _rule(
        "gastown",
        "author",
        r"\A[\w.-]+/(?:crew|polecats)/[\w.-]+ <|\A[\w.-]+/(?:refinery|witness) <",
    ),
    _rule(
        "gastown",
        "message",
        r"^executed-by:\s*(?:[\w.-]+/(?:crew|polecats)/[\w.-]+|[\w.-]+/(?:refinery|witness)|mayor|deacon)\s*$",
    ),
    # "Co-authored by Claude AI": a co-author in prose, named but with no address.
    *(
        _rule(agent, "message", _COAUTHOR_PROSE + name + r"[^<@\n]*$")
        for agent, name in _PROSE_NAMES
    ),
    # An account run by an agent: named `…-agent`, or writing from an `agent@` address.
    _rule("unnamed", "author", r"\A[^<]*-agent <|<agent@"),
    # A co-author with no email address is a tool's signature: git and GitHub credit people
    # by address. Last, so an agent named in it is still told by its own rule.
    _rule("unnamed", "message", _TRAILER + r"[^<>@\n]*[^<>@\s][^<>@\n]*$"),
)

# Neither agent nor person: automation, and AI *review* bots whose suggestion a person accepted.
_BOT_AUTHOR = re.compile(
    r"\[bot\] <|\Agithub-actions\b|\Adependabot\b|\Arenovate\b|\Apre-commit-ci\b|"
    r"\A[^<]*\b(?:ro)?bot\b[^<]*<|<bot@",
    re.IGNORECASE,
)
_REVIEW_BOT_COAUTHOR = re.compile(
    r"^co-authored-by:\s*(copilot\s*<[^>\n]*\+copilot@users\.noreply\.github\.com>|"
    r"coderabbit[^\n]*|ellipsis[^\n]*|[^\n]*\[bot\][^\n]*)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_ANY_COAUTHOR = re.compile(r"^co-authored-by:.*$", re.IGNORECASE | re.MULTILINE)

AGENT, BOT, PERSON = "agent", "bot", "person"


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


def _unescaped(message: str) -> str:
    """The message with literal `\\n` read as line breaks: some tools write a whole message,
    trailers included, on one line with escaped breaks."""
    return message.replace("\\n", "\n") if "\\n" in message else message


def detect_agent(facts: CommitFacts, extra_rules: Iterable[Rule] = ()) -> str | None:
    """The agent's name if the commit carries an agent's marker, else None."""
    author = f"{facts.author_name} <{facts.author_email}>"
    message = _unescaped(facts.message)
    opened: dict[re.Pattern[str], bool] = {}
    for rule in (*BUILTIN_RULES, *extra_rules):
        if rule.gate is not None:
            if rule.gate not in opened:
                opened[rule.gate] = rule.gate.search(message) is not None
            if not opened[rule.gate]:
                continue
        if rule.field == "author":
            texts = (author,)
        elif rule.field == "message":
            texts = (message,)
        else:
            texts = (author, message)
        if any(rule.pattern.search(text) for text in texts):
            return rule.agent
    return None


def is_bot(facts: CommitFacts) -> bool:
    """Automation that is no coding agent (dependabot, github-actions, other `[bot]`s, a
    release `…-robot`), or a person's commit whose only co-authors are AI review bots or other
    `[bot]` accounts (an accepted review suggestion): neither side of a correction. Call
    after `detect_agent`: agents' own bots come first."""
    author = f"{facts.author_name} <{facts.author_email}>"
    if _BOT_AUTHOR.search(author):
        return True
    message = _unescaped(facts.message)
    coauthors = _ANY_COAUTHOR.findall(message)
    reviews = _REVIEW_BOT_COAUTHOR.findall(message)
    return bool(coauthors) and len(reviews) == len(coauthors)
