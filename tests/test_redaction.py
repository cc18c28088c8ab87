# ruff: noqa: E501
"""Redaction replaces literal values only: identifiers, fields, keys and placeholders that
look like secrets by name stay, so the stored code still compiles."""

from __future__ import annotations

import pytest
from detect_secrets.core.scan import _process_line_based_plugins

from selfware_git.miner import redact
from selfware_git.miner.redact import redact_texts
from tests.planted_secrets import SECRETS


def redacted(path: str, rejected: str, chosen: str) -> tuple[str, str]:
    result = redact_texts(path, "task", rejected, chosen)
    assert result is not None
    return result[1], result[2]


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("a.go", "func f() {\n\tx.ProxyAPIKey = cfg.ProxyAPIKey\n}"),
        ("a.go", 'func f() {\n\tc := Config{ProxyAPIKey: "proxy-handled"}\n}'),
        (
            "a.py",
            "def f(api_key=None):\n    password_field = form.password_field\n    return api_key",
        ),
        ("a.ts", 'function f() {\n  const token = "<your-token-here>";\n  return token;\n}'),
        ("a.py", 'def f():\n    secret = os.environ["APP_SECRET"]\n    return secret'),
        (  # a translation of a secret-sounding key: a phrase, not a secret
            "a.tsx",
            'function t() {\n  return { "SETTINGS$NAV_API_KEYS": "API Keys", "NAV_TOKEN": "Access Token" };\n}',
        ),
        (
            "a.rs",
            "fn f() -> String {\n    let access_key = settings.access_key.clone();\n    access_key\n}",
        ),
    ],
)
def test_identifiers_and_placeholders_are_never_redacted(path: str, code: str) -> None:
    changed = code.replace("f(", "g(", 1)
    assert redacted(path, code, changed) == (code, changed)


def test_a_secret_literal_is_still_redacted_and_the_code_around_it_kept() -> None:
    rejected = 'def f():\n    password = "Tr0ub4dor&3xyz"\n    return login(password)'
    chosen = 'def f():\n    password = os.environ["PW"]\n    return login(password)'
    clean_rejected, clean_chosen = redacted("a.py", rejected, chosen)
    assert "Tr0ub4dor&3xyz" not in clean_rejected
    assert clean_rejected.startswith('def f():\n    password = "<REDACTED:')
    assert clean_rejected.endswith('"\n    return login(password)')
    assert clean_chosen == chosen


def test_a_token_in_a_go_field_value_is_redacted_the_field_name_kept() -> None:
    token = "ghp_" + "a1B2" * 9
    rejected = f'func f() Config {{\n\treturn Config{{GithubToken: "{token}"}}\n}}'
    chosen = 'func f() Config {\n\treturn Config{GithubToken: os.Getenv("GH")}\n}'
    clean_rejected, _ = redacted("a.go", rejected, chosen)
    assert (
        clean_rejected
        == 'func f() Config {\n\treturn Config{GithubToken: "<REDACTED:github-token>"}\n}'
    )


def test_lines_left_out_before_detect_secrets_are_lines_no_plugin_reports() -> None:
    """The plugins' own patterns decide which lines detect-secrets sees: every planted secret's
    line that a plugin reports passes them, and a long plain assignment does not."""
    redact._settings_ready()
    reported = [
        line
        for _value, line in SECRETS.values()
        if list(_process_line_based_plugins(lines=[(1, line)], filename="row.py"))
    ]
    assert len(reported) >= 20
    assert all(redact._plugins_could_report(line) for line in reported)
    long_plain = "total = compute_the_running_total(items, offset=previous_offset)"
    assert redact._MAY_HOLD_SECRET.search(long_plain)  # the cheap filter lets it through
    assert not redact._plugins_could_report(long_plain)


@pytest.mark.parametrize(
    "text",
    [
        'API_KEY = "abcdef123"',
        'my_Token := "zzzzzz1x"',
        "PaſſWord: 'hunter22'",
        'client_secret =\n    "s3cr3t-value"',
        'cfg.AuthKey="k9k9k9k9"',
    ],
)
def test_the_fast_condition_before_a_slow_pattern_holds_wherever_it_matches(text: str) -> None:
    """A gate may only skip texts its pattern cannot match."""
    assert dict(redact._PATTERNS)["secret-assignment"].search(text)
    assert redact._GATES["secret-assignment"].search(text.lower())
