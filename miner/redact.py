"""Secrets out of every row before it is written anywhere. detect-secrets finds them (its
plugins and false-positive filters, run on the row's text as if it were the file); a few
patterns add what it reports only in part (a token's prefix, half a JWT) or not at all.
Each secret becomes a stable `<REDACTED:kind>` so that pairs still diff sensibly.

Redaction never breaks the code it keeps: in code only literal values are replaced (inside
string, number and comment tokens), never identifiers, field names, keys or expressions; and a
value found only by a secret's *name* (`password = …`) must look like a secret, not like code
or a placeholder (`cfg.ProxyAPIKey`, `"proxy-handled"`, `"<your-key>"`)."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import PurePosixPath

from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
from detect_secrets.core.scan import _process_line_based_plugins
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin
from detect_secrets.plugins.keyword import DENYLIST_REGEX, KeywordDetector
from detect_secrets.settings import cache_bust, configure_settings_from_baseline, get_plugins

from .languages import language_for
from .lexer import token_spans
from .tokens import normalized

MIN_SECRET = 6  # shorter detect-secrets values are token prefixes; the patterns take the rest

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            "private-key",
            r"-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----"
            r"(?:(?:\s|\\n|[\"'+,])*[A-Za-z0-9+/=]{16,})*"
            r"(?:(?:\s|\\n|[\"'+,])*-----END [A-Z ]*PRIVATE KEY( BLOCK)?-----)?",
        ),
        ("github-token", r"\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{22,255})"),
        ("gitlab-token", r"\bgl(?:pat|dt|ptt|rt)-[A-Za-z0-9_\-]{20,}"),
        ("anthropic-key", r"\bsk-ant-[A-Za-z0-9_\-]{20,}"),
        ("openai-key", r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}"),
        ("slack-token", r"\bxox[abposre]-[A-Za-z0-9-]{10,}"),
        ("slack-webhook", r"https://hooks\.slack\.com/services/[A-Za-z0-9/]+"),
        ("stripe-key", r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}"),
        ("aws-access-key", r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}\b"),
        ("google-api-key", r"\bAIza[0-9A-Za-z_\-]{30,}"),
        ("huggingface-token", r"\bhf_[A-Za-z0-9]{30,}"),
        ("npm-token", r"\bnpm_[A-Za-z0-9]{36}"),
        ("pypi-token", r"\bpypi-AgE[A-Za-z0-9_\-]{50,}"),
        ("sendgrid-key", r"\bSG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}"),
        ("twilio-key", r"\bSK[0-9a-fA-F]{32}\b"),
        ("mailgun-key", r"\bkey-[0-9a-f]{32}\b"),
        ("jwt", r"\beyJ[A-Za-z0-9_\-]{5,}\.eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}"),
        ("azure-key", r"(?i)(?<=AccountKey=)[A-Za-z0-9+/=]{20,}"),
        ("url-password", r"(?<=://)[A-Za-z0-9._~%+-]*:[^\s/@'\"()\[\]{}|\\<>]+(?=@)"),
        ("bearer-token", r"(?i)(?<=\bbearer )[A-Za-z0-9\-._~+/]{16,}=*"),
        (
            "secret-assignment",
            r"(?i)(?<![A-Za-z0-9])[A-Za-z0-9_]*?(?:secret|token|passw(?:or)?d|"
            r"pwd|api_?key|private_?key|access_?key|auth_?key)[A-Za-z0-9_]*"
            r"\s*(?::=|[:=])\s*['\"](?P<value>(?![a-z-]+['\"])[^'\"\s]{6,})['\"]",
        ),
    )
)


# Kinds found by a secret-looking *name* rather than by the value's own shape.
_BY_NAME = {"secret-assignment", "secret-keyword", "basic-auth-credentials"}
_CODE_LIKE = re.compile(r"[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)*(?:\(\))?")
# Plain words: one case with `-`/`_`/space between, or a phrase of any case ("API Keys").
_WORDS = re.compile(r"[a-z]+(?:[-_ ][a-z]+)*|[A-Z]+(?:[-_ ][A-Z]+)*|[A-Za-z]+(?: [A-Za-z]+)+")
_PLACEHOLDER = re.compile(
    r"^[<{$%]|[>}]$|\.\.\.|^x{3,}|your[-_ ]|changeme|placeholder|redacted|\*{3,}",
    re.IGNORECASE,
)


def plausible(value: str, kind: str) -> bool:
    """Could this value be a secret? Values found by shape always are; values found by a
    secret's name, and passwords in URLs, must not be code (a name, a field path, a call),
    plain words or a placeholder (`user:password@`, `test-user:test-token@`)."""
    if kind == "url-password":
        value = value.partition(":")[2]
    elif kind not in _BY_NAME:
        return True
    if _CODE_LIKE.fullmatch(value) and not any(c.isdigit() for c in value):
        return False
    return not (_WORDS.fullmatch(value) or _PLACEHOLDER.search(value))


def _slug(kind: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-")


@cache
def _settings_ready() -> bool:
    """detect-secrets' plugins (all of them) and default filters, configured once per process:
    what its `default_settings()` does, kept for the life of the process."""
    cache_bust()
    configure_settings_from_baseline(
        {
            "plugins_used": [
                {"name": kind.__name__} for kind in get_mapping_from_secret_type_to_class().values()
            ]
        }
    )
    return True


# Fixed text each pattern needs (lower case): a pattern whose anchors are all absent is not run.
_ANCHORS = {
    "private-key": ("-----begin",),
    "github-token": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    "gitlab-token": ("glpat-", "gldt-", "glptt-", "glrt-"),
    "anthropic-key": ("sk-ant-",),
    "openai-key": ("sk-",),
    "slack-token": ("xox",),
    "slack-webhook": ("hooks.slack.com",),
    "stripe-key": ("_live_", "_test_"),
    "aws-access-key": ("akia", "asia", "agpa", "aida", "aroa"),
    "google-api-key": ("aiza",),
    "huggingface-token": ("hf_",),
    "npm-token": ("npm_",),
    "pypi-token": ("pypi-",),
    "sendgrid-key": ("sg.",),
    "twilio-key": ("sk",),
    "mailgun-key": ("key-",),
    "jwt": ("eyj",),
    "azure-key": ("accountkey=",),
    "url-password": ("://",),
    "bearer-token": ("bearer ",),
    "secret-assignment": ("secret", "token", "pass", "pwd", "key"),
}


# A fast necessary condition, on the lower-cased text, for a pattern that is slow to try at
# every position: the secret's name assigned a quoted value. `ſ` is there because the pattern
# ignores case, under which it matches `s`, and lower-casing keeps it as it is.
_GATES = {
    "secret-assignment": re.compile(
        r"(?:[sſ]ecret|token|pa[sſ][sſ]w(?:or)?d|pwd|api_?key|private_?key|acce[sſ][sſ]_?key|"
        r"auth_?key)[a-z0-9_ſ]*\s*(?::=|[:=])\s*['\"]"
    ),
}


def find_secrets(text: str, filename: str) -> dict[str, str]:
    """secret value → kind, for every secret in `text` read as the file `filename`."""
    found: dict[str, str] = {}
    lowered = text.lower()
    for kind, pattern in _PATTERNS:
        if not any(anchor in lowered for anchor in _ANCHORS[kind]):
            continue
        gate = _GATES.get(kind)
        if gate is not None and not gate.search(lowered):
            continue
        for match in pattern.finditer(text):
            value = match.groupdict().get("value") or match.group(0)
            found.setdefault(value, kind)
    suffix = PurePosixPath(filename).suffix
    for line in dict.fromkeys(text.splitlines()):
        for value, kind in _line_secrets(line.strip(), suffix):
            if not any(value in known for known in found):
                found.setdefault(value, kind)
    return {value: kind for value, kind in found.items() if plausible(value, kind)}


# What a line must hold for any detect-secrets plugin to report it: a secret-looking word (the
# keyword plugin), a long quoted run (the entropy plugins), or a known token's fixed text.
_MAY_HOLD_SECRET = re.compile(
    r"(?i)pass|pwd|secret|token|key|auth|cred|bearer|private|cookie|session|"
    r"://[^\s/]*:[^\s/]*@|akia|asia|xox|sk_|rk_|gh[pousr]_|github_pat|glpat|eyj|-----begin|"
    r"[\"'`][^\"'`\s]{16,}|[=:]\s*[^\s\"'`]{20,}|ssh-rsa|sq0|shpat|npm_|pypi-|hf_"
)


@lru_cache(maxsize=65536)
def _line_secrets(line: str, suffix: str) -> tuple[tuple[str, str], ...]:
    """detect-secrets on one line, cached: the same lines recur across many pairs (both sides
    of a pair, and the same function corrected again and again). Lines that no plugin could
    report are not handed to it at all."""
    if not line or not _MAY_HOLD_SECRET.search(line) or not _plugins_could_report(line):
        return ()
    secrets = _process_line_based_plugins(lines=[(1, line)], filename="row" + suffix)
    return tuple(
        (s.secret_value, _slug(s.type))
        for s in secrets
        if s.secret_value and len(s.secret_value) >= MIN_SECRET
    )


def _plugins_could_report(line: str) -> bool:
    """Does any plugin's own pattern match the line? Each plugin reports only what one of its
    patterns finds, so a line none matches is left out with the same result, at a fraction of
    the cost of running the plugins and their filters on it."""
    shapes = _plugin_shapes()
    return shapes is None or any(shape.search(line) for shape in shapes)


@cache
def _plugin_shapes() -> tuple[re.Pattern[str], ...] | None:
    """The patterns detect-secrets' plugins find secrets by: a regex plugin's own, the quoted
    runs of an entropy plugin's alphabet, the keyword plugin's words (every one of its
    assignment patterns holds them). None where a plugin is of another kind: no shortcut."""
    _settings_ready()
    shapes: list[re.Pattern[str]] = []
    for plugin in get_plugins():
        if isinstance(plugin, KeywordDetector):
            shapes.append(re.compile(DENYLIST_REGEX, re.IGNORECASE))
        elif isinstance(plugin, HighEntropyStringsPlugin):
            shapes.append(plugin.regex)
        elif isinstance(plugin, RegexBasedDetector):
            shapes.extend(plugin.denylist)
        else:
            return None
    return tuple(shapes)


def redact(text: str, secrets: dict[str, str]) -> str:
    """Every secret in free text (a prompt) replaced."""
    for value in sorted(secrets, key=len, reverse=True):
        text = text.replace(value, f"<REDACTED:{secrets[value]}>")
    return text


def redact_code(text: str, secrets: dict[str, str], language: str | None) -> str:
    """Secrets replaced only inside literal values (strings, numbers, comments) of the code."""
    if language is None:
        return redact(text, secrets)
    if not any(value in text for value in secrets):
        return text
    parts = []
    position = 0
    for kind, start, end in token_spans(text, language):
        parts.append(text[position:start])
        piece = text[start:end]
        literal = kind != "code" or piece[:1].isdigit()
        parts.append(redact(piece, secrets) if literal else piece)
        position = end
    parts.append(text[position:])
    return "".join(parts)


def redact_texts(
    path: str, prompt: str, rejected: str, chosen: str | None
) -> tuple[str, str, str | None] | None:
    """The texts of a row with every secret replaced; None when chosen and rejected then
    differ no more (the person's change was only a secret)."""
    filename = "row" + PurePosixPath(path).suffix
    secrets = find_secrets("\n".join((prompt, rejected, chosen or "")), filename)
    if not secrets:
        return prompt, rejected, chosen
    spec = language_for(path)
    language = spec.name if spec else None
    clean_chosen = redact_code(chosen, secrets, language) if chosen is not None else None
    clean_rejected = redact_code(rejected, secrets, language)
    if clean_chosen is not None and normalized(clean_chosen) == normalized(clean_rejected):
        return None
    return redact(prompt, secrets), clean_rejected, clean_chosen
