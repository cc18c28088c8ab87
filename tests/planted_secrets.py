# ruff: noqa: E501
"""Secrets of many kinds, as they turn up in code, for the planted-secrets suite. Fake values
in real formats; each must vanish from everything selfware-git writes."""

from __future__ import annotations

PEM_RSA = (
    "-----BEGIN RSA PRIVATE KEY-----\\n"
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\\n"
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\\n"
    "-----END RSA PRIVATE KEY-----"
)
PEM_OPENSSH = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\\n"
    "-----END OPENSSH PRIVATE KEY-----"
)

# kind → (the secret value a grep must never find, a line of code holding it)
SECRETS: dict[str, tuple[str, str]] = {
    "aws-access-key": ("AKIAQWERTYUIOPASDFGH", 'aws_id = "AKIAQWERTYUIOPASDFGH"'),
    "aws-secret-key": (
        "wJalrXUtnFEMIzK7MDENGzbPxRfiCYzEXAMPLEKEY2",
        'aws_secret_access_key = "wJalrXUtnFEMIzK7MDENGzbPxRfiCYzEXAMPLEKEY2"',
    ),
    "github-pat": (
        "ghp_Zk8Lq2Wm4Xn6Yp8Rt0Uv2Wx4Yz6Ab8Cd0Ef2G",
        'gh = "ghp_Zk8Lq2Wm4Xn6Yp8Rt0Uv2Wx4Yz6Ab8Cd0Ef2G"',
    ),
    "github-fine-grained": (
        "github_pat_11AAAAAAA0aBcDeFgHiJkLm_NoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01",
        'fg = "github_pat_11AAAAAAA0aBcDeFgHiJkLm_NoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01"',
    ),
    "github-oauth": (
        "gho_16C7e42F292c6912E7710c838347Ae178B4a",
        'oauth = "gho_16C7e42F292c6912E7710c838347Ae178B4a"',
    ),
    "gitlab-pat": ("glpat-Qw3rTy7uIo9pAs2dFg4h", 'gl = "glpat-Qw3rTy7uIo9pAs2dFg4h"'),
    "slack-bot": (
        "xoxb-2048115398-4096230797-ZmVhdHVyZWZsYWdzb2Zmb2Zm",
        'slack = "xoxb-2048115398-4096230797-ZmVhdHVyZWZsYWdzb2Zmb2Zm"',
    ),
    "slack-webhook": (
        "https://hooks.slack.com/services/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",
        'hook = "https://hooks.slack.com/services/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"',
    ),
    "stripe-live": (
        "sk_live_51H8zQ2KpL3mN4oP5qR6sT7u",
        'stripe = "sk_live_51H8zQ2KpL3mN4oP5qR6sT7u"',
    ),
    "stripe-restricted": (
        "rk_live_51H8zQ2KpL3mN4oP5qR6sT7v",
        'restricted = "rk_live_51H8zQ2KpL3mN4oP5qR6sT7v"',
    ),
    "openai-project": (
        "sk-proj-Xy7Zq9Wr3Et5Yu1Io8Pa6Sd4Fg2Hj0Kl",
        'openai = "sk-proj-Xy7Zq9Wr3Et5Yu1Io8Pa6Sd4Fg2Hj0Kl"',
    ),
    "openai-legacy": (
        "sk-Zq9Wr3Et5Yu1Io8Pa6Sd4Fg2Hj0KlXy7Zq9Wr3Et5Yu1Io",
        'legacy = "sk-Zq9Wr3Et5Yu1Io8Pa6Sd4Fg2Hj0KlXy7Zq9Wr3Et5Yu1Io"',
    ),
    "anthropic": (
        "sk-ant-api03-Bv8Nm2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm8Qw0Er",
        'claude = "sk-ant-api03-Bv8Nm2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm8Qw0Er"',
    ),
    "jwt": (
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.Qk9tM3JhbmRvbXNpZ25hdHVyZTEyMw",
        'session = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.Qk9tM3JhbmRvbXNpZ25hdHVyZTEyMw"',
    ),
    "rsa-private-key": (
        "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
        f'pem = "{PEM_RSA}"',
    ),
    "openssh-private-key": (
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
        f'ssh = "{PEM_OPENSSH}"',
    ),
    "postgres-url": ("Pg5ecretPa55", 'db = "postgres://app:Pg5ecretPa55@db.internal:5432/app"'),
    "mongodb-url": (
        "M0ng0Pa55w0rd",
        'mongo = "mongodb+srv://svc:M0ng0Pa55w0rd@cluster0.mongodb.net"',
    ),
    "redis-url": ("R3disPa55", 'cache = "redis://:R3disPa55@cache.internal:6379/0"'),
    "google-api-key": (
        "AIzaSyD3xAmPlEkEy0123456789abcdefghijk",
        'maps = "AIzaSyD3xAmPlEkEy0123456789abcdefghijk"',
    ),
    "huggingface": (
        "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
        'hf = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"',
    ),
    "npm": (
        "npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
        'npm = "npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"',
    ),
    "pypi": (
        "pypi-AgEIcHlwaS5vcmcCJGFiY2RlZjAxLTIzNDUtNjc4OS1hYmNkLWVmMDEyMzQ1Njc4OQACKlsz",
        'pypi = "pypi-AgEIcHlwaS5vcmcCJGFiY2RlZjAxLTIzNDUtNjc4OS1hYmNkLWVmMDEyMzQ1Njc4OQACKlsz"',
    ),
    "sendgrid": (
        "SG.aBcDeFgHiJkLmNoPqRsTuV.wXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01234",
        'sg = "SG.aBcDeFgHiJkLmNoPqRsTuV.wXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01234"',
    ),
    "twilio": (
        "SK0123456789abcdef0123456789abcdef",
        'twilio = "SK0123456789abcdef0123456789abcdef"',
    ),
    "mailgun": (
        "key-0123456789abcdef0123456789abcdef",
        'mg = "key-0123456789abcdef0123456789abcdef"',
    ),
    "azure-connection": (
        "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbA==",
        'az = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbA==;EndpointSuffix=core.windows.net"',
    ),
    "password-assignment": ("Tr0ub4dor&3xyz", 'password = "Tr0ub4dor&3xyz"'),
    "camel-case-token": ("Ab3xYz9Qw8Er7Ty6", 'apiToken = "Ab3xYz9Qw8Er7Ty6"'),
    "client-secret": ("cs_9f8e7d6c5b4a3f2e1d0c", 'client_secret = "cs_9f8e7d6c5b4a3f2e1d0c"'),
    "bearer-header": (
        "dGhpc2lzYXZlcnlzZWNyZXR0b2tlbjEyMw",
        'auth = "Bearer dGhpc2lzYXZlcnlzZWNyZXR0b2tlbjEyMw"',
    ),
    "hex-high-entropy": (
        "8f14e45fceea167a5a36dedd4bea2543b1f5e5d2c9a7",
        'seed = "8f14e45fceea167a5a36dedd4bea2543b1f5e5d2c9a7"',
    ),
}
