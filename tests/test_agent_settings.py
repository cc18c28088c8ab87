"""`install-hooks --agent`: our entries merged into the agent's own settings, every existing
entry kept; `uninstall-hooks --agent` undoes it byte for byte; `status` lists them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.gitrepo import GitRepo

CLAUDE_BEFORE = (
    b'{\n    "permissions": {"allow": ["Bash(npm test)"]},\n'
    b'    "hooks": {"PostToolUse": [{"matcher": "Write", "hooks": '
    b'[{"type": "command", "command": "prettier --write"}]}]}\n}'
)
CURSOR_BEFORE = b'{"version": 1, "hooks": {"afterFileEdit": [{"command": "./fmt.sh"}]}}\n'


@pytest.fixture
def project(repo: GitRepo) -> GitRepo:
    repo.commit("base", {"app.py": "def parse(text):\n    return text\n"})
    return repo


def _settings(repo: GitRepo, agent: str, everywhere: bool = False) -> Path:
    relative = {
        "claude-code": ".claude/settings.local.json" if not everywhere else ".claude/settings.json",
        "cursor": ".cursor/hooks.json",
    }[agent]
    return (Path(repo.env["HOME"]) if everywhere else repo.path) / relative


@pytest.mark.parametrize(
    ("agent", "before"), [("claude-code", CLAUDE_BEFORE), ("cursor", CURSOR_BEFORE)]
)
def test_merge_keeps_existing_hooks_and_is_undone_byte_for_byte(project, agent, before):
    settings = _settings(project, agent)
    settings.parent.mkdir()
    settings.write_bytes(before)
    out = project.cli("install-hooks", "--agent", agent).stdout
    assert str(settings) in out
    data = json.loads(settings.read_bytes())
    original = json.loads(before)
    for event, entries in original["hooks"].items():
        assert data["hooks"][event][: len(entries)] == entries  # theirs first, untouched
    assert data.get("permissions") == original.get("permissions")
    again = project.cli("install-hooks", "--agent", agent).stdout
    assert "nothing changed" in again
    project.cli("uninstall-hooks", "--agent", agent)
    assert settings.read_bytes() == before


def test_claude_code_entries_match_every_tool_and_run(project):
    project.cli("install-hooks", "--agent", "claude-code")
    settings = _settings(project, "claude-code")
    data = json.loads(settings.read_text())
    assert [e["matcher"] for e in data["hooks"]["PreToolUse"]] == ["*"]
    assert [e["matcher"] for e in data["hooks"]["PostToolUse"]] == ["*"]
    assert "matcher" not in data["hooks"]["UserPromptSubmit"][0]
    # The very command in the settings, run as Claude Code runs it (a shell, JSON on stdin).
    for event, name in (("prompt", "UserPromptSubmit"), ("pre", "PreToolUse")):
        command = data["hooks"][name][0]["hooks"][0]["command"]
        assert command.endswith(f"--agent claude --event {event}")
        payload = json.dumps({"session_id": "s-1", "hook_event_name": name, "prompt": "Go"})
        proc = subprocess.run(
            ["sh", "-c", command],
            cwd=project.path,
            env=project.env,
            input=payload,
            capture_output=True,
            text=True,
        )
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    log = project.git("log", "--format=%s", "refs/selfware/snapshot/claude/s-1").stdout
    assert log.split("\n")[:2] == ["selfware snapshot v1 pre", "selfware snapshot v1 prompt"]


def test_created_file_and_folder_are_removed_again(project):
    project.cli("install-hooks", "--agent", "cursor")
    settings = _settings(project, "cursor")
    data = json.loads(settings.read_text())
    assert data["version"] == 1
    assert sorted(data["hooks"]) == ["beforeSubmitPrompt", "postToolUse", "preToolUse"]
    project.cli("uninstall-hooks", "--agent", "cursor")
    assert not settings.parent.exists()
    assert project.git("status", "--porcelain").stdout == ""


def test_file_changed_since_install_loses_only_our_entries(project):
    settings = _settings(project, "claude-code")
    settings.parent.mkdir()
    settings.write_bytes(CLAUDE_BEFORE)
    project.cli("install-hooks", "--agent", "claude-code")
    data = json.loads(settings.read_text())
    data["env"] = {"FOO": "1"}
    settings.write_text(json.dumps(data))
    project.cli("uninstall-hooks", "--agent", "claude-code")
    left = json.loads(settings.read_text())
    assert left["env"] == {"FOO": "1"}
    assert left["hooks"] == json.loads(CLAUDE_BEFORE)["hooks"]


def test_global_settings_live_in_the_home_folder(project):
    project.cli("install-hooks", "--agent", "claude-code", "--global")
    settings = _settings(project, "claude-code", everywhere=True)
    assert "PreToolUse" in json.loads(settings.read_text())["hooks"]
    status = json.loads(project.cli("status", "--json").stdout)
    assert status["agent_hooks"]["claude-code"]["global"]["events"] == [
        "PostToolUse",
        "PreToolUse",
        "UserPromptSubmit",
    ]
    assert status["agent_hooks"]["claude-code"]["project"]["events"] == []
    assert "claude-code" in project.cli("status").stdout
    project.cli("uninstall-hooks", "--agent", "claude-code", "--global")
    assert not settings.exists()


def test_broken_settings_file_is_a_clear_error(project):
    settings = _settings(project, "claude-code")
    settings.parent.mkdir()
    settings.write_text("{not json")
    proc = project.cli("install-hooks", "--agent", "claude-code", check=False)
    assert proc.returncode == 1
    assert "is not valid JSON" in proc.stderr and "Traceback" not in proc.stderr
    assert settings.read_text() == "{not json"
