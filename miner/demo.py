"""`selfware-git demo`: a throwaway repository where an agent commits and a person corrects it
in every way the hooks capture, then mined, to show what selfware-git produces."""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from selfware_git.hooks.gitpaths import locate
from selfware_git.hooks.install import install

from .mine import MineOptions, MineSummary, mine_all
from .store import Store, read_rows

SNAPSHOT_SCRIPT = str(resources.files("selfware_git.hooks").joinpath("selfware-snapshot.sh"))


class DemoRepo:
    def __init__(self, path: Path) -> None:
        self.path = path

    def git(self, *args: str, env: dict[str, str] | None = None) -> None:
        subprocess.run(
            ["git", *args],
            cwd=self.path,
            check=True,
            capture_output=True,
            env={**os.environ, **(env or {})},
        )

    def commit(
        self,
        message: str,
        files: dict[str, str],
        agent: str | None = None,
        task: str | None = None,
        amend: bool = False,
    ) -> None:
        for name, text in files.items():
            (self.path / name).parent.mkdir(parents=True, exist_ok=True)
            (self.path / name).write_text(text)
        self.git("add", "-A")
        env = {"SELFWARE_AGENT": agent, "SELFWARE_TASK": task or message} if agent else {}
        self.git("commit", "-q", "-m", message, *(["--amend"] if amend else []), env=env)


PARSE_AGENT = "def parse_port(text):\n    return int(text)\n"
PARSE_PERSON = (
    "def parse_port(text):\n    try:\n        port = int(text)\n    except ValueError:\n"
    "        raise ValueError(f'not a port: {text!r}') from None\n"
    "    if not 0 < port < 65536:\n        raise ValueError(f'port out of range: {port}')\n"
    "    return port\n"
)
TOTAL_AGENT = "export function total(items) {\n  let t = 0;\n  for (const i of items) t += i.price;\n  return t;\n}\n"  # noqa: E501
TOTAL_PERSON = "export function total(items) {\n  return items.reduce((sum, i) => sum + i.price * i.qty, 0);\n}\n"  # noqa: E501
GREET_AGENT = 'package main\n\nfunc Greet(name string) string {\n\treturn "Hello " + name\n}\n'
GREET_PERSON = (
    'package main\n\nimport "fmt"\n\nfunc Greet(name string) string {\n'
    '\tif name == "" {\n\t\tname = "stranger"\n\t}\n\treturn fmt.Sprintf("Hello, %s!", name)\n}\n'
)
MEAN_AGENT = "pub fn mean(xs: &[f64]) -> f64 {\n    xs.iter().sum::<f64>() / xs.len() as f64\n}\n"
MEAN_PERSON = (
    "pub fn mean(xs: &[f64]) -> Option<f64> {\n    if xs.is_empty() {\n        return None;\n"
    "    }\n    Some(xs.iter().sum::<f64>() / xs.len() as f64)\n}\n"
)
SLUG_AGENT = "def slugify(title):\n    return title.lower().replace(' ', '-')\n"
SLUG_PERSON = (
    "import re\n\n\ndef slugify(title):\n"
    "    return re.sub(r'[^a-z0-9]+', '-', title.lower()).strip('-')\n"
)
CALC_AGENT = "def calc(a, b):\n    return a * b + a\n"
CALC_PERSON = "def scaled_sum(base, factor):\n    return base * factor + base\n"


def play(repo: DemoRepo) -> None:
    """The agent works, the person corrects: amend, rebase, revert, reset and redo, a fix,
    and an edit fixed before it was committed."""
    repo.commit("initial", {"README.md": "demo\n", "net.py": "", "cart.js": "", "util.py": ""})
    repo.commit(
        "Parse the port",
        {"net.py": PARSE_AGENT},
        agent="claude",
        task="Add a function that parses a TCP port number from user input",
    )
    repo.commit("Parse the port, validated", {"net.py": PARSE_PERSON}, amend=True)

    repo.commit(
        "Compute the cart total",
        {"cart.js": TOTAL_AGENT},
        agent="codex",
        task="Write total(items) for the shopping cart; items have price and qty",
    )
    repo.commit("fixup! Compute the cart total", {"cart.js": TOTAL_PERSON})
    repo.git(
        "rebase",
        "-i",
        "--autosquash",
        "HEAD~2",
        env={"GIT_SEQUENCE_EDITOR": "true", "GIT_EDITOR": "true"},
    )

    repo.commit(
        "Add greeting",
        {"greet.go": GREET_AGENT},
        agent="aider",
        task="Add a Greet function to the Go service",
    )
    repo.git("reset", "-q", "--soft", "HEAD~1")
    repo.commit("Add greeting with a default name", {"greet.go": GREET_PERSON})

    repo.commit(
        "Add mean",
        {"stats.rs": MEAN_AGENT},
        agent="claude",
        task="Add a mean() helper to the stats crate",
    )
    repo.commit("mean: return None for an empty slice", {"stats.rs": MEAN_PERSON})

    repo.commit(
        "Add calc helper",
        {"util.py": CALC_AGENT},
        agent="cursor",
        task="Add a helper that scales a base value by a factor and adds the base",
    )
    repo.commit("Rename calc to scaled_sum", {"util.py": CALC_PERSON})

    repo.commit(
        "Add retry decorator",
        {"retry.py": "def retry(fn):\n    return fn\n"},
        agent="claude",
        task="Add a retry decorator",
    )
    repo.git("revert", "--no-edit", "HEAD")
    edit_before_committing(repo)


def edit_before_committing(repo: DemoRepo) -> None:
    """The commonest correction, which no commit shows: Claude Code edits the working tree
    (its hooks call the snapshot script with the payloads it sends), the person fixes the
    edit in the editor before the next tool call, then commits."""

    def hook(event: str, **fields: str) -> None:
        payload = {"session_id": "demo-session", "cwd": str(repo.path), **fields}
        subprocess.run(
            ["sh", SNAPSHOT_SCRIPT, "--agent", "claude", "--event", event],
            cwd=repo.path,
            input=json.dumps(payload).encode(),
            check=True,
        )

    prompt = "Add slugify(title) for blog post URLs"
    hook("prompt", hook_event_name="UserPromptSubmit", prompt=prompt)
    hook("pre", hook_event_name="PreToolUse", tool_name="Write")
    (repo.path / "slug.py").write_text(SLUG_AGENT)
    hook("post", hook_event_name="PostToolUse", tool_name="Write")
    (repo.path / "slug.py").write_text(SLUG_PERSON)  # the person, in the editor
    hook("pre", hook_event_name="PreToolUse", tool_name="Bash")
    repo.commit("Add slugify", {})


def run_demo(directory: Path | None) -> tuple[MineSummary, list[dict[str, Any]], Path]:
    """Build the demo repository (in `directory` or a new temp dir) and mine it."""
    root = Path(directory or tempfile.mkdtemp(prefix="selfware-demo-")).resolve()
    root.mkdir(parents=True, exist_ok=True)
    repo_path = root / "demo-repo"
    if repo_path.exists():
        raise FileExistsError(f"{repo_path} already exists; pass an empty --dir")
    # The person's own global git config (hooks path, signing, templates) stays out of the demo.
    empty_config = root / "gitconfig"
    empty_config.write_text(
        "[user]\n\tname = Demo Person\n\temail = person@example.com\n[commit]\n\tgpgsign = false\n"
    )
    os.environ.update(GIT_CONFIG_GLOBAL=str(empty_config), GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo_path)], check=True)
    install(locate(repo_path))
    play(DemoRepo(repo_path))
    store = Store(root / "preferences.jsonl")
    summary = mine_all([repo_path], store, MineOptions(), jobs=1)
    rows = [*read_rows(store.pairs), *read_rows(store.unpaired)]
    return summary, rows, root


def format_row(row: dict[str, Any]) -> str:
    meta = row["metadata"]
    head = (
        f"[{meta['event']}] {meta['function']} ({meta['language']}, {meta['path']}) "
        f"agent={meta['agent']} task={row['task']}"
    )
    if row["chosen"] is None:
        return f"{head}\n  unpaired rejection: the person removed it\n"
    diff = difflib.unified_diff(
        row["rejected"].splitlines(),
        row["chosen"].splitlines(),
        "rejected (agent)",
        "chosen (person)",
        lineterm="",
    )
    return head + "\n" + "\n".join(f"  {line}" for line in diff) + "\n"
