"""`install-hooks --agent claude-code|cursor`: our snapshot entries merged into the agent's own
hook settings file, every entry already there kept; `uninstall-hooks --agent` takes out only
ours, and where the file is as we left it, puts back its exact bytes (or removes the file we
created). Our entries are recognised by the script they call (`selfware-snapshot`).

Where the settings live:
- Claude Code: `.claude/settings.local.json` in the project (personal, not committed), or
  `~/.claude/settings.json` with `--global`. Matcher `*`: every tool, the shell tool too, since
  what the agent changes through `sed -i` or a formatter is the agent's.
- Cursor: `.cursor/hooks.json` in the project, or `~/.cursor/hooks.json` with `--global`;
  entries without a matcher run for every tool.
"""

from __future__ import annotations

import hashlib
import json
import shlex
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import UserError, describe_os_error
from .install import atomic_write, write_executable

SCRIPT_NAME = "selfware-snapshot"
MANIFESTS = "agent-settings"  # beside the script: the bytes each settings file had before


@dataclass(frozen=True)
class AgentSpec:
    """One agent: its name in snapshots (as detection names it), its settings files, and the
    settings event of each snapshot event."""

    option: str
    name: str
    project_file: str
    global_file: str
    events: dict[str, str]
    matcher_groups: bool = False  # Claude Code: each entry a matcher group of hook commands
    top_level: tuple[tuple[str, Any], ...] = ()  # keys a new settings file must hold


AGENTS = {
    "claude-code": AgentSpec(
        "claude-code",
        "claude",
        ".claude/settings.local.json",
        ".claude/settings.json",
        {"pre": "PreToolUse", "post": "PostToolUse", "prompt": "UserPromptSubmit"},
        matcher_groups=True,
    ),
    "cursor": AgentSpec(
        "cursor",
        "cursor",
        ".cursor/hooks.json",
        ".cursor/hooks.json",
        {"pre": "preToolUse", "post": "postToolUse", "prompt": "beforeSubmitPrompt"},
        top_level=(("version", 1),),
    ),
}


@dataclass
class SettingsResult:
    settings: Path
    changed: bool
    script: Path


def settings_path(spec: AgentSpec, project: Path | None) -> Path:
    """The project's settings file, or with no project the user's (`--global`)."""
    if project is None:
        return Path.home() / spec.global_file
    return project / spec.project_file


def snapshot_command(script: Path, spec: AgentSpec, event: str) -> str:
    """The exact command written into the agent's settings (and timed by the benchmark)."""
    return f"{shlex.quote(str(script))} --agent {spec.name} --event {event}"


def install_script(folder: Path) -> Path:
    """Our sh snapshot script, where the agent settings can call it by its absolute path."""
    script = folder / SCRIPT_NAME
    content = resources.files("selfware_git.hooks").joinpath("selfware-snapshot.sh").read_text()
    try:
        if not (script.is_file() and script.read_text() == content):
            folder.mkdir(parents=True, exist_ok=True)
            write_executable(script, content)
    except OSError as exc:
        raise UserError(
            f"cannot write the snapshot script: {describe_os_error(exc)}",
            "check that folder's owner and mode, or set SELFWARE_HOME elsewhere",
        ) from exc
    return script


def is_ours(entry: Any) -> bool:
    """A hook entry (Claude Code's matcher group or Cursor's command) that calls our script."""
    if not isinstance(entry, dict):
        return False
    commands = [entry.get("command")] + [
        hook.get("command") for hook in entry.get("hooks", []) if isinstance(hook, dict)
    ]
    return any(isinstance(c, str) and SCRIPT_NAME in c for c in commands)


def our_entries(spec: AgentSpec, script: Path) -> dict[str, dict[str, Any]]:
    """Settings event → the entry we add to its list."""
    entries = {}
    for event, settings_event in spec.events.items():
        command = snapshot_command(script, spec, event)
        if spec.matcher_groups:
            hook = {"type": "command", "command": command}
            entry: dict[str, Any] = {"hooks": [hook]}
            if event != "prompt":
                entry = {"matcher": "*", **entry}
        else:
            entry = {"command": command}
        entries[settings_event] = entry
    return entries


def _read(path: Path) -> tuple[bytes | None, dict[str, Any]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, {}
    except OSError as exc:
        raise UserError(f"cannot read {path}: {describe_os_error(exc)}") from exc
    try:
        data = json.loads(raw) if raw.strip() else {}
    except ValueError as exc:
        raise UserError(
            f"{path} is not valid JSON ({exc})", "fix the file, then run this again"
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("hooks", {}), dict):
        raise UserError(
            f"{path} does not hold a JSON object with a `hooks` object",
            "fix the file, then run this again",
        )
    return raw, data


def _encode(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def _manifest_path(script: Path, settings: Path) -> Path:
    key = hashlib.sha256(str(settings.absolute()).encode()).hexdigest()[:24]
    return script.parent / MANIFESTS / f"{key}.json"


def install_agent(spec: AgentSpec, project: Path | None, script_folder: Path) -> SettingsResult:
    """Merge our entries into the agent's settings; again: nothing changes."""
    script = install_script(script_folder)
    settings = settings_path(spec, project)
    raw, data = _read(settings)
    hooks = data.setdefault("hooks", {})
    for key, value in spec.top_level:
        data.setdefault(key, value)
    changed = False
    for event, entry in our_entries(spec, script).items():
        entries = hooks.setdefault(event, [])
        if not isinstance(entries, list):
            raise UserError(f"{settings}: hooks.{event} is not a list", "fix the file first")
        if entry in entries:
            continue
        entries[:] = [e for e in entries if not is_ours(e)] + [entry]
        changed = True
    if not changed:
        return SettingsResult(settings, False, script)
    written = _encode(data)
    manifest = _manifest_path(script, settings)
    try:
        if manifest.exists():  # installed before: the bytes from before the first install
            state = json.loads(manifest.read_text())
        else:
            state = {"existed": raw is not None, "bytes": (raw or b"").decode("latin-1")}
            state["created_dir"] = not settings.parent.exists()
            atomic_write(manifest, json.dumps(state).encode())  # first, should we be stopped
        atomic_write(settings, written)
        state["written"] = hashlib.sha256(written).hexdigest()
        atomic_write(manifest, json.dumps(state).encode())
    except OSError as exc:
        raise UserError(f"cannot write {settings}: {describe_os_error(exc)}") from exc
    return SettingsResult(settings, True, script)


def uninstall_agent(spec: AgentSpec, project: Path | None, script_folder: Path) -> SettingsResult:
    """Take our entries out. The file as we wrote it: its bytes from before the install come
    back (or the file we created goes); changed since: only our entries leave it."""
    script = script_folder / SCRIPT_NAME
    settings = settings_path(spec, project)
    raw, data = _read(settings)
    manifest = _manifest_path(script, settings)
    try:
        state = json.loads(manifest.read_text())
    except (OSError, ValueError):
        state = None
    hooks = data.get("hooks", {})
    if raw is None or not _our_events(hooks):
        manifest.unlink(missing_ok=True)
        return SettingsResult(settings, False, script)
    try:
        if state and state.get("written") == hashlib.sha256(raw).hexdigest():
            if state["existed"]:
                atomic_write(settings, state["bytes"].encode("latin-1"))
            else:
                settings.unlink()
                if state.get("created_dir") and not any(settings.parent.iterdir()):
                    settings.parent.rmdir()
        else:
            for event in list(hooks):
                if isinstance(hooks[event], list):
                    hooks[event] = [e for e in hooks[event] if not is_ours(e)]
                    if not hooks[event]:
                        del hooks[event]
            atomic_write(settings, _encode(data))
        manifest.unlink(missing_ok=True)
    except OSError as exc:
        raise UserError(f"cannot write {settings}: {describe_os_error(exc)}") from exc
    return SettingsResult(settings, True, script)


def agent_hook_states(project: Path | None) -> dict[str, dict[str, Any]]:
    """For each agent, its project and user settings files and whether ours are in each."""
    states = {}
    for option, spec in AGENTS.items():
        files = {"global": settings_path(spec, None)}
        if project is not None:
            files["project"] = settings_path(spec, project)
        found = {}
        for scope, path in files.items():
            try:
                _, data = _read(path)
            except UserError:
                data = {}
            found[scope] = {"path": str(path), "events": _our_events(data.get("hooks", {}))}
        states[option] = found
    return states


def _our_events(hooks: dict[str, Any]) -> list[str]:
    """The settings events whose lists hold an entry of ours."""
    return sorted(
        event
        for event, entries in hooks.items()
        if isinstance(entries, list) and any(is_ours(e) for e in entries)
    )
