# ruff: noqa: E501
"""Redaction replaces literal values only: identifiers, fields, keys and placeholders that
look like secrets by name stay, so the stored code still compiles."""

from __future__ import annotations

import pytest

from selfware_git.miner.redact import redact_texts


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
