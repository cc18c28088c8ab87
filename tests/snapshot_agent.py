"""An agent's hook calls, as the agents make them: the installed snapshot script run with the
payload shapes Claude Code and Cursor document, JSON on stdin (the agents themselves cannot
run in tests)."""

from __future__ import annotations

import json
import subprocess
import time
from importlib import resources
from pathlib import Path

from tests.gitrepo import GitRepo

SCRIPT = Path(str(resources.files("selfware_git.hooks").joinpath("selfware-snapshot.sh")))
CLAUDE_EVENTS = {"pre": "PreToolUse", "post": "PostToolUse", "prompt": "UserPromptSubmit"}
CURSOR_EVENTS = {"pre": "preToolUse", "post": "postToolUse", "prompt": "beforeSubmitPrompt"}


def claude_payload(repo: GitRepo, session: str, event: str, **extra: object) -> str:
    payload = {
        "session_id": session,
        "transcript_path": str(repo.path / ".claude-transcript.jsonl"),
        "cwd": str(repo.path),
        "permission_mode": "default",
        "hook_event_name": CLAUDE_EVENTS[event],
    }
    if event == "prompt":
        payload["prompt"] = extra.pop("prompt", "")
    else:
        payload.update(tool_name=extra.pop("tool", "Edit"), tool_input=extra.pop("tool_input", {}))
    payload.update(extra)
    return json.dumps(payload)


def cursor_payload(repo: GitRepo, conversation: str, event: str, **extra: object) -> str:
    payload = {
        "conversation_id": conversation,
        "generation_id": "gen-1",
        "hook_event_name": CURSOR_EVENTS[event],
        "workspace_roots": [str(repo.path)],
    }
    if event == "prompt":
        payload["prompt"] = extra.pop("prompt", "")
    else:
        payload.update(tool_name=extra.pop("tool", "edit_file"), tool_input={})
    payload.update(extra)
    return json.dumps(payload)


def snapshot(
    repo: GitRepo,
    event: str,
    stdin: str | bytes,
    agent: str = "claude",
    command: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """One hook call, in the repository's top folder, as the agent runs it."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        command or ["sh", str(SCRIPT), "--agent", agent, "--event", event],
        cwd=repo.path,
        input=data,
        env={**repo.env, **(env or {})},
        capture_output=True,
        timeout=60,
    )


class ClaudeSession:
    """A Claude Code session: a prompt, then tool calls each bracketed by pre and post."""

    def __init__(self, repo: GitRepo, session: str = "5f2c1b7e-claude-session") -> None:
        self.repo = repo
        self.session = session

    def call(self, event: str, **extra: object) -> subprocess.CompletedProcess:
        proc = snapshot(self.repo, event, claude_payload(self.repo, self.session, event, **extra))
        assert proc.returncode == 0 and not proc.stdout and not proc.stderr, proc
        return proc

    def prompt(self, text: str) -> None:
        self.call("prompt", prompt=text)

    def edit(self, files: dict[str, str], tool: str = "Edit") -> None:
        """One tool call of the agent that writes `files`."""
        self.call("pre", tool=tool)
        for rel, text in files.items():
            self.repo.write(rel, text)
        self.call("post", tool=tool)
        time.sleep(0.01)
